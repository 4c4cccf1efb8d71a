"""What the Predict page says after "Add to dataset" (and the camera tab's "Add this frame"), Qt-free.

A picture added with a class goes where training will use it (:func:`cnnstudio.project.splits.split_for_added`): to the
training pictures once the project has splits, and with no split before that (the split before training takes it).
The message says which, so that "it is used from the next training run on" is only said when it is true. The
camera's bursts name the split in the same words (:func:`split_words`, used by ``camera/rules.burst_words``).
"""

from __future__ import annotations

from ...project.names import quoted as _q
from ..sentence import sentence

# where added pictures went, in the words of a sentence ("Added to the training pictures"); not the gallery's split
# names (project/names.SPLIT_NAMES: "Train")
ADDED_TO = {"train": "training pictures", "val": "validation pictures", "test": "test pictures"}


def split_words(split: str | None) -> str:
    """Where added pictures went: "training pictures", "validation pictures", "test pictures"; "no split yet"."""
    return ADDED_TO.get(split, f"{split} pictures") if split else "no split yet"


def added(name: str, split: str | None) -> str:
    """The picture was added as ``name`` into ``split`` (the importer's ``split``; None: none yet)."""
    if split == "train":
        return f"Added to the {split_words(split)} as {_q(name)}. It is used from the next training run on."
    if split:  # not a split this page gives, but said truthfully
        return f"Added to the {split_words(split)} as {_q(name)}."
    return f"Added to the dataset as {_q(name)}: it gets a split when you next train or press Split."


def already_there(name: str, duplicate: dict) -> str:
    """The picture was in the project already (one of the import report's ``duplicates``): as which class, and that an
    add never relabels it (``class_left``: the class it kept, None for none, absent when it is ``name`` already)."""
    if "class_left" not in duplicate:
        return f"This picture is already in the dataset as {_q(name)}."
    have = duplicate["class_left"]
    where = f"as {_q(have)}" if have else "without a class"
    return (f"This picture is already in the dataset {where}, so it was left as it is: give it the class {_q(name)} "
            "on the Data page.")


def not_added(skipped: list[dict]) -> str:
    """The picture was refused: why (the importer's reason for it)."""
    reason = next((s.get("reason", "") for s in skipped if s.get("reason")), "")
    return sentence(f"Not added: {reason}") if reason else "The picture was not added."


def outcome(report, name: str, split: str | None) -> str:
    """The one sentence after an add of one picture as ``name``, from its import report."""
    if report.imported:
        return added(name, split)
    if report.duplicates:
        return already_there(name, report.duplicates[0])
    return not_added(report.skipped)


__all__ = ["ADDED_TO", "added", "already_there", "not_added", "outcome", "split_words"]

"""Whether a search can compare its trials: the validation pictures a trial would be scored on. Qt-free, torch-free.

A search ranks its trials by validation accuracy. A trial is an ordinary run, so it is validated on the project's
validation split, or, when that is empty, on the pictures a run holds out of the training ones
(:func:`cnnstudio.engine.data.entries.hold_out_validation`: only classes with
:data:`~cnnstudio.engine.data.entries.HOLD_OUT_MIN_CLASS` training pictures or more give some). A project too small
for either cannot be searched: every trial would fail "no validation accuracy".

One rule, said in one neutral sentence (:data:`TOO_FEW_FOR_VALIDATION`; each surface adds its own next step: the
Tune page's "Add pictures on the Data page.", ``cnnstudio tune``'s "add pictures with 'cnnstudio import'"), read in
two places:

- :func:`validation_pictures` from the project's counts (``Project.counts()``), as they are before Start: the
  Tune page's ``search_blocker`` asks it before a search starts (unsplit pictures counted as Start splits them);
- :func:`cnnstudio.engine.tune.study.prepare` from the run's own plan, so a search refuses the same project
  before anything is written (``cnnstudio tune`` asks :func:`too_few_for_validation` before it splits a project
  too).
"""

from __future__ import annotations

from ...project.splits import AUTO_SPLIT, needs_auto_split, target_counts
from ..data.entries import HOLD_OUT_MIN_CLASS, HOLD_OUT_SHARE

#: Why a search cannot start (or had to stop) on a project too small to keep validation pictures aside.
TOO_FEW_FOR_VALIDATION = ("This project has too few pictures to keep some aside for validation, which a search needs "
                          "to compare its trials.")


def validation_pictures(counts: dict) -> int:
    """About how many validation pictures each trial of a search would be scored on (0: none, no search can
    compare its trials). ``counts``: class id (None: unlabelled) -> split (None: no split) -> pictures, as
    ``Project.counts()`` gives them. Nothing split yet: counted as Start splits them (:data:`AUTO_SPLIT`,
    :func:`target_counts` per class); then the validation split, else what a run holds out of the training
    pictures (per class: :data:`HOLD_OUT_SHARE`, at least one, from :data:`HOLD_OUT_MIN_CLASS` pictures)."""
    labelled = {cid: per for cid, per in counts.items() if cid is not None}
    if needs_auto_split(counts):
        planned = [target_counts(sum(per.values()), AUTO_SPLIT) for per in labelled.values()]
        train, val = [p["train"] for p in planned], sum(p["val"] for p in planned)
    else:
        train = [per.get("train", 0) for per in labelled.values()]
        val = sum(per.get("val", 0) for per in labelled.values())
    if val:
        return val
    return sum(max(1, round(HOLD_OUT_SHARE * n)) for n in train if n >= HOLD_OUT_MIN_CLASS)


def too_few_for_validation(counts: dict) -> str:
    """:data:`TOO_FEW_FOR_VALIDATION` when a search on this project could not score its trials, else ""."""
    return TOO_FEW_FOR_VALIDATION if labelled_any(counts) and not validation_pictures(counts) else ""


def labelled_any(counts: dict) -> bool:
    return any(n for cid, per in counts.items() if cid is not None for n in per.values())

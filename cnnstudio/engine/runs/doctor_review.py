"""A data check's report while the user works through it: each finding's one-click fixes (:func:`fixes_for`), "Keep"
(:func:`keep`), which findings are still open, and the report in words.

"Keep it", "Keep them all", "Keep the label", "Leave them where they are" (each button says what it does) store the
finding's key in the project (:func:`keep`); a kept finding is left out of later reports until one of its pictures
or labels changes (the key holds their hashes and labels).

A finding is open while what it is about is as the check saw it (:attr:`~.doctor.DataReport.seen`): its pictures
are not in the trash, a label finding's picture still has its label, a leak's copies are still in their splits,
and it was not kept (:func:`~.doctor.keep`). So a one-click fix closes its finding, and Ctrl+Z on that fix opens it
again (redo closes it again): the state is read from the project, never remembered beside it. A change made
elsewhere (the picture relabelled in the gallery) closes a finding the same way. Qt-free; the panel
(``ui/data/check_panel.py``) shows what this says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterable

from ...project.counting import counted
from ...project.health import CARVE_VALIDATION, SPLIT_NOW, dataset_warnings
from ...project.names import quoted
from ...project.records import ImageFilter
from ...project.store import Project
from .doctor_findings import finding_key

if TYPE_CHECKING:  # doctor.py imports this module
    from .doctor import DataReport, Finding

#: what of a flagged picture a finding is about, beyond the picture being there (not trashed); a near duplicate
#: whose copies have different labels (``Finding.labels``) watches the labels too
WATCHED = {"label": "class", "leak": "split"}
REVIEWED_META = "doctor.reviewed"
HEALTH = "health"  # Finding.what of a class finding that is one of project.health's dataset warnings
#: the one-click fix of such a finding (``Finding.suggested``, project.health's Warning.fix): its button's words
HEALTH_FIXES = {SPLIT_NOW: ("Split now", "Split the labelled pictures with the ratios of the Split & health tab "
                                         "(Ctrl+Z undoes it)"),
                CARVE_VALIDATION: ("Take validation from train", "Move the Val share (the Split & health tab's "
                                    "ratio) of each class's training pictures to validation; the test pictures stay "
                                    "(Ctrl+Z undoes it)")}
SPLIT_WORDS = {"train": "training", "val": "validation", "test": "test"}


@dataclass(frozen=True)
class Fix:
    """One button of a finding: what it does to which pictures (the GUI runs it as one undoable action)."""
    action: str  # "relabel" (value: the class name) | "trash" | "same_split" (value: the split) | "keep"
    #              | project.health's SPLIT_NOW or CARVE_VALIDATION (the Data page's Split and its carve button)
    text: str
    images: tuple[int, ...]
    value: str = ""
    tip: str = ""


def fixes_for(f: Finding) -> list[Fix]:
    """The fixes a finding offers, the suggested one first, each in words that say what it does to how many
    pictures ("Trash the other 6" beside "Keep them all", never two "Keep"s). The "keep" action marks the
    finding reviewed (see :func:`keep`). Near copies with different labels (``f.labels``; ``f.suggested`` the
    label the evidence favours, its copies first) offer "Relabel as ..." for the others first."""
    n = len(f.images)
    again = "do not show this again unless " + ("the picture changes" if n == 1 else "they change")
    if f.kind == "label":
        return [Fix("relabel", f"Relabel as {quoted(f.suggested)}", f.images, f.suggested,
                    f"Give the picture the class {quoted(f.suggested)}"),
                Fix("keep", "Keep the label", f.images,
                    tip="The label is right: do not show this again unless the picture or its label changes"),
                Fix("trash", "Trash it", f.images, tip="Move the picture to the project's trash")]
    one_label = ([_one_label(f, f.suggested)] if f.suggested else
                 [_one_label(f, label, keep=True) for label in dict.fromkeys(x for x in f.labels if x)]
                 ) if f.labels else []
    if f.kind == "near_duplicate":
        others = n - 1
        words = "the other one" if others == 1 else f"the other {others:,}"
        first = f" (labelled {quoted(f.labels[0])})" if one_label else ""
        return one_label + [
            Fix("trash", f"Trash {words}", f.images[1:],
                tip=f"Keep the first picture{first} and move {words} to the project's trash"),
            Fix("keep", "Keep them all", f.images, tip=f"They are different pictures: keep all {n}, and {again}")]
    if f.kind == "leak":
        present = [s for s in ("train", "val", "test") if s in f.splits]
        target = present[0]
        moved = tuple(i for i, s in zip(f.images, f.splits) if s != target)
        return [Fix("same_split", f"Move to the {SPLIT_WORDS[target]} split", moved, target,
                    "Put every copy in one split, so the score on the pictures kept aside is honest")] + one_label + [
                Fix("keep", "Leave them where they are", f.images,
                    tip=f"They are different pictures: leave each in its split, and {again}")]
    if f.kind in ("quality", "outlier", "unreadable"):
        if n > 1:
            return [Fix("trash", f"Trash all {n:,}", f.images, tip=f"Move the {n:,} pictures to the project's trash"),
                    Fix("keep", "Keep them", f.images, tip=f"They are fine: keep them, and {again}")]
        return [Fix("trash", "Trash it", f.images, tip="Move the picture to the project's trash"),
                Fix("keep", "Keep it", f.images, tip=f"It is fine: keep it, and {again}")]
    dismiss = Fix("keep", "Dismiss", f.images, tip="Do not show this again until the data changes")
    if f.what == HEALTH and f.suggested in HEALTH_FIXES:
        words, tip = HEALTH_FIXES[f.suggested]
        return [Fix(f.suggested, words, f.images, tip=tip), dismiss]
    return [dismiss]


def _one_label(f: Finding, label: str, keep: bool = False) -> Fix:
    """Near copies labelled differently: the copies whose label is not ``label`` get it. ``keep``: nothing says which
    label is right ("Keep the label “cat”", one button per label), else ``label`` is the one the evidence favours
    ("Relabel as “cat”")."""
    wrong = tuple(i for i, x in zip(f.images, f.labels) if x != label)
    who = "the copy" if len(wrong) == 1 else f"the {len(wrong):,} copies"
    return Fix("relabel", f"Keep the label {quoted(label)}" if keep else f"Relabel as {quoted(label)}", wrong, label,
               f"Give {who} labelled otherwise the class {quoted(label)}: one picture, one label")


def named_now(f: Finding, report: DataReport, project: Project) -> Finding:
    """``f`` with its class names as they are now: a class renamed since the check (the report holds each name's
    class id) keeps its finding's fixes ("Relabel as ...") working, in the new name."""
    now = {c.id: c.name for c in project.classes()}
    new = {old: now[cid] for old, cid in report.class_ids.items() if cid in now and now[cid] != old}
    if not new:
        return f
    return replace(f, given=new.get(f.given, f.given), suggested=new.get(f.suggested, f.suggested),
                   labels=tuple(new.get(x, x) for x in f.labels))


def kept_keys(project: Project) -> set[str]:
    try:
        return set(json.loads(project.meta(REVIEWED_META, "[]") or "[]"))
    except (json.JSONDecodeError, TypeError):
        return set()


def keep(project: Project, keys: Iterable[str]) -> None:
    """Mark findings reviewed ("Keep"): they stay out of reports until their pictures or labels change."""
    project.set_meta(REVIEWED_META, json.dumps(sorted(kept_keys(project) | set(keys))))


def unkeep(project: Project, keys: Iterable[str]) -> None:
    """Undo :func:`keep`."""
    project.set_meta(REVIEWED_META, json.dumps(sorted(kept_keys(project) - set(keys))))


def still_open(project: Project, report: DataReport) -> list[Finding]:
    """The report's findings that are still open in ``project`` now, in the report's order."""
    kept = kept_keys(project)
    ids = sorted({i for f in report.findings for i in f.images})
    trashed = set(project.ids(ImageFilter(trashed=True))) if ids else set()
    now = {r.id: (r.class_id, r.split) for r in project.records(ids) if r.id not in trashed}
    warnings = dataset_warnings(project) if any(f.what == HEALTH for f in report.findings) else []
    health = {key: w for w in warnings for key in (w.text, w.about) if key}  # a split fixed since closes its finding
    return [_health_now(f, health) for f in report.findings if f.key not in kept
            and all(_as_seen(f, i, report, now) for i in f.images) and (f.what != HEALTH or _about(f) in health)]


def _about(f: Finding) -> str:
    return f.about or f.reason  # a report made before findings said what they are about: its words


def _health_now(f: Finding, health: dict) -> Finding:
    """A dataset warning's finding stays open while a warning about the same thing is there (a class still too
    small, with one picture fewer or more), in that warning's words now: "only 8 pictures", not the "only 9" seen."""
    if f.what != HEALTH:
        return f
    w = health[_about(f)]
    return f if w.text == f.reason else replace(f, reason=w.text, suggested=w.fix,
                                                key=finding_key("health:" + w.text, [], {}))


def _as_seen(f: Finding, image_id: int, report: DataReport, now: dict) -> bool:
    if image_id not in now:  # trashed, or gone for good
        return False
    seen = report.seen.get(image_id)
    if seen is None:  # a report made without what it saw: only the trash and "Keep" close a finding
        return True
    watched = WATCHED.get(f.kind) or ("class" if f.labels else None)
    if watched == "class":
        return now[image_id][0] == seen[0]
    if watched == "split":
        return now[image_id][1] == seen[1]
    return True


def all_trashed_words(n: int) -> str:
    """What is said of a check whose ``n`` pictures have all been trashed since, no picture left in the project:
    the panel's summary (:func:`summary`) and what changed since a kept check (:func:`.doctor_kept.changed_words`,
    the Data page and ``cnnstudio doctor --last``)."""
    return (("The picture checked has" if n == 1 else "Every picture checked has")
            + " been trashed since this check: there is nothing left to check.")


def summary(report: DataReport, open_findings: list[Finding], left: int | None = None) -> str:
    """The panel's summary in plain words: what was checked, how much is left to look at, what was skipped.
    How it was checked (:attr:`~.doctor.DataReport.method`) is for :func:`method_tip`. ``left``: the pictures in the
    project now (None: not said); none left of a check that saw some: every one was trashed since
    (:func:`all_trashed_words`), not "looked at"."""
    n, total = len(open_findings), len(report.findings)
    if left == 0 and report.images:
        said = all_trashed_words(report.images)
    elif not total:
        said = "Nothing to look at."
    elif not n:
        said = f"All {counted(total, 'thing')} looked at: nothing left." if total > 1 else "Looked at: nothing left."
    else:
        left = f"{n:,} of {counted(total, 'thing')} still" if n < total else counted(n, "thing")
        facts = all(f.what == HEALTH for f in open_findings)  # about the data set as a whole: no guess to judge
        said = (f"{left} to look at." if facts else
                f"{left} to look at; {'it may well' if n == 1 else 'many will'} be fine, you decide.")
    kept = (f" {counted(report.hidden, 'finding')} you kept earlier {'is' if report.hidden == 1 else 'are'} not "
            "shown.") if report.hidden else ""
    notes = "".join(f"\n{s}" for s in report.notes)
    skipped = "".join(f"\n{not_checked(s)}" for s in report.skipped)
    return f"{counted(report.images, 'picture')} checked in {_duration(report.seconds)}. {said}{kept}{notes}{skipped}"


def not_checked(skipped: str) -> str:
    """``labels: label at least 2 ...`` (:attr:`~.doctor.DataReport.skipped`) as a sentence: ``Labels were not
    checked: label at least 2 ...``."""
    what, _, why = skipped.partition(": ")
    return f"{what[:1].upper()}{what[1:]} were not checked: {why}."


def method_tip(report: DataReport) -> str:
    """How the pictures were compared, for the summary's tooltip."""
    labels = ("\n\nEach label is judged by a model that did not see that picture while learning, so a picture "
              "cannot vouch for its own label.") if "labels" in report.kinds else ""
    return f"How the pictures were compared: {report.method}.{labels}"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


__all__ = ["Fix", "REVIEWED_META", "WATCHED", "all_trashed_words", "fixes_for", "keep", "kept_keys", "method_tip",
           "named_now", "not_checked", "still_open", "summary", "unkeep"]

"""A data check's report while the user works through it: which findings are still open, and the report in words.

A finding is open while what it is about is as the check saw it (:attr:`~.doctor.DataReport.seen`): its pictures
are not in the trash, a label finding's picture still has its label, a leak's copies are still in their splits,
and it was not kept (:func:`~.doctor.keep`). So a one-click fix closes its finding, and Ctrl+Z on that fix opens it
again (redo closes it again): the state is read from the project, never remembered beside it. A change made
elsewhere (the picture relabelled in the gallery) closes a finding the same way. Qt-free; the panel
(``ui/data/check_panel.py``) shows what this says.
"""

from __future__ import annotations

from ...project.records import ImageFilter
from ...project.store import Project
from .doctor import DataReport, Finding, kept_keys

#: what of a flagged picture a finding is about, beyond the picture being there (not trashed)
WATCHED = {"label": "class", "leak": "split"}


def still_open(project: Project, report: DataReport) -> list[Finding]:
    """The report's findings that are still open in ``project`` now, in the report's order."""
    kept = kept_keys(project)
    ids = sorted({i for f in report.findings for i in f.images})
    trashed = set(project.ids(ImageFilter(trashed=True))) if ids else set()
    now = {r.id: (r.class_id, r.split) for r in project.records(ids) if r.id not in trashed}
    return [f for f in report.findings if f.key not in kept and all(_as_seen(f, i, report, now) for i in f.images)]


def _as_seen(f: Finding, image_id: int, report: DataReport, now: dict) -> bool:
    if image_id not in now:  # trashed, or gone for good
        return False
    seen = report.seen.get(image_id)
    if seen is None:  # a report made without what it saw: only the trash and "Keep" close a finding
        return True
    watched = WATCHED.get(f.kind)
    if watched == "class":
        return now[image_id][0] == seen[0]
    if watched == "split":
        return now[image_id][1] == seen[1]
    return True


def summary(report: DataReport, open_findings: list[Finding]) -> str:
    """The panel's summary in plain words: what was checked, how much is left to look at, what was skipped.
    How it was checked (:attr:`~.doctor.DataReport.method`) is for :func:`method_tip`."""
    n, total = len(open_findings), len(report.findings)
    if not total:
        said = "Nothing to look at."
    elif not n:
        said = f"All {total:,} things looked at: nothing left."
    else:
        left = f"{n:,} of {total:,} things still" if n < total else f"{n:,} thing{'s' if n != 1 else ''}"
        said = f"{left} to look at; {'it may well' if n == 1 else 'many will'} be fine, you decide."
    kept = f" ({report.hidden:,} you kept earlier are not shown.)" if report.hidden else ""
    skipped = "".join(f"\nNot checked: {s}" for s in report.skipped)
    return f"{report.images:,} pictures checked in {_duration(report.seconds)}. {said}{kept}{skipped}"


def method_tip(report: DataReport) -> str:
    """How the pictures were compared, for the summary's tooltip."""
    labels = ("\n\nEach label is judged by a model that did not see that picture while learning, so a picture "
              "cannot vouch for its own label.") if "labels" in report.kinds else ""
    return f"How the pictures were compared: {report.method}.{labels}"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


__all__ = ["WATCHED", "method_tip", "still_open", "summary"]

"""The last data check kept in the project, so that closing and opening it again does not lose its findings (the
check can take a minute). Qt-free and torch-free: the panel reads it on the GUI thread.

The report is written, whole or not at all (a temporary file renamed), to :data:`KEPT_FILE` beside the project's
database: every field of every finding, what the check saw of each flagged picture (``seen``, so that
:func:`~.doctor_review.still_open` keeps a finding fixed since closed), and every picture checked with its content
hash, class and split (``pictures``), for :func:`changed_since`. This is the app's own file, not the JSON shape of
``cnnstudio doctor --json`` (:mod:`.doctor_findings`). A file that is damaged, from another program or from a
newer format is ignored (:func:`load_report` returns None): the user checks again.

A project that cannot be written (read-only, a full disk) still shows its check; :func:`keep_report` returns the one
sentence that says it was not kept.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import fields
from pathlib import Path

from ...project.counting import counted
from ...project.disk import explain_os_error, remove_quietly
from ...project.records import ImageFilter
from ...project.store import Project
from .doctor_findings import DataReport, Finding
from .doctor_review import all_trashed_words, fixes_for

KEPT_FILE = "data-check.json"  # beside project.db
FORMAT = "cnnstudio data check"
VERSION = 1
DOING = "keep the check's results for next time"
_TUPLES = {"images", "splits", "labels"}  # Finding's fields that are tuples
HASH = 16  # hex digits of a picture's content hash kept: enough to tell another picture under the same id


def kept_path(project: Project) -> Path:
    return project.root / KEPT_FILE


def keep_report(project: Project, report: DataReport) -> str:
    """Write ``report`` for the next time the project is opened; "" when it was kept, else the sentence that says why
    not (the check's results are shown all the same)."""
    if project.read_only:
        return f"The results were not kept: {project.write_refused(DOING)}."
    path = kept_path(project)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:  # compact: a row per picture, 100,000 pictures in about 4 MB
        tmp.write_text(json.dumps(_to_json(report), separators=(",", ":"), ensure_ascii=False, allow_nan=False),
                       encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:  # neither half a file nor a temporary one is left
        remove_quietly(tmp)
        return f"The results were not kept: {explain_os_error(e, project.root, DOING)}."
    return ""


def _to_json(report: DataReport) -> dict:
    return {"format": FORMAT, "version": VERSION, "checked_at": report.checked_at or time.time(),
            "images": report.images, "seconds": report.seconds, "method": report.method, "kinds": list(report.kinds),
            "findings": [{f.name: list(v) if isinstance(v := getattr(x, f.name), tuple) else v
                          for f in fields(Finding)} for x in report.findings],
            "skipped": list(report.skipped), "hidden": report.hidden, "notes": list(report.notes),
            "class_ids": report.class_ids,
            "paths": [[i, p] for i, p in report.paths.items() if i in report.seen],
            "seen": [[i, c, s] for i, (c, s) in report.seen.items()],
            "pictures": [[i, h[:HASH], c, s] for i, (h, c, s) in report.pictures.items()]}


def load_report(project: Project) -> DataReport | None:
    """The kept report, or None when there is none or it cannot be read as one (damaged, foreign, newer). A finding
    whose picture's id now holds another picture (its content hash differs) is left out."""
    try:
        data = json.loads(kept_path(project).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
            return None
        report = _from_json(data)
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError):
        return None
    flagged = sorted({i for f in report.findings for i in f.images})
    now = {r.id: r.sha256[:HASH] for r in project.records(flagged)}
    report.findings = [f for f in report.findings
                       if all(i not in now or i not in report.pictures or now[i] == report.pictures[i][0]
                              for i in f.images)]
    return report


def _from_json(data: dict) -> DataReport:
    names = {f.name for f in fields(Finding)}
    findings = []
    for raw in data["findings"]:
        if not isinstance(raw, dict) or not {"kind", "images", "score", "reason"} <= raw.keys() or raw.keys() - names:
            raise ValueError("not a finding")
        kw = {k: tuple(v) if k in _TUPLES else v for k, v in raw.items()}
        kw["images"] = tuple(int(i) for i in kw["images"])
        kw["score"] = float(kw["score"])
        if not all(isinstance(kw.get(k, ""), str) for k in ("kind", "reason", "given", "suggested", "what", "key")):
            raise ValueError("not a finding")
        findings.append(Finding(**kw))
    report = DataReport(int(data["images"]), float(data["seconds"]), str(data["method"]),
                        tuple(str(k) for k in data["kinds"]), findings, [str(s) for s in data["skipped"]],
                        int(data["hidden"]), {int(i): str(p) for i, p in data["paths"]},
                        {int(i): (_id(c), _split(s)) for i, c, s in data["seen"]}, [str(s) for s in data["notes"]],
                        {str(n): int(c) for n, c in dict(data["class_ids"]).items()},
                        {int(i): (str(h)[:HASH], _id(c), _split(s)) for i, h, c, s in data["pictures"]},
                        float(data["checked_at"]))
    return report


def _id(c) -> int | None:
    return None if c is None else int(c)


def _split(s) -> str | None:
    return None if s is None else str(s)


class Changes(int):
    """What :func:`changed_since` found, by kind, each picture counted once: ``added`` (new since the check),
    ``changed`` (relabelled, or another picture under the same id), ``moved`` (only to another split: a copy's leak
    may come or go), ``trashed`` (checked, gone since); ``left``: the pictures there now. Its int value is all of them
    together (``cnnstudio doctor --json``'s ``changed_since``); added, changed and moved never exceed ``left``."""

    added: int
    changed: int
    moved: int
    trashed: int
    left: int

    def __new__(cls, added: int = 0, changed: int = 0, moved: int = 0, trashed: int = 0, left: int = 0):
        self = super().__new__(cls, added + changed + moved + trashed)
        self.added, self.changed, self.moved, self.trashed, self.left = added, changed, moved, trashed, left
        return self

    def __repr__(self) -> str:
        return (f"Changes(added={self.added}, changed={self.changed}, moved={self.moved}, trashed={self.trashed}, "
                f"left={self.left})")


def changed_since(project: Project, report: DataReport) -> Changes:
    """How many pictures were added, relabelled (or replaced by another picture under the same id), only moved to
    another split, or trashed since the check, each picture once (:class:`Changes`). A change that one of the check's
    own fixes makes (its "Relabel as ...", "Trash ...", "Move to ...") is not counted: the check knew of it; when no
    picture is left, every picture checked counts as trashed."""
    now = {r.id: (r.sha256[:HASH], r.class_id, r.split) for r in project.records(project.ids(ImageFilter()))}
    if not report.pictures:
        return Changes(left=len(now))
    if not now:
        return Changes(trashed=len(report.pictures))
    by_fix = _fix_outcomes(report)
    changed = moved = trashed = 0
    for i, (h, c, split) in report.pictures.items():
        cur, was = now.get(i), (h[:HASH], c, split)
        if cur == was:
            continue
        if cur is not None and cur[0] != was[0]:  # another picture under this id
            changed += 1
        elif _by_a_fix(was, cur, by_fix.get(i)):
            continue
        elif cur is None:
            trashed += 1
        elif cur[1] != was[1]:
            changed += 1
        else:
            moved += 1
    return Changes(len(now.keys() - report.pictures.keys()), changed, moved, trashed, len(now))


def _fix_outcomes(report: DataReport) -> dict[int, list[tuple[str, object]]]:
    """What each flagged picture may have become by one of its findings' fixes: ("trash", None), ("class", id),
    ("split", name)."""
    out: dict[int, list[tuple[str, object]]] = {}
    for f in report.findings:
        for fix in fixes_for(f):
            if fix.action == "trash":
                what = ("trash", None)
            elif fix.action == "relabel" and fix.value in report.class_ids:
                what = ("class", report.class_ids[fix.value])
            elif fix.action == "same_split":
                what = ("split", fix.value)
            else:
                continue
            for i in fix.images:
                out.setdefault(i, []).append(what)
    return out


def _by_a_fix(was: tuple, cur: tuple | None, outcomes: list | None) -> bool:
    for what, value in outcomes or ():
        if what == "trash" and cur is None:
            return True
        if cur is not None and what == "class" and cur[1] == value and cur[2] == was[2]:
            return True
        if cur is not None and what == "split" and cur[2] == value and cur[1] == was[1]:
            return True
    return False


def checked_words(report: DataReport, now: float | None = None) -> str:
    """ "Checked 2 Dec 16:40." (the year too when it is not this one); "" for a report that does not say when."""
    if not report.checked_at:
        return ""
    t, today = time.localtime(report.checked_at), time.localtime(now)
    year = f" {t.tm_year}" if t.tm_year != today.tm_year else ""
    return f"Checked {t.tm_mday} {time.strftime('%b', t)}{year} {time.strftime('%H:%M', t)}."


AGAIN = "press Check again"  # what checks again in the app (its panel's button); the CLI says its command


def changed_words(n: int, again: str = AGAIN) -> str:
    """What :func:`changed_since` found, with what to do (``again``: how to check again where it is said, the app's
    button or the command line's "run cnnstudio doctor DIR again"); "" when nothing changed. A plain count says
    "N pictures changed"; :class:`Changes` says each kind: "1,500 pictures added and 2,911 trashed since this check"."""
    if not n:
        return ""
    if not isinstance(n, Changes):
        return f"{counted(n, 'picture')} changed since this check; {again} to include {'it' if n == 1 else 'them'}."
    if not n.left:
        return all_trashed_words(n.trashed)
    parts = [(n.added, "added"), (n.changed, "changed"), (n.moved, "moved to another split"),
             (n.trashed, "trashed")]
    said = [f"{counted(k, 'picture') if not i else f'{k:,}'} {what}"
            for i, (k, what) in enumerate((k, w) for k, w in parts if k)]
    text = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    tail = (f"{again} to bring it up to date" if n.trashed
            else f"{again} to include {'it' if n == 1 else 'them'}")
    return f"{text} since this check; {tail}."


__all__ = ["AGAIN", "Changes", "KEPT_FILE", "changed_since", "changed_words", "checked_words", "keep_report", "kept_path",
           "load_report"]

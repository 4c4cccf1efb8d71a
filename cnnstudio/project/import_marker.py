"""An import under way, marked in the project: so that an import the app never finished (killed, the power gone)
is said at the next opening instead of leaving some of the pictures in and nothing said (QA: 512 of 800).

:func:`mark` writes the marker into the project's settings (the ``meta`` table) before the first picture comes in:
the paths given, how many files the walk found, when, the largest picture id then (what came in after it is what
this import brought), and the process ("host:pid", :mod:`.processes`). The import removes it however it ends
(finished, cancelled, an error: :func:`unmark`); the next import overwrites and removes any left before.

At the next opening, :func:`take_stopped_import` says it once — the window's open notice and ``cnnstudio info``
alike — and clears it. A marker whose process is still there is an import under way (another window or a
command importing now), never said to be stopped; a project open for viewing only cannot clear it, and says it at
each opening. Stdlib only."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Sequence

from .counting import counted
from .errors import ProjectError
from .names import quoted
from .processes import gone, this_process

MARKER = "import_under_way"  # the meta key


@dataclass(frozen=True)
class StoppedImport:
    """An import whose process ended before it did: what it was given and how far it came."""

    paths: tuple[str, ...]
    candidates: int  # the files its walk found (duplicates of pictures already in included)
    started_at: float
    came_in: int  # the pictures it added before it stopped


def mark(project, paths: Sequence[str], candidates: int) -> None:
    """Write the marker of an import of ``candidates`` files found in ``paths`` (before its first picture)."""
    last = project._con().execute("SELECT COALESCE(MAX(id), 0) FROM images").fetchone()[0]
    project.set_meta(MARKER, json.dumps({"paths": [str(p) for p in paths], "candidates": int(candidates),
                                         "started_at": time.time(), "last_id": int(last),
                                         "process": this_process()}))


def unmark(project) -> None:
    """Remove the marker (the import ended); a project that cannot be written now keeps it, said at its next
    opening."""
    try:
        with project.transaction() as tx:
            tx.execute("DELETE FROM meta WHERE key = ?", (MARKER,))
    except (ProjectError, sqlite3.Error, OSError):
        pass


def stopped_import(project) -> StoppedImport | None:
    """The import this project's marker records when its process has ended without finishing it; None when there is
    no marker, its import is under way, or it brought in every file it found."""
    raw = project.meta(MARKER)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        paths = tuple(str(p) for p in data["paths"])
        candidates, last, started = int(data["candidates"]), int(data["last_id"]), float(data["started_at"])
        process = str(data["process"])
    except (ValueError, KeyError, TypeError):
        return None  # not ours to read: left alone, removed by the next import
    if not gone(process):
        return None
    came_in = project._con().execute("SELECT COUNT(*) FROM images WHERE id > ?", (last,)).fetchone()[0]
    return StoppedImport(paths, candidates, started, came_in)


def stopped_import_words(stopped: StoppedImport) -> str:
    """One sentence: that the import was stopped, how many pictures came in, and that importing the same again brings
    in the rest (no capital, no full stop: the caller's sentence rule)."""
    where = quoted(stopped.paths[0]) if stopped.paths else "the files given"
    if len(stopped.paths) > 1:
        where += f" and {counted(len(stopped.paths) - 1, 'more place')}"
    when = time.strftime("%d %b %H:%M", time.localtime(stopped.started_at))
    came = "none of them came in" if not stopped.came_in else (
        f"{stopped.came_in:,} came in" if stopped.came_in != 1 else "1 came in")
    again = "the same files" if len(stopped.paths) > 1 or not stopped.paths else quoted(stopped.paths[0])
    return (f"the import of {counted(stopped.candidates, 'picture')} from {where} started {when} was stopped before "
            f"it finished and {came}: import {again} again to bring in the rest (the pictures already in are "
            "skipped as duplicates)")


def take_stopped_import(project) -> str:
    """:func:`stopped_import_words` once: the marker is cleared as it is said (kept by a project open for viewing
    only, which cannot be changed: said at each opening); "" when there is nothing to say. A marker of an import
    that brought in all it found is cleared silently."""
    stopped = stopped_import(project)
    if stopped is None:
        return ""
    if not project.read_only:
        unmark(project)
    return stopped_import_words(stopped) if stopped.came_in < stopped.candidates else ""

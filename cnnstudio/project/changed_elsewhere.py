"""Whether the open project was changed by another program (the command line, a second window) since a window last
read it, and what: its classes, its pictures (imported, labelled, split, trashed, deleted) or its runs.

SQLite says cheaply that *something* changed: ``PRAGMA data_version`` on one connection takes a new value exactly when
another connection committed (never for that connection's own commits). Other connections include this program's own
worker threads (an import) and the training child process, so a change is then told apart by a stamp of each area,
read only when ``data_version`` moved: an area whose stamp differs from the one the window last knew has changed.

- The window's own changes made on the watching connection do not move ``data_version``; their areas are stamped
  again when the window says it changed them (:meth:`ChangeWatch.settle`), and at a look that finds only that
  connection wrote since the last one (its ``total_changes`` moved, ``data_version`` did not), so they are never
  taken for another program's. A stamp then holds whatever the database holds, so it is taken only when no other
  program can have written since the last look: ``data_version`` has not moved (read after the stamp), or this
  program's own writers moved it (its workers' connections wrote, or a ``quiet`` area changed: its training child
  wrote the runs). Otherwise the areas are left to the next look, which says them: the command line's class added
  in the 2 seconds before the window added one is said, and the undo history cleared, not taken for the window's.
- While this program's other connections (its worker threads) wrote since the last look, nothing is said yet and no
  stamp is taken: the areas stay to be compared at the next look (even if ``data_version`` has not moved by then),
  once the workers are quiet; their own signals settle what they wrote, so what another program changed meanwhile
  (a class added by the command line during an import) is still said.
- ``quiet`` areas (the runs while this window trains: its child process writes them) are stamped again, not said.

Also here: which of the pictures an action is about are no longer there to act on (:func:`gone_pictures`), and the
one sentence that says so (:func:`gone_words`).
"""

from __future__ import annotations

import sqlite3
from typing import Iterable

CLASSES, PICTURES, RUNS = "classes", "pictures", "runs"
AREAS = (CLASSES, PICTURES, RUNS)

#: said once in the status bar when another program changed the project and the pages were read again
CHANGED_WORDS = "The project was changed outside this window: the pages show it now."
#: said instead when that change cleared the Data page's undo history (its steps may touch what changed)
UNDO_CLEARED_WORDS = ("The project was changed outside this window: the pages show it now, and the changes made "
                      "here before it can no longer be undone.")
#: a labelling key pressed as the window found the classes changed by another program: the key's class may be another
CLASSES_CHANGED_WORDS = ("The classes were changed outside this window, so nothing was labelled: the class list shows "
                         "them as they are now.")


def clears_undo(areas) -> bool:
    """The Data page's undo history goes when another program changed its classes or pictures: an undo step could
    otherwise put back a label of a class deleted meanwhile, or a class that was made again."""
    return bool({CLASSES, PICTURES} & set(areas))


def changed_words(undo_cleared: bool) -> str:
    return UNDO_CLEARED_WORDS if undo_cleared else CHANGED_WORDS

_PICTURE_STAMP = """
SELECT COUNT(*), COALESCE(MAX(id), 0),
       COALESCE(SUM((id % 65521 + 1) * (COALESCE(class_id, -1) + 2)), 0),
       COALESCE(SUM((id % 65519 + 1) * (CASE split WHEN 'train' THEN 1 WHEN 'val' THEN 2 WHEN 'test' THEN 3
                                        ELSE 4 END)), 0),
       COALESCE(SUM(CASE WHEN trashed_at IS NULL THEN 0 ELSE id % 65521 + 1 END), 0)
FROM images"""


def _stamp(con: sqlite3.Connection, area: str):
    if area == CLASSES:
        return tuple(con.execute("SELECT id, name, color, position FROM classes ORDER BY id"))
    if area == PICTURES:
        return tuple(con.execute(_PICTURE_STAMP).fetchone())
    return hash(tuple(con.execute("SELECT id, name, status, summary FROM runs ORDER BY id")))


class ChangeWatch:
    """Watches ``project`` from the connection of the thread that makes it (the window's): :meth:`poll` says which
    areas another program changed since the last look."""

    def __init__(self, project):
        self.project = project
        self._con = project._con()
        self._version = self._data_version()
        self._mine = self._con.total_changes
        self._others = self._other_changes()
        self._pending = False  # this program's workers wrote at the last look: compare at the next one
        self._stamps = {area: self._read(area) for area in AREAS}

    def _data_version(self) -> int:
        return self._con.execute("PRAGMA data_version").fetchone()[0]

    def _other_changes(self) -> int:
        """Rows this program changed through its other connections (its worker threads, open or closed), all told."""
        return self.project.connections.changes_except(self._con)

    def _read(self, area: str):
        try:
            return _stamp(self._con, area)
        except sqlite3.Error:  # a table the project lacks or cannot read now: no stamp, nothing said of it
            return None

    def settle(self, areas: Iterable[str] = AREAS, quiet: Iterable[str] = ()) -> None:
        """The window itself changed ``areas`` (and shows them): stamp them again, unless another program may have
        written since the last look (then the next look compares them, and says what differs). ``quiet`` areas are
        those this program writes from elsewhere now (the runs, while its child trains), as for :meth:`poll`."""
        stamps = {area: self._read(area) for area in areas}  # before data_version: a commit after them is not in them
        if not self._others_may_have_written(quiet):
            self._stamps.update(stamps)

    def _others_may_have_written(self, quiet: Iterable[str]) -> bool:
        """Since the last look, ``data_version`` moved and none of this program's own writers can have moved it."""
        if self._data_version() == self._version:
            return False
        if self._other_changes() != self._others:  # its workers wrote: their own signals settle it (as ever)
            return False
        return not any(self._read(area) != self._stamps[area] for area in quiet)  # its training child wrote

    def poll(self, quiet: Iterable[str] = ()) -> frozenset[str]:
        """The areas another program changed since the last look (empty almost always: one PRAGMA). ``quiet``
        areas are stamped again without being said."""
        version = self._data_version()
        mine = self._con.total_changes
        if version == self._version and not self._pending:
            if mine != self._mine:  # only the watching connection wrote since the last look: the window's own
                self._mine = mine
                self.settle()
            return frozenset()
        self._version, self._mine = version, mine
        others = self._other_changes()
        ours, self._others = others != self._others, others
        self._pending = ours
        if ours:  # this program's worker wrote: compared again at the next look, when it is quiet
            return frozenset()
        changed = set()
        for area in AREAS:
            now = self._read(area)
            if now != self._stamps[area]:
                self._stamps[area] = now
                changed.add(area)
        return frozenset(changed) - frozenset(quiet)


def gone_pictures(project, ids: Iterable[int], trash_shown: bool = False) -> list[int]:
    """Which of ``ids`` an action on the pictures shown cannot act on any more: deleted for good, or moved to the
    trash (unless the trash is what is shown)."""
    ids = list(dict.fromkeys(int(i) for i in ids))
    there = {r.id for r in project.records(ids)}
    trashed = set() if trash_shown else project.in_trash([i for i in ids if i in there])
    return [i for i in ids if i not in there or i in trashed]


def gone_words(gone: int, selected: int, not_done: str) -> str:
    """One sentence: ``gone`` of the ``selected`` pictures were trashed or deleted elsewhere, so ``not_done``
    ("nothing was labelled") and the gallery was read again."""
    if selected == 1:
        which = "This picture was"
    elif gone == selected:
        which = "These pictures were"
    else:
        which = f"{gone} of the {selected} selected pictures were"
    return f"{which} moved to the trash or deleted outside this window, so {not_done}: the gallery shows the project " \
           "as it is now."

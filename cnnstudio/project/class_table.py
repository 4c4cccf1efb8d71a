"""The classes of a project (a mixin of :class:`~cnnstudio.project.store.Project`): add, rename, recolour,
reorder, delete, merge, and undo of a delete; the rules of a class name and colour. Each change is one committed
transaction, as everywhere in the store."""

from __future__ import annotations

import sqlite3
from typing import Iterable

from .errors import ClassError
from .names import check_name, name_key, quoted
from .records import ClassInfo

#: Distinct colours for new classes (colour-blind friendly first, Okabe-Ito).
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
           "#999999", "#7F3C8D", "#11A579", "#3969AC", "#F2B701", "#E73F74", "#80BA5A"]


class ClassTable:
    def classes(self) -> list[ClassInfo]:
        rows = self._con().execute("SELECT id, name, color, position FROM classes ORDER BY position, id")
        return [ClassInfo(*r) for r in rows]

    def class_by_name(self, name: str) -> ClassInfo | None:
        """The class of this name, whatever its capitals and its Unicode form (names.name_key)."""
        row = self._same_name(self._con(), name)
        return self._class_row(self._con(), row[0]) if row else None

    @staticmethod
    def _same_name(con: sqlite3.Connection, name: str, other_than: int | None = None) -> tuple[int, str] | None:
        """``(id, name)`` of the class named ``name`` by :func:`~.names.name_key` (a name kept before names were
        kept in one Unicode form too), or None. A project has tens of classes: read them all."""
        key = name_key(name)
        return next((r for r in con.execute("SELECT id, name FROM classes ORDER BY id")
                     if r[0] != other_than and name_key(r[1]) == key), None)

    def _class_row(self, con: sqlite3.Connection, class_id: int) -> ClassInfo:
        row = con.execute("SELECT id, name, color, position FROM classes WHERE id = ?", (class_id,)).fetchone()
        if row is None:
            raise ClassError(f"there is no class with id {class_id}")
        return ClassInfo(*row)

    @staticmethod
    def _check_name(name: str) -> str:
        return check_name(name, "a class", 100, ClassError)

    @staticmethod
    def _check_color(color: str) -> str:
        c = (color or "").strip()
        if len(c) != 7 or c[0] != "#" or any(ch not in "0123456789abcdefABCDEF" for ch in c[1:]):
            raise ClassError(f"colour {color!r} is not of the form #RRGGBB")
        return c.upper()

    def _add_class(self, tx: sqlite3.Connection, name: str, color: str | None = None) -> int:
        name = self._check_name(name)
        same = self._same_name(tx, name)  # case aside
        if same:
            raise ClassError(f"a class named {quoted(same[1])} already exists" + (
                " (names are the same whatever their capitals)" if same[1] != name else ""))
        n, pos = tx.execute("SELECT COUNT(*), COALESCE(MAX(position), -1) + 1 FROM classes").fetchone()
        if color:
            color = self._check_color(color)
        else:  # the first colour no class has (after a delete, not the colour of a class still there)
            used = {r[0].upper() for r in tx.execute("SELECT color FROM classes")}
            color = next((c for c in PALETTE if c not in used), PALETTE[n % len(PALETTE)])
        return tx.execute("INSERT INTO classes(name, color, position) VALUES (?, ?, ?)",
                          (name, color, pos)).lastrowid

    def add_class(self, name: str, color: str | None = None) -> int:
        with self.transaction() as tx:
            return self._add_class(tx, name, color)

    def ensure_class(self, tx: sqlite3.Connection, name: str) -> int:
        row = self._same_name(tx, name)
        return row[0] if row else self._add_class(tx, name)

    def rename_class(self, class_id: int, new_name: str) -> None:
        new_name = self._check_name(new_name)
        with self.transaction() as tx:
            self._class_row(tx, class_id)
            clash = self._same_name(tx, new_name, other_than=class_id)
            if clash:
                raise ClassError(f"a class named {quoted(clash[1])} already exists: merge the two classes instead")
            tx.execute("UPDATE classes SET name = ? WHERE id = ?", (new_name, class_id))

    def recolor_class(self, class_id: int, color: str) -> None:
        color = self._check_color(color)
        with self.transaction() as tx:
            self._class_row(tx, class_id)
            tx.execute("UPDATE classes SET color = ? WHERE id = ?", (color, class_id))

    def move_class(self, class_id: int, position: int) -> None:
        with self.transaction() as tx:
            ids = [r[0] for r in tx.execute("SELECT id FROM classes ORDER BY position, id")]
            if class_id not in ids:
                raise ClassError(f"there is no class with id {class_id}")
            ids.remove(class_id)
            ids.insert(max(0, min(position, len(ids))), class_id)
            for pos, cid in enumerate(ids):
                tx.execute("UPDATE classes SET position = ? WHERE id = ?", (pos, cid))

    def delete_class(self, class_id: int) -> list[int]:
        """Delete a class; its images become unlabelled. Returns their ids (for undo)."""
        with self.transaction() as tx:
            self._class_row(tx, class_id)
            ids = [r[0] for r in tx.execute("SELECT id FROM images WHERE class_id = ?", (class_id,))]
            tx.execute("UPDATE images SET class_id = NULL WHERE class_id = ?", (class_id,))
            tx.execute("DELETE FROM classes WHERE id = ?", (class_id,))
            return ids

    def restore_class(self, info: ClassInfo, image_ids: Iterable[int]) -> None:
        """Undo of :meth:`delete_class`: the class comes back with the same id and its images."""
        with self.transaction() as tx:
            tx.execute("INSERT INTO classes(id, name, color, position) VALUES (?, ?, ?, ?)",
                       (info.id, info.name, info.color, info.position))
            tx.executemany("UPDATE images SET class_id = ? WHERE id = ?", [(info.id, i) for i in image_ids])

    def merge_classes(self, source_id: int, target_id: int) -> list[int]:
        """Move every image of ``source`` into ``target`` and delete ``source``. Returns moved ids."""
        if source_id == target_id:
            raise ClassError("cannot merge a class into itself")
        with self.transaction() as tx:
            self._class_row(tx, source_id)
            self._class_row(tx, target_id)
            ids = [r[0] for r in tx.execute("SELECT id FROM images WHERE class_id = ?", (source_id,))]
            tx.execute("UPDATE images SET class_id = ? WHERE class_id = ?", (target_id, source_id))
            tx.execute("DELETE FROM classes WHERE id = ?", (source_id,))
            return ids

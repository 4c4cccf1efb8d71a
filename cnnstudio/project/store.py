"""The project store: one folder, one SQLite database (WAL), images named by content hash.

Every public method that changes data is one committed transaction, so killing the app at any moment
loses at most the action in flight. Each thread gets its own SQLite connection, closed as it ends.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import weakref
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from . import imaging
from .disk import disk_error, writable
from .db_backup import keep_backup
from .errors import DamagedProjectError, NewerSchemaError, NotAProjectError, ProjectError, ProjectExistsError
from .class_table import ClassTable
from .store_disk import DB_NAME, DiskAware, not_removed_words, view_copy, wal_is_empty
from .schema import APP_ID, SCHEMA_VERSION, create_schema, migrate
from .open_checks import (IMAGES_DIR, NOT_A_PROJECT, RUNS_DIR, damaged_error, damaged_words, holds_no_project,
                          no_database_words, probe, recreate, tables_to_recreate, tables_words, unreadable_error)
from .records import _IMAGE_COLS, ImageFilter, ImageRecord, _record
from .splits import SPLITS, parse_ratios
from .split_together import draw_splits
from .thread_connections import ThreadConnections

SQL_INT_MAX = 2**63 - 1  # SQLite's largest integer: an id or offset past it is refused by sqlite3 with OverflowError
__all__ = ["CACHE_DIR", "DB_NAME", "IMAGES_DIR", "INCOMING_DIR", "LOST_CLASS", "NOT_A_PROJECT", "RUNS_DIR",
           "TUNE_DIR", "EmptiedTrash", "Project", "holds_no_project", "is_project"]  # NOT_A_PROJECT and
# holds_no_project live in open_checks.py, where the words of opening are; the window imports them from here
CACHE_DIR = "cache"
TUNE_DIR = "tune"  # the project's tuning studies (engine/tune/storage.py)
INCOMING_DIR = ".incoming"  # inside images/: files being written, not yet committed


class EmptiedTrash(NamedTuple):
    """What emptying the trash did: the pictures deleted for good and the disk space their files held."""

    ids: tuple[int, ...]
    freed_bytes: int
    #: one sentence naming the files that could not be deleted and why ("" when all went): they stay in the
    #: journal of pending files and are deleted, silently, when the project is next opened (:func:`not_removed_words`)
    not_removed: str = ""


#: the pictures labelled with a class that is not there: one rule, for opening (made unlabelled) and for counting
#: (counted unlabelled in a project opened for viewing, which cannot be changed)
LOST_CLASS = "class_id IS NOT NULL AND class_id NOT IN (SELECT id FROM classes)"


def is_project(path: str | os.PathLike) -> bool:
    return (Path(path) / DB_NAME).is_file()


def _refuse_missing(ids: list[int], found: dict) -> None:
    missing = [i for i in ids if i not in found]
    if missing:
        raise ProjectError(f"no image with id {missing[0]} in this project")


class Project(ClassTable, DiskAware):
    """A CNN Studio project folder. Use :meth:`create` or :meth:`open`."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        me = weakref.ref(self)  # no cycle: a project let go of unclosed still closes its connections
        self.connections = ThreadConnections(lambda: me()._connect())  # each thread's, closed as it ends

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, path: str | os.PathLike) -> "Project":
        from .places import check_new_project_place  # places imports this module

        root = Path(path)
        check_new_project_place(root)  # not inside another project's images/, runs/ or cache/
        if root.exists() and not root.is_dir():
            raise ProjectExistsError(f"{root} exists and is not a folder")
        if (root / DB_NAME).exists():
            raise ProjectExistsError(f"{root} is already a CNN Studio project")
        if root.exists() and any(p for p in root.iterdir() if not p.name.startswith(".")):
            raise ProjectExistsError(f"{root} is not empty: choose a new or empty folder for the project")
        for sub in (IMAGES_DIR, RUNS_DIR, CACHE_DIR):
            (root / sub).mkdir(parents=True, exist_ok=True)
        # Build the database beside its final name, then rename: a crash never leaves half a project.
        tmp = root / f".{DB_NAME}.creating"
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            create_schema(con)
            con.execute("INSERT INTO meta(key, value) VALUES ('created_at', ?)", (str(time.time()),))
            con.execute("INSERT INTO meta(key, value) VALUES ('created_by', 'cnnstudio')")
        finally:
            con.close()
        os.replace(tmp, root / DB_NAME)
        return cls.open(root)

    @classmethod
    def open(cls, path: str | os.PathLike, read_only: bool = False) -> "Project":
        """Open a project; ``read_only`` (or a folder that cannot be written) opens it for viewing only."""
        root = Path(path)
        if not root.exists():
            raise NotAProjectError(f"{root} does not exist")
        if not root.is_dir():
            raise NotAProjectError(f"{root} is a file, not a project folder")
        if not (root / DB_NAME).is_file():
            raise NotAProjectError(no_database_words(root))
        db = root / DB_NAME
        here = writable(root, db)
        copy = None if here else view_copy(db)  # changes still in the log of a read-only folder: read a copy
        try:
            version, missing, full, here = cls._checked(root, copy.db if copy else db, here)
        except BaseException:
            if copy is not None:
                copy.remove()
            raise
        project = cls(root)
        project._view_copy = copy
        try:
            if project._for_viewing(read_only, db, version < SCHEMA_VERSION, full):
                if missing:  # a table of settings is made again only where the project can be written
                    raise project.write_refused(f"make its missing table {tables_words(missing)} again")
                return project  # no migration, no folders made, nothing recovered
            con = project._con()
            project._remember_identity()  # a write into a folder deleted or moved since is refused (store_disk.py)
            recreate(con, missing)
            migrate(con)
            for sub in (IMAGES_DIR, RUNS_DIR, CACHE_DIR):
                (project.root / sub).mkdir(exist_ok=True)
            project._recover()
            from .run_reindex import after_put_back  # a copy put back: its runs/ folders are listed again
            when, project.runs_back = after_put_back(project)
            if when is not None:
                project.put_back_from = when
            keep_backup(con, project.root)  # the spare copy, when due (db_backup.py)
            return project
        except BaseException as e:  # a half-opened project lets go of its file: it can be set aside, put back
            project._close_connections()  # no spare copy taken of what failed to open
            damaged = damaged_error(root, e)  # a damaged page met once open: the same sentence as a damaged header
            if damaged is not None:
                raise damaged from None
            raise

    @classmethod
    def _checked(cls, root: Path, db: Path, here: bool) -> tuple[int, list[str], bool, bool]:
        """What opening checks before it changes anything, reading ``db`` (project.db, or its private copy): the
        schema version, the tables to make again, and whether the disk is full (then ``here`` is False)."""
        full = False  # the disk is full: opened for viewing (looking needs no room)
        try:  # look before touching: a foreign database must not be switched to WAL or migrated
            app_id, version = probe(db, here)  # immutable on read-only media: no -shm file there
        except sqlite3.DatabaseError as e:
            problem = disk_error(e, root, "open the project")
            if problem.kind == "full" and wal_is_empty(db):  # no room for SQLite's -shm file: read the file alone
                app_id, version, full, here = *probe(db, False), True, False
            elif problem.kind in ("full", "gone"):  # the disk, not the database: it is fine once there is room
                raise problem from None
            else:
                raise unreadable_error(root) from None
        if app_id != APP_ID or version < 1:
            if db.stat().st_size == 0:  # emptied (a copy cut short): the project's database, damaged
                raise DamagedProjectError(damaged_words(root, "is empty"))
            raise NotAProjectError(damaged_words(root, "is not a CNN Studio project database (another program's "
                                                   "file)"))
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"this project was saved by a newer CNN Studio (project format {version}, this app "
                f"reads up to {SCHEMA_VERSION}). Update CNN Studio to open it; the project was not changed"
            )
        missing = tables_to_recreate(db, version, here)  # a table removed by hand: refused, or made again empty
        return version, missing, full, here

    def _con(self) -> sqlite3.Connection:
        return self.connections.get()

    def _connect(self) -> sqlite3.Connection:
        """A new connection for the thread asking (:attr:`connections`)."""
        if self.read_only:  # for viewing (store_disk.py)
            return self._read_only_connection(self.root / DB_NAME)
        con = sqlite3.connect(self.root / DB_NAME, isolation_level=None, timeout=30.0, check_same_thread=False)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute("PRAGMA foreign_keys = ON")
        return con

    def close(self) -> None:
        if not self.read_only and (con := self.connections.current()) is not None and self.gone_error() is None:
            try:  # the spare copy, when due (db_backup.py), from a connection already open (none made for it)
                keep_backup(con, self.root)
            except sqlite3.Error:
                pass
        self._close_connections()

    def _close_connections(self) -> None:
        """Let go of every connection to the database (a project that failed to open: nothing else)."""
        self.connections.close_all()
        if self._view_copy is not None:  # the private copy of a read-only project's database (store_disk.py)
            self._view_copy.remove()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    #: how many pictures this opening found labelled with a class that is not there (a class row deleted by hand, or
    #: with SQLite's foreign keys off) and made unlabelled, as a deleted class's pictures are: 0 almost always
    unlabelled_on_open = 0
    #: when the copy of project.db this opening put back was written (seconds since the epoch), set by the surface
    #: that put it back and opened it (put_back.py, ui/open_damaged.py); None almost always
    put_back_from: float | None = None
    #: how many runs this opening found in runs/ without their row and listed again, after a copy of project.db was
    #: put back (run_reindex.py): 0 almost always
    runs_back = 0

    def _recover(self) -> None:
        """Finish what a killed import left: drop files that never got their row, and temp files; a picture whose
        class is gone becomes unlabelled (:attr:`unlabelled_on_open`)."""
        con = self._con()
        orphans = con.execute(f"SELECT COUNT(*) FROM images WHERE {LOST_CLASS}").fetchone()[0]
        if orphans:
            with self.transaction() as tx:
                self.unlabelled_on_open = tx.execute(f"UPDATE images SET class_id = NULL WHERE {LOST_CLASS}").rowcount
        pending = [r[0] for r in con.execute("SELECT file FROM pending_files")]
        if pending:
            with self.transaction() as tx:
                for rel in pending:
                    owned = tx.execute("SELECT 1 FROM images WHERE file = ?", (rel,)).fetchone()
                    if not owned:
                        try:
                            (self.root / rel).unlink(missing_ok=True)
                        except OSError:  # still refused (a read-only folder): kept pending, tried again next time
                            continue
                    tx.execute("DELETE FROM pending_files WHERE file = ?", (rel,))
        incoming = self.root / IMAGES_DIR / INCOMING_DIR
        if incoming.is_dir():
            for p in incoming.iterdir():
                p.unlink(missing_ok=True)

    @property
    def schema_version(self) -> int:
        return self._con().execute("PRAGMA user_version").fetchone()[0]

    def integrity_check(self) -> str:
        return self._con().execute("PRAGMA integrity_check").fetchone()[0]

    # ------------------------------------------------------------------ labels
    def set_labels(self, image_ids: Iterable[int], class_id: int | None) -> dict[int, int | None]:
        """Give many images one class (or none). One transaction. Returns the previous labels (for undo)."""
        ids = list(dict.fromkeys(int(i) for i in image_ids))
        with self.transaction() as tx:
            if class_id is not None:
                self._class_row(tx, class_id)
            before = self._labels_of(tx, ids)
            _refuse_missing(ids, before)
            tx.executemany("UPDATE images SET class_id = ? WHERE id = ?", [(class_id, i) for i in ids])
            return before

    def restore_labels(self, labels: dict[int, int | None]) -> None:
        """Put back labels as :meth:`set_labels` returned them (undo)."""
        with self.transaction() as tx:
            tx.executemany("UPDATE images SET class_id = ? WHERE id = ?", [(c, i) for i, c in labels.items()])

    def check_image_ids(self, image_ids: Iterable[int]) -> None:
        """ProjectError "no image with id N in this project" for the first id the project lacks (checked before
        a command changes anything, so a failed command leaves the project as it was)."""
        ids = list(dict.fromkeys(int(i) for i in image_ids))
        _refuse_missing(ids, self._labels_of(self._con(), ids))

    @staticmethod
    def _labels_of(con: sqlite3.Connection, ids: list[int]) -> dict[int, int | None]:
        out: dict[int, int | None] = {}
        ids = [i for i in ids if abs(i) <= SQL_INT_MAX]  # larger ones SQLite cannot hold: no image has them
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            out.update(con.execute(f"SELECT id, class_id FROM images WHERE id IN ({marks})", chunk).fetchall())
        return out

    # ------------------------------------------------------------------ images
    def image(self, image_id: int) -> ImageRecord:
        if abs(int(image_id)) > SQL_INT_MAX:
            raise ProjectError(f"no image with id {image_id} in this project")
        row = self._con().execute(f"SELECT {_IMAGE_COLS} FROM images WHERE id = ?", (image_id,)).fetchone()
        if row is None:
            raise ProjectError(f"no image with id {image_id} in this project")
        return _record(row)

    def image_path(self, image_id: int) -> Path:
        return self.root / self.image(image_id).file

    def thumbnail_path(self, image_id: int) -> Path:
        """The cached thumbnail, rebuilt from the image if the cache was deleted."""
        rec = self.image(image_id)
        return self.thumbnail_for(rec.sha256, self.root / rec.file)

    def thumbnail_for(self, sha256: str, image_file: Path) -> Path:
        path = self.thumb_cache_path(sha256)
        if not path.exists():
            imaging.save_thumbnail(imaging.make_thumbnail(imaging.open_normalised(image_file, imaging.THUMB_SIZE)), path)
        return path

    def thumb_cache_path(self, sha256: str) -> Path:
        return self.root / CACHE_DIR / "thumbs" / sha256[:2] / f"{sha256}.jpg"

    def count(self, flt: ImageFilter = ImageFilter()) -> int:
        where, args = flt.where()
        return self._con().execute(f"SELECT COUNT(*) FROM images WHERE {where}", args).fetchone()[0]

    def page(self, flt: ImageFilter = ImageFilter(), offset: int = 0, limit: int = 200) -> list[ImageRecord]:
        """Images matching ``flt`` in import order, ``limit`` from ``offset``."""
        where, args = flt.where()
        rows = self._con().execute(
            f"SELECT {_IMAGE_COLS} FROM images WHERE {where} ORDER BY id LIMIT ? OFFSET ?",
            [*args, min(int(limit), SQL_INT_MAX), min(int(offset), SQL_INT_MAX)],  # past the end: nothing
        )
        return [_record(r) for r in rows]

    def ids(self, flt: ImageFilter = ImageFilter()) -> list[int]:
        """All ids matching ``flt`` in order: 100,000 ints is under a megabyte, cheap for a list view."""
        where, args = flt.where()
        return [r[0] for r in self._con().execute(f"SELECT id FROM images WHERE {where} ORDER BY id", args)]

    def records(self, ids: Sequence[int]) -> list[ImageRecord]:
        """Records for ``ids`` in the given order (ids not found are left out)."""
        ids = [int(i) for i in ids]
        found: dict[int, ImageRecord] = {}
        con = self._con()
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for r in con.execute(f"SELECT {_IMAGE_COLS} FROM images WHERE id IN ({marks})", chunk):
                found[r[0]] = _record(r)
        return [found[i] for i in ids if i in found]

    def counts(self) -> dict[int | None, dict[str | None, int]]:
        """Number of images per class id (None: unlabelled) and split (None: unassigned)."""
        out: dict[int | None, dict[str | None, int]] = {}
        con = self._con()
        known = {r[0] for r in con.execute("SELECT id FROM classes")}
        for cid, split, n in con.execute(
            "SELECT class_id, split, COUNT(*) FROM images WHERE trashed_at IS NULL GROUP BY class_id, split"
        ):
            per = out.setdefault(cid if cid in known else None, {})  # a class that is not there: unlabelled
            per[split] = per.get(split, 0) + n
        return out

    def delete_images(self, image_ids: Iterable[int]) -> int:
        """Move images to the project's trash (undoable with :meth:`restore_images`)."""
        ids = [int(i) for i in image_ids]
        now = time.time()
        with self.transaction() as tx:
            cur = tx.executemany("UPDATE images SET trashed_at = ? WHERE id = ? AND trashed_at IS NULL",
                                 [(now, i) for i in ids])
            return cur.rowcount

    def restore_images(self, image_ids: Iterable[int]) -> None:
        with self.transaction() as tx:
            tx.executemany("UPDATE images SET trashed_at = NULL WHERE id = ?", [(int(i),) for i in image_ids])

    def in_trash(self, image_ids: Iterable[int]) -> set[int]:
        """Which of these pictures are in the project's trash (a label or a split is not for them)."""
        ids = [int(i) for i in image_ids if abs(int(i)) <= SQL_INT_MAX]
        out: set[int] = set()
        con = self._con()
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in con.execute(
                f"SELECT id FROM images WHERE id IN ({marks}) AND trashed_at IS NOT NULL", chunk))
        return out

    def empty_trash(self) -> int:
        """Delete trashed images for good; how many (:meth:`empty_trash_report` also says which and the space)."""
        return len(self.empty_trash_report().ids)

    def empty_trash_report(self) -> "EmptiedTrash":
        """Delete trashed images for good: rows first (committed), then their files and thumbnails. Returns their
        ids and the bytes of disk space the files held."""
        with self.transaction() as tx:
            rows = tx.execute("SELECT id, file, sha256 FROM images WHERE trashed_at IS NOT NULL").fetchall()
            tx.executemany("DELETE FROM images WHERE id = ?", [(r[0],) for r in rows])
            # The journal makes a crash between commit and unlink harmless: recovery deletes the files.
            tx.executemany("INSERT OR IGNORE INTO pending_files(file) VALUES (?)", [(r[1],) for r in rows])
        freed = 0
        failed: list[tuple[str, OSError]] = []  # kept in the journal: deleted when the project is next opened
        for _, rel, sha in rows:
            for path in (self.root / rel, self.thumb_cache_path(sha)):
                try:
                    size = path.stat().st_size
                    path.unlink()
                except FileNotFoundError:
                    continue
                except OSError as e:
                    if path == self.root / rel:
                        failed.append((rel, e))
                    continue  # a thumbnail left in the cache is harmless
                freed += size
        left = {rel for rel, _ in failed}
        with self.transaction() as tx:
            tx.executemany("DELETE FROM pending_files WHERE file = ?", [(r[1],) for r in rows if r[1] not in left])
        return EmptiedTrash(tuple(r[0] for r in rows), freed, not_removed_words(self.root, failed))

    # ------------------------------------------------------------------ splits
    def assign_splits(self, ratios: Sequence[float] = (0.7, 0.15, 0.15), seed: int = 0,
                      resplit_test: bool = False, resplit_folder_splits: bool = False,
                      groups: Sequence[Sequence[int]] = ()) -> dict[str, int]:
        """Stratified, seeded split of the labelled images into train / val / test.

        The test split is left alone unless ``resplit_test``; images whose split came from a
        ``train/``, ``val/`` or ``test/`` folder keep it unless ``resplit_folder_splits``.
        Unlabelled images are not assigned. ``groups``: images that must share a split (copies of one picture,
        :mod:`.split_together`). Returns how many images each split now has.
        """
        ratios = parse_ratios(ratios)
        with self.transaction() as tx:
            rows = tx.execute(
                "SELECT id, class_id, split, split_source FROM images "
                "WHERE trashed_at IS NULL AND class_id IS NOT NULL ORDER BY id"
            ).fetchall()
            pictures = [(iid, cid, split, (split == "test" and not resplit_test) or (
                source == "folder" and split is not None and not resplit_folder_splits))
                for iid, cid, split, source in rows]
            updates = [(split, iid) for iid, split in draw_splits(pictures, ratios, seed, groups).items()]
            tx.executemany("UPDATE images SET split = ?, split_source = 'auto' WHERE id = ?", updates)
            counts = dict(tx.execute(
                "SELECT split, COUNT(*) FROM images WHERE trashed_at IS NULL AND split IS NOT NULL GROUP BY split"
            ).fetchall())
            self._set_meta(tx, "split_settings", json.dumps({"ratios": list(ratios), "seed": seed}))
        return {s: counts.get(s, 0) for s in SPLITS}

    def set_split(self, image_ids: Iterable[int], split: str | None) -> dict[int, tuple[str | None, str]]:
        """Put images in a split by hand. Returns the previous (split, source) per image (for undo)."""
        if split is not None and split not in SPLITS:
            raise ProjectError(f"unknown split {split!r}: use train, val or test")
        ids = [int(i) for i in image_ids]
        with self.transaction() as tx:
            before = {}
            for start in range(0, len(ids), 900):
                chunk = ids[start:start + 900]
                marks = ",".join("?" * len(chunk))
                for iid, s, src in tx.execute(
                        f"SELECT id, split, split_source FROM images WHERE id IN ({marks})", chunk):
                    before[iid] = (s, src)
            tx.executemany("UPDATE images SET split = ?, split_source = 'manual' WHERE id = ?",
                           [(split, i) for i in ids])
            return before

    def split_snapshot(self) -> dict[int, tuple[str | None, str]]:
        """Every image's (split, source), to undo a re-split with :meth:`restore_splits`."""
        return {i: (s, src) for i, s, src in self._con().execute("SELECT id, split, split_source FROM images")}

    def restore_splits(self, before: dict[int, tuple[str | None, str]]) -> None:
        with self.transaction() as tx:
            tx.executemany("UPDATE images SET split = ?, split_source = ? WHERE id = ?",
                           [(s, src, i) for i, (s, src) in before.items()])

    # ------------------------------------------------------------------ meta + summary
    @staticmethod
    def _set_meta(tx: sqlite3.Connection, key: str, value: str) -> None:
        tx.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   (key, value))

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self._con().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as tx:
            self._set_meta(tx, key, value)

    def summary(self, counts: dict | None = None) -> dict:
        """What ``cnnstudio info --json`` prints. ``counts``: :meth:`counts` if the caller has it already."""
        counts = self.counts() if counts is None else counts
        classes = []
        for c in self.classes():
            per = counts.get(c.id, {})
            classes.append({
                "id": c.id, "name": c.name, "color": c.color,
                "counts": {"train": per.get("train", 0), "val": per.get("val", 0), "test": per.get("test", 0),
                           "unassigned": per.get(None, 0)},
                "total": sum(per.values()),
            })
        total = sum(sum(v.values()) for v in counts.values())
        splits = {s: sum(v.get(s, 0) for v in counts.values()) for s in SPLITS}
        splits["unassigned"] = sum(v.get(None, 0) for v in counts.values())
        return {
            "project": str(self.root),
            "schema_version": self.schema_version,
            "images": total,
            "unlabelled": sum(counts.get(None, {}).values()),
            "trashed": self.count(ImageFilter(trashed=True)),
            "splits": splits,
            "classes": classes,
        }

"""What the project store does when its disk says no (a mixin of :class:`~cnnstudio.project.store.Project`).

- A project whose folder cannot be written (a read-only disk, no permission), or opened read-only on
  purpose (another window has it), is for viewing: SQLite opens it ``immutable`` on read-only media (no
  ``-wal`` / ``-shm`` files can be made there) or ``mode=ro`` (another app may still write), and every write
  raises a :class:`~cnnstudio.project.disk.DiskError` that says why (:meth:`DiskAware.write_refused`).
- A project whose folder cannot be written but whose write-ahead log still holds committed changes (the app was
  closed uncleanly before the folder became read-only, or it was copied while open) is read from a private copy: the
  database and its log are copied into a temporary folder, the log folded in there, and the copy opened
  ``immutable`` (:func:`view_copy`); the copy is deleted when the project is closed. Nothing is written beside
  the project, and every committed change is seen (``immutable`` on the file alone would show an older project).
- A project on a disk with no room left opens for viewing too (``immutable``: SQLite cannot make its shared-memory
  file there), when nothing waits in its write-ahead log; a change then says to free space: the project can be
  changed the next time it is opened.
- A transaction the disk refuses (full, gone) is rolled back and becomes a ``DiskError`` (:meth:`_disk_failed`).
- A project folder deleted, moved or renamed while it is open (or its drive pulled) would take writes into a
  deleted database, or into the folder's new place without a word: before each transaction the database file is
  checked to be the one opened (its device and inode, :meth:`DiskAware.gone_error`), and a write is refused with
  one sentence when it is not.
- A picture's file the disk will not delete when the trash is emptied: the picture leaves the project, the file
  stays pending (deleted at a later opening) and one sentence names it (:func:`not_removed_words`).
- Thumbnails are only a cache: when they cannot be written they are made in memory and
  :attr:`cache_problem` says why, once (:meth:`thumbnail_jpeg`).
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import sqlite3
import tempfile
import threading
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import imaging
from .disk import (DiskError, disk_error, explain_os_error, free_bytes, human_bytes, is_disk_problem, read_only_error,
                   remove_quietly, writable)
from .open_checks import IMAGES_DIR

DB_NAME = "project.db"  # the project's database file (store.DB_NAME)


class DiskAware:
    #: True when the project is for viewing only (see the module doc).
    read_only = False
    #: Set once when a cache (thumbnails) cannot be written: the sentence to show, once.
    cache_problem = ""
    _immutable = True  # read-only because of the disk (not by choice)
    _full_disk = False  # for viewing because the disk was full when it was opened (read without -shm / -wal files)
    _identity: tuple[int, int] | None = None  # (device, inode) of project.db when it was opened
    _view_copy: "ViewCopy | None" = None  # the private copy read instead of project.db (view_copy), if any

    root: Path

    def write_refused(self, doing: str) -> DiskError:
        """Why a read-only project cannot ``doing``: its disk (read-only, or full when it was opened), or this
        window chose to only look."""
        if self._full_disk:
            free = free_bytes(self.root)
            # no "open it again": the command line opens the project anew at each command, a window when asked to
            return DiskError(f"the disk holding {self.root.name} is full"
                             f"{f' ({human_bytes(free)} free)' if free is not None else ''}, so the project was "
                             f"opened for viewing only and CNN Studio cannot {doing}: free some space — the project "
                             "can be changed the next time it is opened", "full")
        if self._immutable or not writable(self.root):
            return read_only_error(self.root, doing)
        return DiskError(f"{self.root.name} was opened read-only in this window (another window has it open), so "
                         f"CNN Studio cannot {doing}: close the other window, then open the project again",
                         "read-only")

    def _for_viewing(self, read_only: bool, db: Path, needs_migration: bool, full: bool = False) -> bool:
        """Open for viewing only? (asked, the folder cannot be written, or its disk is ``full``: SQLite cannot
        even make the file it shares between readers); refuses a project that needs updating."""
        if not (read_only or full or not writable(self.root, db)):
            return False
        self.read_only, self._immutable, self._full_disk = True, not writable(self.root, db), full
        if needs_migration and full:
            raise disk_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), self.root, "open the project")
        if needs_migration:  # its own next step only: "close the other window, then open the project again", or
            # "copy it somewhere you can write" (no "open it again" after it: a command opens it at every run)
            raise DiskError(str(self.write_refused("update this project to the new format")), "read-only")
        return True

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One user action = one transaction: all of it is committed, or none of it. A read-only project
        refuses (:meth:`write_refused`); a disk that refuses (full, gone) rolls it back as a DiskError."""
        con = self._writable_con()
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        except sqlite3.OperationalError as e:
            self._raise_disk_failure(con, e)
            raise

    def _writable_con(self) -> sqlite3.Connection:
        if self.read_only:
            raise self.write_refused("save this change")
        gone = self.gone_error()
        if gone is not None:
            raise gone
        return self._con()

    def _remember_identity(self) -> None:
        """Note which file project.db is now (done when the project is opened)."""
        self._identity = _file_identity(self.root / DB_NAME)

    def gone_error(self) -> DiskError | None:
        """The DiskError to say when the project folder is no longer where it was opened (deleted, moved,
        renamed, its drive removed: project.db is not there, or is another file now); None while it is."""
        if self._identity is None:
            return None
        now = _file_identity(self.root / DB_NAME)
        if now == self._identity:
            return None
        return DiskError(f"the project folder {self.root} is gone (moved, renamed or its drive removed): nothing "
                         "more can be saved to it. Put it back, or open it where it is now", "gone")

    def _read_only_connection(self, db: Path) -> sqlite3.Connection:
        if self._view_copy is not None:  # project.db with its write-ahead log folded in (view_copy)
            db = self._view_copy.db
        mode = "immutable=1" if self._immutable or self._full_disk else "mode=ro"
        return sqlite3.connect(f"{db.as_uri()}?{mode}", uri=True, isolation_level=None, timeout=30.0,
                               check_same_thread=False)

    def _raise_disk_failure(self, con: sqlite3.Connection, e: sqlite3.OperationalError) -> None:
        """In a transaction that failed with ``e``: when the disk refused (full, gone), roll back and raise a
        DiskError; otherwise return (the caller re-raises ``e``)."""
        if not is_disk_problem(e) or "locked" in str(e):
            return
        if con.in_transaction:
            try:
                con.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        raise disk_error(e, self.root, "save this change", "nothing of this change was saved") from e

    def thumbnail_jpeg(self, sha256: str, image_file: Path) -> bytes:
        """The thumbnail as JPEG bytes, from the cache or made now (made in memory when the cache cannot be
        written; :attr:`cache_problem` then says why)."""
        path = self.thumb_cache_path(sha256)
        try:
            return path.read_bytes()
        except OSError:
            pass
        buf = io.BytesIO()
        imaging.make_thumbnail(imaging.open_normalised(image_file, imaging.THUMB_SIZE)).save(buf, "JPEG", quality=85)
        data = buf.getvalue()
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError as e:
            remove_quietly(tmp)
            if not self.cache_problem:
                self.cache_problem = (str(disk_error(e, self.root, "keep thumbnails")) +
                                      " — pictures are shown anyway, a little slower")
        return data


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path``, None when it is not there (or the system gives no inode numbers)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if st.st_ino else None


def wal_is_empty(db: Path) -> bool:
    """No committed change waits in ``db``'s write-ahead log (no ``-wal`` file, or an empty one): the database file
    alone is the project, so it can be read without SQLite's shared files (``immutable``), as on a full disk."""
    try:
        return os.path.getsize(f"{db}-wal") == 0
    except OSError:
        return not os.path.exists(f"{db}-wal")


VIEW_PREFIX = "cnnstudio-view-"  # a private copy's folder in the temporary folder: this prefix, the process id, "-"


class ViewCopy:
    """A private copy of a project's database, read instead of it (:func:`view_copy`); :meth:`remove` deletes it (also
    done when the copy is forgotten, or when the app exits; a copy a killed app left is deleted by the next copy made)."""

    def __init__(self, folder: Path):
        self.db = folder / DB_NAME
        self._remove = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)

    def remove(self) -> None:
        self._remove()


def view_copy(db: Path) -> ViewCopy | None:
    """For ``db`` in a folder that cannot be written: None when its write-ahead log holds nothing (the file alone is
    the project, read ``immutable``); else a copy of it in a private temporary folder with the log's committed changes
    folded in, to be read ``immutable`` in its place. SQLite cannot read the log beside a database in a read-only
    folder without its shared-memory file, and ``immutable`` ignores the log: an uncleanly closed project would show
    an older state (a run still "running", the latest labels missing). A :class:`DiskError` when the copy cannot be
    made (no room for it): the project cannot be shown as it is. None too when SQLite cannot read the log (a damaged
    database): opening then reads the file alone and says what is wrong with it."""
    if wal_is_empty(db):
        return None
    _remove_left_behind()
    try:
        copy = ViewCopy(Path(tempfile.mkdtemp(prefix=f"{VIEW_PREFIX}{os.getpid()}-")))
    except OSError as e:
        raise _copy_refused(db, e) from e
    try:
        shutil.copyfile(db, copy.db)
        shutil.copyfile(f"{db}-wal", f"{copy.db}-wal")  # not the -shm file: SQLite rebuilds it from the log
        con = sqlite3.connect(copy.db, isolation_level=None)
        try:  # the first connection replays the log's committed transactions (a torn last one is left out)
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()  # the last connection to close folds in what is left and deletes the log
    except sqlite3.Error:
        copy.remove()
        return None
    except OSError as e:
        copy.remove()
        raise _copy_refused(db, e) from e
    return copy


def _remove_left_behind() -> None:
    """Delete the private copies an app that was killed left in the temporary folder (its process is gone)."""
    try:
        folders = list(Path(tempfile.gettempdir()).glob(f"{VIEW_PREFIX}*-*"))
    except OSError:
        return
    for folder in folders:
        pid = folder.name[len(VIEW_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    if os.name != "posix":  # no harmless way to ask elsewhere (signal 0 is Ctrl+C on Windows): kept
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no way to ask: kept
        return True
    return True


def _copy_refused(db: Path, e: OSError) -> DiskError:
    why = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return DiskError(f"the latest changes to {db.parent.name} wait in {db.name}-wal and its folder cannot be written, "
                     f"so CNN Studio reads them from a copy, which could not be made ({why}): copy the project "
                     "somewhere you can write, then open it there", "other")


def not_removed_words(root: Path, failed: list[tuple[str, OSError]]) -> str:
    """The sentence for the pictures' files emptying the trash could not delete (``failed``: each file, relative to
    ``root``, with the error the disk gave): which, why, and that they are deleted later; "" for none."""
    if not failed:
        return ""
    names = ", ".join(f"“{rel}”" for rel, _ in failed[:3]) + (f" and {len(failed) - 3} more" if len(failed) > 3 else "")
    rel, err = failed[0]
    why = explain_os_error(err, root / IMAGES_DIR, "delete " + ("it" if len(failed) == 1 else "them"))
    return (f"the pictures left the project, but {'the file' if len(failed) == 1 else f'{len(failed)} files'} "
            f"{names} could not be deleted ({why}); CNN Studio deletes "
            f"{'it' if len(failed) == 1 else 'them'} the next time the project is opened")

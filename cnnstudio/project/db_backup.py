"""The copy of project.db kept beside it, ``project.db.bak``, for the day project.db is damaged. Stdlib only.

It is written by SQLite's backup API (a consistent copy, the write-ahead log included) when a project that could be
written is opened or closed, at most once every :data:`BACKUP_EVERY_S` seconds, only when the database passes
SQLite's ``quick_check`` (a damaged database never replaces a good copy) and has something in it (a class, a picture
or a run), and only when the disk has room for it. It is written to a temporary name and renamed, so a kill leaves
the previous copy whole. A copy that cannot be written (a full disk) is skipped without a word: it is a spare, and
the project is unchanged.

What opening a damaged project says to do (:func:`restore_step`) names the copy only when it is there;
:func:`restore_backup` does it, for a surface that offers it as one action (the damaged file is kept aside).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

from .disk import free_bytes, remove_quietly

DB_NAME = "project.db"
BACKUP_NAME = "project.db.bak"
DAMAGED_NAME = "project.db.damaged"  # what the damaged file is renamed to, so nothing is lost
#: the meta key every copy carries (the time it was written), never project.db itself: the project opened from a
#: copy put back, whichever way, finds the runs the copy does not list (run_reindex.after_put_back)
COPY_MARK = "copy_of_project_db"
BACKUP_EVERY_S = 600.0  # seconds: a copy at most every ten minutes (opening and closing often costs one stat)


def backup_path(root: Path) -> Path:
    return Path(root) / BACKUP_NAME


def backup_time(root: Path) -> float | None:
    """When the copy was written (seconds since the epoch), None when there is none."""
    try:
        return backup_path(root).stat().st_mtime
    except OSError:
        return None


def backup_stamp(when: float) -> str:
    """The copy's time as every sentence and button says it, "03 Dec 2026 08:36" (``when``: :func:`backup_time`)."""
    return time.strftime("%d %b %Y %H:%M", time.localtime(when))


def restore_step(root: Path, missing: bool = False) -> str:
    """What to do about a damaged (``missing``: absent) project.db: put back the copy kept beside it, with its time,
    when there is one; else a backup of the user's own."""
    when = backup_time(root)
    if when is None or not usable(backup_path(root)):
        return f"put {DB_NAME} back from a backup"
    stamp = backup_stamp(when)
    aside = "" if missing else f"rename {DB_NAME} to {DAMAGED_NAME}, then "
    return (f"CNN Studio kept a copy of it from {stamp} ({BACKUP_NAME}, without the changes made since): {aside}"
            f"rename {BACKUP_NAME} to {DB_NAME}")


def restore_backup(root: Path) -> Path:
    """Do what :func:`restore_step` says, for a surface that offers it as one action: the damaged project.db (when
    there is one) is renamed to project.db.damaged (project.db.damaged-2, … when that name is taken: nothing is
    deleted), and the copy becomes project.db (copied: project.db.bak stays). Returns where the damaged file went
    (``root``/project.db when there was none). OSError when the disk refuses; ValueError when there is no whole
    copy."""
    root = Path(root)
    bak = backup_path(root)
    if not bak.is_file() or not usable(bak):
        raise ValueError(f"there is no whole copy of {DB_NAME} in {root}")
    db, aside = root / DB_NAME, root / DAMAGED_NAME
    n = 1
    while aside.exists():
        n += 1
        aside = root / f"{DAMAGED_NAME}-{n}"
    if db.exists():
        os.replace(db, aside)
        for side in ("-wal", "-shm"):  # the damaged file's own: they must not be read with the copy
            if Path(f"{db}{side}").exists():
                os.replace(f"{db}{side}", f"{aside}{side}")
    else:
        aside = db
    tmp = root / f".{DB_NAME}.restoring"
    shutil.copyfile(bak, tmp)
    try:  # a copy written before copies were marked: marked now, so that opening finds its runs again
        out = sqlite3.connect(tmp, isolation_level=None)
        try:
            if out.execute("SELECT 1 FROM meta WHERE key = ?", (COPY_MARK,)).fetchone() is None:
                _mark_copy(out, backup_time(root))
        finally:
            out.close()
    except sqlite3.Error:
        pass
    os.replace(tmp, db)
    return aside


def _mark_copy(con: sqlite3.Connection, when: float | None = None) -> None:
    """Write :data:`COPY_MARK` into the copy ``con`` (no meta table: none; opening makes one)."""
    try:
        con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                    (COPY_MARK, str(time.time() if when is None else when)))
        con.commit()
    except sqlite3.OperationalError:
        pass


def usable(path: Path) -> bool:
    """Whether ``path`` is a whole SQLite database (``quick_check`` says ok) that holds a project: CNN Studio's mark
    and every table opening requires (the check opening applies, :func:`.open_checks.table_problem`; an empty file
    passes ``quick_check``): a copy worth pointing to."""
    from .open_checks import table_problem  # open_checks says restore_step: imported here, not at the top
    from .schema import APP_ID, SCHEMA_VERSION

    try:
        con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            return False
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        version = con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        return False
    finally:
        con.close()
    if app_id != APP_ID or not 1 <= version <= SCHEMA_VERSION:
        return False
    try:
        return not table_problem(Path(path), version, True)[1]
    except sqlite3.Error:
        return False


def due(root: Path, now: float | None = None) -> bool:
    """Whether a new copy is due: none yet, or the last one is :data:`BACKUP_EVERY_S` seconds old."""
    when = backup_time(root)
    now = time.time() if now is None else now
    return when is None or now - when >= BACKUP_EVERY_S or when > now  # a copy from the future: the clock moved


def keep_backup(con: sqlite3.Connection, root: Path, now: float | None = None) -> bool:
    """Write the copy from ``con`` (the project's open connection) when it is due and the database is whole and
    not empty; True when one was written. Never raises for the disk: a copy that cannot be made is skipped."""
    root = Path(root)
    if not due(root, now):
        return False
    tmp = root / f".{BACKUP_NAME}.writing"
    try:
        if not _holds_anything(con):
            return False
        if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            return False  # damaged: the copy kept is better than this one
        free = free_bytes(root)
        size = os.path.getsize(root / DB_NAME) + _wal_size(root)
        if free is not None and free < 2 * size + 1_000_000:
            return False
        remove_quietly(tmp)
        out = sqlite3.connect(tmp)
        try:
            con.backup(out)
            out.execute("PRAGMA journal_mode = DELETE")
            _mark_copy(out)  # one file: it opens read-only, renamed, copied
        finally:
            out.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, backup_path(root))
        return True
    except (OSError, sqlite3.Error):
        for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            remove_quietly(leftover)
        return False


def _holds_anything(con: sqlite3.Connection) -> bool:
    for table in ("images", "classes", "runs"):
        try:
            if con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                return True
        except sqlite3.OperationalError:  # a version-1 database has no runs table
            continue
    return False


def _wal_size(root: Path) -> int:
    try:
        return os.path.getsize(root / f"{DB_NAME}-wal")
    except OSError:
        return 0

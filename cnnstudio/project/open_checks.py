"""What opening a project folder checks before it changes anything, and what it says when the folder is not (or no
longer) a whole project: no project.db, a project.db that cannot be read, or one that lacks a table or a column the
app needs (removed by hand, a copy of another app's SQLite file with CNN Studio's mark, a file cut short). Stdlib only.

Each problem is one sentence with the next step, in words for every surface (no menu, no command). A damaged
database points to the copy :mod:`.db_backup` keeps beside it, only when that copy is there.

A missing table is re-created empty only when nothing the user made lives in it (:data:`RECREATE`); every other
missing table or column refuses the project, so nothing is hidden or overwritten: the damaged file stays as it is
for a backup to replace.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .counting import counted
from .db_backup import restore_step
from .errors import DamagedProjectError
from .names import quoted

DB_NAME = "project.db"  # the project's database file (store.DB_NAME, store_disk.DB_NAME)
IMAGES_DIR = "images"  # store.IMAGES_DIR
RUNS_DIR = "runs"  # store.RUNS_DIR

#: what a folder with no project in it is, said by a window (each surface adds its own next step; the command line's
#: error, :func:`no_database_words`, keeps its precise words: the file that is missing)
NOT_A_PROJECT = "This folder is not a CNN Studio project."

_V1 = {
    "classes": ("id", "name", "color", "position"),
    "images": ("id", "sha256", "file", "original_name", "class_id", "split", "added_at"),
    "meta": ("key", "value"),
}
_V2 = {
    **_V1,
    "images": _V1["images"] + ("split_source", "trashed_at", "width", "height", "size_bytes", "source_path"),
    "pending_files": ("file",),
    "runs": ("id", "name", "created_at", "status", "config", "summary", "data_fingerprint"),
}
#: the tables (and their columns) a database of each schema version has; version 3 added an index only
TABLES = {1: _V1, 2: _V2, 3: _V2}

#: Tables re-created empty when they are missing, and why that loses nothing:
#: - ``pending_files`` is the journal of files an import or an emptied trash was writing or deleting; empty, it means
#:   nothing is in flight (at worst a file a killed import left in images/ stays there unused).
#: - ``meta`` holds settings (the last split's ratios, the Model and Train pages' choices, the data check's reviewed
#:   findings): without it the pages start from their defaults, and every picture, label, split and run is intact.
#: ``classes``, ``images`` and ``runs`` hold what the user made (a missing ``runs`` table would leave run folders
#: that no list shows, to be taken for leftovers): a project without one of them is refused as damaged.
RECREATE = {
    "pending_files": "CREATE TABLE pending_files (file TEXT PRIMARY KEY)",
    "meta": "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
}


def holds_no_project(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder with no project in it: no project.db, and not a project that lost it (whose
    images/ and runs/ are still there)."""
    root = Path(path)
    return root.is_dir() and not (root / DB_NAME).is_file() and not lost_its_database(root)


def lost_its_database(root: Path) -> bool:
    return (root / IMAGES_DIR).is_dir() and (root / RUNS_DIR).is_dir()


def no_database_words(root: Path) -> str:
    """Why ``root`` is not a project: no project.db in it. A folder that still has a project's images/ and runs/
    lost its database (the pictures are there); any other folder is simply not a project. Words for every
    surface: no menu, no command."""
    if lost_its_database(root):
        return (f"{root} is a CNN Studio project whose database ({DB_NAME}) is missing: "
                f"{restore_step(root, missing=True)} to open it{pictures_kept(root)}")
    return (f"{root} is not a CNN Studio project (it has no {DB_NAME}): choose the folder that holds {DB_NAME}, or "
            "create a new project")


def pictures_kept(root: Path) -> str:
    """" — the pictures in …/images are intact", when the project's images folder is there."""
    images = root / IMAGES_DIR
    return f" — the pictures in {images} are intact" if images.is_dir() else ""


def damaged_words(root: Path, why: str) -> str:
    """The one sentence for a project.db that cannot be used: ``why`` ("is empty", "is not a readable project
    database", "is damaged or not a CNN Studio project: it has no table “classes”"), then what to do."""
    return f"{root / DB_NAME} {why}: {restore_step(root)}{pictures_kept(root)}"


#: SQLite's codes for a file that is damaged (a page) or not a database at all (the header)
DAMAGED_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def unreadable_error(root: Path) -> DamagedProjectError:
    """The one sentence of a database SQLite cannot read as one (a damaged page, a header that is not SQLite's)."""
    return DamagedProjectError(damaged_words(Path(root), "is damaged: it cannot be read as a project database"))


def tables_words(names: list[str]) -> str:
    """Tables named for the user: “meta” and “pending_files”."""
    return " and ".join(quoted(name) for name in names)


def damaged_error(root: Path, exc: BaseException) -> DamagedProjectError | None:
    """The store's error for ``exc`` when it is SQLite saying the database is damaged ("database disk image is
    malformed": a page met once the database is open); None for any other error."""
    if isinstance(exc, sqlite3.DatabaseError) and getattr(exc, "sqlite_errorcode", None) in DAMAGED_CODES:
        return unreadable_error(root)
    return None


def lost_class_words(n: int) -> str:
    """What a surface says after opening made ``n`` pictures unlabelled (``Project.unlabelled_on_open``): their class
    was no longer in the project (its row removed by hand); "" for none."""
    if n <= 0:
        return ""
    return (f"{counted(n, 'picture')} labelled with a class that is no longer in the project "
            f"{'was' if n == 1 else 'were'} made unlabelled: label {'it' if n == 1 else 'them'} again")


def _uri(db: Path, writable_here: bool) -> str:
    return f"{db.resolve().as_uri()}?{'mode=ro' if writable_here else 'immutable=1'}"


def probe(db: Path, writable_here: bool) -> tuple[int, int]:
    """The database's application id and schema version, read without changing it (``immutable`` where no -shm
    file can be made: read-only media, a full disk)."""
    con = sqlite3.connect(_uri(db, writable_here), uri=True)
    try:
        return (con.execute("PRAGMA application_id").fetchone()[0],
                con.execute("PRAGMA user_version").fetchone()[0])
    finally:
        con.close()


def tables_to_recreate(db: Path, version: int, writable_here: bool) -> list[str]:
    """Check that the database of schema ``version`` has every table and column the app reads, without changing
    it; :class:`DamagedProjectError` (one sentence, what to do) when one is missing that cannot be re-created, else
    the names of the missing tables :data:`RECREATE` makes again (:func:`recreate`)."""
    root = db.parent
    try:
        missing, why = table_problem(db, version, writable_here)
    except sqlite3.DatabaseError:  # the pages that list the tables are damaged
        raise unreadable_error(root) from None
    if why:
        raise DamagedProjectError(damaged_words(root, why))
    return missing


def table_problem(db: Path, version: int, writable_here: bool) -> tuple[list[str], str]:
    """The tables of schema ``version`` missing from ``db`` that :data:`RECREATE` makes again, and why it cannot be
    used ("is damaged or not a CNN Studio project: it has no table “classes”"; "" when it can). The one check of
    opening (:func:`tables_to_recreate`) and of a copy worth putting back (:func:`.db_backup.usable`), without
    words about a next step. sqlite3.DatabaseError when the pages that list the tables cannot be read."""
    expected = TABLES.get(version, TABLES[max(TABLES)])
    con = sqlite3.connect(_uri(db, writable_here), uri=True)
    try:
        have = {name: {row[1] for row in con.execute(f'PRAGMA table_info("{name}")')} for name in expected}
    finally:
        con.close()
    missing = [name for name in expected if not have[name]]
    lost = [name for name in missing if name not in RECREATE]
    if lost:
        return missing, f"is damaged or not a CNN Studio project: it has no table {tables_words(lost)}"
    for name, columns in expected.items():
        gone = [c for c in columns if have[name] and c not in have[name]]
        if gone:
            return missing, (f"is damaged or not a CNN Studio project: its table {quoted(name)} has no column "
                             f"{quoted(gone[0])}")
    return missing, ""


def recreate(con: sqlite3.Connection, names: list[str]) -> None:
    """Make the missing tables ``names`` (from :func:`tables_to_recreate`) again, empty, in one transaction."""
    if not names:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        for name in names:
            con.execute(RECREATE[name].replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise

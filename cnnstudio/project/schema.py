"""The SQLite schema, its version, and the migrations from every older version.

The version lives in ``PRAGMA user_version``. ``MIGRATIONS[n]`` turns a version-``n`` database into
version ``n + 1``. A saved database of every version is kept under ``tests/fixtures/db_v*/`` and a test
opens each one, so an old project can never silently stop opening.

Version history
  1  images, classes and splits (first release of the store).
  2  images.split_source (folder vs automatic splits), images.trashed_at (undoable delete),
     image dimensions, the runs table, and the pending_files journal for crash-safe import.
  3  a covering index (class_id, split, trashed_at): counts per class x split without reading the table
     (7 ms instead of 75 ms at 100,000 images; the GUI asks after every label).
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 3
APP_ID = 0x434E4E53  # "CNNS": PRAGMA application_id marks a CNN Studio database

SCHEMA_V1 = """
CREATE TABLE classes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    color TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL,
    original_name TEXT NOT NULL,
    class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
    split TEXT CHECK (split IN ('train', 'val', 'test')),
    added_at REAL NOT NULL
);
CREATE INDEX images_class_split ON images(class_id, split);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _run(con: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the caller's transaction (executescript would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            con.execute(statement)


def _migrate_1_to_2(con: sqlite3.Connection) -> None:
    _run(
        con,
        """
        ALTER TABLE images ADD COLUMN split_source TEXT NOT NULL DEFAULT 'auto';
        ALTER TABLE images ADD COLUMN trashed_at REAL;
        ALTER TABLE images ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE images ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE images ADD COLUMN size_bytes INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE images ADD COLUMN source_path TEXT NOT NULL DEFAULT '';
        CREATE INDEX images_split ON images(split);
        CREATE INDEX images_trashed ON images(trashed_at);
        CREATE TABLE pending_files (file TEXT PRIMARY KEY);
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at REAL NOT NULL,
            status TEXT NOT NULL,
            config TEXT NOT NULL DEFAULT '{}',
            summary TEXT NOT NULL DEFAULT '{}',
            data_fingerprint TEXT NOT NULL DEFAULT ''
        );
        """
    )


def _migrate_2_to_3(con: sqlite3.Connection) -> None:
    _run(
        con,
        """
        CREATE INDEX images_class_split_trashed ON images(class_id, split, trashed_at);
        DROP INDEX images_class_split;
        """
    )


MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3}


def create_schema(con: sqlite3.Connection) -> None:
    """Create the newest schema by creating version 1 and running every migration.

    One path for new and old projects: a migration bug shows up in every test, not only in the
    fixture tests.
    """
    con.execute("BEGIN IMMEDIATE")
    _run(con, SCHEMA_V1)
    con.execute(f"PRAGMA application_id = {APP_ID}")
    con.execute("PRAGMA user_version = 1")
    con.execute("COMMIT")
    migrate(con)


def migrate(con: sqlite3.Connection) -> int:
    """Bring ``con`` to SCHEMA_VERSION. Each step is its own transaction. Returns the old version."""
    start = con.execute("PRAGMA user_version").fetchone()[0]
    version = start
    while version < SCHEMA_VERSION:
        con.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](con)
            con.execute(f"PRAGMA user_version = {version + 1}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        version += 1
    return start

"""A project.db that lost a table or a column, or that cannot be read at all, is refused in one sentence that says what
to do (the copy kept beside it, only when it is there), and nothing is changed; a missing table that holds nothing the
user made is made again, empty. A picture labelled with a class that is not there is unlabelled, in every count."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from cnnstudio.project import ImageFilter, Project, ProjectError, UNLABELLED, import_paths
from cnnstudio.project.db_backup import BACKUP_EVERY_S, BACKUP_NAME, keep_backup, usable
from cnnstudio.project.put_back import put_back
from cnnstudio.project.schema import APP_ID
from cnnstudio.project.errors import DamagedProjectError
from cnnstudio.project.open_checks import lost_class_words
from tests.cli.helpers import run
from tests.disk_helpers import write_noise_images


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 2, 8)], labels_from_folders=True)
    return tmp_path / "proj"  # closed: the copy beside project.db was written then (it was due, and not empty)


def _sql(project, *statements):
    con = sqlite3.connect(project / "project.db", isolation_level=None)  # foreign keys off, as in any SQLite tool
    try:
        for s in statements:
            con.execute(s)
    finally:
        con.close()


def _refused(project) -> str:
    before = (project / "project.db").read_bytes()
    with pytest.raises(DamagedProjectError) as e:
        Project.open(project)
    assert (project / "project.db").read_bytes() == before  # nothing changed: the file stays for the backup to replace
    return str(e.value)


@pytest.mark.parametrize("table", ["classes", "images", "runs"])
def test_a_project_without_a_table_the_user_made_is_refused_in_one_sentence(project, table, capsys):
    _sql(project, "PRAGMA foreign_keys = OFF", f"DROP TABLE {table}")
    text = _refused(project)
    assert text.startswith(f"{project / 'project.db'} is damaged or not a CNN Studio project: it has no table "
                           f"“{table}”: CNN Studio kept a copy of it from ")
    assert ("(project.db.bak, without the changes made since): rename project.db to project.db.damaged, then rename "
            f"project.db.bak to project.db — the pictures in {project / 'images'} are intact") in text
    assert "\n" not in text and "sqlite" not in text.lower()
    code, out, err = run(capsys, "info", project)
    assert code == 1 and err.strip() == f"cnnstudio: error: {text}"  # not "could not run …: no such table"


def test_a_table_without_a_column_is_refused(project):
    _sql(project, "ALTER TABLE images DROP COLUMN source_path")
    text = _refused(project)
    assert "is damaged or not a CNN Studio project: its table “images” has no column “source_path”: CNN Studio " \
           "kept a copy" in text


@pytest.mark.parametrize("table", ["meta", "pending_files"])
def test_a_missing_table_of_settings_or_of_files_in_flight_is_made_again_empty(project, table):
    _sql(project, f"DROP TABLE {table}")
    with Project.open(project) as p:
        assert p.count() == 4 and len(p.classes()) == 2  # every picture and label is there
        p.set_meta("split_settings", "{}")  # and the project works
        p.delete_images(p.ids()[:1])
        assert p.empty_trash() == 1  # (pending_files)
        assert p.integrity_check() == "ok"


def test_a_missing_table_on_a_read_only_project_is_refused_without_a_change(project):
    _sql(project, "DROP TABLE meta")
    with pytest.raises(ProjectError, match="so CNN Studio cannot make its missing table “meta” again: close the "
                       "other window, then open the project again"):
        Project.open(project, read_only=True)
    with Project.open(project) as p:  # when it can be written, it is made again
        assert p.meta("split_settings") is None


def test_a_damaged_database_points_to_the_copy_kept_beside_it_and_that_copy_opens(project):
    db = project / "project.db"
    db.write_bytes(os.urandom(8192))
    text = _refused(project)
    assert text.startswith(f"{db} is damaged: it cannot be read as a project database: CNN Studio kept a copy")
    stamp = time.strftime("%d %b %Y %H:%M", time.localtime((project / BACKUP_NAME).stat().st_mtime))
    assert text.endswith(f": CNN Studio kept a copy of it from {stamp} (project.db.bak, without the changes made "
                         f"since): rename project.db to project.db.damaged, then rename project.db.bak to project.db "
                         f"— the pictures in {project / 'images'} are intact")
    os.replace(db, project / "project.db.damaged")  # what the sentence says, step by step
    os.replace(project / BACKUP_NAME, db)
    with Project.open(project) as p:
        assert p.count() == 4 and [c.name for c in p.classes()] == ["a", "b"] and p.integrity_check() == "ok"
    assert (project / "project.db.damaged").is_file()


def test_a_damaged_copy_is_not_pointed_to(project):
    (project / BACKUP_NAME).write_bytes(b"not a database" * 100)
    (project / "project.db").write_bytes(b"")
    assert _refused(project).endswith(": put project.db back from a backup — the pictures in "
                                      f"{project / 'images'} are intact")


@pytest.mark.parametrize("copy", ["empty", "no tables", "another program's", "no runs table"])
def test_a_copy_that_holds_no_project_is_not_pointed_to_nor_put_back(project, copy):
    """An empty file passes SQLite's quick_check: a copy must also hold the project's tables (opening's check)."""
    bak = project / BACKUP_NAME
    if copy == "empty":
        bak.write_bytes(b"")
    elif copy == "no runs table":
        con = sqlite3.connect(bak, isolation_level=None)
        con.execute("DROP TABLE runs")
        con.close()
    else:
        bak.unlink()
        con = sqlite3.connect(bak, isolation_level=None)
        con.execute("CREATE TABLE t (x)")
        if copy == "no tables":
            con.execute("DROP TABLE t")
            con.execute(f"PRAGMA application_id = {APP_ID}")
            con.execute("PRAGMA user_version = 3")
        con.close()
    (project / "project.db").write_bytes(b"")
    said = _refused(project)
    assert said.endswith(": put project.db back from a backup — the pictures in "
                         f"{project / 'images'} are intact"), said
    assert not usable(bak) and put_back(project) != "" and (project / "project.db").read_bytes() == b""


def test_the_copy_is_written_at_most_every_ten_minutes_and_not_for_an_empty_project(project, tmp_path):
    bak = project / BACKUP_NAME
    written = bak.stat().st_mtime
    with Project.open(project) as p:
        p.add_class("c")
        assert not keep_backup(p._con(), p.root)  # just written: not due
        assert keep_backup(p._con(), p.root, now=time.time() + BACKUP_EVERY_S + 1)
    assert bak.stat().st_mtime >= written
    con = sqlite3.connect(f"{bak.as_uri()}?mode=ro", uri=True)
    assert [r[0] for r in con.execute("SELECT name FROM classes ORDER BY position")] == ["a", "b", "c"]
    con.close()
    assert not (project / f".{BACKUP_NAME}.writing").exists()
    Project.create(tmp_path / "empty").close()
    assert not (tmp_path / "empty" / BACKUP_NAME).exists()  # nothing in it to keep


def test_a_picture_whose_class_is_gone_is_unlabelled_everywhere(project):
    from cnnstudio.engine.data.entries import dataset_entries

    with Project.open(project) as p:
        p.assign_splits((0.5, 0.5, 0.0))
    _sql(project, "DELETE FROM classes WHERE name = 'b'")  # foreign keys off: its pictures keep its id
    with Project.open(project, read_only=True) as p:  # for viewing: not repaired, counted as unlabelled
        info = p.summary()
        assert info["unlabelled"] == 2 and info["images"] == 4
        assert [c["total"] for c in info["classes"]] == [2]
        names, entries = dataset_entries(p)  # no KeyError
        assert names == ["a"] and len(entries) == 2
    with Project.open(project) as p:  # made unlabelled, as a deleted class's pictures are
        assert p.unlabelled_on_open == 2
        assert lost_class_words(p.unlabelled_on_open) == ("2 pictures labelled with a class that is no longer in the "
                                                          "project were made unlabelled: label them again")
        assert p.count(ImageFilter(class_id=UNLABELLED)) == 2 and p.summary()["unlabelled"] == 2
    with Project.open(project) as p:
        assert p.unlabelled_on_open == 0


def test_a_lost_database_points_to_the_copy_kept_beside_it(project):
    (project / "project.db").unlink()
    with pytest.raises(ProjectError) as e:
        Project.open(project)
    assert "project.db) is missing: CNN Studio kept a copy of it from " in str(e.value)
    assert str(e.value).endswith("(project.db.bak, without the changes made since): rename project.db.bak to "
                                 f"project.db to open it — the pictures in {project / 'images'} are intact")
    os.replace(project / BACKUP_NAME, project / "project.db")
    with Project.open(project) as p:
        assert p.count() == 4


def test_another_programs_database_says_what_to_do(tmp_path):
    (tmp_path / "other").mkdir()
    sqlite3.connect(tmp_path / "other" / "project.db").execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(ProjectError) as e:
        Project.open(tmp_path / "other")
    assert str(e.value) == (f"{tmp_path / 'other' / 'project.db'} is not a CNN Studio project database (another "
                            "program's file): put project.db back from a backup")


def test_an_older_project_opened_for_viewing_says_its_next_step_once(tmp_path):
    import shutil
    from pathlib import Path

    old = tmp_path / "v2"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "db_v2", old)
    with pytest.raises(ProjectError) as e:
        Project.open(old, read_only=True)  # another window has it: it cannot be updated to the new format here
    assert str(e.value) == ("v2 was opened read-only in this window (another window has it open), so CNN Studio "
                            "cannot update this project to the new format: close the other window, then open the "
                            "project again")


def test_a_damaged_database_never_replaces_the_copy(project):
    bak = project / BACKUP_NAME
    kept = bak.read_bytes()
    db = project / "project.db"
    with Project.open(project) as p:  # enough rows for pages past the first few
        with p.transaction() as tx:
            tx.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", [(f"k{i}", "v" * 200) for i in range(400)])
    data = bytearray(db.read_bytes())
    page = 4096
    for at in range(3 * page, len(data) - page, page):  # every page after the schema's: their contents scrambled
        data[at + 8:at + 600] = os.urandom(592)
    db.write_bytes(bytes(data))
    con = sqlite3.connect(db)
    try:
        assert not keep_backup(con, project, now=time.time() + BACKUP_EVERY_S + 1)
    finally:
        con.close()
    assert bak.read_bytes() == kept and not (project / f".{BACKUP_NAME}.writing").exists()


def test_restoring_the_copy_keeps_the_damaged_file_aside(project):
    from cnnstudio.project.db_backup import restore_backup

    db = project / "project.db"
    db.write_bytes(b"scrambled" * 1000)
    assert restore_backup(project) == project / "project.db.damaged"
    assert (project / "project.db.damaged").read_bytes() == b"scrambled" * 1000 and (project / BACKUP_NAME).is_file()
    with Project.open(project) as p:
        assert p.count() == 4
    db.write_bytes(b"again" * 1000)
    assert restore_backup(project) == project / "project.db.damaged-2"  # the first one is not overwritten
    (project / BACKUP_NAME).write_bytes(b"no copy")
    with pytest.raises(ValueError):
        restore_backup(project)

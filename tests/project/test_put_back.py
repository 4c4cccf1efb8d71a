"""Putting back the copy of project.db as one action: offered (with the copy's time) only for a damaged or missing
database with a whole copy beside it, SQLite's own error for a damaged page said as the store's sentence, and a copy
that cannot be put back said in one sentence with nothing lost. Real project folders, real SQLite."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from cnnstudio.project import Project, ProjectError, import_paths
from cnnstudio.project.db_backup import BACKUP_NAME, DAMAGED_NAME
from cnnstudio.project.errors import DamagedProjectError, NewerSchemaError, NotAProjectError
from cnnstudio.project.open_checks import damaged_error
from cnnstudio.project.put_back import offer, put_back
from tests.disk_helpers import write_noise_images


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 2, 8)], labels_from_folders=True)
    assert (tmp_path / "proj" / BACKUP_NAME).is_file()  # written as it closed (due, and not empty)
    return tmp_path / "proj"


def _open_error(root) -> BaseException:
    try:
        Project.open(root).close()
    except (ProjectError, sqlite3.DatabaseError) as e:
        return e
    raise AssertionError("it opened")


def _damage_a_page(db) -> None:
    """Every page after the first overwritten: the header and the list of tables read, the rows do not."""
    good = db.read_bytes()
    db.write_bytes(good[:4096] + bytes(range(256)) * ((len(good) - 4096) // 256))


def test_a_damaged_page_is_said_as_the_stores_damaged_database_and_the_copy_is_offered(project):
    _damage_a_page(project / "project.db")
    said = _open_error(project)
    assert type(said) is DamagedProjectError  # SQLite's "database disk image is malformed", said by the store
    assert str(said).startswith(f"{project / 'project.db'} is damaged: it cannot be read as a project database: "
                                "CNN Studio kept a copy of it from ")
    stamp = time.strftime("%d %b %Y %H:%M", time.localtime((project / BACKUP_NAME).stat().st_mtime))
    assert offer(project, said) == f"Put back the copy from {stamp}"
    assert f"CNN Studio kept a copy of it from {stamp} ({BACKUP_NAME}, " in str(said)  # the same time, said alike
    assert damaged_error(project, sqlite3.OperationalError("database is locked")) is None


def test_the_copy_put_back_opens_with_every_picture_and_the_damaged_file_is_kept(project):
    db = project / "project.db"
    db.write_bytes(b"")
    damaged = _open_error(project)
    assert isinstance(damaged, DamagedProjectError) and offer(project, damaged)
    assert put_back(project) == ""
    with Project.open(project) as p:
        assert p.count() == 4 and [c.name for c in p.classes()] == ["a", "b"] and p.integrity_check() == "ok"
    assert (project / DAMAGED_NAME).read_bytes() == b"" and (project / BACKUP_NAME).is_file()


def test_a_lost_database_is_offered_its_copy_and_other_errors_are_not(project, tmp_path):
    os.remove(project / "project.db")
    lost = _open_error(project)
    assert isinstance(lost, NotAProjectError) and offer(project, lost).startswith("Put back the copy from ")
    assert offer(project, NewerSchemaError("newer")) == ""
    assert offer(project, ProjectError("the disk is full")) == ""
    (project / BACKUP_NAME).write_bytes(b"not a database" * 100)  # a copy that is not whole is not offered
    assert offer(project, lost) == ""
    (tmp_path / "plain").mkdir()
    assert offer(tmp_path / "plain", _open_error(tmp_path / "plain")) == ""  # a folder that is no project


def test_a_copy_that_cannot_be_put_back_is_one_sentence_and_nothing_is_lost(project):
    db = project / "project.db"
    _damage_a_page(db)
    damaged = db.read_bytes()
    (project / ".project.db.restoring").mkdir()  # where the copy is written first: the disk refuses it
    (project / ".project.db.restoring" / "x").write_text("x")
    said = put_back(project)
    assert said.startswith("The copy could not be put back (") and said.endswith(
        f"); nothing was lost: {BACKUP_NAME} is still in {project} and no file was deleted.")
    assert "\n" not in said
    assert (project / DAMAGED_NAME).read_bytes() == damaged and (project / BACKUP_NAME).is_file()

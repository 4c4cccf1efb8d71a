"""What opening a folder that is not (or no longer) a readable project says: one sentence with a next step, in
words for every surface (no menu, no command)."""

from __future__ import annotations

import os

import pytest

from cnnstudio.project import NotAProjectError, Project, import_paths
from tests.cli.helpers import run
from tests.disk_helpers import write_noise_images


def _refused(path) -> str:
    with pytest.raises(NotAProjectError) as e:
        Project.open(path)
    text = str(e.value)
    assert "cnnstudio" not in text and "File >" not in text  # each surface adds its own, the store names neither
    return text


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "dbn") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 1, 8)], labels_from_folders=True)
    return tmp_path / "dbn"


def test_a_plain_folder_is_not_a_project(tmp_path):
    (tmp_path / "holiday").mkdir()
    (tmp_path / "holiday" / "notes.txt").write_text("x")
    assert _refused(tmp_path / "holiday") == (f"{tmp_path / 'holiday'} is not a CNN Studio project (it has no "
                                              "project.db): choose the folder that holds project.db, or create a new "
                                              "project")


def test_a_project_that_lost_its_database_says_the_pictures_are_still_there(project, capsys):
    (project / "project.db").unlink()
    (project / "project.db.bak").unlink()  # no copy kept beside it (with one: tests/project/test_damaged_database.py)
    text = _refused(project)
    assert text == (f"{project} is a CNN Studio project whose database (project.db) is missing: put project.db back "
                    f"from a backup to open it — the pictures in {project / 'images'} are intact")
    code, _out, err = run(capsys, "info", project)
    assert code == 1 and err.strip() == f"cnnstudio: error: {text}"


@pytest.mark.parametrize("damage", ["garbage", "empty", "truncated"])
def test_a_damaged_database_says_to_restore_it(project, damage):
    db = project / "project.db"
    (project / "project.db.bak").unlink()  # no copy kept beside it (with one: tests/project/test_damaged_database.py)
    if damage == "garbage":
        db.write_bytes(os.urandom(8192))
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        db.write_bytes(db.read_bytes()[:1500])
    text = _refused(project)
    assert text.startswith(f"{db} is ")
    assert text.endswith(f": put project.db back from a backup — the pictures in {project / 'images'} are intact")


def test_a_window_tells_a_folder_with_no_project_from_a_project_that_lost_its_database(project, tmp_path):
    from cnnstudio.project.store import NOT_A_PROJECT, holds_no_project

    (tmp_path / "holiday").mkdir()
    assert holds_no_project(tmp_path / "holiday") and not holds_no_project(project)
    (project / "project.db").unlink()
    assert not holds_no_project(project)  # its own words: put project.db back
    assert not holds_no_project(tmp_path / "gone") and not holds_no_project(tmp_path / "holiday" / "x.txt")
    assert NOT_A_PROJECT.endswith(".") and "project.db" not in NOT_A_PROJECT

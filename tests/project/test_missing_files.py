"""Picture files deleted by hand from the project folder are found (project/missing_files.py) and said by the Data
page's health and the data check alike in one sentence, whose fix moves them to the trash (QA together #8: the gallery,
the counts and training went on as if they were there). Real project folders, real files deleted."""

from __future__ import annotations

import os

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project.health import MISSING_FILES, dataset_warnings
from cnnstudio.project.missing_files import TRASH_MISSING, missing_files, missing_pictures, missing_words
from tests.disk_helpers import write_noise_images

THREE = ("3 pictures' files are missing from the project folder (deleted outside CNN Studio?): move them to the trash, "
         "or put the files back.")


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "proj")
    import_paths(p, [write_noise_images(tmp_path / "src", 6, 8)], labels_from_folders=True)
    yield p
    p.close()


def _delete(project: Project, ids: list[int]) -> dict[int, bytes]:
    """The pictures' stored files deleted by hand (as a file manager would); their bytes, to put them back."""
    kept = {}
    for i in ids:
        path = project.image_path(i)
        kept[i] = path.read_bytes()
        os.remove(path)
    return kept


def _missing_warning(project: Project):
    return [w for w in dataset_warnings(project) if w.about == MISSING_FILES]


def test_files_deleted_by_hand_are_said_with_the_trash_as_fix_until_trashed(project):
    ids = project.ids()
    assert _missing_warning(project) == [] and missing_pictures(project) == []
    gone = [ids[1], ids[4], ids[9]]
    _delete(project, gone)
    assert missing_pictures(project) == gone
    [w] = _missing_warning(project)
    assert (w.level, w.text, w.fix) == ("error", THREE, TRASH_MISSING)
    assert w.in_app == f"{THREE} Press 'Move the 3 pictures to the trash' to do it; Ctrl+Z brings them back."
    project.delete_images(gone)  # what the button does (the Data page: one undoable step)
    assert missing_pictures(project) == [] and _missing_warning(project) == []
    project.restore_images(gone)  # undone: said again
    assert missing_pictures(project) == gone and _missing_warning(project)[0].text == THREE


def test_a_label_keeps_the_answer_and_a_file_deleted_or_put_back_since_is_seen(project):
    ids = project.ids()
    kept = _delete(project, [ids[0]])
    assert missing_pictures(project) == [ids[0]]
    assert missing_words(1) == ("1 picture's file is missing from the project folder (deleted outside CNN Studio?): "
                                "move it to the trash, or put the file back.")
    project.set_labels([ids[3]], None)  # a label: the folders unchanged, the answer kept
    assert missing_pictures(project) == [ids[0]]
    _delete(project, [ids[7]])
    assert missing_pictures(project) == [ids[0], ids[7]]
    project.image_path(ids[0]).write_bytes(kept[ids[0]])  # put back by hand
    assert missing_pictures(project) == [ids[7]]


def test_a_whole_folder_of_images_gone_says_each_of_its_pictures(project):
    rec = project.image(project.ids()[0])
    folder = project.root / os.path.dirname(rec.file)
    inside = [r.id for r in project.records(project.ids()) if os.path.dirname(r.file) == os.path.dirname(rec.file)]
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    assert missing_pictures(project) == inside
    assert missing_files(project.root, [rec.file, "images/zz/nothing.png"]) == {rec.file, "images/zz/nothing.png"}


def test_a_project_folder_gone_is_not_said_picture_by_picture(project, tmp_path):
    files = [r.file for r in project.records(project.ids())]
    os.rename(project.root, tmp_path / "moved")  # its own sentence says it (Project.gone_error)
    assert missing_files(project.root, files) == set()

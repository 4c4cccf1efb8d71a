"""Picture files deleted by hand from the project folder are found (project/missing_files.py) and said by the Data
page's health and the data check alike in one sentence, whose fix moves them to the trash (QA together #8: the gallery,
the counts and training went on as if they were there). Real project folders, real files deleted."""

from __future__ import annotations

import os

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project.health import MISSING_FILES, dataset_warnings
from cnnstudio.project.missing_files import (TRASH_MISSING, missing_files, missing_health_words, missing_pictures,
                                            missing_words, training_uses)
from tests.disk_helpers import write_noise_images

THREE = ("3 pictures' files are missing from the project folder (deleted outside CNN Studio?); training would use "
         "them, so training cannot start: move them to the trash, or put the files back.")


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


def test_missing_files_training_does_not_use_are_a_warning_and_those_it_does_an_error_naming_how_many(project,
                                                                                                         tmp_path):
    """A run refuses only the missing pictures it would use (engine/data/entries.check_files): one with no class, or
    with no split while others have one, does not stop training, so the health says so at a lower level."""
    ids = project.ids()
    project.assign_splits()
    project.set_labels([ids[0]], None)  # in a split, but no class: not used
    before = set(project.ids())
    import_paths(project, [write_noise_images(tmp_path / "more", 1, 8)], labels_from_folders=True)
    new = sorted(set(project.ids()) - before)  # labelled, no split while the others have one: left out
    _delete(project, [ids[0], *new])
    [w] = _missing_warning(project)
    assert training_uses(project, missing_pictures(project)) == []
    assert (w.level, w.fix) == ("warning", TRASH_MISSING)
    assert w.text == ("3 pictures' files are missing from the project folder (deleted outside CNN Studio?); training "
                      "does not use them, as they have no class or no split, but move them to the trash, or put the "
                      "files back.")
    _delete(project, [ids[5]])  # labelled and split: a run would refuse it
    [w] = _missing_warning(project)
    assert training_uses(project, missing_pictures(project)) == [ids[5]]
    assert (w.level, w.fix) == ("error", TRASH_MISSING)
    assert w.text == ("4 pictures' files are missing from the project folder (deleted outside CNN Studio?); training "
                      "would use 1 of them, so training cannot start: move them to the trash, or put the files back.")


def test_before_any_split_every_labelled_picture_is_used_and_an_unlabelled_one_is_not(project):
    ids = project.ids()
    project.set_labels([ids[2]], None)
    _delete(project, [ids[2]])
    [w] = _missing_warning(project)
    assert w.level == "warning" and w.text == missing_health_words(1, 0) == (
        "1 picture's file is missing from the project folder (deleted outside CNN Studio?); training does not use it, "
        "as it has no class or no split, but move it to the trash, or put the file back.")
    _delete(project, [ids[3]])  # labelled, unsplit: training splits it with the rest first, then would read it
    [w] = _missing_warning(project)
    assert w.level == "error" and w.text == missing_health_words(2, 1)
    assert missing_health_words(1, 1) == ("1 picture's file is missing from the project folder (deleted outside CNN "
                                          "Studio?); training would use it, so training cannot start: move it to the "
                                          "trash, or put the file back.")


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

"""The same picture under several names in one import: the project keeps the original's name, and the report names
each copy as the duplicate."""

from __future__ import annotations

import shutil

import pytest

from cnnstudio.project import Project, import_paths, importer
from tests.conftest import write_image

COPIES = ["Copy of cat.png", "cat (1).png", "cat - Copy.png", "cat copy.png", "cat_copy.png"]


@pytest.fixture(params=["one chunk", "a chunk per file", "one transaction"])
def how(request, monkeypatch):
    if request.param == "a chunk per file":  # the copies' rows are in before the original is met
        monkeypatch.setattr(importer, "CHUNK_FILES", 1)
    return request.param


def test_the_original_is_kept_and_each_copy_is_the_duplicate(project: Project, tmp_path, how):
    folder = tmp_path / "pets"
    original = write_image(folder / "cat.png", color=(10, 200, 30))
    for name in COPIES:  # each one met before the original: the walk goes by name, and " " and "C" sort before "."
        shutil.copy(original, folder / name)
    write_image(folder / "dog.png", color=(200, 10, 30))
    report = import_paths(project, [folder], class_name="pets", one_transaction=how == "one transaction")
    assert len(report.imported) == 2
    cat = next(project.image(i) for i in report.imported if project.image(i).original_name != "dog.png")
    assert cat.original_name == "cat.png"
    assert sorted(d["path"] for d in report.duplicates) == sorted(str(folder / n) for n in COPIES)
    assert {(d["existing_id"], d["same_as"], d["reason"]) for d in report.duplicates} == {
        (cat.id, "pets/cat.png", "same picture as pets/cat.png: stored once")}
    again = import_paths(project, [folder / "cat.png"])  # the project knows the original's path
    assert again.duplicates[0]["reason"] == "already in the project"


def test_without_a_copys_mark_the_shorter_name_is_kept_else_the_first(project: Project, tmp_path):
    folder = tmp_path / "photos"
    long = write_image(folder / "IMG_20240101_123456.png", color=(0, 0, 200))  # met first: capitals sort first
    shutil.copy(long, folder / "holiday.png")
    first = write_image(folder / "aa.png", color=(0, 200, 200))
    shutil.copy(first, folder / "bb.png")
    report = import_paths(project, [folder])
    assert sorted(project.image(i).original_name for i in report.imported) == ["aa.png", "holiday.png"]
    assert sorted((d["path"], d["same_as"]) for d in report.duplicates) == [
        (str(folder / "IMG_20240101_123456.png"), "photos/holiday.png"), (str(folder / "bb.png"), "photos/aa.png")]


def test_a_copy_in_another_class_folder_keeps_the_first_files_class(project: Project, tmp_path):
    photos = tmp_path / "photos"
    copy = write_image(photos / "apples" / "fruit - Copy.png", color=(200, 0, 0))
    shutil.copy(copy, (photos / "pears").mkdir() or photos / "pears" / "fruit.png")
    report = import_paths(project, [photos], labels_from_folders=True)
    kept = project.image(report.imported[0])
    assert kept.original_name == "fruit - Copy.png" and kept.class_id == project.class_by_name("apples").id
    assert report.duplicates[0]["path"] == str(photos / "pears" / "fruit.png")
    assert report.duplicates[0]["label_conflict"] is True

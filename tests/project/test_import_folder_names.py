"""Class folders whose names cannot be class names, or that are one class name spelled two ways: a bad folder is
skipped with its pictures and a reason naming it, the rest comes in (it stopped the whole import); "café" typed and
"café" from a Mac folder (NFD) are one class; "Cat" and "cat" are one class and the report says so; a hidden folder
is said as a folder, with its pictures."""

from __future__ import annotations

import os
import unicodedata

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project.errors import ClassError
from cnnstudio.project.import_walk import passed_over_lines
from cnnstudio.project.names import check_name, name_key
from tests.conftest import write_dataset, write_image

NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")
LATIN1 = os.fsdecode(b"caf\xe9")  # a folder name from an old ZIP or a FAT disk: 'caf\udce9'


def _pictures(folder, n, start):
    for i in range(n):
        write_image(folder / f"{i}.png", color=((start + i) % 256, (start * 7 + i) % 256, 99))


@pytest.fixture
def bad_folders(tmp_path):
    pics = write_dataset(tmp_path / "pics", classes=("apple", "pear"), per_class=3)
    _pictures(pics / ("x" * 200), 2, 10)
    _pictures(pics / "no CLASS", 2, 20)
    _pictures(pics / LATIN1, 2, 30)
    return pics


def test_a_folder_that_cannot_be_a_class_is_skipped_and_the_rest_is_imported(project, bad_folders):
    report = import_paths(project, [bad_folders], labels_from_folders=True)
    assert len(report.imported) == 6 and project.count() == 6  # it stopped at the first chunk, with 0 kept
    assert sorted(c.name for c in project.classes()) == ["apple", "pear"]
    reasons = {os.path.basename(s["path"]): s["reason"] for s in report.skipped}
    assert reasons["x" * 200] == ("the folder name “" + "x" * 40 + "…” cannot be a class name: a class name can be "
                                  "at most 100 characters (2 files not imported: rename the folder to import them)")
    assert reasons["no CLASS"].startswith("the folder name “no CLASS” cannot be a class name: a class cannot be "
                                          "called “No class”")
    assert reasons["caf\ufffd"].startswith("the folder name “caf\ufffd” cannot be a class name: a class name "
                                           "cannot contain characters that are not valid text")
    assert report.skipped_files == 6
    assert report.to_json()["skipped"][0]["files"] == 2


def test_a_folder_name_that_is_not_valid_text_is_refused_in_a_sentence_not_a_python_error(project, tmp_path):
    pics = tmp_path / "pics"
    _pictures(pics / LATIN1, 2, 40)
    report = import_paths(project, [pics], labels_from_folders=True)
    assert report.imported == [] and project.classes() == []
    [row] = report.skipped
    assert "codec" not in row["reason"] and "\udce9" not in row["reason"] + row["path"]
    row["reason"].encode("utf-8")  # can be printed, shown and written


def test_cafe_typed_and_cafe_from_a_mac_folder_are_one_class(project, tmp_path):
    project.add_class(NFC)
    pics = tmp_path / "pics"
    _pictures(pics / NFD, 2, 50)
    report = import_paths(project, [pics], labels_from_folders=True)
    assert len(report.imported) == 2 and report.classes_created == [] and report.classes_merged == []
    assert [c.name for c in project.classes()] == [NFC]
    with pytest.raises(ClassError, match="already exists"):
        project.add_class(NFD)
    assert project.class_by_name(NFD).name == NFC
    other = project.add_class("tea")
    with pytest.raises(ClassError, match="already exists"):
        project.rename_class(other, NFD.upper())
    assert check_name(f" {NFD} ", "a class", 100) == NFC and name_key("CAFE\u0301") == name_key(NFC)


def test_a_new_class_from_a_mac_folder_is_kept_composed(project, tmp_path):
    pics = tmp_path / "pics"
    _pictures(pics / NFD, 1, 60)
    report = import_paths(project, [pics], labels_from_folders=True)
    assert report.classes_created == [NFC] and [c.name for c in project.classes()] == [NFC]


def test_folders_cat_and_cat_are_one_class_and_the_report_says_so(project, tmp_path):
    pics = tmp_path / "pics"
    _pictures(pics / "Cat", 2, 70)
    _pictures(pics / "cat", 2, 80)
    report = import_paths(project, [pics], labels_from_folders=True)
    assert [c.name for c in project.classes()] == ["Cat"] and len(report.imported) == 4
    assert report.classes_merged == ["folders “Cat” and “cat” were taken as one class “Cat” (class names are "
                                     "the same whatever their capitals)"]
    assert report.to_json()["classes_merged"] == report.classes_merged
    more = tmp_path / "more"
    _pictures(more / "CAT", 1, 90)
    again = import_paths(project, [more], labels_from_folders=True)
    assert again.classes_merged == ["the folder “CAT” was taken as the class “Cat” (class names are the same "
                                    "whatever their capitals)"]


def test_a_hidden_class_folder_is_said_as_a_folder_with_its_pictures(project, tmp_path):
    pics = write_dataset(tmp_path / "pics", classes=("cat",), per_class=1)
    _pictures(pics / ".hidden", 8, 100)
    write_image(pics / "cat" / ".secret.png", color=(1, 1, 1))
    report = import_paths(project, [pics], labels_from_folders=True)
    lines = passed_over_lines(report.passed_over)
    assert lines == ["1 hidden file (.secret.png) passed over: names starting with a dot are hidden on purpose; "
                     "rename one without the dot to import it",
                     "1 hidden folder (.hidden, 8 pictures inside) passed over: names starting with a dot are hidden "
                     "on purpose; rename one without the dot to import it"]


def test_a_class_given_that_cannot_be_a_class_stops_before_anything_is_imported(tmp_path):
    pics = write_dataset(tmp_path / "pics", classes=("cat",), per_class=2)
    with Project.create(tmp_path / "proj") as project:
        with pytest.raises(ClassError, match="at most 100 characters"):
            import_paths(project, [pics], class_name="y" * 101)
        assert project.count() == 0

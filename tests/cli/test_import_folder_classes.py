"""`cnnstudio import DIR FOLDER` of class folders without --labels-from-folders says which command makes the folder
names classes; running it then gives the pictures already in the project (without a class) their folder's class."""

from __future__ import annotations

from tests.cli.helpers import run
from tests.conftest import write_dataset, write_image


def test_the_folders_hint_then_labels_from_folders_labels_the_pictures_already_there(tmp_path, capsys):
    pics = write_dataset(tmp_path / "my pics", classes=("circle", "square"), per_class=3)
    q = tmp_path / "q"
    assert run(capsys, "new", q)[0] == 0
    code, out, err = run(capsys, "import", q, pics, "--quiet")
    assert code == 0, err
    assert (f"The pictures came from folders named “circle”, “square”: to make those names their classes, run: "
            f"cnnstudio import {q} '{pics}' --labels-from-folders") in out.splitlines()
    code, out, err = run(capsys, "import", q, pics, "--quiet", "--labels-from-folders")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Imported 0 pictures, 6 duplicates, 0 skipped."
    assert lines[1] == "6 pictures already in the project got their class from their folder"
    code, listing, _ = run(capsys, "images", q, "--json")
    assert sorted(i["class"] for i in listing["images"]) == ["circle"] * 3 + ["square"] * 3
    code, out, err = run(capsys, "import", q, pics, "--quiet")  # every picture has a class now: no hint
    assert code == 0 and "--labels-from-folders" not in out and "got their class" not in out


def test_no_hint_for_one_folder_split_folders_or_a_class_given(tmp_path, capsys):
    q = tmp_path / "q"
    assert run(capsys, "new", q)[0] == 0
    one = write_dataset(tmp_path / "one", classes=("cat",), per_class=2)
    code, out, _ = run(capsys, "import", q, one, "--quiet")
    assert code == 0 and "--labels-from-folders" not in out
    split = tmp_path / "split"
    write_image(split / "train" / "a.png", color=(1, 2, 3))
    write_image(split / "val" / "b.png", color=(4, 5, 6))
    write_image(split / "test" / "c.png", color=(7, 8, 9))
    code, out, _ = run(capsys, "import", q, split, "--quiet")
    assert code == 0 and "--labels-from-folders" not in out
    two = write_dataset(tmp_path / "two", classes=("ant", "bee"), per_class=1)
    code, out, err = run(capsys, "import", q, two, "--class", "bug", "--quiet")
    assert code == 0 and "--labels-from-folders" not in out, err
    code, js, _ = run(capsys, "import", q, two, "--quiet", "--labels-from-folders", "--json")
    assert js["class_given"] == 0  # they have a class ("bug"): kept

"""QA cli #6, #13, #17: `info` and `images` name splits and the pictures without a class as the Data page does
(project/names.py: SPLIT_NAMES, NO_CLASS), say "pictures", `images --class "No class"` lists the pictures without a
class, and `import` says how many pictures came without a class or without a split. The JSON keeps its keys."""

from __future__ import annotations

from cnnstudio.project.left_out import CLI_FIX, left_out_words

from cnnstudio.project import Project
from cnnstudio.project.names import NO_CLASS, SPLIT_NAMES
from cnnstudio.ui.data import picture_words
from tests.cli.helpers import run
from tests.conftest import write_dataset, write_image


def _project(tmp_path, capsys):
    """train/ and test/ folders of cat and dog, a loose picture (no class, no split) and a loose/ folder (a class,
    no split)."""
    src = tmp_path / "ds"
    write_dataset(src / "train", ("cat", "dog"), per_class=4)
    write_dataset(src / "test", ("cat", "dog"), per_class=2, size=(13, 13))
    write_image(src / "stray.png", color=(1, 2, 3), size=(14, 14))
    write_image(src / "loose" / "x.png", color=(4, 5, 6), size=(15, 15))
    proj = tmp_path / "p"
    run(capsys, "new", proj)
    code, text, _ = run(capsys, "import", proj, src, "--labels-from-folders", "--quiet")
    assert code == 0
    return proj, text


def test_the_gui_and_the_command_line_share_the_split_names():
    assert picture_words.SPLIT_NAMES is SPLIT_NAMES
    assert SPLIT_NAMES == {"train": "Train", "val": "Validation", "test": "Test", None: "No split"}


def test_import_says_what_came_without_a_class_or_a_split(tmp_path, capsys):
    proj, text = _project(tmp_path, capsys)
    assert text.splitlines()[:3] == [
        "Imported 14 pictures, 0 duplicates, 0 skipped.",
        f"1 picture has no class: list it with cnnstudio images {proj} --unlabelled",
        left_out_words(1, CLI_FIX)]  # the labelled one of the two in no split; the way out is 'cnnstudio split'
    assert "run 'cnnstudio split' to give it one" in text
    code, out, _ = run(capsys, "import", proj, write_dataset(tmp_path / "more", ("cat",), per_class=2, size=(16, 16)),
                       "--json", "--quiet")
    assert code == 0 and out["imported"] == 2 and (out["no_class"], out["no_split"]) == (2, 2)


def test_a_fresh_import_says_training_splits_first(tmp_path, capsys):
    proj = tmp_path / "p"
    run(capsys, "new", proj)
    code, text, _ = run(capsys, "import", proj, write_dataset(tmp_path / "src", ("a",), per_class=1), "--quiet")
    assert code == 0 and text.splitlines() == [
        "Imported 1 picture, 0 duplicates, 0 skipped.",
        f"1 picture has no class: list it with cnnstudio images {proj} --unlabelled",
        "1 picture is in no split yet: training divides it once it has a class"]  # split has nothing to divide yet


def test_info_and_images_say_the_data_pages_names(tmp_path, capsys):
    proj, _ = _project(tmp_path, capsys)
    code, text, _ = run(capsys, "info", proj)
    lines = text.splitlines()
    assert lines[0].startswith("Project ") and lines[0].endswith(": 14 pictures, 1 in “No class”")
    assert lines[1] == "  splits: Train 8, Validation 0, Test 4, No split 2"
    cat = next(line for line in lines if line.strip().startswith("cat "))
    assert cat.split() == ["cat", "Train", "4", "Validation", "0", "Test", "2", "No", "split", "0"]
    assert "unassigned" not in text and "unlabelled" not in text and " val " not in text
    code, out, _ = run(capsys, "info", proj, "--json")  # scripts keep the keys
    assert out["unlabelled"] == 1 and out["splits"] == {"train": 8, "val": 0, "test": 4, "unassigned": 2}
    code, text, _ = run(capsys, "images", proj, "--split", "none")
    rows = [line.split() for line in text.splitlines()]
    assert sorted(r[1:] for r in rows) == [["No", "class", "No", "split", "stray.png"],
                                           ["loose", "No", "split", "x.png"]]
    code, out, _ = run(capsys, "images", proj, "--split", "none", "--json")
    assert sorted(((r["class"], r["split"]) for r in out["images"]), key=str) == [("loose", None), (None, None)]


def test_images_class_no_class_lists_the_pictures_without_a_class(tmp_path, capsys):
    proj, _ = _project(tmp_path, capsys)
    code, out, err = run(capsys, "images", proj, "--class", NO_CLASS, "--json")
    assert code == 0, err
    code, unlabelled, _ = run(capsys, "images", proj, "--unlabelled", "--json")
    assert out == unlabelled and [r["original_name"] for r in out["images"]] == ["stray.png"]
    code, text, _ = run(capsys, "images", proj, "--class", "no class")  # whatever its capitals, as the name rule
    assert code == 0 and text.split()[1:] == ["No", "class", "No", "split", "stray.png"]
    with Project.open(proj) as p:
        assert p.class_by_name(NO_CLASS) is None  # nothing made

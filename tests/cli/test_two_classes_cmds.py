"""A project with one class cannot train: the refusal says what to do, in the window's words and the command line's
(QA: "training needs at least two classes with labelled images…" with no way on), and the command it names works."""

from __future__ import annotations

from cnnstudio.engine.data.entries import TWO_CLASSES_WORDS
from tests.cli.helpers import run
from tests.engine.test_data import tiny_spec, write_pattern_images


def test_one_class_is_told_how_to_add_a_second_and_the_way_said_works(tmp_path, capsys):
    proj = tmp_path / "p"
    assert run(capsys, "new", proj, "--json")[0] == 0
    src = write_pattern_images(tmp_path / "src", classes=("top", "bottom"), per_class=8)
    assert run(capsys, "import", proj, src, "--class", "top", "--quiet")[0] == 0  # every picture: one class
    tiny_spec().save(tmp_path / "tiny.json")
    train = ("train", proj, "--spec", tmp_path / "tiny.json", "--epochs", "1", "--batch-size", "8", "--device", "cpu")
    code, out, err = run(capsys, *train)
    said = out + err
    assert code == 1 and TWO_CLASSES_WORDS in said, said
    assert "on the Data page, add a class (Add)" in said and "press the class's number key" in said
    assert "'cnnstudio label DIR IMAGE_ID --class NAME'" in said
    code, listing, _ = run(capsys, "images", proj, "--json")
    ids = [im["id"] for im in listing["images"] if "bottom" in im["original_name"]]
    assert ids and run(capsys, "label", proj, *ids, "--class", "bottom", "--json")[0] == 0  # as said
    assert run(capsys, "split", proj)[0] == 0
    code, _, err = run(capsys, *train, "--json")
    assert code == 0, err

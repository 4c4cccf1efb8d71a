"""`import --class NAME` of a picture already in the project with another class: the class is left as it is, and the
summary says so (and how to change it) rather than nothing."""

from __future__ import annotations

from tests.cli.helpers import run
from tests.engine.test_data import write_pattern_images


def test_a_picture_already_in_the_project_keeps_its_class_and_the_summary_says_so(tmp_path, capsys):
    src = write_pattern_images(tmp_path / "src", classes=("cat",), per_class=2)
    pic = src / "cat" / "cat_0.png"
    assert run(capsys, "new", tmp_path / "pm")[0] == 0
    code, out, err = run(capsys, "import", tmp_path / "pm", "--class", "cat", pic, "--quiet")
    assert code == 0, err
    code, out, err = run(capsys, "import", tmp_path / "pm", "--class", "dog", pic, "--quiet")
    assert code == 0, err
    assert out.startswith("Imported 0 pictures, 1 duplicate (1 already in the project as “cat”: its class was left "
                          "as it is, use 'cnnstudio label'), 0 skipped.")
    code, js, _ = run(capsys, "import", tmp_path / "pm", "--class", "dog", pic, "--quiet", "--json")
    assert js["class_left"] == 1 and js["duplicate_files"][0]["class_left"] == "cat"
    code, js, _ = run(capsys, "import", tmp_path / "pm", "--class", "cat", pic, "--quiet", "--json")
    assert js["class_left"] == 0 and "class_left" not in js["duplicate_files"][0]  # the class asked for: nothing said
    code, listing, _ = run(capsys, "images", tmp_path / "pm", "--json")
    assert [i["class"] for i in listing["images"]] == ["cat"]

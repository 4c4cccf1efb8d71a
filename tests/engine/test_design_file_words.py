"""What the Model page says when a design file cannot be opened or saved (engine/model/design_file_words.py): plain
sentences that name the file, never the raw JSON error with its path or a temporary file's name (QA)."""

from __future__ import annotations

import json

import pytest

from cnnstudio.engine.errors import SpecError
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.design_file_words import open_words, save_words
from cnnstudio.engine.model.spec import FORMAT, ModelSpec


def _refusal(path) -> SpecError:
    with pytest.raises(SpecError) as e:
        ModelSpec.load(path)
    return e.value


def test_a_file_that_is_not_a_design_or_is_damaged_is_said_in_plain_words(tmp_path):
    foreign = tmp_path / "settings.json"
    foreign.write_text(json.dumps({"input": {}, "layers": []}))
    assert open_words(foreign, _refusal(foreign)) == (
        "“settings.json” is not a design file saved by CNN Studio (“Save as…” on the Model page saves one).")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "keras", "input": {}, "layers": []}))
    assert open_words(other, _refusal(other)).startswith("“other.json” is not a design file saved by CNN Studio")
    # QA: "“list.json” holds a design CNN Studio cannot use: a model spec must be a JSON object ({...})."
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    assert open_words(listed, _refusal(listed)).startswith("“list.json” is not a design file saved by CNN Studio")
    # QA: "“bad.json” is damaged… (Expecting property name enclosed in double quotes at line 1, column 2)."
    damaged = tmp_path / "bad.json"
    damaged.write_text("{not json\n}\n")
    assert open_words(damaged, _refusal(damaged)) == (
        "“bad.json” is damaged: its text is broken (on line 1), so CNN Studio cannot read the design in it.")
    cut = tmp_path / "cut.json"
    cut.write_text('{"format": "x",\n "input": {')
    assert open_words(cut, _refusal(cut)) == (
        "“cut.json” is damaged: it stops part-way (on line 2), as a file only partly saved or copied does.")
    empty = tmp_path / "empty.json"
    empty.write_text("\n")
    assert open_words(empty, _refusal(empty)) == "“empty.json” is empty, so it holds no design."
    # QA: "/tmp/qa_today/bin.json is not a text file, so it cannot be a model spec."
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\x80\x02\xff\xfe")
    assert open_words(binary, _refusal(binary)).startswith("“bin.json” is not a design file: it is not text (")
    # QA: "/tmp/qa_today is a folder, not a model spec file."
    folder = tmp_path / "designs"
    folder.mkdir()
    assert open_words(folder, _refusal(folder)) == "“designs” is not a design file: it is a folder."
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": "cnnstudio.modelspec/9", "input": {}, "layers": []}))
    assert open_words(newer, _refusal(newer)) == ("“newer.json” was saved by a newer CNN Studio: update CNN Studio to "
                                                  "open it.")
    mistake = tmp_path / "k0.json"
    mistake.write_text(json.dumps({"format": FORMAT, "input": {"height": 8, "width": 8, "channels": 1},
                                   "layers": [layer("conv2d", kernel_size=float("nan"))]}))
    words = open_words(mistake, _refusal(mistake))
    assert words.startswith("“k0.json” holds a design CNN Studio cannot use — layer 1, convolution: the kernel size")
    assert words.endswith(", not NaN.")
    missing = tmp_path / "gone.json"
    assert open_words(missing, _refusal(missing)) == "There is no file “gone.json”."
    for path in (foreign, listed, damaged, cut, empty, binary, folder, newer, mistake, missing):
        words = open_words(path, _refusal(path))
        assert str(tmp_path) not in words and "model spec" not in words and "Expecting" not in words
        assert (words[0].isupper() or words[0] == "“") and words.endswith(".")


def test_the_command_line_names_the_path_it_was_given(tmp_path):
    damaged = tmp_path / "bad.json"
    damaged.write_text("{not json")
    assert str(_refusal(damaged)) == f"{damaged} is damaged: its text is broken (on line 1), so CNN Studio cannot " \
                                     "read the design in it"
    assert str(_refusal(tmp_path)) == f"{tmp_path} is not a design file: it is a folder"


def test_a_design_that_cannot_be_saved_is_said_by_the_projects_disk_rule(tmp_path):
    path = tmp_path / "no such folder" / "model.json"
    with pytest.raises(OSError) as e:
        ModelSpec.create(8, 8, 1, [layer("relu")]).save(path)
    words = save_words(path, e.value)
    assert words.startswith("The folder no such folder is gone — it was moved, renamed or its drive removed")
    assert "save the design" in words and ".tmp" not in words and "Errno" not in words and words.endswith(".")


def test_a_folder_given_as_the_file_is_said_as_one(tmp_path):
    """QA: "Could not save the design in /: Is a directory." """
    folder = tmp_path / "designs"
    folder.mkdir()
    with pytest.raises(OSError) as e:
        ModelSpec.create(8, 8, 1, [layer("relu")]).save(folder)
    assert save_words(folder, e.value) == ("“designs” is a folder, so the design cannot be saved as it: give a file "
                                           "name, such as model.json, in that folder.")

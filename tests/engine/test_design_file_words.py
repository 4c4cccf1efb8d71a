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
        "“settings.json” is not a design saved by CNN Studio (“Save as…” on the Model page saves one), so it cannot "
        "be opened here.")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "keras", "input": {}, "layers": []}))
    assert open_words(other, _refusal(other)).startswith("“other.json” is not a design saved by CNN Studio")
    damaged = tmp_path / "bad.json"
    damaged.write_text("{\n")
    words = open_words(damaged, _refusal(damaged))
    assert words.startswith("“bad.json” is damaged, or is not a design file: it is not readable JSON (")
    assert str(tmp_path) not in words and words.endswith(").")
    mistake = tmp_path / "k0.json"
    mistake.write_text(json.dumps({"format": FORMAT, "input": {"height": 8, "width": 8, "channels": 1},
                                   "layers": [layer("conv2d", kernel_size=float("nan"))]}))
    words = open_words(mistake, _refusal(mistake))
    assert words.startswith("“k0.json” holds a design CNN Studio cannot use: layer 1, convolution: the kernel size")
    assert str(tmp_path) not in words and words.endswith(".")
    missing = tmp_path / "gone.json"
    assert open_words(missing, _refusal(missing)) == f"There is no file {missing}."


def test_a_design_that_cannot_be_saved_is_said_by_the_projects_disk_rule(tmp_path):
    path = tmp_path / "no such folder" / "model.json"
    with pytest.raises(OSError) as e:
        ModelSpec.create(8, 8, 1, [layer("relu")]).save(path)
    words = save_words(path, e.value)
    assert words.startswith("The folder no such folder is no longer there (was it on a USB stick?)")
    assert "save the design" in words and ".tmp" not in words and "Errno" not in words and words.endswith(".")

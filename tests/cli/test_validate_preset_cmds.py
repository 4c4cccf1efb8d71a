"""`cnnstudio validate --preset` as `cnnstudio train` sees it: missing pretrained weights are a mistake in train's
own words, a preset given no --input keeps its own (or the project's suggested one), and the layer table never cuts
a layer's name (QA qa1 #5, #6)."""

from __future__ import annotations

import dataclasses

import pytest

from cnnstudio.engine.model.backbones import BACKBONES
from cnnstudio.engine.train.settings import suggest_preprocess
from cnnstudio.project import Project
from tests.cli.helpers import run
from tests.engine.test_data import make_project


@pytest.fixture
def no_resnet_weights(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    monkeypatch.setitem(BACKBONES, "resnet18", dataclasses.replace(BACKBONES["resnet18"],
                                                                   packages=("no-such-weights-package",)))


def test_validate_refuses_missing_weights_in_trains_words(tmp_path, capsys, no_resnet_weights):
    make_project(tmp_path / "proj", per_class=4, side=12).close()
    code, _out, err = run(capsys, "train", tmp_path / "proj", "--preset", "resnet18_transfer", "--epochs", "1")
    refusal = err.strip().removeprefix("cnnstudio: error: ")
    assert code != 0 and "are not on this computer" in refusal, err

    code, out, _ = run(capsys, "validate", "--preset", "resnet18_transfer", "--classes", "2", "--json")
    assert code == 1 and out["ok"] is False and refusal in out["errors"]
    code, text, _ = run(capsys, "validate", "--preset", "resnet18_transfer", "--classes", "2")
    assert code == 1 and f"error: {refusal}" in text and "the design is fine" not in text
    assert "ResNet-18 (pretrained, frozen)" in text  # the layer's name whole, not "froze"


def test_a_preset_without_input_keeps_its_own(capsys):
    code, out, err = run(capsys, "validate", "--preset", "mobilenet_v2_transfer", "--classes", "3", "--json")
    assert out["input"] == {"height": 224, "width": 224, "channels": 3}, err
    assert "--preset needs --input" not in err


def test_a_preset_from_scratch_takes_the_projects_suggested_input(tmp_path, capsys):
    make_project(tmp_path / "proj", per_class=4, side=12).close()
    with Project.open(tmp_path / "proj") as project:
        pp = suggest_preprocess(project)
    code, out, err = run(capsys, "validate", "--preset", "classic", "--classes", "2", "--project", tmp_path / "proj",
                         "--json")
    assert code == 0, err
    assert out["input"] == {"height": pp.height, "width": pp.width, "channels": pp.channels}


def test_a_preset_from_scratch_without_input_says_what_to_give(capsys):
    code, _out, err = run(capsys, "validate", "--preset", "classic", "--classes", "2")
    assert code == 1 and err == ("cnnstudio: error: the preset 'classic' has no picture size of its own: give --input, "
                                 "e.g. --input 28x28x1, or --project DIR for the size suggested for its pictures\n")

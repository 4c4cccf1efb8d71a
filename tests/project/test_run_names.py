"""New runs are named after what they are (project/run_names.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import re

from cnnstudio.project.run_names import EXPORT_RUN_CHARS, default_run_name, epochs_words, export_file_stem, unique_name


def test_a_run_is_named_after_its_design_and_length():
    assert default_run_name("Small VGG", 40) == "Small VGG · 40 epochs"
    assert default_run_name("", 0) == "Your design · Auto epochs"
    assert default_run_name("LeNet-5", 1) == "LeNet-5 · 1 epoch"
    assert default_run_name(backbone="MobileNetV2", frozen=True) == "MobileNetV2 transfer · frozen"
    assert (default_run_name(backbone="ResNet-18", frozen=True, fine_tune_epochs=5)
            == "ResNet-18 transfer · frozen + fine-tune 5 epochs")
    assert default_run_name(backbone="ResNet-18", epochs=0) == "ResNet-18 transfer · fine-tuned · Auto epochs"
    own = "your head (1 fully connected layer)"  # the user's own layers after the backbone
    assert default_run_name(backbone="ResNet-18", frozen=True, head=own) == f"ResNet-18 transfer · frozen · {own}"
    assert (default_run_name(backbone="ResNet-18", frozen=True, fine_tune_epochs=5, head=own)
            == f"ResNet-18 transfer · frozen · {own} + fine-tune 5 epochs")
    assert (default_run_name(backbone="ResNet-18", epochs=2, head=own)
            == f"ResNet-18 transfer · fine-tuned · {own} · 2 epochs")
    assert epochs_words(0) == "Auto epochs" and epochs_words(2) == "2 epochs"


def test_a_name_in_use_gets_a_number():
    assert unique_name("Small VGG · 40 epochs", ["other"]) == "Small VGG · 40 epochs"
    taken = ["Small VGG · 40 epochs", "Small VGG · 40 epochs (2)"]
    assert unique_name("Small VGG · 40 epochs", taken) == "Small VGG · 40 epochs (3)"


def test_an_exports_file_is_named_after_the_project_and_the_run_in_safe_characters():
    assert export_file_stem("Flowers", "Small VGG · 40 epochs") == "Flowers - Small VGG - 40 epochs"
    assert export_file_stem("Flowers", "Small VGG · 40 epochs (2)") == "Flowers - Small VGG - 40 epochs (2)"
    assert (export_file_stem("Flowers", "LeNet-5 · 4 epochs · search 2026-12-01 21:53, trial 2")
            == "Flowers - LeNet-5 - 4 epochs - search 2026-12-01 21-53, trial 2")
    assert export_file_stem("Äpfel", 'a/b\\c: "d" <e> | f? *') == "Äpfel - a - b - c- d e - f"
    assert export_file_stem("Flowers") == "Flowers" and export_file_stem("", "") == "model"
    assert export_file_stem(" .. ", " · ") == "model"


@pytest.mark.parametrize("run", [
    "MobileNetV2 transfer · fine-tuned · your head (1 fully connected layer) · 12 epochs",
    "Your design (3 convolutions, 2 fully connected layers) · search 2026-12-01 21:53, trial 12",
    "my very long run name that someone typed by hand because they like many words (2)", "x" * 200])
def test_a_long_run_name_is_shortened_in_whole_words_and_keeps_its_end(run):
    stem = export_file_stem("Flowers", run)
    said = stem.removeprefix("Flowers - ")
    assert len(said) <= EXPORT_RUN_CHARS and re.fullmatch(r"[\w ,()+.-]+", stem)
    assert said.count("(") == said.count(")")
    if " " in run:
        assert said.split()[-1] == run.split()[-1]  # "12 epochs", "trial 12", "(2)": which run of its kind
        assert set(said.replace(" - ", " ").split()) <= set(run.replace(":", "-").replace(" · ", " ").split())


def test_loads_without_torch_or_qt():
    code = ("import sys; import cnnstudio.project.run_names; "
            "assert 'torch' not in sys.modules and 'PySide6' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_frozen_backbones_run_says_its_heads_epochs_not_the_epochs_setting():
    from cnnstudio.project.run_names import length_words

    assert length_words(2, frozen=True) == ""  # fitted exactly: no epochs, whatever Epochs says (QA qa1)
    assert length_words(2, frozen=True, head_epochs=30) == " · 30 epochs"
    assert length_words(2, frozen=True, fine_tune_epochs=1) == " + fine-tune 1 epoch"
    assert length_words(0) == " · Auto epochs"
    assert (default_run_name(backbone="ResNet-18", frozen=True, head="your head (2 layers)", head_epochs=12)
            == "ResNet-18 transfer · frozen · your head (2 layers) · 12 epochs")

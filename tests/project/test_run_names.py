"""New runs are named after what they are (project/run_names.py)."""

from __future__ import annotations

import subprocess
import sys

from cnnstudio.project.run_names import default_run_name, epochs_words, unique_name


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


def test_loads_without_torch_or_qt():
    code = ("import sys; import cnnstudio.project.run_names; "
            "assert 'torch' not in sys.modules and 'PySide6' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)

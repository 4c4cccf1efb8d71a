"""A design that starts from pretrained weights that are not on this computer: the Model page says so in one GUI
sentence with a button that takes the user's file; the Train page keeps Start off with a button to the Model page.

``TORCH_HOME`` points at an empty folder (configuration, as a user would): ResNet-18's weights are nowhere; the
file the user chooses is a real ResNet-18 state dict written by the test.
"""

from __future__ import annotations

import torch
import torchvision

from .test_training_view import make_project


def test_missing_resnet_weights_are_said_once_chosen_on_the_model_page_and_block_start(window, qtbot, tmp_path,
                                                                                         monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    assert window.open_project(make_project(tmp_path))
    ws = window.workspace
    ws.show_step_key("model")
    panel = ws.model_page.backbone_panel
    panel.backbone_combo.setCurrentIndex(panel.backbone_combo.findData("resnet18"))
    assert ws.model_page.design.backbone["name"] == "resnet18" and panel.pretrained.isChecked()
    note = panel.weights_note.text()
    assert "The pretrained ResNet-18 weights (torchvision's file resnet18-f37072fd.pth) are not on this computer" \
        in note
    assert note.count("never downloads") == 1 and "set pretrained" not in note and "The resnet18" not in note
    assert "Choose the weights file…" in note
    qtbot.waitUntil(panel.weights_button.isVisible)

    # the Train page: Start is off, the note says why and its button goes to the Model page
    ws.show_step_key("train")
    page = ws.train_page
    qtbot.waitUntil(page.blocked_box.isVisible)
    assert not page.start_button.isEnabled() and "ResNet-18 weights are not on this computer" in page.blocked.text()
    assert page.blocked_button.text() == "Go to the Model page"
    # the Tune page holds a search to the same rule (its trials would fail on the same missing file)
    ws.show_step_key("tune")
    tune = ws.tune_page
    qtbot.waitUntil(tune.blocked_box.isVisible)
    assert not tune.start_button.isEnabled() and "ResNet-18 weights are not on this computer" in tune.blocked()
    assert tune.blocked_button.text() == "Go to the Model page"
    ws.show_step_key("train")
    page.blocked_button.click()
    assert ws.current_step() == "model"
    qtbot.waitUntil(panel.weights_button.isVisible)

    # the user has the file: chosen with the button, copied where the engine looks; Start is on again
    torch.manual_seed(0)
    mine = tmp_path / "Downloads" / "resnet18.pth"
    mine.parent.mkdir()
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), mine)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(mine), ""))
    panel.weights_button.click()
    # plain words on the page (the file is the user's own, not torchvision's); where it lies in the tooltip
    assert panel.weights_note.text() == ("<span style='color:#1e8449'>✔ Pretrained ResNet-18 weights are installed "
                                         "and checked: not torchvision's own file, but they fit this network.</span>")
    assert "checksum" not in panel.weights_note.text() and ".pth" not in panel.weights_note.text()
    tip = panel.weights_note.toolTip()
    assert tip.startswith("Pretrained ResNet-18 weights from torch hub's cache (") and "checksum verified" in tip
    assert panel.weights_button.isHidden()
    ws.show_step_key("train")
    qtbot.waitUntil(page.start_button.isEnabled)
    assert page.blocked_box.isHidden()

"""The Model page's backbone row: "Frozen" is off while "Pretrained" is (it unticked itself at once, silently);
missing pretrained weights name the official address to fetch the file from, as text to select (CNN Studio never
downloads), and "Start from" marks the designs that need a missing file; choosing a backbone, which puts the layers
aside, says in the message line how to get them back."""

from __future__ import annotations

import dataclasses

import torch
import torchvision
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from cnnstudio.engine.model.backbones import BACKBONES
from cnnstudio.ui.model.backbone_panel import FROZEN_NEEDS_PRETRAINED, WEIGHTS_NEEDED, WEIGHTS_NEEDED_WHY
from tests.ui.test_training_view import make_project


def _no_weights(tmp_path, monkeypatch) -> None:
    """An empty torch hub cache and no weights package: no pretrained weights on this computer."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    monkeypatch.setitem(BACKBONES, "mobilenet_v2", dataclasses.replace(BACKBONES["mobilenet_v2"], packages=()))


def _page(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    return window.workspace.model_page


def test_frozen_is_off_while_pretrained_is_and_says_why(window, qtbot, tmp_path):
    page = _page(window, tmp_path)
    bar = page.backbone_panel
    bar.backbone_combo.setCurrentIndex(bar.backbone_combo.findData("mobilenet_v2"))
    assert bar.freeze.isEnabled() and bar.freeze.isChecked() and "fine-tuning" in bar.freeze.toolTip()
    bar.pretrained.click()
    assert not bar.pretrained.isChecked() and not bar.freeze.isChecked()
    assert not bar.freeze.isEnabled() and bar.freeze.toolTip() == FROZEN_NEEDS_PRETRAINED
    assert FROZEN_NEEDS_PRETRAINED == "Only a pretrained backbone can be kept frozen: tick “Pretrained” first."
    bar.pretrained.click()
    assert bar.freeze.isEnabled() and "fine-tuning" in bar.freeze.toolTip()


def test_missing_weights_name_the_official_address_and_the_presets_that_need_them(window, qtbot, tmp_path,
                                                                                 monkeypatch):
    _no_weights(tmp_path, monkeypatch)
    page = _page(window, tmp_path)
    bar = page.backbone_panel
    combo = bar.preset_combo
    texts = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    # the mark first: at 1,024 px the list shows "Transfer learning: ResNet-18 (weig", cutting a mark at the end (QA)
    assert texts["resnet18_transfer"] == f"{WEIGHTS_NEEDED} Transfer learning: ResNet-18"
    assert texts["mobilenet_v2_transfer"] == f"{WEIGHTS_NEEDED} Transfer learning: MobileNetV2"
    assert texts["classic"] == "Classic CNN" and texts["default"] == "Recommended"
    # each entry's tooltip: its whole title, why it is marked, what it is; the list's own is sentences
    tip = combo.itemData(combo.findData("resnet18_transfer"), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"Transfer learning: ResNet-18.\n{WEIGHTS_NEEDED_WHY}\n\n") and tip.endswith(".")
    assert combo.itemData(combo.findData("classic"), Qt.ItemDataRole.ToolTipRole).startswith("Classic CNN.\n\n")
    assert combo.toolTip().endswith(".") and WEIGHTS_NEEDED in combo.toolTip()
    assert WEIGHTS_NEEDED not in bar.preset_help.text()  # the chosen design's description, not the tooltip
    page.apply_preset("resnet18_transfer")
    assert page.undo_stack.undoText() == "Use the design “Transfer learning: ResNet-18”"  # no mark in the history
    note = bar.weights_note
    assert not note.isHidden() and not bar.weights_button.isHidden()
    assert "https://download.pytorch.org/models/resnet18-f37072fd.pth" in note.text()
    assert "never downloads anything" in note.text()
    assert note.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse  # to copy into a browser
    assert not note.openExternalLinks()  # the page opens nothing itself

    # the user fetched a ResNet-18 weights file and chooses it: the note says it is used, the mark goes
    torch.manual_seed(0)
    mine = tmp_path / "downloads" / "resnet18.pth"
    mine.parent.mkdir()
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), mine)
    monkeypatch.setenv("QT_FILE_DIALOG_NO_NATIVE", "1")

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QFileDialog):
            box.selectFile(str(mine))
            box.accept()
            return
        QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    bar.weights_button.click()
    assert "installed and checked" in note.text() and bar.weights_button.isHidden()
    assert combo.itemText(combo.findData("resnet18_transfer")) == "Transfer learning: ResNet-18"
    assert combo.itemText(combo.findData("mobilenet_v2_transfer")).startswith(WEIGHTS_NEEDED)
    assert combo.itemData(combo.findData("resnet18_transfer"), Qt.ItemDataRole.ToolTipRole).startswith(
        "Transfer learning: ResNet-18.\n\n")


def test_choosing_a_backbone_says_how_the_layers_come_back(window, qtbot, tmp_path):
    page = _page(window, tmp_path)
    page.apply_preset("classic")
    n = len(page.design.layers)
    bar = page.backbone_panel
    bar.backbone_combo.setCurrentIndex(bar.backbone_combo.findData("mobilenet_v2"))
    assert [e["type"] for e in page.design.layers] == ["dropout"]
    said = window.statusBar().currentMessage()
    assert said.startswith(f"Your {n} layers come back when you set Backbone to None or press ")
    window.statusBar().clearMessage()
    bar.pretrained.click()  # a switch, not a backbone chosen: nothing put aside, nothing said
    assert window.statusBar().currentMessage() == ""
    bar.backbone_combo.setCurrentIndex(bar.backbone_combo.findData(None))
    assert len(page.design.layers) == n  # as the sentence said

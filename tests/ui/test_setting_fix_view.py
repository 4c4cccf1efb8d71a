"""A design file with a misspelt setting ("kernal_size") opened on the Model page: its card says what is wrong and
fixes it in one click, an undo step; from the keyboard the focus goes on to the setting it fixed."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cnnstudio.engine.model.spec import FORMAT
from tests.ui.test_training_view import make_project


def _open_misspelt(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    page = window.workspace.model_page
    path = tmp_path / "hand_written.json"
    path.write_text(json.dumps({"format": FORMAT, "input": {"height": 16, "width": 16, "channels": 3}, "layers": [
        {"type": "conv2d", "params": {"out_channels": 8, "kernal_size": 5}},
        {"type": "relu", "params": {"colour": "red"}},
        {"type": "global_avg_pool"}]}))
    page.load_spec(path)
    return page


def test_a_misspelt_setting_is_fixed_on_its_card_in_one_click(window, qtbot, tmp_path):
    page = _open_misspelt(window, tmp_path)
    conv, relu, pool = page.layer_stack.cards
    assert not page.is_valid()
    assert "has no setting 'kernal_size' (did you mean 'kernel_size'?)" in conv.error.text()
    assert conv.fix_button.text() == "Use 5 as the kernel size"
    qtbot.waitUntil(conv.fix_button.isVisible)
    assert "its value 5 becomes the kernel size" in conv.fix_button.toolTip()
    assert relu.fix_button.text() == "Remove 'colour'" and pool.fix_button is None
    conv.fix_button.click()
    assert page.design.layers[0]["params"] == {"out_channels": 8, "kernel_size": 5, "stride": 1, "padding": "same",
                                               "bias": True}
    conv = page.layer_stack.cards[0]
    assert conv.fix_button is None and not conv.property("invalid") and conv.title.text() == "conv 8 5x5"
    assert conv.editors["kernel_size"].value() == 5
    assert window.undo_action.text() == "&Undo Fix the settings of layer 1 (Convolution)"
    page.layer_stack.cards[1].fix_button.click()
    assert page.is_valid() and page.design.layers[1]["params"] == {}
    window.undo_action.trigger()
    window.undo_action.trigger()  # both fixes undone: the file's settings as written come back
    assert page.design.layers[0]["params"]["kernal_size"] == 5 and page.layer_stack.cards[0].fix_button is not None
    assert not page.is_valid()


def test_the_fix_from_the_keyboard_leaves_the_focus_on_the_setting_it_fixed(window, qtbot, tmp_path):
    page = _open_misspelt(window, tmp_path)
    window.activateWindow()
    button = page.layer_stack.cards[0].fix_button
    chain = page.layer_stack.cards[0].tab_chain
    assert chain.index(button) == chain.index(page.layer_stack.cards[0].buttons["up"]) - 1  # after the settings
    button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button)
    QTest.keyClick(button, Qt.Key.Key_Space)
    assert page.design.layers[0]["params"]["kernel_size"] == 5
    assert QApplication.focusWidget() is page.layer_stack.cards[0].editors["kernel_size"].number

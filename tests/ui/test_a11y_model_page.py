"""The Model page for a screen reader and the keyboard: every setting of a layer card is named by its label and its
layer, the card's ▲ ▼ ✕ say which layer they move or remove, and after one of them the focus stays on the card
(the cards are made anew after every edit)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel

from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.ui.model.layer_words import action_words, setting_words
from tests.ui.test_training_view import make_project


def _name(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def _labelled_by(widget) -> list[str]:
    """The labels a screen reader reads for ``widget`` (a buddy label; on Linux a combo box's name is its value)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return [other.text(QAccessible.Text.Name) for other, _ in iface.relations(QAccessible.RelationFlag.Label)]


def _page(window, qtbot, tmp_path, layers=("conv2d", "relu", "max_pool2d")):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    page = window.workspace.model_page
    page.tabs.preprocess_panel.set_values(12, 12, 1, "squash", "unit")
    page.set_spec(ModelSpec.create(12, 12, 1, []))
    for kind in layers:
        page.add_layer(kind)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return page


def test_words_for_a_layer_are_one_rule():
    assert action_words("up", 2, "Convolution") == "Move layer 3 (Convolution) up"
    assert action_words("remove", 0, "ReLU") == "Remove layer 1 (ReLU)"
    assert setting_words(2, "Convolution", "kernel size") == "Layer 3, Convolution: kernel size"


def test_every_setting_on_a_card_is_named_by_its_label_and_its_layer(window, qtbot, tmp_path):
    page = _page(window, qtbot, tmp_path)
    conv = page.layer_stack.cards[0]
    assert _name(conv.editors["kernel_size"].number) == "Layer 1, Convolution: kernel size"
    assert _name(conv.editors["bias"].check) == "Layer 1, Convolution: bias"
    label = next(lab for lab, ed in conv.settings if ed is conv.editors["kernel_size"])
    assert isinstance(label, QLabel) and label.buddy() is conv.editors["kernel_size"].number
    pool = page.layer_stack.cards[2]
    for ed in pool.editors.values():
        for w in ed.focus_widgets():
            assert _name(w).startswith("Layer 3, Max pooling: "), _name(w)
    # no focusable box on any card is left unnamed
    for card in page.layer_stack.cards:
        for w in card.tab_chain:
            assert _name(w).strip(), w


def test_card_buttons_keep_their_glyph_and_say_which_layer(window, qtbot, tmp_path):
    page = _page(window, qtbot, tmp_path)
    b = page.layer_stack.cards[2].buttons
    assert [b[n].text() for n in ("up", "down", "remove")] == ["▲", "▼", "✕"]
    assert _name(b["up"]) == "Move layer 3 (Max pooling) up"
    assert _name(b["down"]) == "Move layer 3 (Max pooling) down"
    assert _name(b["remove"]) == "Remove layer 3 (Max pooling)"
    # the undo history uses the same words
    b["up"].click()
    assert page.undo_stack.undoText() == "Move layer 3 (Max pooling) up"
    assert _name(page.layer_stack.cards[1].buttons["up"]) == "Move layer 2 (Max pooling) up"


def test_labels_beside_the_inputs_name_them(window, qtbot, tmp_path):
    page = _page(window, qtbot, tmp_path)
    pp, aug = page.tabs.preprocess_panel, page.tabs.augment_panel
    assert (_name(pp.width_box), _name(pp.height_box)) == ("Input width", "Input height")
    assert (_name(aug.zoom_min), _name(aug.zoom_max)) == ("Zoom from", "Zoom to")
    assert _name(aug.rotation) == "Rotation up to"
    assert "Colours" in _labelled_by(pp.channels)
    panel = page.backbone_panel
    assert "Start from" in _labelled_by(panel.preset_combo)
    assert "Backbone" in _labelled_by(panel.backbone_combo)


def _press(button, qtbot):
    button.setFocus()
    assert button.hasFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_focus_stays_on_the_button_of_the_moved_card(window, qtbot, tmp_path):
    page = _page(window, qtbot, tmp_path)
    stack = page.layer_stack
    _press(stack.cards[2].buttons["up"], qtbot)
    assert [e["type"] for e in page.design.layers] == ["conv2d", "max_pool2d", "relu"]
    assert QApplication.focusWidget() is stack.cards[1].buttons["up"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # up again, without tabbing back
    assert [e["type"] for e in page.design.layers] == ["max_pool2d", "conv2d", "relu"]
    assert QApplication.focusWidget() is stack.cards[0].buttons["down"]  # ▲ cannot be pressed at the top
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert [e["type"] for e in page.design.layers] == ["conv2d", "max_pool2d", "relu"]
    assert QApplication.focusWidget() is stack.cards[1].buttons["down"]
    _press(stack.cards[1].buttons["duplicate"], qtbot)  # Copy: on the copied card's Copy
    assert [e["type"] for e in page.design.layers] == ["conv2d", "max_pool2d", "max_pool2d", "relu"]
    assert QApplication.focusWidget() is stack.cards[1].buttons["duplicate"]


def test_after_remove_the_focus_goes_to_the_next_card_then_the_previous_then_add_layer(window, qtbot, tmp_path):
    page = _page(window, qtbot, tmp_path)
    stack = page.layer_stack
    _press(stack.cards[0].buttons["remove"], qtbot)
    assert [e["type"] for e in page.design.layers] == ["relu", "max_pool2d"]
    assert QApplication.focusWidget() is stack.cards[0].buttons["remove"]
    _press(stack.cards[1].buttons["remove"], qtbot)  # the last card: the one before it
    assert QApplication.focusWidget() is stack.cards[0].buttons["remove"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # none left
    assert page.design.layers == []
    assert QApplication.focusWidget() is page.layer_palette.add_button

"""The Model page from the keyboard (QA keyboard leftovers 1 and 4): Ctrl+Z and Ctrl+Shift+Z leave the focus on the
setting they changed or where the user was, not on the Input tab bar; Tab passes over the page's scroll areas (a
screen reader had nothing to say there) and still shows all they hold."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea

from cnnstudio.engine.model.catalog import CATALOG
from tests.ui.test_training_view import make_project

SMALL_SCREEN = (1024, 614)


def model_page(window, qtbot, tmp_path):
    """The Model page of a new project (its first design: 17 layers, more than the small screen shows), the window
    active so that its shortcuts work."""
    assert window.open_project(make_project(tmp_path))
    window.resize(*SMALL_SCREEN)
    window.workspace.show_step(1)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = window.workspace.model_page
    qtbot.waitUntil(lambda: page.layer_stack.cards and page.layer_stack.cards[-1].isVisible())
    return page


def press(key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifier)


def press_sequence(key: QKeySequence.StandardKey) -> None:
    QTest.keySequence(QApplication.focusWidget(), QKeySequence(key))


def focus_on(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def test_undo_and_redo_leave_the_focus_on_the_setting_they_change(window, qtbot, tmp_path):
    page = model_page(window, qtbot, tmp_path)
    stack = page.layer_stack
    first = page.design.layers[0]["params"]["out_channels"]
    focus_on(qtbot, stack.cards[0].controls["out_channels"])
    press(Qt.Key.Key_Up)  # one more channel: an undo step
    assert page.design.layers[0]["params"]["out_channels"] == first + 1
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is stack.cards[0].controls["kernel_size"]
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.design.layers[0]["params"]["out_channels"] == first
    # the cards are made anew: the focus is on the box that changed back (it was on the Input tab bar)
    box = stack.cards[0].controls["out_channels"]
    assert QApplication.focusWidget() is box and box.value() == first
    press_sequence(QKeySequence.StandardKey.Redo)
    box = stack.cards[0].controls["out_channels"]
    assert page.design.layers[0]["params"]["out_channels"] == first + 1
    assert QApplication.focusWidget() is box and box.value() == first + 1


def test_undo_of_a_removal_puts_the_focus_on_the_layer_it_brings_back(window, qtbot, tmp_path):
    page = model_page(window, qtbot, tmp_path)
    stack = page.layer_stack
    layers = [layer["type"] for layer in page.design.layers]
    focus_on(qtbot, stack.cards[2].buttons["remove"])
    press(Qt.Key.Key_Space)
    assert [layer["type"] for layer in page.design.layers] == layers[:2] + layers[3:]
    assert QApplication.focusWidget() is stack.cards[2].buttons["remove"]  # the next layer's ✕
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [layer["type"] for layer in page.design.layers] == layers
    removed = stack.cards[2].buttons["remove"]
    assert QApplication.focusWidget() is removed
    assert removed.accessibleName().startswith("Remove layer 3")


def test_undo_leaves_the_focus_outside_the_cards_where_it_was(window, qtbot, tmp_path):
    page = model_page(window, qtbot, tmp_path)
    stack = page.layer_stack
    first = page.design.layers[0]["params"]["out_channels"]
    focus_on(qtbot, stack.cards[0].controls["out_channels"])
    press(Qt.Key.Key_Up)
    catalogue = page.layer_palette.tree
    focus_on(qtbot, catalogue)
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.design.layers[0]["params"]["out_channels"] == first
    assert QApplication.focusWidget() is catalogue


def test_tab_passes_over_the_scroll_areas_and_shows_the_output_card(window, qtbot, tmp_path):
    page = model_page(window, qtbot, tmp_path)
    stack = page.layer_stack
    scroll = stack.scroll
    assert scroll.verticalScrollBar().maximum() > 0  # the cards do not all fit: the area scrolls
    areas = [scroll, page.tabs.widget(0), page.tabs.widget(1)]  # the cards; the Input and Augmentation tabs
    assert all(not a.focusPolicy() & Qt.FocusPolicy.TabFocus for a in areas)
    # Tab from "Add layer" goes into the first card, then through every card to the Input tab's bar
    focus_on(qtbot, page.layer_palette.add_button)
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is stack.cards[0].controls["out_channels"]
    last = stack.cards[-1].buttons["remove"]
    reached = []
    for _ in range(300):
        press(Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
        if reached[-1] is last:
            break
    assert reached[-1] is last
    # at the last card's ✕ the output card under it is in view too
    viewport = scroll.viewport()
    output = stack.output_card
    shown = QRect(output.mapTo(viewport, output.rect().topLeft()), output.size())
    assert viewport.rect().contains(shown), (shown, viewport.rect())
    assert viewport.rect().contains(QRect(last.mapTo(viewport, last.rect().topLeft()), last.size()))
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.tabs.tabBar()
    press(Qt.Key.Key_Tab)  # the Input tab's first setting, not the area round it
    reached += [QApplication.focusWidget()]
    assert page.tabs.preprocess_panel.isAncestorOf(QApplication.focusWidget())
    assert not any(isinstance(w, QScrollArea) for w in reached)


def test_delete_removes_the_clicked_layer_as_its_cross_does_and_undo_brings_it_back(window, qtbot, tmp_path):
    """QA keyboard: Delete did nothing on a selected layer."""
    page = model_page(window, qtbot, tmp_path)
    stack = page.layer_stack
    layers = [layer["type"] for layer in page.design.layers]
    card = stack.cards[2]
    assert not card.focusPolicy() & Qt.FocusPolicy.TabFocus  # no tab stop: Tab goes through its settings
    QTest.mouseClick(card.title, Qt.MouseButton.LeftButton)  # the card is selected and has the focus
    qtbot.waitUntil(card.hasFocus)
    assert page.design.selected == 2
    press(Qt.Key.Key_Delete)
    assert [layer["type"] for layer in page.design.layers] == layers[:2] + layers[3:]
    title = CATALOG[layers[2]].title
    assert page.undo_stack.undoText() == f"Remove layer 3 ({title})"  # the ✕'s undo step
    # the focus on the card now in its place: Delete again removes that one
    qtbot.waitUntil(lambda: QApplication.focusWidget() is stack.cards[2])  # once the new cards are shown
    press(Qt.Key.Key_Delete)
    assert [layer["type"] for layer in page.design.layers] == layers[:2] + layers[4:]
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [layer["type"] for layer in page.design.layers] == layers
    # in a setting's box Delete edits the number, and removes nothing
    box = stack.cards[0].controls["out_channels"]
    focus_on(qtbot, box)
    before = box.text()
    press(Qt.Key.Key_Home)
    press(Qt.Key.Key_Delete)
    assert box.text() == before[1:] and [layer["type"] for layer in page.design.layers] == layers
    # with the focus outside the stack (the catalogue) Delete removes nothing either
    focus_on(qtbot, page.layer_palette.tree)
    press(Qt.Key.Key_Delete)
    assert [layer["type"] for layer in page.design.layers] == layers


def test_the_catalogues_arrows_pass_over_its_headings(window, qtbot, tmp_path):
    """QA k1: ↓ landed on "Reshape", and Enter there said it was a heading."""
    page = model_page(window, qtbot, tmp_path)
    palette = page.layer_palette
    tree = palette.tree
    headings = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    layers = [h.child(k) for h in headings for k in range(h.childCount())]
    tree.setCurrentItem(None)
    focus_on(qtbot, tree)
    press(Qt.Key.Key_Home)
    assert tree.currentItem() is layers[0]  # the first layer, not the "Convolution" heading above it
    reached = [tree.currentItem()]
    for _ in layers[1:]:
        press(Qt.Key.Key_Down)
        reached.append(tree.currentItem())
    assert reached == layers  # every layer in turn, no heading between
    press(Qt.Key.Key_Down)
    assert tree.currentItem() is layers[-1]  # the end: stays
    for expected in reversed(layers[:-1]):
        press(Qt.Key.Key_Up)
        assert tree.currentItem() is expected
    press(Qt.Key.Key_Up)
    assert tree.currentItem() is layers[0]  # the top: stays, not on the heading
    press(Qt.Key.Key_Left)
    assert tree.currentItem() is layers[0]  # Left went to the heading
    press(Qt.Key.Key_End)
    assert tree.currentItem() is layers[-1]
    press(Qt.Key.Key_PageUp)
    assert tree.currentItem() in layers
    count = len(page.design.layers)
    press(Qt.Key.Key_Return)  # Enter adds the layer chosen: never the heading note
    assert len(page.design.layers) == count + 1 and palette.note.isHidden()

"""Adding a layer on the Model page: "Add layer" with nothing chosen says what to do (it did nothing, silently), and a
layer that needs a feature map, added with no card selected, goes where it fits, before the flatten, global average
pooling or fully connected layers (it went to the end, red at once); the new card is selected and highlighted."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from cnnstudio.ui.model.palette import ADD_TIP, CHOOSE_FIRST
from tests.ui.test_training_view import make_project


def _page(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    page = window.workspace.model_page
    page.tabs.preprocess_panel.set_values(28, 28, 1, "squash", "unit")
    page.apply_preset("classic")
    return page


def _item(palette, title: str):
    return next(i for i in palette.tree.findItems(title, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
                if i.parent() is not None)


def test_add_layer_with_nothing_chosen_says_to_choose_a_layer_first(window, qtbot, tmp_path):
    page = _page(window, tmp_path)
    palette = page.layer_palette
    palette.tree.setCurrentItem(None)  # as the page opens: no layer chosen
    count = len(page.design.layers)
    assert palette.add_button.toolTip() == CHOOSE_FIRST == "Choose a layer in the list above first."
    assert palette.add_button.isEnabled()  # a tab stop still: Tab goes from it into the cards
    palette.add_button.click()
    assert len(page.design.layers) == count
    assert not palette.note.isHidden() and palette.note.text() == CHOOSE_FIRST
    qtbot.waitUntil(palette.tree.hasFocus)  # the list's arrows choose one now
    heading = palette.tree.topLevelItem(0)
    palette.tree.setCurrentItem(heading)  # a category heading is no layer
    palette.add_button.click()
    assert len(page.design.layers) == count
    assert palette.note.text() == f"“{heading.text(0)}” is a heading: choose a layer under it in the list above first."
    palette.tree.setCurrentItem(_item(palette, "Dropout"))
    assert palette.add_button.toolTip() == ADD_TIP and palette.note.isHidden()
    palette.add_button.click()
    assert len(page.design.layers) == count + 1 and page.design.layers[-1]["type"] == "dropout"


def test_a_convolution_added_to_a_ready_made_design_goes_before_its_flat_part_selected(window, qtbot, tmp_path):
    page = _page(window, tmp_path)
    palette, stack = page.layer_palette, page.layer_stack
    assert page.design.selected == -1 and not any(c.property("selected") for c in stack.cards)
    types = [e["type"] for e in page.design.layers]
    flat = types.index("flatten")
    palette.tree.setCurrentItem(_item(palette, "Convolution"))
    palette.tree.itemActivated.emit(palette.tree.currentItem(), 0)  # a double-click, or Enter
    types = [e["type"] for e in page.design.layers]
    assert types[flat] == "conv2d" and types[flat + 1] == "flatten"
    assert page.is_valid(), page.reason()
    assert not any(c.property("invalid") for c in stack.cards)  # nothing red
    card = stack.cards[flat]
    assert page.design.selected == flat and card.property("selected")  # highlighted: the next one follows it
    assert [i for i, c in enumerate(stack.cards) if c.property("selected")] == [flat]

    def in_view() -> bool:  # the new card whole in the stack's view, once the new cards have their heights
        top = card.mapTo(stack.scroll.viewport(), QPoint(0, 0)).y()
        return top >= 0 and top + card.height() <= stack.scroll.viewport().height()

    qtbot.waitUntil(in_view)
    palette.tree.setCurrentItem(_item(palette, "Batch normalisation"))
    palette.add_button.click()
    assert [e["type"] for e in page.design.layers][flat:flat + 3] == ["conv2d", "batch_norm2d", "flatten"]
    assert page.design.selected == flat + 1 and stack.cards[flat + 1].property("selected") and page.is_valid()
    assert page.undo_stack.undoText() == f"Add layer {flat + 2} (Batch normalisation)"

"""The Model page at a laptop's size: every card's buttons in view without scrolling sideways; and its precise
words (MACs, params, backbone, kernel size...) explained by the glossary in their tooltips."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from cnnstudio.project.glossary import explain
from tests.ui.test_training_view import make_project


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_the_cards_buttons_are_in_view_at_laptop_sizes(window, qtbot, tmp_path, size):
    window.resize(*size)
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    d = window.workspace.model_page
    d.apply_preset("vgg_small")  # wide cards: convolutions with every setting
    stack = d.layer_stack
    qtbot.waitUntil(lambda: stack.cards and stack.cards[-1].isVisible())
    window.resize(*size)  # the page shown decides how small the window may be
    assert (window.width(), window.height()) == size, window.minimumSizeHint()
    scroll = stack.scroll
    assert scroll.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways to
    viewport = scroll.viewport().rect()
    for card in stack.cards:
        for name in ("duplicate", "remove"):
            b = card.buttons[name]
            rect = QRect(b.mapTo(scroll.viewport(), b.rect().topLeft()), b.size())
            assert viewport.left() <= rect.left() and rect.right() <= viewport.right(), (card.title.text(), name)
        # a title that gives way ends in "…", never cut under the numbers beside it ("conv 128 3x:")
        title = card.title
        assert title.fontMetrics().horizontalAdvance(title.shown_text()) <= title.width()
        assert title.shown_text() == title.text() or title.shown_text().endswith("…")
    right = d.mapTo(window, d.rect().topRight()).x()
    assert right <= window.width()


def test_the_model_pages_precise_words_have_plain_tooltips(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    d = window.workspace.model_page
    d.apply_preset("classic")
    conv, pool = d.layer_stack.cards[0], d.layer_stack.cards[2]
    assert explain("MACs") in conv.macs.toolTip() and explain("params") in conv.params.toolTip()
    assert explain("convolution") in conv.toolTip() and explain("pooling") in pool.toolTip()
    assert explain("kernel size") in conv.editors["kernel_size"].toolTip()
    d.add_layer("dropout")
    assert explain("dropout") in d.layer_stack.cards[-1].editors["p"].toolTip()
    bar = d.backbone_panel
    assert explain("backbone") in bar.backbone_combo.toolTip()
    assert explain("frozen") in bar.freeze.toolTip() and explain("fine-tune") in bar.freeze.toolTip()
    assert explain("softmax") in d.layer_stack.output_card.toolTip()
    assert explain("fully connected") in d.layer_stack.output_card.toolTip()
    tree = d.layer_palette.tree
    headings = {tree.topLevelItem(i).text(0): tree.topLevelItem(i).toolTip(0) for i in range(tree.topLevelItemCount())}
    assert explain("batch norm") in headings["Normalisation"]
    assert explain("fully connected") in headings["Fully connected"]


def test_a_cards_cost_is_written_one_way_from_thousands_up():
    from cnnstudio.ui.model.cards import count_text

    # the MACs column mixed "3.5 M MACs" and "131,072 MACs"; parameters stay exact (the summary adds them up)
    assert [count_text(n, "MACs", rounded=True) for n in (0, 9_216, 131_072, 3_538_944, 18_874_368)] == [
        "0 MACs", "9,216 MACs", "131 k MACs", "3.5 M MACs", "19 M MACs"]
    assert count_text(18_432, "params") == "18,432 params"

"""The Model page at a laptop's size: every card's buttons in view without scrolling sideways, its numbers shown
whole (never clipped into another number), its red explanations wrapped inside the card, Tab through a card's
settings before its buttons; and its precise words (MACs, params, backbone, kernel size...) explained by the
glossary in their tooltips."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from cnnstudio.project.glossary import explain
from tests.ui.test_training_view import make_project


SMALL_SCREEN = (1024, 614)  # 1366 x 768 and 1280 x 800 at 125 % (tests/ui/test_window_fits_small_screen.py)


def show_design(window, qtbot, tmp_path, preset, size):
    window.resize(*size)
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    d = window.workspace.model_page
    d.apply_preset(preset)
    stack = d.layer_stack
    qtbot.waitUntil(lambda: stack.cards and stack.cards[-1].isVisible())
    window.resize(*size)  # the page shown decides how small the window may be
    QApplication.processEvents()
    assert (window.width(), window.height()) == size, window.minimumSizeHint()
    return d


def assert_title_whole(title):
    """A card's title is shown whole: on one line, or wrapped at spaces onto as many lines as it is tall."""
    fm, text = title.fontMetrics(), title.text()
    room = title.contentsRect().width()
    assert max(fm.horizontalAdvance(word) for word in text.split()) <= room, (text, room)
    if fm.horizontalAdvance(text) > room:
        lines = fm.boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, text)
        assert lines.height() <= title.contentsRect().height(), (text, room)
    assert title.wordWrap()


def assert_numbers_whole(stack):
    """Each card's shape, parameters and multiply-adds fit their labels: "18,432 params" was painted "3,432"."""
    for card in stack.all_cards():
        for label in card.numbers:
            room = label.contentsRect().width()
            assert label.fontMetrics().horizontalAdvance(label.text()) <= room, (card.title.text(), label.text(), room)
            # and inside the card, not under its edge
            right = label.mapTo(card, label.rect().topRight()).x()
            assert right <= card.contentsRect().right(), (card.title.text(), label.text())
        assert_title_whole(card.title)
    assert stack.scroll.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways to


@pytest.mark.parametrize("preset", ["vgg_small", "mobilenet_v2_transfer", "resnet_small"])
@pytest.mark.parametrize("size", [SMALL_SCREEN, (1280, 800)])
def test_every_number_on_the_cards_is_shown_whole(window, qtbot, tmp_path, preset, size):
    d = show_design(window, qtbot, tmp_path, preset, size)
    stack = d.layer_stack
    assert all(label.text() for card in stack.all_cards()[1:] for label in card.numbers)
    assert_numbers_whole(stack)
    # on a small screen the numbers go under the title on every card (the columns line up); at 1280 px the
    # small VGG keeps them on the title's line
    two_lines = {c.two_lines for c in stack.all_cards()}
    assert len(two_lines) == 1
    if preset == "vgg_small":
        assert two_lines == {size == SMALL_SCREEN}
    if preset == "mobilenet_v2_transfer":
        assert stack.backbone_card.macs.text().endswith("M sums") and stack.backbone_card.isVisible()
    if preset == "resnet_small" and size == SMALL_SCREEN:  # was "residual block 128 …": now on two lines, whole
        title = next(c.title for c in stack.cards if c.title.text() == "residual block 128 stride 2")
        assert title.height() >= 2 * title.fontMetrics().height()


def test_a_red_explanation_wraps_inside_its_card_on_a_small_screen(window, qtbot, tmp_path):
    d = show_design(window, qtbot, tmp_path, "vgg_small", SMALL_SCREEN)
    stack = d.layer_stack
    box = stack.cards[0].editors["out_channels"].number
    box.setValue(0)  # typed: out of range, kept in the box and explained in red
    box.editingFinished.emit()
    d.set_param(3, "kernel_size", 99)  # the validator's own error, on the fourth card
    QApplication.processEvents()
    for card, label in ((stack.cards[0], stack.cards[0].entry_error), (stack.cards[3], stack.cards[3].error)):
        assert label.isVisible() and len(label.text()) > 60, label.text()
        one_line = label.fontMetrics().horizontalAdvance(label.text())
        assert label.wordWrap() and one_line > label.width()  # too long for one line: it wraps
        assert label.height() >= 2 * label.fontMetrics().lineSpacing()
        right = label.mapTo(card, label.rect().topRight()).x()
        assert right <= card.contentsRect().right()
        viewport = stack.scroll.viewport()  # and in view: "…must be a whole nu" was cut by the scroll area
        assert label.mapTo(viewport, label.rect().topRight()).x() <= viewport.rect().right()
    assert_numbers_whole(stack)


def test_a_card_grows_to_hold_its_whole_red_explanation(window, qtbot, tmp_path):
    """QA: two explanations on "conv 1" of the Recommended design at 1093 x 614 were cut, the first line half under
    the "bias" row and the last at "…The design keeps 3 until you type an": the card stayed at the height it
    wanted at its preferred width."""
    d = show_design(window, qtbot, tmp_path, "default", SMALL_SCREEN)
    card = d.layer_stack.cards[0]
    height_before = card.height()
    for name, typed in (("out_channels", 0), ("kernel_size", 99)):  # typed, then Tab
        box = card.editors[name].number
        box.setValue(typed)
        box.editingFinished.emit()
    QApplication.processEvents()
    label = card.entry_error
    assert label.isVisible() and label.text().count("\n") == 1 and label.text().endswith("allowed value.")
    assert label.heightForWidth(label.width()) <= label.height()  # every line of the text, none cut
    where = QRect(label.mapTo(card, label.rect().topLeft()), label.size())
    assert card.contentsRect().contains(where)
    for name_label, editor in card.settings:  # under the settings, not over them
        for w in (name_label, editor):
            assert not QRect(w.mapTo(card, w.rect().topLeft()), w.size()).intersects(where), name_label.text()
    assert card.height() > height_before
    for name, good in (("out_channels", 32), ("kernel_size", 3)):  # put right: the card is as small as before
        box = card.editors[name].number
        box.setValue(good)
        box.editingFinished.emit()
    assert label.isHidden()
    qtbot.waitUntil(lambda: card.height() == height_before)  # the layouts settle over more than one pass


def test_tab_goes_through_a_cards_settings_then_its_buttons(window, qtbot, tmp_path):
    d = show_design(window, qtbot, tmp_path, "vgg_small", SMALL_SCREEN)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    cards = d.layer_stack.cards
    conv = next(c for c in cards[1:] if "out_channels" in c.editors)  # one whose ▲ is on
    first = conv.editors["out_channels"].number
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)

    def where(w):
        for card in cards:
            for name, b in getattr(card, "buttons", {}).items():
                if b is w:
                    return cards.index(card), name
            for name, ed in card.editors.items():
                if ed.isAncestorOf(w):
                    return cards.index(card), name
        return None, w.objectName() or type(w).__name__

    seen = [where(first)]
    for _ in range(9):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(where(QApplication.focusWidget()))
    i = cards.index(conv)
    settings = [name for name in conv.editors]  # the catalog's order, as they read
    assert settings[:3] == ["out_channels", "kernel_size", "stride"]
    order = settings + ["up", "down", "duplicate", "remove"]
    assert seen[:len(order)] == [(i, name) for name in order]
    assert seen[len(order)][0] == i + 1  # then the next card

    # the cards come after the list of layers, before the Input tab on the right (they were made last); the scroll
    # area round them is no tab stop (a screen reader had nothing to say there)
    add = d.layer_palette.add_button
    add.setFocus()
    qtbot.waitUntil(add.hasFocus)
    qtbot.keyClick(add, Qt.Key.Key_Tab)
    assert where(QApplication.focusWidget()) == (0, "out_channels")


@pytest.mark.parametrize("size", [SMALL_SCREEN, (1280, 800), (1366, 768)])
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
        assert_title_whole(card.title)  # never cut under the numbers beside it ("conv 128 3x:") nor "residual block 1…"
    right = d.mapTo(window, d.rect().topRight()).x()
    assert right <= window.width()


def test_the_model_pages_precise_words_have_plain_tooltips(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    d = window.workspace.model_page
    d.apply_preset("classic")
    conv, pool = d.layer_stack.cards[0], d.layer_stack.cards[2]
    assert explain("MACs") in conv.macs.toolTip() and explain("params") in conv.params.toolTip()
    assert "MACs" not in conv.macs.text() and conv.macs.text().endswith(" sums")  # plain words on screen
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
    assert [count_text(n, "multiply-adds") for n in (1_816_000_000, 465_937_000_000)] == [
        "1.8 G multiply-adds", "466 G multiply-adds"]  # not "465937 M"


def _catalogue_items(tree):
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        yield top
        yield from (top.child(k) for k in range(top.childCount()))


def _assert_titles_whole(tree, one_line: bool) -> None:
    """Every title of the layer catalogue fits its row: on one line (``one_line``), or wrapped at spaces onto as
    many lines as its row holds; each row inside the list."""
    from PySide6.QtGui import QFontMetrics

    margin = 2 * (tree.style().pixelMetric(tree.style().PixelMetric.PM_FocusFrameHMargin, None, tree) + 1)
    for item in _catalogue_items(tree):
        rect, fm = tree.visualItemRect(item), QFontMetrics(item.font(0))
        room = rect.width() - margin
        text = item.text(0)
        assert rect.right() <= tree.viewport().width(), text
        if one_line:
            assert fm.horizontalAdvance(text) <= room, (text, room)
        else:
            assert max(fm.horizontalAdvance(word) for word in text.split()) <= room, (text, room)
            lines = fm.boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, text)
            assert lines.height() <= rect.height(), (text, rect)


def test_the_layer_catalogue_shows_every_title_whole(window, qtbot, tmp_path):
    """"Global average po…": at 1,024 x 614 every title on one line; squeezed by the splitter, wrapped, never cut."""
    d = show_design(window, qtbot, tmp_path, "default", SMALL_SCREEN)
    tree = d.layer_palette.tree
    _assert_titles_whole(tree, one_line=True)
    assert any(len(item.text(0)) >= len("Global average pooling") for item in _catalogue_items(tree))
    pooling = tree.findItems("Global average pooling", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[0]
    one_row = tree.visualItemRect(pooling).height()
    splitter = d.layer_palette.parentWidget()
    splitter.setSizes([0, 2000, 0])  # as narrow as the splitter lets it: the titles wrap
    assert d.layer_palette.width() == tree.minimumSizeHint().width()
    qtbot.waitUntil(lambda: tree.visualItemRect(pooling).height() > one_row)
    _assert_titles_whole(tree, one_line=False)

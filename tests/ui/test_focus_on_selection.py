"""The keyboard's focus frame reads on a selected (blue) cell as on a plain one: 3:1 (WCAG's non-text contrast) on
the selection colour, the window and the base colour, in light and dark palettes (ui/colour_rules.focus); the dark
blue frame read at about 2:1 on Fusion's selection blue."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

from cnnstudio.ui import colour_rules as rules
from cnnstudio.ui.keyboard import focus_colour, install_focus_style

PALETTES = {  # (window, base, selection)
    "Fusion light": ("#efefef", "#ffffff", "#308cc6"),
    "Windows light": ("#f0f0f0", "#ffffff", "#0078d4"),
    "macOS light": ("#ececec", "#ffffff", "#0064e1"),
    "Fusion dark": ("#323232", "#242424", "#308cc6"),
    "a dark one": ("#2b2b2b", "#1e1e1e", "#2a82da"),
    "Windows dark": ("#202020", "#1c1c1c", "#0078d4"),
}


@pytest.mark.parametrize("name", PALETTES)
def test_the_focus_colour_reads_on_the_window_the_base_and_the_selection(name):
    window, base, selection = PALETTES[name]
    colour = rules.focus(window, base, selection)
    for background in (window, base, selection):
        assert rules.contrast(colour, background) >= rules.NON_TEXT_CONTRAST, (name, colour, background)
    start = rules.FOCUS_ON_DARK if rules.is_dark(window) else rules.FOCUS_ON_LIGHT
    assert rules.is_dark(colour) == rules.is_dark(start)  # dark blue stays dark, yellow light: the same frame


def test_a_selection_colour_that_is_no_trouble_keeps_the_usual_frame():
    assert rules.focus("#efefef", "#ffffff", "#cce8ff") == rules.FOCUS_ON_LIGHT  # a pale selection
    assert rules.focus("#202020", "#1c1c1c", "#0078d4") == rules.FOCUS_ON_DARK


def test_with_no_colour_at_3_to_1_the_one_that_reads_best_is_chosen():
    colour = rules.focus("#31363b", "#1b1e20", "#3daee9")  # Breeze Dark: a light blue selection on a dark base
    best = min(rules.contrast(colour, bg) for bg in ("#31363b", "#1b1e20", "#3daee9"))
    assert best >= min(rules.contrast(rules.FOCUS_ON_DARK, bg) for bg in ("#31363b", "#1b1e20", "#3daee9"))


@pytest.mark.parametrize("name", ["Fusion light", "Fusion dark"])
def test_a_focused_selected_cell_is_framed_in_a_colour_that_reads_on_it(qapp, qtbot, name):
    window, base, selection = PALETTES[name]
    before_palette, before_style = QPalette(qapp.palette()), qapp.style().name()
    palette = QPalette(before_palette)
    role = QPalette.ColorRole
    for r, c in ((role.Window, window), (role.Base, base), (role.Highlight, selection),
                 (role.Text, "#000000" if base == "#ffffff" else "#f0f0f0")):
        palette.setColor(r, QColor(c))
    qapp.setPalette(palette)
    install_focus_style(qapp)
    try:
        table = QTableWidget(2, 2)
        for r in range(2):
            for c in range(2):
                table.setItem(r, c, QTableWidgetItem(f"{r}{c}"))
        qtbot.addWidget(table)
        table.show()
        table.activateWindow()
        table.setFocus()
        qtbot.waitUntil(table.hasFocus)
        table.setCurrentCell(0, 0)  # current and selected: blue, with the focus frame
        assert table.item(0, 0).isSelected()
        table.viewport().repaint()
        QApplication.processEvents()
        rect = table.visualItemRect(table.item(0, 0))
        image = table.viewport().grab().toImage()
        colour = focus_colour(table)
        middle = rect.center()
        for x, y in ((rect.left(), middle.y()), (rect.left() + 1, middle.y()), (middle.x(), rect.top())):
            assert QColor(image.pixel(x, y)) == colour, (x, y)  # the frame, round the selected cell
        inside = QColor(image.pixel(rect.left() + 4, rect.bottom() - 4)).name()  # the selection's blue
        assert rules.contrast(colour.name(), inside) >= 3 and rules.contrast(colour.name(), base) >= 3
    finally:
        qapp.setPalette(before_palette)
        qapp.setStyle(before_style)

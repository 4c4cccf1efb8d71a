"""A check box's edge reads on a dark palette (the Model page's "bias" box all but vanished on its dark card):
ui/colour_rules.box_edge picks the colour, ui/keyboard.FocusStyle draws it; a light palette keeps the style's own."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from cnnstudio.ui import colour_rules as rules
from cnnstudio.ui.keyboard import install_focus_style
from tests.ui.test_colours import DARK, LIGHT, _palette_of

DARK_THEMES = [tuple(DARK.values()), ("#31363b", "#1b1e20", "#fcfcfc"), ("#353535", "#191919", "#ffffff"),
               ("#5a5a5a", "#404040", "#ffffff")]  # (window, base, text): ours, Breeze Dark, Fusion's, a light one


@pytest.mark.parametrize("window,base,text", DARK_THEMES)
def test_on_a_dark_window_a_boxs_edge_reads_on_the_window_and_the_base(window, base, text):
    edge = rules.box_edge(window, base, text)
    assert rules.contrast(edge, window) >= rules.NON_TEXT_CONTRAST and rules.contrast(edge, base) >= 3
    assert rules.contrast(edge, text) > 1.5  # a grey between them, not the words' own colour


def test_on_a_light_window_the_styles_own_edge_stays():
    assert rules.box_edge(LIGHT["window"], LIGHT["base"], LIGHT["text"]) is None


@pytest.fixture
def focus_style(qapp):
    before = qapp.style().name()
    install_focus_style(qapp)
    yield
    qapp.setStyle(before)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_layer_forms_bias_box_and_its_name_read_on_the_palette(qapp, qtbot, focus_style, theme):
    from cnnstudio.engine.model.catalog import get_layer
    from cnnstudio.ui.model.params import ParamEditor

    colours = DARK if theme == "dark" else LIGHT
    for _ in _palette_of(qapp, colours):
        spec = next(p for p in get_layer("conv2d").params if p.name == "bias")
        form = QWidget()
        row = QHBoxLayout(form)
        editor = ParamEditor(spec, False)  # off, as a convolution before batch norm has it: an empty box
        row.addWidget(editor.label)
        row.addWidget(editor)
        qtbot.addWidget(form)
        form.show()
        QApplication.processEvents()
        image = editor.check.grab().toImage()
        drawn = {QColor(image.pixel(x, y)).name() for x in range(image.width()) for y in range(image.height())}
        edge = rules.box_edge(colours["window"], colours["base"], colours["text"])
        if theme == "dark":
            assert edge in drawn
            for background in (colours["window"], colours["base"]):
                assert rules.contrast(edge, background) >= 3
        else:
            assert edge is None
        words = editor.label.palette().windowText().color().name()
        assert editor.label.text() == "bias" and rules.contrast(words, colours["window"]) >= rules.TEXT_CONTRAST

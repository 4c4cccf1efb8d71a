"""The status colours follow the window's palette (ui/colour_rules.py, Qt-free; ui/colours.py): today's colours on a
light window, readable ones on a dark window (QA look report: red on dark grey, pastel boxes with dark words)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from cnnstudio.project.split_style import SPLIT_COLORS, SPLIT_COLORS_DARK, split_color
from cnnstudio.ui import colour_rules as rules
from cnnstudio.ui.colours import note_colours, status_colour, words_on
from cnnstudio.ui.evaluate.score_tables import ConfusionModel
from cnnstudio.ui.train.failure_note import FailureNote

DARK = {"window": "#2b2b2b", "base": "#1e1e1e", "text": "#e6e6e6"}
LIGHT = {"window": "#efefef", "base": "#ffffff", "text": "#000000"}


def test_a_light_window_keeps_todays_colours_and_a_dark_one_gets_readable_ones():
    assert rules.is_dark(DARK["window"]) and not rules.is_dark(LIGHT["window"])
    assert rules.status("error", LIGHT["window"]) == "#c0392b"
    assert rules.note("error", LIGHT["window"], LIGHT["base"], LIGHT["text"]) == ("#fdecea", "#78281f", "#e6b0aa")
    for kind in ("error", "ok", "warning", "info", "muted", "complete", "failed", "running", "pruned"):
        dark = rules.status(kind, DARK["window"], [DARK["window"], DARK["base"]], DARK["text"])
        assert dark != rules.status(kind, LIGHT["window"])
        for bg in (DARK["window"], DARK["base"]):
            assert rules.contrast(dark, bg) >= rules.TEXT_CONTRAST, (kind, dark, bg)
            # the light window's colour would not read there: what the rule is for
        assert rules.contrast(rules.status(kind, LIGHT["window"]), DARK["base"]) < rules.TEXT_CONTRAST or kind in (
            "muted", "pruned", "info", "running")
    for kind in ("error", "warning", "ok", "neutral"):
        bg, words, _border = rules.note(kind, DARK["window"], DARK["base"], DARK["text"])
        assert rules.is_dark(bg) and rules.contrast(words, bg) >= 7  # the palette's own text on a dark tint


def test_a_dark_theme_lighter_than_usual_still_reads():
    """A mid-grey window: the dark colour is drawn towards the text colour until it reads (never unreadable)."""
    window, text = "#5a5a5a", "#ffffff"
    for kind in ("error", "ok", "warning", "info"):
        c = rules.status(kind, window, [window], text)
        assert rules.contrast(c, window) >= rules.TEXT_CONTRAST, (kind, c)


def test_the_splits_greys_stand_out_from_a_dark_window_largest_split_lightest():
    window = QColor(DARK["window"])
    for split, colour in SPLIT_COLORS_DARK.items():
        assert rules.contrast(colour, DARK["window"]) >= 3, split
        assert split_color(split, dark=True) == colour and split_color(split) == SPLIT_COLORS[split]
    assert QColor(SPLIT_COLORS_DARK["train"]).lightness() > QColor(SPLIT_COLORS_DARK["test"]).lightness()
    assert window.lightness() < QColor(SPLIT_COLORS_DARK["test"]).lightness()
    assert rules.text_on(split_color("train", dark=True)) == "#000000"
    assert rules.text_on(split_color("train")) == "#FFFFFF"


def _palette_of(qapp, colours: dict):
    """The application's palette with ``colours`` for one test (a widget asks for its colours when it is made)."""
    before = QPalette(qapp.palette())
    p = QPalette(before)
    R = QPalette.ColorRole
    for role, c in ((R.Window, colours["window"]), (R.Base, colours["base"]), (R.WindowText, colours["text"]),
                    (R.Text, colours["text"])):
        p.setColor(role, QColor(c))
    qapp.setPalette(p)
    yield qapp
    qapp.setPalette(before)


@pytest.fixture
def dark_app(qapp):
    yield from _palette_of(qapp, DARK)


@pytest.fixture
def light_app(qapp):
    yield from _palette_of(qapp, LIGHT)


def test_on_a_dark_palette_a_failure_note_is_a_dark_box_with_light_words(qtbot, dark_app):
    note = FailureNote()
    qtbot.addWidget(note)
    bg, words, _ = note_colours("error", note)
    assert f"background: {bg}; color: {words};" in note.styleSheet()
    assert rules.is_dark(bg) and words == DARK["text"]
    assert "#fdecea" not in note.styleSheet()


def test_on_a_dark_palette_the_confusion_matrix_shades_into_the_dark_base(qtbot, dark_app):
    page = QWidget()
    qtbot.addWidget(page)
    model = ConfusionModel(page)
    model.set_matrix(["cat", "dog"], [[9, 1], [0, 10]])
    empty = model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole)
    assert empty.name() == DARK["base"]  # nothing: the base colour, not a white hole
    for r, c in ((0, 0), (0, 1), (1, 1)):
        bg = model.data(model.index(r, c), Qt.ItemDataRole.BackgroundRole)
        fg = model.data(model.index(r, c), Qt.ItemDataRole.ForegroundRole)
        assert rules.contrast(fg.name(), bg.name()) >= 3, (r, c, fg.name(), bg.name())
    assert words_on(QColor(DARK["base"]), page).name() == DARK["text"]
    assert status_colour("error", page) != "#c0392b"
    assert status_colour("error", None) == status_colour("error", page)  # no widget: the application's palette


def test_on_a_light_palette_nothing_changes(qtbot, light_app):
    note = FailureNote()
    qtbot.addWidget(note)
    assert "background: #fdecea; color: #78281f;" in note.styleSheet()
    assert status_colour("error", note) == "#c0392b"

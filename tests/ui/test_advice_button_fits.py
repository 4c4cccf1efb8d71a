"""An advice button's words never narrow its finding's sentence below 80 characters' room (the button keeps at
least 24), and they are always whole: longer words (a long label, a translation) wrap at whole words over more lines,
whole in its tooltip and accessible name too (QA at 1,024 x 614 read "Train a new run for…")."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cnnstudio.engine.runs.advice import Advice
from cnnstudio.ui.advice_panel import AdvicePanel, button_room, button_tip, wrap_words

SENTENCE = ("The model learned nothing: it gives every picture the same class, whatever the picture shows, so "
            "its accuracy is what guessing the commonest class would get.")
LONG = "Train a new run for 22 epochs with augmentation on and a smaller learning rate now"  # 82 characters


def _row(qtbot, label: str, width: int) -> tuple:
    panel = AdvicePanel()
    qtbot.addWidget(panel)
    act = {"id": "more_epochs", "label": label, "page": "Train"}
    panel.set_advice([Advice("underfitting", "high", SENTENCE, {}, act)])
    panel.resize(width, 400)
    panel.show()
    QApplication.processEvents()
    return panel, panel.buttons[0], panel._rows[0]


def fits(button) -> bool:
    """Every line of the button's words is within the button's width (nothing drawn past its edges)."""
    metrics = button.fontMetrics()
    return all(metrics.horizontalAdvance(line) <= button.width() for line in button.text().split("\n"))


def test_a_long_button_label_wraps_at_whole_words_within_its_room(qtbot):
    assert len(LONG) >= 80
    short_panel, short, _ = _row(qtbot, "Train 20 more epochs", 520)
    panel, button, _ = _row(qtbot, LONG, 520)
    assert short.text() == "Train 20 more epochs" and short.toolTip() == button_tip({"page": "Train"})
    lines = button.text().split("\n")
    assert len(lines) > 1 and " ".join(lines) == LONG and "…" not in button.text()  # whole, at whole words
    assert button.accessibleName() == LONG and button.toolTip() == f"{LONG}. {button_tip({'page': 'Train'})}"
    assert fits(button) and button.width() <= button_room(button.fontMetrics(), panel.width())
    assert panel._texts[0].width() >= short_panel._texts[0].width() - 1  # the sentence keeps its room


def test_the_label_is_on_one_line_where_there_is_room(qtbot):
    panel, button, _ = _row(qtbot, LONG, 520)
    assert button.text() != LONG
    panel.resize(2400, 400)  # a wide window: the words show on one line, the tooltip only says what it does
    qtbot.waitUntil(lambda: button.text() == LONG and fits(button))  # laid out again at its new width
    assert button.toolTip() == button_tip({"page": "Train"}) and button.accessibleName() == LONG


def test_words_wrap_at_whole_words_and_a_word_wider_than_the_room_stands_alone():
    assert wrap_words("Train a new run for 22 epochs (this one had 2)", 24, len) == [
        "Train a new run for 22", "epochs (this one had 2)"]
    assert wrap_words("Check the labels", 24, len) == ["Check the labels"]
    assert wrap_words("Use Überwachungsdatenbankabgleich now", 10, len) == ["Use", "Überwachungsdatenbankabgleich",
                                                                         "now"]
    assert all(len(line) <= 24 for line in wrap_words(LONG, 24, len))


def test_a_word_wider_than_the_room_is_the_only_cut(qtbot):
    word = "Überwachungsdatenbankabgleichsverfahrensbeschreibungsdokumentation" * 2
    panel, button, _ = _row(qtbot, f"Use {word}", 520)
    assert button.text().startswith("Use\n") and button.text().endswith("…") and fits(button)
    assert button.toolTip().startswith(f"Use {word}. ")

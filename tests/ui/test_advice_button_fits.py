"""An advice button's words never narrow its finding's sentence below 80 characters' room (the button keeps at
least 24): longer words (a long label, a translation) are cut at a whole word with "…", whole in its tooltip and
accessible name, so the row is no taller with a long label than with a short one."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cnnstudio.engine.runs.advice import Advice
from cnnstudio.ui.advice_panel import AdvicePanel, button_room, button_tip

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


def test_a_long_button_label_keeps_the_row_as_tall_as_a_short_one(qtbot):
    assert len(LONG) >= 80
    short_panel, short, short_row = _row(qtbot, "Train 20 more epochs", 520)
    panel, button, row = _row(qtbot, LONG, 520)
    assert short.text() == "Train 20 more epochs" and short.toolTip() == button_tip({"page": "Train"})
    assert button.accessibleName() == LONG and button.text().endswith("…") and button.text() != LONG
    assert LONG.startswith(button.text()[:-1] + " ")  # cut at a whole word
    assert button.toolTip() == f"{LONG}. {button_tip({'page': 'Train'})}"
    assert button.width() <= button_room(button.fontMetrics(), panel.width())
    assert row.sizeHint().height() <= short_row.sizeHint().height()
    assert panel._texts[0].height() <= short_panel._texts[0].height()


def test_the_label_is_whole_where_there_is_room(qtbot):
    panel, button, _ = _row(qtbot, LONG, 520)
    assert button.text() != LONG
    panel.resize(2400, 400)  # a wide window: the words show whole, the tooltip only says what it does
    qtbot.waitUntil(lambda: button.text() == LONG)
    assert button.toolTip() == button_tip({"page": "Train"}) and button.accessibleName() == LONG

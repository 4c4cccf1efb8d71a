"""The advice of a model no better than guessing, "Check the labels" (engine: advice_actions "check_data"), shows the
Data page's "Check data" tab, where the check is started; and at 1,024 x 614 every advice button's words are whole
and within the button (QA read "Train a new run for…")."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cnnstudio.engine.runs.advice import Advice
from cnnstudio.engine.runs.advice_actions import action, for_run
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.ui.advice_panel import button_tip, button_words
from tests.ui.test_training_view import make_project

SETTINGS = TrainSettings(epochs=2, lr=0.05)
SENTENCE = ("The model is no better than guessing: it recognised 50% of the validation pictures, what always "
            "answering the commonest class would get.")


def findings() -> list[Advice]:
    """One finding for each of the longest buttons the advice has, with the engine's own words."""
    acts = [for_run(action("train_more", SETTINGS, trained=2), "r1"), action("check_data", SETTINGS),
            for_run(action("lower_lr", SETTINGS), "r1"), for_run(action("smaller_batch", SETTINGS, batch_size=8), "r1"),
            for_run(action("look_at_mistakes", SETTINGS, classes=["a", "b"]), "r1")]
    return [Advice(a["id"], "high", SENTENCE, {}, a) for a in acts]


def test_check_the_labels_shows_the_data_pages_check_data(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    act = action("check_data", SETTINGS)
    tip = "Shows the Data page's Check data, which looks for wrong labels among all the pictures."
    assert button_tip(act) == tip
    assert button_words(act, "MyProject was opened read-only.") == (tip, True)  # it only shows a tab: stays on
    data = window.workspace.data
    assert data.side.currentWidget() is data.splits  # "Split & health" first
    window.workspace.show_step(2)
    page = window.workspace.train_page
    page.advice.set_advice([Advice("guessing", "high", SENTENCE, {}, act)])
    (button,) = page.advice.buttons
    assert button.toolTip() == tip
    button.click()
    assert window.workspace.nav.currentRow() == 0 and data.side.currentWidget() is data.check
    assert data.check.run.hasFocus() and data.check.thread is None  # ready to start, nothing started


def test_every_advice_button_is_whole_and_within_itself_at_1024_x_614(window, qtbot, tmp_path):
    window.resize(1024, 614)
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(2)
    page = window.workspace.train_page
    page.advice.set_advice(findings())
    page.advice_box.show_advice(True)
    QApplication.processEvents()
    assert window.width() == 1024 and window.height() == 614
    buttons = page.advice.buttons
    assert len(buttons) == 5 and buttons[0].accessibleName() == "Train a new run for 22 epochs (this one had 2)"

    def whole_and_within(button) -> bool:
        metrics, lines = button.fontMetrics(), button.text().split("\n")
        return " ".join(lines) == button.accessibleName() and all(
            metrics.horizontalAdvance(line) <= button.width() for line in lines)

    qtbot.waitUntil(lambda: all(whole_and_within(b) for b in buttons))
    assert not any("…" in b.text() for b in buttons)
    assert any("\n" in b.text() for b in buttons)  # at this width the longest words take two lines
    for b in buttons:  # a wrapped button's tooltip says its words whole first
        assert "\n" not in b.text() or b.toolTip().startswith(b.accessibleName().rstrip(".") + ". ")

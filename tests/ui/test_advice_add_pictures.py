"""QA (beginner): "Add pictures" only switched to the Data page, no import and no hint, and for "Only 13 validation
pictures" importing alone puts none in validation. Now it opens the Data page's import (Import a folder…, the system's
folder dialog) and, for too few validation pictures, says that Split then shares some new ones into validation, with
"Split & health" shown."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from cnnstudio.engine.runs.advice import Advice
from cnnstudio.engine.runs.advice_actions import action
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.ui.advice_panel import add_pictures_words
from tests.ui.test_training_view import make_project

SETTINGS = TrainSettings(epochs=2, lr=0.05)


def press_and_close_the_import(window, qtbot, act: dict) -> list[str]:
    """Press the finding's "Add pictures" on the Train page; the titles of the file dialogs it opened (each closed)."""
    window.workspace.show_step(2)
    page = window.workspace.train_page
    page.advice.set_advice([Advice("small_validation", "medium", "Only 13 validation pictures.", {}, act)])
    (button,) = page.advice.buttons
    assert button.toolTip() == add_pictures_words(act)
    opened: list[str] = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            opened.append(dialog.windowTitle())
            dialog.reject()

    timer = QTimer(window)
    timer.timeout.connect(close_dialog)
    timer.start(20)
    button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    timer.stop()
    return opened


def test_add_pictures_opens_the_import_and_says_split_puts_some_in_validation(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    act = action("add_pictures", SETTINGS, split="validation")
    assert press_and_close_the_import(window, qtbot, act) == ["Import a folder of images"]
    data = window.workspace.data
    assert window.workspace.nav.currentRow() == 0 and data.side.currentWidget() is data.splits
    said = window.statusBar().currentMessage()
    assert said == add_pictures_words(act) and "press Split" in said and "into validation" in said


def test_add_pictures_for_a_small_class_opens_the_import_without_the_split_words(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    act = action("add_pictures", SETTINGS, label_name="apples")
    assert press_and_close_the_import(window, qtbot, act) == ["Import a folder of images"]
    assert window.workspace.nav.currentRow() == 0
    assert "Split" not in window.statusBar().currentMessage() and "import" in window.statusBar().currentMessage()

"""Ctrl+Return, the Train menu's "Start Training", from any step (it did nothing on the others, silently): the Train
page shown and a run started, or the status bar says why it cannot start (the step shown stays). Start's tooltip
names its design and its shortcut in sentences of their own, in the tooltip's own weight (not the button's bold).
A real window, a real project and a real run."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QToolTip

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.runs.recipe import BEFORE_START
from cnnstudio.project import Project
from tests.ui.test_training_view import open_tiny


def _active(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _ctrl_return(window, qtbot):
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_return_on_another_step_shows_the_train_page_and_starts(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("model")
    _active(window, qtbot)
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as ended:
        _ctrl_return(window, qtbot)
        assert window.workspace.current_step() == "train"
    assert isinstance(ended.args[0], RunFinished)


def test_ctrl_return_when_start_is_off_says_why_in_the_status_bar(window, qtbot, tmp_path):
    Project.create(tmp_path / "empty").close()  # no pictures: Start is off
    assert window.open_project(tmp_path / "empty")
    window.workspace.show_step_key("model")
    _active(window, qtbot)
    _ctrl_return(window, qtbot)
    said = window.statusBar().currentMessage()
    assert said.startswith("Training cannot start: ") and said.endswith(".")
    assert window.workspace.current_step() == "model"
    assert not window.workspace.train_page.running


def test_starts_tooltip_says_its_design_and_shortcut_in_sentences_not_in_bold(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    tip = page.start_button.toolTip()
    assert "the Model page's design: " in tip and "Ctrl+Return starts it from any step." in tip
    page.update_auto_note()
    page._recipe_tip = f" {BEFORE_START}"  # the recipe's comparison, as auto_hint adds it
    page._update_buttons()
    tip = page.start_button.toolTip()
    assert f". Ctrl+Return starts it from any step. {BEFORE_START}" in tip  # each sentence ends
    assert page.start_button.font().bold() or "bold" in page.start_button.styleSheet()
    QToolTip.showText(page.start_button.mapToGlobal(QPoint(5, 5)), tip, page.start_button)
    qtbot.waitUntil(QToolTip.isVisible)
    label = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "QTipLabel" or
                 w.metaObject().className() == "QTipLabel")
    assert not label.font().bold()
    QToolTip.hideText()

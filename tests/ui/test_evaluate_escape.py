"""Escape on the Evaluate page does what Cancel does while an evaluation runs (the scores of before come back), and
nothing otherwise: not while nothing runs, not on another step, not in a dialog, not in a text box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cnnstudio.ui.evaluate.cancel_key import EscapeCancels
from cnnstudio.ui.evaluate.split_words import CANCEL_TIP, EVALUATING
from tests.ui.test_training_view import open_trained


def _shown(window, qtbot):
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    return page


def _focus_on_steps(window, qtbot) -> None:
    """Keyboard focus in the window, on the step list: the page's shortcut is the window's while the page is shown.
    Done before an evaluation starts: between its start and Escape no event is processed, so it still runs."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.workspace.nav.setFocus()
    qtbot.waitUntil(window.workspace.nav.hasFocus)


def test_escape_cancels_a_running_evaluation_and_the_scores_of_before_come_back(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path)
    page = _shown(window, qtbot)
    assert "Esc" in CANCEL_TIP and page.cancel_button.toolTip() == CANCEL_TIP
    before = page.result
    _focus_on_steps(window, qtbot)
    page.again.click()
    assert page.thread is not None and page.summary.text() == EVALUATING
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        QTest.keyClick(window.workspace.nav, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
    assert page._cancelled  # it was Escape that stopped it: a finished evaluation would show its own result
    assert page.result is before and "validation pictures recognised correctly" in page.summary.text()
    assert page.scores.isEnabled() and page.again.isEnabled() and not page.cancel_button.isVisible()
    assert page.escape.key().isEmpty()  # nothing runs: the key is nobody's


def test_escape_does_nothing_when_nothing_runs_or_another_step_is_shown(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path)
    page = _shown(window, qtbot)
    escapes = []
    page.escape.activated.connect(lambda: escapes.append(1))
    _focus_on_steps(window, qtbot)
    QTest.keyClick(window.workspace.nav, Qt.Key.Key_Escape)  # nothing runs: no key is taken
    assert escapes == [] and page.escape.key().isEmpty() and page.thread is None

    page.again.click()
    window.workspace.show_step(0)  # another step: Escape is not the Evaluate page's there
    window.workspace.nav.setFocus()
    assert not page.isVisible() and not page.escape.key().isEmpty()  # armed, but its page is hidden
    with qtbot.waitSignal(page.evaluated, timeout=30_000):  # it ends on its own: a result, not cancelled
        QTest.keyClick(window.workspace.nav, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
    assert escapes == [] and not page._cancelled and page.escape.key().isEmpty()


def test_a_text_box_and_a_dialog_keep_their_escape(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    box, button = QLineEdit(), QPushButton("Cancel")
    lay = QVBoxLayout(page)
    lay.addWidget(box)
    lay.addWidget(button)
    cancels = []
    escape = EscapeCancels(page, lambda: cancels.append(1))
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    escape.set_running(True)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    assert escape.key().isEmpty()  # a text box has focus: its Escape is its own
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert cancels == []

    dialog = QDialog(page)  # a dialog keeps its Escape: it closes, nothing is cancelled
    ok = QPushButton("OK")
    QVBoxLayout(dialog).addWidget(ok)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    ok.setFocus()
    qtbot.waitUntil(ok.hasFocus)
    assert not escape.key().isEmpty()  # armed (focus is on a button), but the dialog is another window
    QTest.keyClick(ok, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and cancels == []

    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    QTest.keyClick(button, Qt.Key.Key_Escape)
    assert cancels == [1]
    escape.set_running(False)
    QTest.keyClick(button, Qt.Key.Key_Escape)
    assert cancels == [1] and escape.key().isEmpty()

"""The Rename dialog's field shows the run's name from its start, whole and selected (QA keys #8: Qt's own dialog at
1,024 x 614 pixels showed "mmended design · 2 epochs", scrolled to its end in a field too narrow)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cnnstudio.ui.name_dialog import NameDialog

NAME = "Recommended design · 2 epochs"


def test_the_field_shows_the_whole_name_from_its_start_selected(window, qtbot):
    window.resize(1024, 614)
    dialog = NameDialog(window, "Rename run", "Name:", NAME)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.edit
    assert edit.text() == NAME and edit.selectedText() == NAME  # typing replaces it
    assert edit.cursorPosition() == 0 and edit.cursorRect().left() < edit.fontMetrics().averageCharWidth() * 2
    room = edit.contentsRect().width() - 2 * 2  # the field's inner margins
    assert edit.fontMetrics().horizontalAdvance(NAME) <= room, (room, edit.width())  # whole: nothing scrolled away
    qtbot.keyClicks(edit, "Mine")
    assert dialog.textValue() == "Mine"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.result() == NameDialog.DialogCode.Accepted


def test_a_very_long_name_keeps_the_dialog_within_the_screen(window, qtbot):
    long_name = "Recommended design · 2 epochs " * 20
    dialog = NameDialog(window, "Rename run", "Name:", long_name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= dialog.screen().availableGeometry().width()
    assert dialog.edit.cursorPosition() == 0 and dialog.edit.selectedText() == long_name


def test_ask_name_answers_as_qt_get_text(window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cnnstudio.ui.name_dialog import ask_name

    answered = []

    def answer():  # once the dialog is up (a timer polls: exec() blocks the test)
        dialog = QApplication.activeModalWidget()
        if answered or not isinstance(dialog, NameDialog) or not dialog.isVisible():
            return
        answered.append(dialog.edit.cursorPosition())
        qtbot.keyClicks(dialog.edit, "Mine")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    assert ask_name(window, "Rename run", "Name:", NAME) == ("Mine", True)
    timer.stop()
    assert answered == [0]

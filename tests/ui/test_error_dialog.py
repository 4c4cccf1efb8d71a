"""Friendly error reporting (cnnstudio/ui/errors.py): an unexpected exception in a slot or a thread
shows a non-modal dialog with plain words, the saved-work reassurance and a copyable report."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from cnnstudio import __version__
from cnnstudio.ui.errors import SAVED_WORK, ErrorDialog, install_error_hooks, plain_words


class Boom(RuntimeError):
    pass


@pytest.fixture
def reporter(qapp, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored even if the test fails
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    r = install_error_hooks(qapp)
    yield r
    r.uninstall()
    if r.dialog is not None:
        r.dialog.close()
    r.deleteLater()


def _raise_in_slot() -> None:
    raise Boom("the gallery lost its thumbnails")


def test_exception_in_a_timer_slot_shows_the_dialog_with_a_report(qtbot, reporter, tmp_path):
    with qtbot.waitSignal(reporter.dialog_shown, timeout=5000) as shown:
        QTimer.singleShot(0, _raise_in_slot)
    dialog = shown.args[0]
    assert isinstance(dialog, ErrorDialog)
    assert dialog.isVisible() and not dialog.isModal()  # the user can keep working
    report = dialog.report_text()
    assert "Boom: the gallery lost its thumbnails" in report
    assert "Traceback" in report and "_raise_in_slot" in report
    assert f"CNN Studio: {__version__}" in report and "PySide6:" in report and "Python:" in report
    text = dialog.message.text()
    assert "not something you did" in text
    assert SAVED_WORK.split(":")[0] in text  # "Your work is safe"
    # the report was saved in the app's data folder (redirected to tmp_path by tests/conftest.py)
    saved = list((tmp_path / "appdata" / "error-reports").glob("error-*.txt"))
    assert len(saved) == 1 and "Boom" in saved[0].read_text(encoding="utf-8")

    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == report

    # a second error while the dialog is open is added to it, not a second window
    QTimer.singleShot(0, _raise_in_slot)
    qtbot.waitUntil(lambda: dialog.extra_errors == 1, timeout=5000)
    assert dialog.report_text().count("Error: Boom: the gallery") == 2
    assert "1 more error" in dialog.message.text()

    dialog.keep_button.click()  # "Keep working": the app goes on
    qtbot.waitUntil(lambda: reporter.dialog is None, timeout=5000)
    assert QApplication.instance() is not None


def test_exception_in_a_thread_reaches_the_gui_thread(qtbot, reporter):
    def work():
        raise MemoryError()

    with qtbot.waitSignal(reporter.dialog_shown, timeout=5000) as shown:
        t = threading.Thread(target=work, name="trainer")
        t.start()
        t.join()
    dialog = shown.args[0]
    assert "ran out of memory" in dialog.message.text()
    assert "Thread: trainer" in dialog.report_text()
    dialog.close()


def test_plain_words_for_common_failures():
    import errno

    assert "disk is full" in plain_words(OSError(errno.ENOSPC, "No space left on device"))
    assert "not allowed" in plain_words(PermissionError(errno.EACCES, "denied", "/x/project.db"))
    assert "bug in CNN Studio" in plain_words(ValueError("x"))


def test_uninstall_restores_the_previous_hooks(qapp):
    before, before_t = sys.excepthook, threading.excepthook
    r = install_error_hooks(qapp, save=False)
    assert sys.excepthook == r.excepthook
    r.uninstall()
    assert sys.excepthook is before and threading.excepthook is before_t
    r.deleteLater()

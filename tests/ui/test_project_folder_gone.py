"""The project folder renamed while the window has it open: one sentence, once, and never the crash dialog
(QA: the same sentence stacked up in the message at every retry; Evaluate and Predict said "Train a model first";
the Train page's build raised into an error report). Real folders, real SQLite, real Qt."""

from __future__ import annotations

import os

from PySide6.QtCore import QTimer

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.sentence import sentence
from tests.disk_helpers import write_noise_images


def _open(window, tmp_path, name: str = "Pets"):
    src = write_noise_images(tmp_path / "src", 2, 16)
    with Project.create(tmp_path / name) as p:
        import_paths(p, [src], labels_from_folders=True)
    assert window.open_project(tmp_path / name)
    return tmp_path / name


def _gone_words(window) -> str:
    return sentence(str(window.session.project.gone_error()))


def test_a_refusal_said_again_is_not_added_again_to_the_open_message(window, qtbot, reporter, tmp_path):
    root = _open(window, tmp_path)
    session, ids = window.session, window.session.project.ids()
    os.rename(root, tmp_path / "Pets-moved")
    gone = _gone_words(window)
    with qtbot.waitSignal(reporter.message_shown, timeout=5000) as shown:
        QTimer.singleShot(0, lambda: session.label(ids[:1], None))  # as a click runs it
    for _ in range(2):  # the user tries again, twice
        QTimer.singleShot(0, lambda: session.label(ids[:1], None))
    qtbot.waitUntil(lambda: len(reporter.problems) == 3, timeout=5000)
    assert shown.args[0].text() == gone  # once, not three times
    assert reporter.dialog is None

"""The Model page's Open… on a file that is not a design CNN Studio saved, or a damaged one: a plain sentence that names
the file (QA: "/tmp/…/bad.json: the model spec is not valid JSON (Expecting value at line 2, column 1)"), and the
page's design as it was."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tests.ui.test_training_view import make_project


def _open(page, path) -> list[tuple[str, str]]:
    """Press Open…, pick ``path`` in the dialog, read the message and close it."""
    said = []

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QFileDialog):
            box.selectFile(str(path))
            box.accept()
        elif isinstance(box, QMessageBox):
            said.append((box.windowTitle(), box.text()))
            box.close()
            return
        QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    page.open_button.click()
    return said


def test_open_says_in_plain_words_what_the_file_is(window, qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("QT_FILE_DIALOG_NO_NATIVE", "1")
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    page = window.workspace.model_page
    before, steps = page.state(), page.undo_stack.count()
    foreign = tmp_path / "settings.json"
    foreign.write_text(json.dumps({"epochs": 10}))
    assert _open(page, foreign) == [("Cannot open this design", "“settings.json” is not a design file saved by CNN "
                                     "Studio (“Save as…” on the Model page saves one).")]
    damaged = tmp_path / "bad.json"
    damaged.write_text('{"format":\n')
    (title, words), = _open(page, damaged)
    assert words == ("“bad.json” is damaged: it stops part-way (on line 2), as a file only partly saved or copied "
                     "does.")
    assert str(tmp_path) not in words and words.endswith(".")
    assert page.state() == before and page.undo_stack.count() == steps

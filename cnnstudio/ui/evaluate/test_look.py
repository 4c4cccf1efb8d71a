"""The Evaluate page's question before a run's test score is shown while other runs' test scores were already looked at
(the rule and its sentence: :func:`cnnstudio.project.seen_scores.another_look_words`): "Show" or "Cancel", Cancel the
default, so Enter shows nothing; the page then goes back to the validation pictures (evaluate_page.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

TITLE = "Look at another test score?"
SHOW = "Show"


def ask_to_show_test(parent: QWidget, words: str) -> bool:
    """Ask with ``words`` whether to show the test score; True for "Show"."""
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, words, parent=parent)
    show = box.addButton(SHOW, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is show


__all__ = ["SHOW", "TITLE", "ask_to_show_test"]

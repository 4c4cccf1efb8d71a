"""The question a second window asks when the project is open in another one (the rule: project/open_lock.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ..project.open_lock import Holder

READ_ONLY = "read-only"
ANYWAY = "anyway"


def ask_how_to_open(parent: QWidget | None, name: str, holder: Holder) -> str | None:
    """``READ_ONLY``, ``ANYWAY`` or None (do not open). Modal: the answer decides what opens."""
    box = QMessageBox(QMessageBox.Icon.Question, "Project already open",
                      f"{name} is open in {holder.describe()}.", QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("project-open-elsewhere")
    box.setInformativeText(
        "Open it read-only to look without changing anything, or open it anyway: changes made in both windows "
        "are all kept, but each window's undo knows only its own changes and the views refresh only when "
        "reopened.")
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    anyway = box.addButton("Open anyway", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(read_only)
    box.exec()
    clicked = box.clickedButton()
    return READ_ONLY if clicked is read_only else ANYWAY if clicked is anyway else None

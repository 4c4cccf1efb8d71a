"""What the window says when a project does not open because its project.db is damaged or missing and CNN Studio
kept a whole copy of it: the store's sentence, with a button that puts the copy back and opens the project (the rule
and the words: project/put_back.py). Without a copy (or while another window has the project) the sentence alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from ..project import Project, ProjectError
from ..project.db_backup import backup_time
from ..project.put_back import offer, put_back
from .sentence import sentence

TITLE = "Cannot open project"


def open_error(root: Path, exc: BaseException) -> ProjectError | None:
    """The error to say for ``exc`` raised by opening ``root``: the store's own (a damaged page included: the store
    says it as a damaged database, and lets go of the half-opened file itself); None for any other error (a bug, or
    the disk's: the error reporter's)."""
    return exc if isinstance(exc, ProjectError) else None


def offer_copy(parent: QWidget, root: Path, exc: ProjectError, may_offer: bool = True) -> Project | None:
    """Say why ``root`` did not open and, when ``may_offer`` (no other window has the project), offer to put back its
    copy when there is one (:func:`offer`); the project opened from the copy put back (its
    :attr:`~cnnstudio.project.Project.put_back_from` set, for the open notice), or None (not offered, not wanted, or
    failed: said in one sentence)."""
    words = offer(root, exc) if may_offer else ""
    if not words:
        QMessageBox.warning(parent, TITLE, sentence(str(exc)))
        return None
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, sentence(str(exc)), QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("open-damaged-project")
    put = box.addButton(words, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(put)
    box.exec()
    if box.clickedButton() is not put:
        return None
    when = backup_time(root)  # the copy's time, before the opening writes a new copy
    failed = put_back(root)
    if not failed:
        try:
            project = Project.open(root)
            project.put_back_from = when  # said once as it opens (open_notice.py)
            return project
        except (ProjectError, sqlite3.DatabaseError) as e:
            failed = sentence(str(open_error(root, e) or e))
    QMessageBox.warning(parent, TITLE, failed)
    return None

"""What the workspace shows in place of a step's page while the open project's folder is gone (deleted, moved,
renamed, its drive removed): the project's one sentence (:meth:`~cnnstudio.project.store_disk.DiskAware.gone_error`)
and what the user can do, rather than a page that gives a wrong reason ("Train a model first": the runs' files are
not where they were) or fails to build. The workspace decides when (:meth:`~.workspace.Workspace.check_folder`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class FolderGonePanel(QWidget):
    """The sentence, then "Look again" (the folder was put back), "Open Project…" and "Close Project"."""

    look_again = Signal()
    open_asked = Signal()
    close_asked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("The project folder is gone")
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.again = QPushButton("Look again")
        self.again.setToolTip("The folder is back where it was: show the step again")
        self.again.clicked.connect(self.look_again)
        self.open = QPushButton("Open Project…")
        self.open.setToolTip("Open the project from where its folder is now")
        self.open.clicked.connect(self.open_asked)
        self.close_button = QPushButton("Close Project")
        self.close_button.clicked.connect(self.close_asked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.again, self.open, self.close_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        lay.addWidget(self.words)
        lay.addLayout(buttons)
        lay.addStretch(2)

    def say(self, text: str) -> None:
        self.words.setText(text)

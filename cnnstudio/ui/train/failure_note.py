"""The Train page's failure line: what went wrong in bold, what to do, and a "Details…" link that shows the details
(a traceback for a bug report) in a message box; its other links ("data", "model") are forwarded to the page. Its box
is the palette's error note (:func:`cnnstudio.ui.colours.note_style`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from ..colours import note_style
from ..errors import failure_html


class FailureNote(QLabel):
    link = Signal(str)  # a link other than "details": the step key of the page that fixes it

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.details = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setStyleSheet(note_style("error", self, extra="padding: 6px; border-radius: 4px;"))
        self.linkActivated.connect(self._link)
        self.hide()

    def show_failure(self, what: str, advice: str = "", details: str = "") -> None:
        self.details = details
        self.setText(failure_html(what, advice, details))
        self.show()

    def _link(self, target: str) -> None:
        if target == "details":
            QMessageBox.information(self, "Details of the failure", self.details or "(none)")
        else:
            self.link.emit(target)

"""The Predict page's note under the picture list: the files a drop (or the predictor) did not predict, and why.

The note names the first few files (:func:`.refused.refusal_text`) and counts the rest; "Show all" opens a list of
every file with its reason (and its whole path in a tooltip), and the note's own tooltip lists them when they are
a handful. The files refused at the drop and those the predictor could not read make one note (:func:`.refused.merged`),
not one "… and N more" per batch. The words are :mod:`.refused`'s (Qt-free).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout,
                               QWidget)

from ..colours import status_colour
from .refused import SHOWN, every_line, merged, refusal_text

TIP_LINES = 12  # up to this many files, the note's tooltip lists them all


class RefusedList(QDialog):
    """Every refused file, one row each: its name and why; the whole path in the row's tooltip."""

    def __init__(self, rejected: list[dict], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Files not predicted")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        for line, r in zip(every_line(rejected), rejected):
            item = QListWidgetItem(line)
            item.setToolTip(r["path"])
            self.list.addItem(item)
        lay = QVBoxLayout(self)
        count = len(rejected)
        lay.addWidget(QLabel(f"{count:,} file{'s were' if count != 1 else ' was'} not predicted:"))
        lay.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        lay.addWidget(buttons)
        self.resize(640, 420)  # inside a 1,024 x 614 screen; the list scrolls


class RefusedNote(QWidget):
    """The note (red words) and its "Show all" link; hidden while no file is refused."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.files: list[dict] = []  # {"path", "reason"} each: what the note is about
        self.dialog: RefusedList | None = None
        self.label = QLabel()
        self.label.setObjectName("refusedNote")
        self.label.setWordWrap(True)
        self.label.setStyleSheet(f"color: {status_colour('error', self)};")
        self.show_all = QLabel()
        self.show_all.setTextFormat(Qt.TextFormat.RichText)
        self.show_all.linkActivated.connect(lambda _link: self.open_list())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.label)
        lay.addWidget(self.show_all, 0, Qt.AlignmentFlag.AlignRight)
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def set_files(self, rejected: list[dict], keep: bool = False) -> None:
        """Name ``rejected``; ``keep``: add them to the files named now (the same drop's unreadable ones)."""
        self.files = merged(self.files, rejected) if keep else list(rejected)
        self.label.setText(refusal_text(self.files))
        lines = every_line(self.files)
        self.label.setToolTip("\n".join(lines) if len(lines) <= TIP_LINES else "")
        self.show_all.setText(f'<a href="all">Show all {len(lines):,} files…</a>')
        self.show_all.setVisible(len(lines) > SHOWN)
        self.setVisible(bool(self.files))
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def open_list(self) -> RefusedList:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = RefusedList(self.files, self.window())
        self.dialog.open()
        return self.dialog

"""The note that says why Start is off, with a button to the page that fixes it (the words and the page come from
:func:`~cnnstudio.ui.train.start_blocker.start_blocker`; this widget only shows them and forwards the click). Its box
is the palette's error note (:func:`cnnstudio.ui.colours.note_colours`): pink on a light window, a tint of the base
colour on a dark one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ..colours import note_colours


class BlockedNote(QWidget):
    go_to = Signal(str)  # the step key of the page that fixes it ("data", "model", "tune")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        colours = note_colours("error", self)[:2]
        self.blocker = None
        self.prefix = "Training cannot start yet. "
        self.setObjectName("blocked")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#blocked {{ background: {colours[0]}; border-radius: 4px; }} "
                           f"QLabel {{ color: {colours[1]}; }}")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.button = QPushButton()  # "Go to the Data page"
        self.button.clicked.connect(lambda: self.go_to.emit(self.blocker.step) if self.blocker else None)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        self.show_blocker(None)

    def show_blocker(self, blocker) -> None:
        """Say ``blocker`` (a :class:`~cnnstudio.ui.train.start_blocker.Blocker`), or hide when it is None."""
        self.blocker = blocker
        self.label.setText(f"{self.prefix}{blocker.text}" if blocker else "")
        self.label.setVisible(blocker is not None)
        self.button.setText(blocker.button if blocker else "")
        self.button.setVisible(bool(blocker and blocker.button))
        self.setVisible(blocker is not None)

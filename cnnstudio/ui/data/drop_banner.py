"""What the gallery says about a drop, where the user dropped: a banner naming the files it refused and why
(closed with its × or by the next drop that imports), and the empty gallery's "Drop pictures here" area, which
takes drops like the grid does and offers the File menu's two imports as buttons (for the keyboard, and for whoever
does not think of dragging): it only says they were pressed (:attr:`DropArea.import_files`,
:attr:`DropArea.import_folder`); the window's import actions do the rest."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout

from ..colours import note_colours
from ..drop import DropMixin

SHOWN = 3  # files named one by one; the rest are counted


def banner_lines(rejected: list[dict]) -> list[str]:
    """One line per refused file, "notes.txt — not an image file", then "… and 4 more files"."""
    lines = [f"{Path(r['path']).name or r['path']} — {r['reason']}" for r in rejected[:SHOWN]]
    more = len(rejected) - SHOWN
    if more > 0:
        lines.append(f"… and {more} more file{'s' if more != 1 else ''}")
    return lines


class DropBanner(QFrame):
    """A dismissable banner: "Not imported" and the refused files, each with why."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("dropBanner")
        bg, words, border = note_colours("error", self)  # pink on a light window, a red tint on a dark one
        self.setStyleSheet(f"#dropBanner {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
                           f" #dropBanner QLabel {{ color: {words}; }}")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide this message")
        self.close_button.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_refused(self, rejected: list[dict]) -> None:
        if not rejected:
            return
        lines = banner_lines(rejected)
        self.text.setText("Not imported (CNN Studio imports pictures and folders of pictures):\n" + "\n".join(lines))
        self.setToolTip("\n".join(f"{r['path']} — {r['reason']}" for r in rejected[:50]))
        self.show()


class DropArea(DropMixin, QFrame):
    """The empty gallery: "Drop pictures or folders here", or two buttons that import through File > Import; its
    drops go where the grid's go (``target``'s callbacks)."""

    refused = Signal(list)

    def __init__(self, target: DropMixin, parent=None):
        super().__init__(parent)
        self.target = target
        self.setObjectName("dropArea")
        self.setStyleSheet("#dropArea { border: 2px dashed palette(mid); border-radius: 12px; }"
                           " #dropArea QLabel { color: palette(placeholder-text); }")
        self.setAcceptDrops(True)
        self.text = QLabel("Drop pictures or folders here")
        self.text.setStyleSheet("font-size: 18px;")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.or_text = QLabel("or")
        self.or_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_files = QPushButton("Import pictures… (Ctrl+I)")
        self.import_files.setToolTip("Choose picture files to copy into the project (File > Import Images…)")
        self.import_folder = QPushButton("Import a folder… (Ctrl+Shift+I)")
        self.import_folder.setToolTip("Import every picture in a folder; its sub-folders' names can be the classes "
                                      "(File > Import Folder…)")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.addStretch(1)
        lay.addWidget(self.text)
        lay.addWidget(self.or_text)
        width = max(b.sizeHint().width() for b in (self.import_files, self.import_folder))
        for b in (self.import_files, self.import_folder):  # one under the other, as wide: the gallery may be narrow
            b.setMinimumWidth(width)
            lay.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(1)
        self.on_paths_dropped = lambda accepted, rejected: (target.on_paths_dropped(accepted, rejected)
                                                            if target.on_paths_dropped else None)
        self.on_drop_refused = lambda text: target.on_drop_refused(text) if target.on_drop_refused else None

    def refused_here(self, rejected: list[dict]) -> None:
        self.refused.emit(rejected)

"""A page's empty state: a centred heading, a sentence, and a button that says what to do first.

The text is a word-wrapped label at most :data:`TEXT_WIDTH` wide, centred by stretches on either side rather than by
the layout's alignment: a label placed with an alignment gets its one-line size hint, and the sentence was cut off
after a few words. Without it the layout gives the label the height its wrapped text needs at its width.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

TEXT_WIDTH = 520  # the widest the sentence is set, in pixels: a line that is easy to read


def empty_state(title: str, text: str, button: str, on_click: Callable[[], object],
                second: tuple[str, Callable[[], object]] | None = None) -> QWidget:
    """The page's empty state; ``second``: another way in, ``(words, action)``, a button beside the first."""
    page = QWidget()
    lay = QVBoxLayout(page)
    msg = QLabel(f"<h2>{title}</h2><p>{text}</p>")
    msg.setObjectName("emptyStateText")
    msg.setWordWrap(True)
    msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
    msg.setMaximumWidth(TEXT_WIDTH)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(msg, 100)  # as wide as it may be (TEXT_WIDTH), narrower on a narrow page
    row.addStretch(1)
    go = QPushButton(button)
    go.clicked.connect(on_click)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(go)
    if second is not None:
        other = QPushButton(second[0])
        other.clicked.connect(lambda: second[1]())
        buttons.addWidget(other)
    buttons.addStretch(1)
    lay.addStretch(1)
    lay.addLayout(row)
    lay.addLayout(buttons)
    lay.addStretch(1)
    return page

"""A page's empty state: a centred heading, a sentence, and a button that says what to do first."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


def empty_state(title: str, text: str, button: str, on_click: Callable[[], object]) -> QWidget:
    page = QWidget()
    lay = QVBoxLayout(page)
    msg = QLabel(f"<h2>{title}</h2><p>{text}</p>")
    msg.setWordWrap(True)
    msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
    msg.setMaximumWidth(520)
    go = QPushButton(button)
    go.clicked.connect(on_click)
    lay.addStretch(1)
    lay.addWidget(msg, 0, Qt.AlignmentFlag.AlignCenter)
    lay.addWidget(go, 0, Qt.AlignmentFlag.AlignCenter)
    lay.addStretch(1)
    return page

"""A panel of wrapped sentences in a scroll area of limited height, so it cannot push the rest of a page off a
small screen (the Train page's advice: a 768-pixel-high screen still shows the plots and six runs)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from ..keyboard import not_a_tab_stop


def scrolled(widget: QWidget, max_height: int) -> QScrollArea:
    """``widget`` in a frameless scroll area at most ``max_height`` pixels high (scrolls up and down, never
    sideways); hidden until the page shows it."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMaximumHeight(max_height)
    not_a_tab_stop(area)  # the frame is no tab stop; its buttons and links are
    area.hide()
    return area

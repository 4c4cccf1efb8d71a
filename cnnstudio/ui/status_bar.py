"""The main window's status bar: a temporary message is shown whole and long enough to read.

The permanent count on the right ("1,797 pictures · 10 classes · 0 with no class") steps aside while a message
that would not fit beside it shows, and comes back when the message goes; a message stays at least the time it takes
to read (:func:`shown_for`), whatever its caller asked. Every page says its messages through
``window.statusBar().showMessage(text, ms)``, so the rule is kept here, once.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

MS_PER_CHARACTER = 80  # reading time: a 125-character sentence stays 10 s
MOST_MS = 30_000  # unless its caller asks for more
MARGINS = 18  # px QStatusBar keeps free around its message (6 on the left, 12 on the right)
GAP = 8  # px between the message and the permanent count


def shown_for(text: str, asked_ms: int) -> int:
    """How long ``text`` stays, in ms: what its caller asked, and at least :data:`MS_PER_CHARACTER` a character (at
    most :data:`MOST_MS` for that); 0 (until the next message) stays 0."""
    if asked_ms <= 0:
        return asked_ms
    return max(asked_ms, min(MOST_MS, MS_PER_CHARACTER * len(text)))


def fits(text_width: int, bar_width: int, count_width: int) -> bool:
    """Whether a message ``text_width`` px wide fits beside a count ``count_width`` px wide (0: no count shown)."""
    return text_width <= bar_width - MARGINS - (count_width + GAP if count_width else 0)


class StatusBar(QStatusBar):
    """A status bar with the window's permanent count (:attr:`count_label`) that makes room for a long message."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.count_label = QLabel()
        self.addPermanentWidget(self.count_label)
        self.messageChanged.connect(self._make_room)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 - Qt's name
        super().showMessage(text, shown_for(text, timeout))

    def _make_room(self, text: str) -> None:
        """The count hidden while ``text`` would not fit beside it; a message too wide even alone is its tooltip."""
        width = self.fontMetrics().horizontalAdvance(text) if text else 0
        count = self.count_label.sizeHint().width() if self.count_label.text() else 0
        self.count_label.setVisible(not text or fits(width, self.width(), count))
        self.setToolTip("" if not text or fits(width, self.width(), 0) else text)

    def message_room(self) -> int:
        """The px the message has now (the count's place left out while it shows)."""
        right = self.width() - 12
        if self.count_label.isVisible():
            right = min(right, self.count_label.x() - 2)
        return right - 6

"""The main window's status bar: a temporary message is shown whole and long enough to read.

The permanent count on the right ("1,797 pictures · 10 classes · 0 with no class") steps aside while a message
that would not fit beside it shows, and comes back when the message goes; a message stays at least the time it takes
to read (:func:`shown_for`), whatever its caller asked. Every page says its messages through
``window.statusBar().showMessage(text, ms)``, so the rule is kept here, once.

A message belongs to the step it was said on ("Press Start to train it" on the Train step): it goes when another
step is shown, or the project closes (:func:`stays`; the window tells the bar which step shows:
:meth:`StatusBar.step_shown`).
A message about the whole window (the project is open for viewing only, settings cannot be kept) is said with
:meth:`StatusBar.show_for_window` and stays its time whatever step is shown.

A message wider than the whole bar ends in "…" where it is cut (Qt cuts it mid-word, QA 5 s36.png), and the bar's
tooltip holds it whole; :meth:`~PySide6.QtWidgets.QStatusBar.currentMessage` stays the whole message.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
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


def stays(said_on: str | None, shown: str | None) -> bool:
    """Whether a message said while step ``said_on`` showed (None: about the whole window) stays now that step
    ``shown`` shows (None: no project open)."""
    return said_on is None or said_on == shown


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
        self.step: str | None = None  # the step the window shows (step_shown)
        self.said_on: str | None = None  # the step the message shown was said on; None: about the whole window

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 - Qt's name
        """A message of the step shown: it goes when another step is shown (:func:`stays`)."""
        super().showMessage(text, shown_for(text, timeout))
        self.said_on = self.step

    def show_for_window(self, text: str, timeout: int = 0) -> None:
        """A message about the whole window: it stays its time whatever step is shown."""
        super().showMessage(text, shown_for(text, timeout))
        self.said_on = None

    def step_shown(self, key: str | None) -> None:
        """Step ``key`` shows now (None: no project open): a message said on another step goes."""
        self.step = key
        if self.currentMessage() and not stays(self.said_on, key):
            self.clearMessage()

    def _make_room(self, text: str) -> None:
        """The count hidden while ``text`` would not fit beside it; a message too wide even alone is its tooltip."""
        width = self.fontMetrics().horizontalAdvance(text) if text else 0
        count = self.count_label.sizeHint().width() if self.count_label.text() else 0
        self.count_label.setVisible(not text or fits(width, self.width(), count))
        self.setToolTip("" if not text or fits(width, self.width(), 0) else text)

    def shown_text(self) -> str:
        """The message as the bar draws it: whole, or ending in "…" where the bar cuts it (its tooltip has it all)."""
        text = self.currentMessage()
        if not text or self.fontMetrics().horizontalAdvance(text) <= self.message_room():
            return text
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, self.message_room())

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Qt's bar, with a message too wide for it drawn again ending in "…" (:meth:`shown_text`)."""
        super().paintEvent(event)
        text, shown = self.currentMessage(), self.shown_text()
        if text == shown:
            return
        p = QPainter(self)
        room = QRect(6, 0, self.message_room(), self.height())
        p.fillRect(room, self.palette().window())  # over Qt's cut text
        p.setPen(self.palette().windowText().color())
        p.drawText(room, Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine,
                   shown)
        p.end()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._make_room(self.currentMessage())  # the count and the tooltip for the new width

    def message_room(self) -> int:
        """The px the message has now (the count's place left out while it shows)."""
        right = self.width() - 12
        if self.count_label.isVisible():
            right = min(right, self.count_label.x() - 2)
        return right - 6

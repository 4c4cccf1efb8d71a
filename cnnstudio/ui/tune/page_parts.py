"""Pieces of the Tune page's layout that let it fit a small screen (1,024 x 614): the result box gives way
to the trials table and the plots (:class:`GivingBox`), and the table and plots ask for no more than their least
height of the words above them (:class:`LowerSplitter`), so on a short window the table still shows its rows. And
why no search can start, in the Train page's note (:class:`SearchBlockedNote`)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QSplitter

from ..keyboard import not_a_tab_stop
from ..train.blocked_note import BlockedNote


class GivingBox(QScrollArea):
    """A word-wrapped label whose whole text shows when the page has room, and down to ``lines`` lines with a
    scroll bar when it has not. ``setText`` and ``text`` are the label's."""

    def __init__(self, label: QLabel, lines: int = 2, parent=None):
        super().__init__(parent)
        self.label = label
        self.lines = lines
        self.setWidget(label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        not_a_tab_stop(self)  # a frame round words: a link in them is the tab stop (keyboard.WordsLabel)
        self._width = -1

    def setText(self, text: str) -> None:  # noqa: N802 - a QLabel's name
        self.label.setText(text)
        self.updateGeometry()

    def text(self) -> str:
        return self.label.text()

    def _whole(self) -> int:
        """The label's height at this box's width: all its words."""
        return self.label.heightForWidth(max(self.width(), 200))

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), self._whole())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        m = self.label.contentsMargins()
        least = self.lines * self.label.fontMetrics().lineSpacing() + m.top() + m.bottom() + 18  # + the padding
        return QSize(super().minimumSizeHint().width(), min(self._whole(), least))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != self._width:  # another width wraps the words onto another number of lines
            self._width = event.size().width()
            self.updateGeometry()


class LowerSplitter(QSplitter):
    """The table over the plots. It asks for its least height only, so a short page shrinks the words above before
    it; any room left over is still its own (the page gives it the stretch)."""

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())


class SearchBlockedNote(BlockedNote):
    """The Train page's note (the same look, the same button to the page that fixes it), said of a search; and the
    form's error, beside the buttons it turns off (the form's fields it is about are framed red)."""

    def show_blocker(self, blocker) -> None:
        super().show_blocker(blocker)
        if blocker is not None:
            self.label.setText(f"A search cannot start yet. {blocker.text}")

    def show_form_error(self, text: str, budget: bool = False) -> None:
        """Why the form on the left cannot be searched (:meth:`~.space_form.SpaceForm.error`), no button: the
        settings to try hold back Start alone (Continue keeps its search's own), the ``budget`` both."""
        self.show_blocker(None)
        who = "Start my search and Continue cannot" if budget else "Start my search cannot"
        self.label.setText(f"{who} start until the form on the left is fixed. {text}")
        self.label.show()
        self.show()

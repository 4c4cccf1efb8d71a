"""The advice of the run that ended (:class:`~cnnstudio.ui.advice_panel.AdvicePanel`) under a one-line header that
folds it away, so that on a small screen it does not squeeze the plots: the header ("What this means: 3 findings (1
important)", :func:`~cnnstudio.ui.train.run_words.advice_header`) always shows; the findings below it, in a scroll
area of limited height, open and close with a click. The Train page decides whether they open when a run ends (open
when the plots keep their room).

Opening it keeps the page within a 1,024 x 614 screen: the findings' area asks at the least for the height of the first
finding, whole at this width (:meth:`AdviceFold.least_open`: the QA read "…ready to try on new" in a two-line box,
the rest of the sentence behind a scroll bar), at most ``max_height`` (then it scrolls), and ``give_room`` (the
plots') is told to give up as many while it is open; the plots keep
:data:`~cnnstudio.ui.train.plots.PLOT_LEAST_OPEN` pixels however (QA F-6: they had shrunk to 90). Opened, it takes
what else the findings want from what is below it in the splitter (the runs list, down to its minimum) and gives it
back when it folds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QSplitter, QToolButton, QVBoxLayout, QWidget

from .run_words import advice_header
from .scrolled import scrolled

OPEN_MINIMUM = 30  # pixels the open findings keep at the least: one button of a finding (then it scrolls)


class AdviceFold(QWidget):
    def __init__(self, panel, max_height: int, give_room=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.panel = panel
        self.max_height = max_height
        self.give_room = give_room  # called with the pixels the open findings need at the least (0: folded)
        panel.title.hide()  # the header says it
        self.header = QToolButton()
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setCheckable(True)
        self.header.setAutoRaise(True)
        # a long header never widens the window (a 1,024-pixel one): its end is cut rather than the plots squeezed
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.header.setStyleSheet("QToolButton { font-weight: bold; }")
        self.header.toggled.connect(self._fold)
        self._title = ""  # the header's words (run_words.advice_header)
        self._taken = 0  # pixels taken from the splitter's next widget (the runs list) while open
        self.area = scrolled(panel, max_height)
        self.area.setMinimumHeight(OPEN_MINIMUM)  # not the scroll area's own ~70 pixels
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.header)
        lay.addWidget(self.area)
        self._fold(False)
        self.hide()

    @property
    def is_open(self) -> bool:
        return self.header.isChecked()

    def least_open(self) -> int:
        """The pixels the open findings keep at the least: the first finding whole at this width (its sentence and
        its button, in the panel's margins and frame, beside the scroll bar the others may need), at most
        ``max_height``; :data:`OPEN_MINIMUM` when there is none."""
        lay = self.panel.layout()
        rows = [lay.itemAt(i) for i in range(lay.count())]
        rows = [r for r in rows if r.widget() is not None and r.widget() is not self.panel.title]
        if not rows:
            return OPEN_MINIMUM
        margins, frame = lay.contentsMargins(), 2 * self.panel.frameWidth()
        bar = self.area.verticalScrollBar().sizeHint().width()
        width = max(1, self.width() - bar - frame - margins.left() - margins.right())
        row = rows[0]
        height = row.heightForWidth(width) if row.hasHeightForWidth() else row.sizeHint().height()
        return max(OPEN_MINIMUM, min(self.max_height, margins.top() + height + margins.bottom() + frame))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Narrower, the first finding takes more lines: the open findings' least height follows."""
        super().resizeEvent(event)
        if self.is_open and event.size().width() != event.oldSize().width():
            self._keep_first_whole()

    def _keep_first_whole(self, opening: bool = False) -> None:
        """The findings' area at least :meth:`least_open` high; the plots give that room (``give_room``)."""
        least = self.least_open()
        if opening or least != self.area.minimumHeight():
            self.area.setMinimumHeight(least)
            if self.give_room is not None:
                self.give_room(least)

    def open_height(self) -> int:
        """About the pixels it takes open: the header and the findings (at most ``max_height``)."""
        return self.header.sizeHint().height() + min(self.max_height, self.panel.sizeHint().height())

    def plots_give(self) -> int:
        """About the pixels the plots above the runs list would lose if it opened now: what it takes open, less what
        the runs list below can give (:meth:`_take_room`)."""
        splitter = self._splitter()
        below = self._below_gives(splitter) if splitter is not None and not self.is_open else 0
        return max(0, self.open_height() - below)

    def _splitter(self) -> QSplitter | None:
        """The splitter whose first pane holds this fold, with the runs list below it; None elsewhere."""
        pane, splitter = self, self.parentWidget()
        while splitter is not None and not isinstance(splitter, QSplitter):
            pane, splitter = splitter, splitter.parentWidget()
        if splitter is None or splitter.count() < 2 or splitter.indexOf(pane) != 0:
            return None
        return splitter

    def _below_gives(self, splitter: QSplitter) -> int:
        """The pixels the open findings take from the pane below (no more than they want), down to the room it asks
        for (the runs list: six runs) and never below its minimum."""
        want = min(self.max_height, self.panel.sizeHint().height()) - OPEN_MINIMUM
        below = splitter.widget(1)
        keep = max(below.minimumSizeHint().height(), below.sizeHint().height())
        return max(0, min(want, splitter.sizes()[1] - keep))

    def show_advice(self, open_: bool) -> None:
        """Show the panel's findings (hidden when it has none): the header, and the findings when ``open_``."""
        items = self.panel.items
        if not items:
            self.hide()
            return
        self._title = advice_header([a.severity for a in items])
        self.header.setChecked(open_)
        self._fold(open_)
        self.show()

    def _fold(self, open_: bool) -> None:
        self.header.setText(self._title if open_ else f"{self._title} · click to read")  # it opens: say so
        self.header.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.header.setToolTip("Hide the findings" if open_ else "Show the findings and what to do about them")
        self.area.setVisible(open_)
        if open_:
            self._keep_first_whole(opening=True)
        else:
            self.area.setMinimumHeight(OPEN_MINIMUM)
            if self.give_room is not None:
                self.give_room(0)
        self._take_room(open_)

    def _take_room(self, open_: bool) -> None:
        """Move the splitter below (the runs list's top edge) down by what the open findings want beyond their
        minimum, as far as the runs list can give; back up by as much when they fold."""
        splitter = self._splitter()
        if splitter is None:
            return
        sizes = splitter.sizes()
        if open_ and not self._taken:
            self._taken = self._below_gives(splitter)
            sizes = [sizes[0] + self._taken, sizes[1] - self._taken] + sizes[2:]
        elif not open_ and self._taken:
            sizes = [sizes[0] - self._taken, sizes[1] + self._taken] + sizes[2:]
            self._taken = 0
        else:
            return
        splitter.setSizes(sizes)

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
back when it folds.

On a short screen that is not room enough to read (QA at 1,024 x 614: an 80-pixel box, its second finding and its
buttons cut): when the plots (``give_way``) cannot keep :data:`~cnnstudio.ui.train.plots.PLOT_LEAST_OPEN` pixels
beside :data:`READ_LEAST` pixels of findings, they step aside while the findings are open, and the findings take
their room (:meth:`plots_step_aside`); folding the findings brings the plots back. The header says so, and its words
fit the width: the whole count, else the short one (:func:`~cnnstudio.ui.train.run_words.header_words`), the whole
count always in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QSplitter, QToolButton, QVBoxLayout, QWidget

from .plot_style import PLOT_LEAST_OPEN
from .run_words import advice_header, header_words
from .scrolled import scrolled

OPEN_MINIMUM = 30  # pixels the open findings keep at the least: one button of a finding (then it scrolls)
READ_LEAST = 150  # pixels of open findings that can be read: about two findings with their buttons (else the plots
# step aside)
NO_LIMIT = 16_777_215  # Qt's QWIDGETSIZE_MAX


class AdviceFold(QWidget):
    def __init__(self, panel, max_height: int, give_room=None, parent: QWidget | None = None, give_way=None):
        super().__init__(parent)
        self.panel = panel
        self.max_height = max_height
        self.give_room = give_room  # called with the pixels the open findings need at the least (0: folded)
        self.give_way = give_way  # the widget (the plots) that steps aside while the findings are open on a short page
        self.stepped_aside = False  # give_way is hidden for the open findings
        self._shown_open = False  # the findings are shown open (_fold)
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
        self._severities: list[str] = []
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
        if event.size().width() != event.oldSize().width():
            self._say_header()
        if self.is_open and not self.stepped_aside and event.size().width() != event.oldSize().width():
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
            self.hide_advice()
            return
        self._severities = [a.severity for a in items]
        self._title = advice_header(self._severities)
        self.header.setChecked(open_)
        self._fold(open_)
        self.show()

    def hide_advice(self) -> None:
        """No advice to show (a run starts, a run without findings): hidden, the plots back in their place."""
        self._step_aside(False)
        self._shown_open = False
        self.hide()

    @property
    def full_header(self) -> str:
        """The header's whole words, as they would read with room enough (its tooltip starts with them)."""
        return self._title

    def _say_header(self) -> None:
        """The header's words that fit its width (the whole count, else the short one); the whole in the tooltip."""
        open_ = self.is_open
        end = (" · click to see the plots" if self.stepped_aside else "") if open_ else " · click to read"
        room = self.header.width() - self.header.iconSize().width() - 16  # the arrow and the button's margins
        words = header_words(self._severities, end, room, self.header.fontMetrics().horizontalAdvance)
        self.header.setText(words)
        what = ("Hide the findings" + (" and show the plots again" if self.stepped_aside else "") if open_
                else "Show the findings and what to do about them")
        self.header.setToolTip(f"{self._title}.\n{what}" if self._title else what)

    def plots_step_aside(self) -> bool:
        """Whether the plots (``give_way``) step aside for the findings opening now: they could not keep
        :data:`PLOT_LEAST_OPEN` pixels beside :data:`READ_LEAST` of findings (or all of them, when shorter), with
        what the runs list below can give."""
        if self.give_way is None:
            return False
        if self.stepped_aside:
            return True
        splitter = self._splitter()  # asked while opening (the header already checked): the room not yet taken
        below = self._below_gives(splitter) if splitter is not None and not self._taken else 0
        need = self.header.sizeHint().height() + min(READ_LEAST, self.panel.sizeHint().height())
        return self.give_way.height() - max(0, need - below) < PLOT_LEAST_OPEN

    def _step_aside(self, aside: bool) -> None:
        """Hide the plots and give the findings their room (``aside``), or bring them back at their place."""
        if self.give_way is None or aside == self.stepped_aside:
            return
        self.stepped_aside = aside
        self.give_way.setVisible(not aside)
        self.area.setMaximumHeight(NO_LIMIT if aside else self.max_height)
        parent = self.parentWidget()
        lay = parent.layout() if parent is not None else None
        if lay is not None:
            lay.setStretchFactor(self, 1 if aside else 0)  # the plots' stretch, while they are away

    def _fold(self, open_: bool) -> None:
        self.header.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        if open_ and not self._shown_open:  # decided as it opens; shown again open (another run), it stays so
            self._step_aside(self.plots_step_aside())
        elif not open_:
            self._step_aside(False)
        self._shown_open = open_
        self.area.setVisible(open_)
        if open_ and self.stepped_aside:
            self.area.setMinimumHeight(min(READ_LEAST, self.panel.sizeHint().height()))
        elif open_:
            self._keep_first_whole(opening=True)
        else:
            self.area.setMinimumHeight(OPEN_MINIMUM)
            if self.give_room is not None:
                self.give_room(0)
        self._say_header()
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

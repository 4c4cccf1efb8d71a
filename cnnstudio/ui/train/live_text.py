"""Widgets for numbers that change ten times a second without making the window re-lay itself out.

While a run trains, every millisecond the GUI thread spends is CPU taken from training on a laptop.
Counted during a 10 s run on the Train page (event filter on the application): ``QLabel.setText`` at
every tick re-laid out the whole window ~7 times a second (a changed label calls ``updateGeometry``,
and every layout up to the main window is activated again), and ``QProgressBar.setValue`` repaints
synchronously, one extra paint pass of the window per tick besides the one the timer's other updates
share.

- :class:`LiveText`: one line of text, elided to the width it is given; setting it only schedules a
  repaint of itself (its size hint is one line, whatever the text).
- :func:`progress_bar`: a progress bar drawn from a style sheet. The platform styles animate a bar
  that is neither empty nor full (Fusion's moving stripes, Windows' glow, macOS's pulse): ~30 repaints
  a second, each a paint pass of the window behind the bar (counted: 369 repaints of the bar and 385
  of the main window in a 10 s run, against ~100 updates the numbers need).
- :func:`set_progress`: a progress bar's value, painted with the window's next paint pass.

A line that says "from scratch" or "transfer learning" (the default recipe's finished line) explains them in its
tooltip with the glossary's words (:func:`line_tip`).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QWidget

from ...engine.model.jargon import term_tip


#: words a line may say that its tooltip explains from the glossary (the default recipe's finished line: "Trained
#: from scratch… (transfer learning is tried below 100 per class)")
EXPLAINED = ("from scratch", "transfer learning")


def line_tip(text: str) -> str:
    """A line's tooltip: the whole line, then the glossary's meaning of each of :data:`EXPLAINED` it says."""
    said = [term for term in EXPLAINED if term in text.lower()]
    return f"{text}\n\n{term_tip(*said)}" if said else text


class LiveText(QWidget):
    """A label for live numbers: ``setText`` repaints it, never re-lays out its window. One line, elided; with
    ``lines`` > 1 it wraps to as many lines (the Train page's line under the status at a 1,024-pixel window: it was
    cut at "best epoch 10 (validati…"), and its height follows the lines the text needs: the window is laid out
    again only when that number changes (a few times a run), not when the numbers do."""

    def __init__(self, text: str = "", parent: QWidget | None = None, lines: int = 1):
        super().__init__(parent)
        self._text = text
        self._max_lines = max(1, lines)
        self._lines = 1
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def lines(self) -> int:
        """The lines it takes now."""
        return self._lines

    def _needed(self) -> int:
        if self._max_lines == 1 or not self._text:
            return 1
        fm = self.fontMetrics()
        rect = fm.boundingRect(QRect(0, 0, max(1, self.contentsRect().width()), 100_000),
                               Qt.TextFlag.TextWordWrap, self._text)
        return max(1, min(self._max_lines, math.ceil(rect.height() / max(1, fm.lineSpacing()))))

    def _fit(self) -> None:
        n = self._needed()
        if n != self._lines:
            self._lines = n
            self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - the same name as QLabel's
        if text != self._text:
            self._text = text
            self.setToolTip(line_tip(text))  # the whole line, when it is elided, and what its jargon means
            self._fit()
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        fm = self.fontMetrics()
        return QSize(200, fm.height() + (self._lines - 1) * fm.lineSpacing() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(40, self.fontMetrics().height() + 4)

    def paintEvent(self, _ev) -> None:  # noqa: N802 - Qt's name
        if not self._text:
            return
        p = QPainter(self)
        p.setPen(self.palette().windowText().color())
        rect = self.contentsRect()
        if self._max_lines > 1:  # wrapped; more than its lines are cut (the tooltip has them)
            p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                       self._text)
        else:
            p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, rect.width()))
        p.end()


STYLE = ("QProgressBar { border: 1px solid palette(mid); border-radius: 4px; background: palette(base);"
         " text-align: center; min-height: 18px; }"
         " QProgressBar::chunk { background-color: palette(highlight); border-radius: 3px; }")


def progress_bar(parent: QWidget | None = None) -> QProgressBar:
    """A determinate progress bar that repaints only when its value changes (see the module doc)."""
    bar = QProgressBar(parent)
    bar.setStyleSheet(STYLE)
    bar.setTextVisible(True)
    return bar


def set_progress(bar: QProgressBar, value: int) -> None:
    """``bar.setValue(value)``, repainted with the next paint pass instead of at once."""
    if bar.value() == value:
        return
    bar.setUpdatesEnabled(False)  # setValue's own repaint() does nothing now
    bar.setValue(value)
    bar.setUpdatesEnabled(True)
    bar.update()


def show_ended(bar: QProgressBar, clock, last_event) -> None:
    """The bar once a run has ended (``last_event``: its last engine event): where the clock says it got to (a
    stopped run's bar stays where it stopped, a finished one full) and in :func:`.run_words.ended_bar`'s words,
    "Finished", or "Stopped at 6%" greyed: not still running."""
    from ...engine.events import RunFinished
    from .run_words import ended_bar

    finished = isinstance(last_event, RunFinished)
    if clock.epochs:
        bar.setRange(0, clock.total)
        bar.setValue(clock.total if finished else clock.done)
    else:
        bar.setRange(0, 1)
        bar.setValue(1 if finished else 0)
    words, lit = ended_bar(last_event)
    bar.setFormat(words)
    bar.setEnabled(lit)


class WrappingLabel(QLabel):
    """A word-wrapped label that keeps the lines it needs at its width: the layouts of a splitter ask a label its
    minimum height without its width, so a "Finished: …" line that wraps to two lines would push what is below it
    (the plots) out of sight (they are clipped, not moved)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name
        super().setText(text)
        self._fit()
        # the Train page's "Finished: … trained from scratch … (transfer learning is tried below …)": its tooltip
        # says what those words mean (the line itself is whole: it wraps); a tooltip set by its page stays otherwise
        explained = line_tip(text).partition("\n\n")[2]
        if explained or getattr(self, "_explains", False):
            self.setToolTip(explained)
        self._explains = bool(explained)

    def _fit(self) -> None:
        need = self.heightForWidth(max(1, self.width()))
        if need > 0 and self.minimumHeight() != need:
            self.setMinimumHeight(need)

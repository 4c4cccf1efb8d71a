"""The horizontal bars of a model's class probabilities: one plot set up the same way for the Predict page's
detail and the camera's live view (fixed 0..1 axis, no mouse, no menu).

The bars are also words (QA keyboard and screen-reader report, finding 6): whenever they change, the plot's
accessible description and tooltip list every bar's class and probability, most probable first ("Probabilities:
3 96.8%, 8 0.8%, …"), read from the bars and the class names on the left axis once both are set
(:class:`ProbabilityBars`); a plot a screen reader can read (:mod:`..readable_plot`)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QTimer

from ...engine.use.figures import probability_percent
from ..readable_plot import readable_plot, tell

BAR_COLOUR = (0, 114, 178)
TICKS = [(v / 4, f"{v * 25}%") for v in range(5)]  # 0%, 25%, 50%, 75%, 100%
RIGHT_ROOM = 24  # pixels right of the plot: more than half of "100%"
NAME = "Class probabilities"


def probability_words(pairs: list[tuple[str, float]]) -> str:
    """"Probabilities: 3 96.8%, 8 0.8%": each class and its probability, most probable first."""
    if not pairs:
        return "Probabilities: no picture predicted"
    ranked = sorted(pairs, key=lambda p: -p[1])
    return "Probabilities: " + ", ".join(f"{name} {probability_percent(p)}" for name, p in ranked)


class ProbabilityBars(pg.BarGraphItem):
    """The bars; each change of them puts them in words on ``plot`` once the caller has set the class names too
    (the same turn of the event loop: they may come after the bars)."""

    def __init__(self, plot: pg.PlotWidget, **opts):
        self._plot = plot
        self.every_class: list[tuple[str, float]] | None = None  # said instead of the bars when set (all classes)
        self._timer = QTimer(singleShot=True, interval=0)
        self._timer.timeout.connect(self._say)
        super().__init__(**opts)

    def setOpts(self, **opts) -> None:  # noqa: N802 - pyqtgraph's name
        super().setOpts(**opts)
        if getattr(self, "_timer", None) is not None:
            self._timer.start()

    def pairs(self) -> list[tuple[str, float]]:
        """(class name, probability) of every class when :attr:`every_class` is set (the bars show the top few,
        their names shortened), else of each bar, the names from the left axis's ticks."""
        if self.every_class is not None:
            return list(self.every_class)
        ys, widths = self.opts.get("y"), self.opts.get("width")
        if ys is None or widths is None or not len(ys):
            return []
        ticks = self._plot.getAxis("left")._tickLevels or [[]]
        names = {round(float(v), 6): str(t) for v, t in ticks[0]}
        return [(names.get(round(float(y), 6), "?"), float(w)) for y, w in zip(ys, widths)]

    def _say(self) -> None:
        try:
            tell(self._plot, probability_words(self.pairs()), tooltip=True)
        except RuntimeError:  # the plot was closed meanwhile
            pass


def probability_plot(min_height: int) -> tuple[pg.PlotWidget, pg.BarGraphItem]:
    """A plot of probabilities from 0 to 1 and its (empty) bar item; the caller sets the bars and the class ticks."""
    plot = pg.PlotWidget(background=None)
    readable_plot(plot, NAME, probability_words([]))
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.getPlotItem().setMenuEnabled(False)
    plot.setXRange(0, 1, padding=0)
    plot.setLabel("bottom", "probability")
    # the ends labelled too ("0%" … "100%", as every percentage on the page is written): pyqtgraph hides a label
    # that reaches past the plot's edge, so the plot keeps room on its right for "100%"
    axis = plot.getAxis("bottom")
    axis.setTicks([TICKS, []])
    axis.setStyle(hideOverlappingLabels=RIGHT_ROOM)  # pixels a label may reach past the axis's ends
    plot.getPlotItem().layout.setContentsMargins(0, 4, RIGHT_ROOM, 0)
    plot.setMinimumHeight(min_height)
    bars = ProbabilityBars(plot, x0=[], y=[], height=0.7, width=[], brush=pg.mkBrush(*BAR_COLOUR))
    plot.addItem(bars)
    return plot, bars

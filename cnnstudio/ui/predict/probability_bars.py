"""The horizontal bars of a model's class probabilities: one plot set up the same way for the Predict page's
detail and the camera's live view (fixed 0..1 axis, no mouse, no menu)."""

from __future__ import annotations

import pyqtgraph as pg

BAR_COLOUR = (0, 114, 178)
TICKS = [(v / 4, f"{v * 25}%") for v in range(5)]  # 0%, 25%, 50%, 75%, 100%
RIGHT_ROOM = 24  # pixels right of the plot: more than half of "100%"


def probability_plot(min_height: int) -> tuple[pg.PlotWidget, pg.BarGraphItem]:
    """A plot of probabilities from 0 to 1 and its (empty) bar item; the caller sets the bars and the class ticks."""
    plot = pg.PlotWidget(background=None)
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
    bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush=pg.mkBrush(*BAR_COLOUR))
    plot.addItem(bars)
    return plot, bars

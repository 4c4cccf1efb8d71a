"""What the Train page's three plots share (:mod:`.plots`): their colours, titles and sizes, the one-line legend
above them, a plot widget as each is made (plain numbers on its axes, axes cached as pixmaps, no menu), its width
fitted to what it draws, and a metric read as a number (NaN when missing)."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

TRAIN_COLOR = (0, 114, 178)
VAL_COLOR = (213, 94, 0)
BATCH_COLOR = (120, 120, 120)
SMOOTH_COLOR = (70, 70, 70)  # darker than the raw batches: at 1 px it still reads as the main line
LR_COLOR = (0, 158, 115)
TITLE_SIZE = "10pt"  # "Learning rate" whole over a 150-pixel plot (as the Tune page's plots)
LR_TITLE = "Learning rate"
NO_LR_TITLE = "Learning rate: none"  # a run whose epochs have no rate: the frozen head fitted exactly
NO_LR_TIP = ("This run took no steps: its last layer was fitted exactly, once per strength of regularisation, "
             "so it has no learning rate to show.")
EPOCH_AXIS = "epoch"  # the x axis of a run that trains by epochs (a frozen head's: engine/runs/head_rows.py)
OVERLAY_COLORS = ((204, 121, 167), (86, 180, 233))
VAL_STYLE = Qt.PenStyle.DashLine  # validation: dashed with square marks, training solid with round ones (QA a11y 16)
BEST_LABEL_AT = (0.92, 0.08)  # where "best" sits along its line (0: bottom, 1: top) in the loss and accuracy plots


PLOT_HEIGHT = 160  # the fewest pixels a plot keeps (its legend is the line above the plots, LEGEND)
PLOT_LEAST_OPEN = 120  # ... and keeps with the advice above open (QA F-6: 90 at 1,024 x 614), its first finding whole
# (journey QA #8: at 150 it was a two-line box cut mid-sentence); a plot this high still shows its title, axes and curves
PLOT_WIDTH = 150  # three side by side fit a 1,024-pixel window beside the settings (more when the plot needs it)


def _swatch(color, glyph: str) -> str:
    return f"<span style='color:{QColor(*color[:3]).name()}'><b>{glyph}</b></span>"


def legend(train: bool = True, validation: bool = True, batches: bool = True, best: bool = True,
           best_words: str = "best epoch") -> str:
    """Which line is which, once for the three plots (the best epoch: the dashed line and the star): only the lines
    drawn are named (a run opened again has no batches' line: its batches were not kept). ``best_words``: what the
    star marks ("kept: best on validation" for a frozen head's strengths, which are not epochs)."""
    entries = ((train, f"{_swatch(TRAIN_COLOR, '─●─')} train"),
               (validation, f"{_swatch(VAL_COLOR, '╌■╌')} validation"),  # dashed, square: not by colour alone
               (batches, f"{_swatch(SMOOTH_COLOR, '──')} batches (smoothed)"),
               (best, f"{_swatch((240, 180, 0), '┆ ★')} {best_words}"))
    return "&nbsp;&nbsp;".join(words for drawn, words in entries if drawn)


LEGEND = legend()  # every line: before a run draws any


def make_plot(title: str, y_label: str | None) -> pg.PlotWidget:
    w = pg.PlotWidget(background=None)
    w.setTitle(title, size=TITLE_SIZE)
    w.setLabel("bottom", EPOCH_AXIS)
    if y_label:
        w.setLabel("left", y_label)
    w.showGrid(x=True, y=True, alpha=0.2)
    w.setMinimumSize(PLOT_WIDTH, PLOT_HEIGHT)
    w.getPlotItem().setMenuEnabled(False)
    item = w.getPlotItem()
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    for axis in ("left", "bottom"):
        w.getAxis(axis).enableAutoSIPrefix(False)  # plain numbers: 0.2 .. 0.8, never 200 .. 800 "(x0.001)"
    for axis in ("left", "bottom"):  # a pixmap per axis (with its grid lines), redrawn only when it changes
        w.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    return w


def cache_as_pixmaps(*items) -> None:
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def fit_width(plot: pg.PlotWidget) -> None:
    """The plot widget at least as wide as what it draws needs (its y axis, which widens with longer numbers, and
    its title): a narrower one would cut its right side off, title and all. Called when an axis changes size."""
    try:
        need = math.ceil(plot.getPlotItem().effectiveSizeHint(Qt.SizeHint.MinimumSize).width()) + 2
    except RuntimeError:  # the window is closing: its axis changes size as Qt takes the plot apart
        return
    if need > plot.minimumWidth():
        plot.setMinimumWidth(need)


def number(v):
    return float(v) if isinstance(v, (int, float)) else math.nan

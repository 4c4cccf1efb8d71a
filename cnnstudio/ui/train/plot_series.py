"""The curves of the Train page's plots (:mod:`.plots`): a :class:`Series` is x and y lists plus the pyqtgraph
curve that shows them, handed over at the next flush; a :class:`LiveSeries` (batch loss, smoothed loss, learning
rate: what changes at every refresh) is drawn as a :class:`PathCurve`, two ``QGraphicsPathItem``s Qt paints without
running Python, new points going to a short tail so that a refresh repaints only the small rectangle around them."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

SETTLE_POINTS = 40  # a live curve's newest points are drawn as a separate short path (see PathCurve)


class Series:
    """x and y lists plus the curve that shows them; ``dirty`` until the next flush."""

    def __init__(self, plot: pg.PlotWidget, name: str | None, color, width=2, style=None, symbol=None):
        pen = pg.mkPen(color=color, width=width, style=style) if style is not None else pg.mkPen(color=color,
                                                                                                  width=width)
        kw = {"symbol": symbol, "symbolSize": 6, "symbolBrush": pg.mkBrush(*color), "symbolPen": None} if symbol else {}
        self.curve = plot.plot([], [], pen=pen, name=name, connect="finite", **kw)
        self.reset()
        self.dirty = False

    def reset(self) -> None:
        self.x: list[float] = []
        self.y: list[float] = []
        self.top = 0.0  # the highest finite y (0 when none)
        self.dirty = True

    def add(self, x: float, y: float) -> None:
        finite = isinstance(y, (int, float)) and math.isfinite(y)
        self.x.append(x)
        self.y.append(y if finite else np.nan)
        if finite and y > self.top:
            self.top = float(y)
        self.dirty = True

    def set(self, xs, ys) -> None:
        self.x = list(xs)
        self.y = [float(y) if isinstance(y, (int, float)) and math.isfinite(y) else np.nan for y in ys]
        self.top = max([y for y in self.y if y == y] + [0.0])
        self.dirty = True

    def flush(self) -> None:
        if self.dirty:
            self.curve.setData(np.asarray(self.x, dtype=float), np.asarray(self.y, dtype=float))
            self.dirty = False


class PathCurve:
    """A curve Qt draws by itself (see the module docs): a cosmetic-pen path in the plot's data coordinates.

    Two path items: the settled part and a short tail with the newest points. A refresh changes only the
    tail, so Qt repaints only the small rectangle around it instead of the whole plot; every
    :data:`SETTLE_POINTS` points the tail joins the settled part (one full repaint).
    """

    def __init__(self, plot: pg.PlotWidget, color, width: float):
        pen = QPen(QColor(*color))
        pen.setCosmetic(True)  # width in pixels whatever the axes' scale
        pen.setWidthF(width)
        self.item = QGraphicsPathItem()
        self.tail_item = QGraphicsPathItem()
        for item in (self.item, self.tail_item):
            item.setPen(pen)
            plot.getPlotItem().vb.addItem(item, ignoreBounds=True)
        self.clear()

    def clear(self) -> None:
        self.path = QPainterPath()
        self.tail = QPainterPath()
        self.xs: list[float] = []
        self.ys: list[float] = []
        self._down = False  # False after a gap (NaN): the next point starts a new piece
        self._last: tuple[float, float] | None = None  # where the tail starts (the settled part's end)
        self._tail_points = 0
        self.item.setPath(self.path)
        self.tail_item.setPath(self.tail)

    def extend(self, xs, ys) -> None:
        for x, y in zip(xs, ys):
            self.xs.append(x)
            self.ys.append(y)
            if y == y:  # finite (NaN marks a gap; infinities never get here)
                if self._down:
                    for path in (self.path, self.tail):
                        path.lineTo(x, y)
                else:
                    self.path.moveTo(x, y)
                    self.tail.moveTo(x, y)
                    self._down = True
                self._tail_points += 1
            else:
                self._down = False
        if self._tail_points >= SETTLE_POINTS:  # the tail joins the settled part; a new tail starts at the end
            self.item.setPath(self.path)
            self.tail = QPainterPath()
            if self._down:
                self.tail.moveTo(self.xs[-1], self.ys[-1])
            self._tail_points = 0
        self.tail_item.setPath(self.tail)

    def getData(self):  # noqa: N802 - the same name as pyqtgraph's curves
        return np.asarray(self.xs, dtype=float), np.asarray(self.ys, dtype=float)


class LiveSeries(Series):
    """A series drawn as a :class:`PathCurve`: each flush appends the points added since the last one."""

    def __init__(self, plot: pg.PlotWidget, name: str | None, color, width=1.5):
        self.curve = PathCurve(plot, color, width)
        Series.reset(self)
        self.dirty = self._rebuild = False

    def set(self, xs, ys) -> None:
        super().set(xs, ys)
        self._rebuild = True

    def reset(self) -> None:
        super().reset()
        self._rebuild = True

    def flush(self) -> None:
        if not self.dirty:
            return
        if self._rebuild:
            self.curve.clear()
            self._rebuild = False
        n = len(self.curve.xs)
        self.curve.extend(self.x[n:], self.y[n:])
        self.dirty = False

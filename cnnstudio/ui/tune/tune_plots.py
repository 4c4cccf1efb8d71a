"""The Tune page's plots (pyqtgraph), all drawn from :class:`~.tune_state.TuneState`:

- *Best so far*: the best validation accuracy after each finished trial (a staircase) over every finished
  trial's own (dots);
- *This trial*: the running trial's validation accuracy per epoch;
- *Each setting* (a slice plot): pick a parameter, see its value against validation accuracy for every
  finished or pruned trial (a log axis for a log range, the choices as labels); a trial stopped early is a hollow
  grey ring (its accuracy is part-way, not what those settings give), said by the legend under the plot;
- *Accuracy vs size* (two goals only): every finished trial by model size and accuracy, the Pareto front
  joined; clicking a point emits ``trial_clicked(number)``.

A plot with nothing to draw says why in its middle (no search running, no finished trial yet).

Every accuracy axis is in percent, 0–100 before any trial and never narrower than a few points
(:func:`~.plot_axes.accuracy_range`): one trial, or tied trials, do not look like a zoom into noise.

Each curve is made once and updated with ``setData`` by :meth:`TunePlots.refresh`, which the page calls
from a ~10 Hz timer while something changed (never ``clear()`` per update).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from ...engine.tune.words import shown_number, trial_words
from ...project.counting import counted
from ..keyboard import not_a_tab_stop
from ..model.params import ComboBox
from ..train.plots import TRAIN_COLOR, VAL_COLOR
from ..readable_plot import readable_plot, tell
from .plot_axes import accuracy_range, axis_text, linear_ticks, log_ticks, size_text
from .tune_state import TuneState, accuracy_text, param_title, value_text

DOT_COLOR = (150, 150, 150)
NO_TRIAL = "No finished trial yet."
SLICE_LEGEND = "● finished trials   ○ stopped early (their accuracy when they were stopped)"
FRONT_COLOR = VAL_COLOR
SELECTED_PEN = pg.mkPen((20, 20, 20), width=2)


class FittedLogAxis(pg.AxisItem):
    """A bottom axis that, on a log scale with ``text`` set, labels the ticks :func:`~.plot_axes.log_ticks` picks
    for its length in pixels and its font, each time it is drawn: as many as fit without running together
    ("0.001  0.01" on a narrow plot, "3e-4  0.001  0.003  0.01  0.03" on a wide one). Otherwise pyqtgraph's own,
    or the ticks given with ``setTicks`` (a choice's names)."""

    def __init__(self):
        super().__init__("bottom")
        self.text = None  # how a value is written, while the axis is a log axis labelled by log_ticks
        self._labels: dict[float, str] = {}

    def _fitted(self) -> bool:
        return bool(self.logMode and self.text is not None and self._tickLevels is None)

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph's names
        if not self._fitted():
            return super().tickValues(minVal, maxVal, size)
        low, high = sorted((minVal, maxVal))
        metrics = QFontMetricsF(self.style["tickFont"] or self.font())
        ticks = log_ticks(10 ** low, 10 ** high, self.text, pixels=size, measure=metrics.horizontalAdvance)
        self._labels = {round(v, 9): t for v, t in ticks}
        return [(None, [v for v, _ in ticks])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        if not self._fitted():
            return super().tickStrings(values, scale, spacing)
        return [self._labels.get(round(v, 9), "") for v in values]


class FittedAxis(FittedLogAxis):
    """The Tune plots' bottom axis: a log axis as :class:`FittedLogAxis`, and a plain one labelled with the ticks
    :func:`~.plot_axes.linear_ticks` picks for its length and font each time it is drawn (whole numbers where
    ``whole``: trials and epochs), so that a plot a sixth of a 1,024-pixel window wide reads "0  0.5  1", not
    "0.20.40.60.8". The ticks given with ``setTicks`` (a choice's names) stay as given."""

    def __init__(self, whole: bool = False):
        super().__init__()
        self.whole = whole

    def _plain(self) -> bool:
        return not self.logMode and self._tickLevels is None

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph's names
        if not self._plain():
            return super().tickValues(minVal, maxVal, size)
        low, high = sorted((minVal, maxVal))
        metrics = QFontMetricsF(self.style["tickFont"] or self.font())
        ticks = linear_ticks(low, high, size, measure=metrics.horizontalAdvance, whole=self.whole)
        self._labels = {round(v, 9): t for v, t in ticks}
        return [(None, [v for v, _ in ticks])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        if not self._plain():
            return super().tickStrings(values, scale, spacing)
        return [self._labels.get(round(v, 9), "") for v in values]


def _plot(title: str, x_label: str, y_label: str = "validation accuracy (%)", whole: bool = False) -> pg.PlotWidget:
    w = pg.PlotWidget(background=None, axisItems={"bottom": FittedAxis(whole)})
    item = w.getPlotItem()
    item.layout.removeItem(item.titleLabel)  # the title over the whole plot, its axis too: at 1,024 px one over the
    item.layout.addItem(item.titleLabel, 0, 0, 1, 3)  # curves alone read "The running tria"
    w.setTitle(title or None, size="10pt")  # no title: no empty row above the plot
    w.setLabel("bottom", x_label)
    w.setLabel("left", y_label)
    w.setYRange(*accuracy_range([]), padding=0)  # 0-100 % before any trial
    w.showGrid(x=True, y=True, alpha=0.2)
    w.setMinimumSize(145, 125)  # three side by side give way in a narrow window (a 1024-pixel screen)
    w.getPlotItem().setMenuEnabled(False)
    w.getPlotItem().hideButtons()
    for axis in ("left", "bottom"):
        w.getAxis(axis).enableAutoSIPrefix(False)  # plain numbers: 0.003, not 3 (x0.001)
    return w


def _dots(plot: pg.PlotWidget, color, size=8, **kw) -> pg.PlotDataItem:
    return plot.plot([], [], pen=None, symbol="o", symbolSize=size, symbolBrush=pg.mkBrush(*color),
                     symbolPen=None, **kw)


def _hollow(plot: pg.PlotWidget, color, size=9) -> pg.PlotDataItem:
    return plot.plot([], [], pen=None, symbol="o", symbolSize=size, symbolBrush=None,
                     symbolPen=pg.mkPen(color=color, width=1.5))


def _note(plot: pg.PlotWidget) -> pg.TextItem:
    """Words in the middle of ``plot`` when it has nothing to draw (placed by :meth:`TunePlots._fit_notes`)."""
    note = pg.TextItem("", color=(110, 110, 110), anchor=(0.5, 0.5))
    note.setParentItem(plot.getViewBox())  # in the box's pixels, not the data's
    return note


def _ring(plot: pg.PlotWidget) -> pg.PlotDataItem:
    return plot.plot([], [], pen=None, symbol="o", symbolSize=15, symbolBrush=None, symbolPen=SELECTED_PEN)


def _pct(ys) -> np.ndarray:
    return np.asarray(ys, dtype=float) * 100


def _accuracy_axis(plot: pg.PlotWidget, *percents: np.ndarray) -> None:
    """The plot's accuracy axis for the values it shows (:func:`~.plot_axes.accuracy_range`)."""
    plot.setYRange(*accuracy_range([v for p in percents for v in p.tolist()]), padding=0)


class TunePlots(QWidget):
    trial_clicked = Signal(int)

    def __init__(self, state: TuneState, parent=None):
        super().__init__(parent)
        self.state = state
        self.selected: int | None = None

        self.best_plot = _plot("Best so far", "trial", whole=True)
        self.best_dots = _dots(self.best_plot, DOT_COLOR, 7)
        self.best_line = self.best_plot.plot([], [], pen=pg.mkPen(color=TRAIN_COLOR, width=2))
        self.best_note = _note(self.best_plot)

        self.live_plot = _plot("This trial", "epoch", whole=True)
        self.live_curve = self.live_plot.plot([], [], pen=pg.mkPen(color=VAL_COLOR, width=2), symbol="o",
                                              symbolSize=6, symbolBrush=pg.mkBrush(*VAL_COLOR), symbolPen=None)
        self.live_note = _note(self.live_plot)  # no curve: why

        self.param_combo = ComboBox()
        self.param_combo.setToolTip("The setting to compare with validation accuracy")
        self.param_combo.currentIndexChanged.connect(self._slice_changed)
        self.slice_plot = _plot("", "")
        self.slice_dots = _dots(self.slice_plot, TRAIN_COLOR, 9)
        self.slice_pruned = _hollow(self.slice_plot, DOT_COLOR)  # stopped early: part-way accuracies
        self.slice_ring = _ring(self.slice_plot)
        self.slice_note = _note(self.slice_plot)
        for item in (self.slice_dots, self.slice_pruned):
            item.sigPointsClicked.connect(self._clicked)
        for plot in (self.best_plot, self.live_plot, self.slice_plot):
            plot.getViewBox().sigResized.connect(self._fit_notes)
        self.slice_legend = QLabel(SLICE_LEGEND)
        self.slice_legend.setWordWrap(True)
        self.slice_legend.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        self.slice_legend.hide()
        slice_tab = QWidget()
        sl = QVBoxLayout(slice_tab)
        sl.setContentsMargins(2, 2, 2, 2)
        row = QHBoxLayout()
        setting_label = QLabel("Setting:")
        setting_label.setBuddy(self.param_combo)  # a drop-down list is named by its label (ARCHITECTURE: keyboard)
        self.param_combo.setAccessibleName("Setting")
        row.addWidget(setting_label)
        row.addWidget(self.param_combo, 1)
        sl.addLayout(row)
        sl.addWidget(self.slice_plot, 1)
        sl.addWidget(self.slice_legend)

        self.pareto_plot = _plot("", "size (parameters, log scale)")
        self.pareto_plot.setLogMode(x=True, y=False)
        self.pareto_plot.getAxis("bottom").text = size_text
        self.pareto_dots = _dots(self.pareto_plot, DOT_COLOR, 9)
        self.front_line = self.pareto_plot.plot([], [], pen=pg.mkPen(color=FRONT_COLOR, width=2), symbol="o",
                                                symbolSize=10, symbolBrush=pg.mkBrush(*FRONT_COLOR), symbolPen=None)
        self.pareto_ring = _ring(self.pareto_plot)
        for item in (self.pareto_dots, self.front_line):
            item.sigPointsClicked.connect(self._clicked)
        self.pareto_note = QLabel("Orange: the trials no other trial beats on both accuracy and size. Click a "
                                  "point to select that trial.")
        self.pareto_note.setWordWrap(True)
        self.pareto_note.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        self.pareto_tab = pareto_tab = QWidget()
        pl = QVBoxLayout(pareto_tab)
        pl.setContentsMargins(2, 2, 2, 2)
        pl.addWidget(self.pareto_plot, 1)
        pl.addWidget(self.pareto_note)

        for plot, name in ((self.best_plot, "Best so far plot"), (self.live_plot, "Running trial plot"),
                           (self.slice_plot, "Each setting plot"), (self.pareto_plot, "Accuracy vs size plot")):
            readable_plot(plot, name)  # no tab stop (the running trial's plot kept Tab for ever); words: _say
        self.tabs = QTabWidget()
        self.tabs.addTab(slice_tab, "Each setting")
        self.tabs.setTabBarAutoHide(True)  # one tab (one goal): no tab bar, the plot gets its height
        not_a_tab_stop(self.tabs)  # with its tab bar hidden it kept Tab for ever (its bar is its focus proxy)
        self.tabs.setTabToolTip(0, "Each tried value of one setting against validation accuracy")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.best_plot, 1)
        lay.addWidget(self.live_plot, 1)
        lay.addWidget(self.tabs, 1)
        self.reset()

    # -- the page ------------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Another study is shown: its parameters in the combo, the Pareto tab only with two goals."""
        s = self.state
        keep = self.param_combo.currentData()
        self.param_combo.blockSignals(True)
        self.param_combo.clear()
        for name in s.params():
            self.param_combo.addItem(param_title(name).capitalize(), name)
        i = self.param_combo.findData(keep)
        self.param_combo.setCurrentIndex(i if i >= 0 else 0)
        self.param_combo.blockSignals(False)
        if s.two_objectives and self.tabs.count() == 1:  # the Pareto tab with two goals only
            self.tabs.addTab(self.pareto_tab, "Accuracy vs size")
            self.tabs.setTabToolTip(1, "Model size against accuracy (when the goal includes a small model)")
        elif not s.two_objectives and self.tabs.count() == 2:
            self.tabs.removeTab(1)
        if s.two_objectives:
            self.tabs.setCurrentIndex(1)
        self._slice_changed()
        self.refresh()

    def refresh(self) -> None:
        s = self.state
        xs, ys, px, py = s.best_so_far()
        stairs_x, stairs_y = [], []
        for i, (x, y) in enumerate(zip(xs, ys)):
            if i:
                stairs_x.append(x)
                stairs_y.append(ys[i - 1])
            stairs_x.append(x)
            stairs_y.append(y)
        self.best_line.setData(np.asarray(stairs_x, dtype=float), _pct(stairs_y))
        self.best_dots.setData(np.asarray(px, dtype=float), _pct(py))
        _accuracy_axis(self.best_plot, _pct(py))
        last = shown_number(max(s.order, default=0))  # every trial of the table has its place, finished or not
        self.best_plot.setXRange(0.7, max(2, last) + 0.3, padding=0)
        n = s.live_number
        self.live_plot.setTitle("The running trial" if n is None else trial_words(n).capitalize() if n == s.running
                                else f"{trial_words(n).capitalize()} (last)", size="10pt")  # whole on a narrow plot
        live = _pct([a for _, a in s.live])
        self.live_curve.setData(np.asarray([e for e, _ in s.live], dtype=float), live)
        _accuracy_axis(self.live_plot, live)
        self.live_plot.setXRange(1, max(2, s.live_epochs or 0), padding=0.05)  # epochs from 1, none yet too
        self.live_note.setText(s.live_note())
        self.best_note.setText("" if px else NO_TRIAL)
        self._fit_notes()
        self._refresh_slice()
        if s.two_objectives:
            self._refresh_pareto()
        self._refresh_rings()
        self._say(xs, ys, px, py)

    def _say(self, xs, ys, px, py) -> None:
        """The plots' figures in words (set only when they change: readable_plot.tell)."""
        s = self.state
        best = (f"best validation accuracy {accuracy_text(ys[-1])}, trial {px[py.index(max(py))]}"
                if ys and py else "none finished yet")
        tell(self.best_plot, f"Best so far: {counted(len(px), 'trial')} finished, {best}")
        title = self.live_plot.getPlotItem().titleLabel.text
        if s.live:
            epoch, acc = s.live[-1]
            of = f" of {s.live_epochs}" if s.live_epochs else ""
            tell(self.live_plot, f"{title}: epoch {epoch}{of}, validation accuracy {accuracy_text(acc)}")
        else:
            tell(self.live_plot, f"{title}: {s.live_note() or 'no epoch yet'}")
        d, name = self.slice_data(), self.param_combo.currentData()
        if name and d["y"]:
            i = max(range(len(d["y"])), key=d["y"].__getitem__)
            x = d["x"][i]
            at = dict(d["ticks"]).get(x, "") if d["ticks"] else value_text(name, x)
            tell(self.slice_plot, f"{param_title(name).capitalize()}: {len(d['y'])} trials; the best, "
                                  f"{accuracy_text(d['y'][i])}, at {at}")
        else:
            tell(self.slice_plot, f"{param_title(name).capitalize() if name else 'Each setting'}: no trial yet")
        if s.two_objectives:
            done, front = self.pareto_data()
            tell(self.pareto_plot, f"Accuracy vs size: {len(done)} trials, {len(front)} that no other beats on "
                                   "both accuracy and size")

    def set_selected(self, number: int | None) -> None:
        self.selected = number
        self._refresh_rings()

    # -- the slice plot -------------------------------------------------------------------------------------
    def _slice_changed(self, *_) -> None:
        name = self.param_combo.currentData()
        self.slice_plot.setLabel("bottom", param_title(name) if name else "")
        self._refresh_slice()
        self._refresh_rings()

    def slice_data(self) -> dict:
        name = self.param_combo.currentData()
        return self.state.slice(name) if name else {"x": [], "y": [], "numbers": [], "pruned": [], "log": False,
                                                    "ticks": None, "range": None}

    def _fit_notes(self, *_) -> None:
        """Each plot's note, wrapped to the plot's width and in its middle (a narrow window cut "Stopped early,
        part-way through…" at both sides)."""
        for plot, note in ((self.best_plot, self.best_note), (self.live_plot, self.live_note),
                           (self.slice_plot, self.slice_note)):
            vb = plot.getViewBox()
            note.setTextWidth(max(60.0, min(180.0, vb.width() - 12)))
            note.setPos(vb.width() / 2, vb.height() / 2)

    def _refresh_slice(self) -> None:
        d = self.slice_data()
        self.slice_plot.setLogMode(x=d["log"], y=False)
        axis = self.slice_plot.getAxis("bottom")
        axis.text = axis_text if d["log"] else None  # labels that fit its width, redone as it is drawn
        axis.setTicks([d["ticks"]] if d["ticks"] else None)
        for item, stopped in ((self.slice_dots, False), (self.slice_pruned, True)):
            keep = [i for i, p in enumerate(d["pruned"]) if p == stopped]
            item.setData(np.asarray([d["x"][i] for i in keep], dtype=float), _pct([d["y"][i] for i in keep]),
                         data=[d["numbers"][i] for i in keep])
        self.slice_legend.setVisible(any(d["pruned"]))
        self.slice_note.setText("" if d["y"] else NO_TRIAL)
        _accuracy_axis(self.slice_plot, _pct(d["y"]))
        if d["ticks"]:
            self.slice_plot.setXRange(d["ticks"][0][0] - 0.5, d["ticks"][-1][0] + 0.5, padding=0)
        elif d["range"]:  # the whole range searched: where in it the trials landed
            lo, hi = (math.log10(v) for v in d["range"]) if d["log"] else d["range"]
            self.slice_plot.setXRange(lo, hi, padding=0.05)
        else:
            self.slice_plot.enableAutoRange(x=True)

    # -- the Pareto plot -------------------------------------------------------------------------------------
    def pareto_data(self) -> tuple[list[dict], set[int]]:
        return self.state.front()

    def _refresh_pareto(self) -> None:
        done, front = self.pareto_data()
        others = [r for r in done if r["number"] not in front]
        best = sorted((r for r in done if r["number"] in front), key=lambda r: r["parameters"])
        self.pareto_dots.setData(np.asarray([r["parameters"] for r in others], dtype=float),
                                 _pct([r["val_accuracy"] for r in others]), data=[r["number"] for r in others])
        self.front_line.setData(np.asarray([r["parameters"] for r in best], dtype=float),
                                _pct([r["val_accuracy"] for r in best]), data=[r["number"] for r in best])
        _accuracy_axis(self.pareto_plot, _pct([r["val_accuracy"] for r in done]))

    def _refresh_rings(self) -> None:
        row = self.state.rows.get(self.selected) if self.selected is not None else None
        acc = row.get("val_accuracy") if row else None
        d = self.slice_data()
        if row is not None and row["number"] in d["numbers"]:
            i = d["numbers"].index(row["number"])
            self.slice_ring.setData([d["x"][i]], [d["y"][i] * 100])
        else:
            self.slice_ring.setData([], [])
        if row is not None and acc is not None and row.get("parameters") and self.state.two_objectives:
            self.pareto_ring.setData([float(row["parameters"])], [acc * 100])
        else:
            self.pareto_ring.setData([], [])

    def _clicked(self, _item, points, *_) -> None:
        if len(points):
            number = points[0].data()
            if number is not None:
                self.trial_clicked.emit(int(number))

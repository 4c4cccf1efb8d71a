"""Live training plots: one pyqtgraph curve per series, created once, updated with ``setData`` from a timer.

Events only append numbers to plain lists (cheap, in the GUI thread, one per signal); a ~10 Hz
``QTimer`` calls :meth:`TrainingPlots.flush`, which hands the lists to the curves when something changed.
Nothing calls ``clear()`` or ``plot()`` per update (pyqtgraph issues #2348, #1398) and nothing calls
``processEvents()``. The x axis is epochs: a batch of epoch 3 that is half done sits at 2.5.

Two finished runs can be laid over the live curves to compare them (each in its colour: validation solid,
training dotted, its learning rate; a line above the plots says which colour is which run).

Cheap to redraw, because every millisecond the GUI thread paints is taken from training on a laptop
(``benchmarks/bench_gui_training.py``): the x axis is fixed to the run's epochs; the loss and
learning-rate y axes go from 0 to a round number above the highest value and change only when a value
passes it (pyqtgraph's auto-range re-laid out and re-drew the axes at every refresh: 12 ms per refresh
for the three plots, 2 ms without), and the learning-rate axis starts at the run's peak rate; axes are
cached as pixmaps (redrawn only when they change), and so are the per-epoch curves and the best-epoch
marks; no antialiasing. The legend is one line of text above the three plots (:data:`LEGEND`), not a legend
item in each: nothing to repaint, and no curve drawn under words (the "best" mark's word sits at the end of its
line where the curves are not: at the top in the loss plot, at the bottom in the accuracy plot).

The curves that change at every refresh (batch loss, smoothed loss, learning rate) are plain
``QGraphicsPathItem``s, not pyqtgraph curves: Qt paints them without running Python (training runs in a
child process now, so what the GUI costs it is CPU time; when it ran in a thread of this process, Python
in the GUI thread also held the GIL training needs between two PyTorch operations: a 3 ms pure-Python
task ten times a second cost training ~8 %, the same task in GIL-free NumPy ~3 %). New points go to a
short tail path, so a refresh repaints only the small rectangle around the newest points, not the whole
plot (0.70 -> 0.26 ms per refresh); the tail joins the settled path every 40 points. The learning rate is a schedule
known in advance, not a measurement, so its curve is redrawn once a second, not at every refresh.

The pieces, a file each: the curves (:mod:`.plot_series`: ``Series``, the ``LiveSeries`` drawn as a ``PathCurve``) and
what the three plots share (:mod:`.plot_style`: colours, titles, sizes, the legend, a plot widget as each is made);
the names other code imports from here stay here.
"""

from __future__ import annotations

import html
import math

import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...project.glossary import tip
from ...engine.use.figures import percent
from ..readable_plot import readable_plot, tell
from .plot_scale import epoch_step, nice_ceiling
from .plot_series import SETTLE_POINTS, LiveSeries, Series
from .plot_style import (BATCH_COLOR, BEST_LABEL_AT, EPOCH_AXIS, LEGEND, LR_COLOR, LR_TITLE, NO_LR_TIP, NO_LR_TITLE,
                         OVERLAY_COLORS, PLOT_HEIGHT, PLOT_LEAST_OPEN, PLOT_WIDTH, SMOOTH_COLOR, TITLE_SIZE,
                         TRAIN_COLOR, VAL_COLOR, VAL_STYLE, cache_as_pixmaps, fit_width, legend, make_plot, number)
from .plot_words import epoch_words, loss_text, rate_words

__all__ = ["BEST_LABEL_AT", "LEGEND", "LR_EVERY", "LR_TITLE", "NO_LR_TITLE", "PLOT_HEIGHT", "PLOT_LEAST_OPEN",
           "PLOT_WIDTH", "SETTLE_POINTS", "SMOOTHING", "TRAIN_COLOR", "VAL_COLOR", "TrainingPlots", "nice_ceiling"]

SMOOTHING = 0.3  # weight of the newest batch in the running average
EDGE_PAD = 0.08  # the x axes reach this share of the run's length beyond its ends: the numbers 0 and the last
# epoch under them are drawn whole (pyqtgraph hides a number that would stick out), even 150 pixels wide
LR_EVERY = 10  # the learning-rate curve is redrawn at every 10th refresh (once a second)


class TrainingPlots(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        # Speed over polish: on a 2-core laptop every millisecond the GUI thread paints is taken from
        # training (benchmarks/bench_gui_training.py). No antialiasing, and a fixed x range per run so the
        # axes are not laid out again at every refresh.
        pg.setConfigOptions(antialias=False)
        self.loss_plot = make_plot("Loss", "lower is better")  # whole beside a plot PLOT_LEAST_OPEN high; "Loss" above
        self.acc_plot = make_plot("Accuracy", "correct")
        self.lr_plot = make_plot(LR_TITLE, None)  # its title says what the numbers are: the room is the curve's
        for plot, name in ((self.loss_plot, "Loss plot"), (self.acc_plot, "Accuracy plot"),
                           (self.lr_plot, "Learning rate plot")):
            readable_plot(plot, name)  # no tab stop; its figures in words (:meth:`_say`)
        self._epochs: int | None = None  # the run's planned epochs (the words say "epoch 6 of 8")
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):  # the widget as wide as its axis and title
            plot.getAxis("left").geometryChanged.connect(lambda p=plot: fit_width(p))
        self.legend = QLabel(LEGEND)  # which line is which, for the three plots (see the module docs)
        self.legend.setStyleSheet("color: palette(placeholder-text);")
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # never widens the page
        self._lr_seen = [0, 0]  # points of the learning rate given, of which finite: none finite = no rate at all
        self._legend_batches = False  # whether the legend was written with the batches' line drawn
        self._lr_none = False
        self.acc_plot.setYRange(0, 1, padding=0.02)
        self.acc_plot.getAxis("left").setTickSpacing(0.2, 0.1)  # its ticks in percent, as every sentence says it:
        self.acc_plot.getAxis("left").tickStrings = lambda values, _scale, _spacing: [f"{v:.0%}" for v in values]
        self.batch_loss = LiveSeries(self.loss_plot, None, BATCH_COLOR + (90,), width=1)
        # 1 px: Qt strokes a 1-px cosmetic pen on a fast path; 1.5 px took ~0.2 ms more per refresh (0.85 -> 0.62 ms)
        self.smooth_loss = LiveSeries(self.loss_plot, None, SMOOTH_COLOR, width=1)
        self.train_loss = Series(self.loss_plot, None, TRAIN_COLOR, symbol="o")
        self.val_loss = Series(self.loss_plot, None, VAL_COLOR, style=VAL_STYLE, symbol="s")
        self.train_acc = Series(self.acc_plot, None, TRAIN_COLOR, symbol="o")
        self.val_acc = Series(self.acc_plot, None, VAL_COLOR, style=VAL_STYLE, symbol="s")
        self.lr = LiveSeries(self.lr_plot, None, LR_COLOR, width=2)
        self.best = pg.ScatterPlotItem(size=16, symbol="star", brush=pg.mkBrush(240, 200, 0), pen=pg.mkPen("k"))
        self.acc_plot.addItem(self.best)
        self.best_lines = []
        # its word where the curves are not: loss falls, so the top of the loss plot; accuracy rises, so the bottom
        for p, at in ((self.loss_plot, BEST_LABEL_AT[0]), (self.acc_plot, BEST_LABEL_AT[1])):
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen((240, 180, 0), width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
                                   label="best", labelOpts={"position": at, "color": (180, 130, 0)})
            line.hide()
            p.addItem(line)
            self.best_lines.append(line)
        # a frozen head fitted exactly, then fine-tuned: where its strengths end and the fine-tuning's epochs begin
        self.rows = None  # its HeadRows (engine/runs/head_rows.py); None: every row is an epoch
        self.fine_tune_lines = []
        for p in (self.loss_plot, self.acc_plot, self.lr_plot):
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen((150, 150, 150), width=1),
                                   label="fine-tuning →", labelOpts={"position": 0.5, "color": (110, 110, 110)})
            line.hide()
            p.addItem(line)
            self.fine_tune_lines.append(line)
        # a run laid over the plots for comparison: its colour; validation solid, training dotted and thin (both
        # dashed, or dashed and dotted at the same width, could not be told apart); its learning rate too
        self.overlays: list[dict[str, Series]] = []
        dot = pg.QtCore.Qt.PenStyle.DotLine
        for color in OVERLAY_COLORS:
            self.overlays.append({
                "train_loss": Series(self.loss_plot, None, color, width=1, style=dot),
                "val_loss": Series(self.loss_plot, None, color, width=2),
                "train_acc": Series(self.acc_plot, None, color, width=1, style=dot),
                "val_acc": Series(self.acc_plot, None, color, width=2),
                "lr": Series(self.lr_plot, None, color, width=2),
            })
        self.overlay_names: list[str | None] = [None] * len(OVERLAY_COLORS)
        self.compare_note = QLabel()  # which colour is which run: the plots' legends stay short
        self.compare_note.setWordWrap(True)
        self.compare_note.hide()
        self._series = [self.batch_loss, self.smooth_loss, self.train_loss, self.val_loss, self.train_acc,
                        self.val_acc, self.lr] + [s for o in self.overlays for s in o.values()]
        for series in self._series:  # what changes once an epoch (or never while training): pixmaps
            if not isinstance(series, LiveSeries):
                cache_as_pixmaps(series.curve.curve, series.curve.scatter)
        cache_as_pixmaps(self.best, *(line.label for line in self.best_lines))
        # y from 0 to a round number above the data (see the module docs); accuracy is 0..1 throughout
        self._y_fitted = {
            self.loss_plot: [self.batch_loss, self.smooth_loss, self.train_loss, self.val_loss]
            + [o[k] for o in self.overlays for k in ("train_loss", "val_loss")],
            self.lr_plot: [self.lr] + [o["lr"] for o in self.overlays],
        }
        self._y_top: dict = {}
        self._flushes = 0
        for plot in self._y_fitted:
            plot.getPlotItem().vb.disableAutoRange(axis="y")
            self._set_y_top(plot, 1.0)
        self._smoothed: float | None = None
        self._best: tuple[float, float] | None = None
        self._best_dirty = False
        self.timer = QTimer(self)
        self.timer.setInterval(100)  # ~10 Hz
        self.timer.timeout.connect(lambda: self.flush(everything=False))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.compare_note)
        outer.addWidget(self.legend)
        lay = QHBoxLayout()
        outer.addLayout(lay, 1)
        lay.addWidget(self.loss_plot, 3)
        lay.addWidget(self.acc_plot, 3)
        lay.addWidget(self.lr_plot, 2)

    # -- events (GUI thread, one call per signal: append only) ----------------------------------------
    def add_batch(self, ev) -> None:
        x = (ev.epoch - 1) + ev.batch / max(1, ev.batches)
        if math.isfinite(ev.loss):
            self._smoothed = ev.loss if self._smoothed is None else (
                SMOOTHING * ev.loss + (1 - SMOOTHING) * self._smoothed)
        self.batch_loss.add(x, ev.loss)
        self.smooth_loss.add(x, self._smoothed if self._smoothed is not None else math.nan)
        self._add_lr(x, ev.lr)

    def _add_lr(self, x: float, lr) -> None:
        lr = number(lr)
        self._lr_seen[0] += 1
        if math.isfinite(lr):
            self._lr_seen[1] += 1
            self.lr.add(x, lr)

    def add_epoch(self, epoch: int, train_loss, val_loss, train_acc, val_acc, is_best: bool) -> None:
        self.train_loss.add(epoch, train_loss)
        self.val_loss.add(epoch, val_loss)
        self.train_acc.add(epoch, train_acc)
        self.val_acc.add(epoch, val_acc)
        if is_best:
            y = val_acc if isinstance(val_acc, (int, float)) and math.isfinite(val_acc) else train_acc
            self._best = (epoch, y)
            self._best_dirty = True

    def add_epoch_event(self, ev) -> None:
        self.add_epoch(ev.epoch, ev.train_loss, ev.val_loss, ev.train_accuracy, ev.val_accuracy, ev.is_best)

    def load_history(self, metrics: list[dict], best_epoch: int | None = None, lr_points=None) -> None:
        """Epoch points of a run shown from its files or resumed, so its curves continue where they ended: the
        losses and accuracies, and the learning rate: at every step as the live run drew it (``lr_points``, from
        :func:`~cnnstudio.engine.train.lr_curve.schedule_points`), else at the end of each epoch (its batches
        were not kept)."""
        for m in metrics:
            self.add_epoch(m.get("epoch", 0), number(m.get("train_loss")), number(m.get("val_loss")),
                           number(m.get("train_accuracy")), number(m.get("val_accuracy")), m.get("epoch") == best_epoch)
            if lr_points is None:
                self._add_lr(m.get("epoch", 0), m.get("lr"))
        for x, lr in zip(*(lr_points or ((), ()))):
            self._add_lr(x, lr)

    def reset(self) -> None:
        for s in (self.batch_loss, self.smooth_loss, self.train_loss, self.val_loss, self.train_acc, self.val_acc,
                  self.lr):
            s.reset()
        self._smoothed = None
        self._best = None
        self._best_dirty = True
        self._lr_seen = [0, 0]
        self.set_rows(None)

    def set_rows(self, rows) -> None:
        """What the x axis counts: epochs (``rows`` None), or a frozen head's strengths of regularisation and then
        its fine-tuning's epochs (:class:`~cnnstudio.engine.runs.head_rows.HeadRows`), which are never called
        epochs: the axis says "strength (weaker →)", the star "kept: best on validation", and a grey line
        marks where the fine-tuning begins (QA transfer #7)."""
        self.rows = rows
        axis = rows.axis() if rows is not None else EPOCH_AXIS
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
            plot.setLabel("bottom", axis)
            plot.getAxis("bottom").setToolTip(tip("strength of regularisation") if rows is not None else "")
        for line in self.fine_tune_lines:
            line.setValue(rows.head + 0.5 if rows is not None else 0)
            line.setVisible(rows is not None and rows.fine_tuned and rows.head > 0)
        self._best_dirty = True  # the legend and the words again

    def set_epochs(self, epochs: int) -> None:
        """Fix the x axis to the run's length: only the y axes follow the data while training. The three plots alike,
        the learning rate's too: its curve is a path pyqtgraph does not measure, so it cannot find its range itself
        (a run shown after the project was opened again had its rate squeezed at the right of a 0..1 axis)."""
        self._epochs = epochs
        self._fit_x()

    def _fit_x(self) -> None:
        """The x axes from 0 to the run's epochs, or to a compared run's last epoch when that one trained longer."""
        if self._epochs is None:
            return
        compared = [x for o in self.overlays for x in o["val_loss"].x if isinstance(x, (int, float))]
        right = max([max(1, self._epochs)] + compared)
        step = epoch_step(right)  # whole epochs, a few of them: never "0.20.40.60.8" under the narrow plot
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
            plot.setXRange(0, right, padding=EDGE_PAD)  # room for the first and last epochs' numbers
            plot.getPlotItem().vb.disableAutoRange(axis="x")
            plot.getAxis("bottom").setTickSpacing(step, step)

    def free_x(self) -> None:
        """No run's length known yet (Start pressed, the run not started): the axes follow the data."""
        self._epochs = None
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
            plot.getPlotItem().vb.enableAutoRange(axis="x")
            plot.getAxis("bottom").setTickSpacing()  # pyqtgraph's own again

    def give_room(self, pixels: int) -> None:
        """The plots may be ``pixels`` lower than :data:`PLOT_HEIGHT` (the advice above is open: advice_fold.py)."""
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
            plot.setMinimumHeight(max(PLOT_LEAST_OPEN, PLOT_HEIGHT - pixels))

    # -- overlays ---------------------------------------------------------------------------------------
    def set_overlay(self, slot: int, name: str | None, metrics: list[dict]) -> None:
        """Lay the epoch curves of a finished run over the plots (``name`` None: remove slot ``slot``)."""
        o = self.overlays[slot]
        xs = [m.get("epoch") for m in metrics] if name else []
        for key, field in (("train_loss", "train_loss"), ("val_loss", "val_loss"), ("train_acc", "train_accuracy"),
                           ("val_acc", "val_accuracy"), ("lr", "lr")):
            o[key].set(xs, [number(m.get(field)) for m in metrics] if name else [])
        self.overlay_names[slot] = name
        shown = [(n, c) for n, c in zip(self.overlay_names, OVERLAY_COLORS) if n]
        self.compare_note.setText(
            "Compared: " + ", ".join(f"<span style='color:{QColor(*c).name()}'><b>━━</b> {html.escape(n)}</span>"
                                     for n, c in shown)
            + " (solid: validation, dotted: training)" if shown else "")
        self.compare_note.setVisible(bool(shown))
        self._fit_x()
        self.flush()

    # -- the timer ------------------------------------------------------------------------------------
    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.flush()

    def _set_y_top(self, plot: pg.PlotWidget, top: float) -> None:
        self._y_top[plot] = top
        plot.setYRange(0, top, padding=0.02)

    def set_lr_peak(self, lr: float) -> None:
        """The highest learning rate the run will reach: its axis is set once, not while it warms up."""
        self.lr.top = max(self.lr.top, float(lr)) if math.isfinite(lr) else self.lr.top
        self.lr.dirty = True

    def _say_no_lr(self, none: bool) -> None:
        """A run without a learning rate: the title says so, and the empty plot shows no numbers of the run before
        (its y axis back to 0..1, unlabelled, unless a compared run has rates); once, when that changes."""
        self._lr_none = none
        self.lr_plot.setTitle(NO_LR_TITLE if none else LR_TITLE, size=TITLE_SIZE)
        self.lr_plot.setToolTip(NO_LR_TIP if none else "")
        self.lr_plot.getAxis("left").setStyle(showValues=not none)
        if none:
            self.lr.top = 0.0  # the peak set at Start is not reached
            self._set_y_top(self.lr_plot, nice_ceiling(max(s.top for s in self._y_fitted[self.lr_plot])))
        fit_width(self.lr_plot)

    def flush(self, everything: bool = True) -> None:
        """Hand changed data to the curves; the timer passes ``everything=False`` (see the module docs). The plots'
        words change with the epochs' points only (not with every batch)."""
        self._flushes += 1
        new_epoch = self._best_dirty or any(s.dirty for s in (self.train_loss, self.val_loss, self.train_acc,
                                                                  self.val_acc))
        lr_now = everything or self._flushes % LR_EVERY == 0
        for plot, series in self._y_fitted.items():
            if plot is self.lr_plot and not lr_now:
                continue
            if any(s.dirty for s in series):
                top = nice_ceiling(max(s.top for s in series))
                if top != self._y_top.get(plot):
                    self._set_y_top(plot, top)
        for s in self._series:
            if s is not self.lr or lr_now:
                s.flush()
        none = self._lr_seen[0] > 0 and self._lr_seen[1] == 0
        if lr_now and none != self._lr_none:
            self._say_no_lr(none)
        if self._best_dirty:
            self._best_dirty = False
            if self._best is None:
                self.best.setData([], [])
                for line in self.best_lines:
                    line.hide()
            else:
                x, y = self._best
                self.best.setData([x], [y] if y is not None and math.isfinite(y) else [0])
                for line in self.best_lines:
                    line.setValue(x)
                    line.show()
        if new_epoch or (lr_now and none != self._lr_none):
            self._say()
        if new_epoch or bool(self.smooth_loss.x) != self._legend_batches:
            self._name_drawn_lines()

    def _name_drawn_lines(self) -> None:
        """The legend names the lines drawn: a run opened again draws no batches' line (its batches were not kept),
        one without validation no validation line. Nothing drawn yet: every line, as what is to come."""
        def drawn(*series) -> bool:
            return any(isinstance(y, (int, float)) and math.isfinite(y) for s in series for y in s.y)
        self._legend_batches = bool(self.smooth_loss.x)
        lines = dict(train=drawn(self.train_loss, self.train_acc), validation=drawn(self.val_loss, self.val_acc),
                     batches=drawn(self.smooth_loss), best=self._best is not None)
        best_words = "best epoch" if self.rows is None else "kept: best on validation"
        self.legend.setText(legend(**lines, best_words=best_words) if any(lines.values())
                            else legend(best_words=best_words))

    def _say(self) -> None:
        """Each plot's latest figures in words, for a screen reader (readable_plot.py)."""
        best = int(self._best[0]) if self._best is not None else None
        for plot, title, train, val, text in ((self.loss_plot, "Loss", self.train_loss, self.val_loss, loss_text),
                                              (self.acc_plot, "Accuracy", self.train_acc, self.val_acc, percent)):
            tell(plot, epoch_words(title, train.x, train.y, val.y, self._epochs, best, text, self.rows))
        tell(self.lr_plot, rate_words(self.lr.y, self._lr_none))


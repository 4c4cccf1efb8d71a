"""The Train page's learning-rate finder: the "Find" button beside the learning rate and the dialog it opens.

:class:`LrFindDialog` runs :func:`cnnstudio.engine.runs.lr_find.find_lr` (the range test for the run Start
would make: same settings, design, pictures) in a :class:`~cnnstudio.ui.workers.TaskThread`, with a progress
bar and Cancel. The smoothed training loss against the learning rate (pyqtgraph, log x axis) grows point by
point while the test runs (its rate axis labelled as the Tune page's log axes are, with only the labels that fit:
:class:`~cnnstudio.ui.tune.tune_plots.FittedLogAxis`); at the end the plot shows the suggested rate as a dot, and the chosen rate as a vertical line: the suggestion at first, any point of the curve
after a click on it (snapped to the nearest point). "Use 0.0059" emits ``rate_chosen`` (the rate as the field takes
it) and closes; when the schedule's rule took the bottom of the valley, "Use the safer 0.00035" takes the valley's
lower rate. The rates are said as ``cnnstudio lr-find`` says them, in plain decimals as the field shows them
(:func:`~cnnstudio.engine.runs.lr_find.suggestion_words`, ``rate_words``). Cancel (or closing the window) while it
runs stops the test and waits for its thread. A test that cannot run says why, without an empty plot.

:class:`LrFindButton` is the "Find" button: enabled when its learning-rate field is and nothing blocks it
(:meth:`LrFindButton.set_blocked`: the Train page gives Start's reason, or the engine's
:func:`~cnnstudio.engine.runs.lr_find.finder_refusal` for a design that uses no learning rate, said as its tooltip);
it asks ``inputs()`` (set by the Train page: the run's settings and design) and fills the field with the rate the
user takes.

Not done: the plot is not kept between openings (each "Find" runs the test again, a few seconds).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QVBoxLayout,
                               QWidget)

from ...engine.train.clock import preparing
from ..readable_plot import readable_plot, tell
from ..tune.plot_axes import axis_text
from ..tune.tune_plots import FittedLogAxis
from ..workers import TaskThread

CURVE_COLOR = (0, 114, 178)
SUGGESTION_COLOR = (213, 94, 0)
CHOSEN_COLOR = (0, 158, 115)
TOOLTIP = "Try rates from tiny to huge for a few seconds and suggest one"
PLOT_LEAST = QSize(360, 200)  # the plot's least size: with its words and buttons, within a 1,024 x 614 window
WANTED = QSize(640, 480)  # the dialog's size when the window has room for it
EDGE = 16  # pixels of the window kept around the dialog


def fitted(wanted: QSize, least: QSize, room: QSize) -> QSize:
    """The dialog's size: ``wanted``, but within ``room`` less :data:`EDGE` on each side, never under ``least``
    (QA: at 1,024 pixels the finder's plot was cut at the window's edge)."""
    return QSize(max(least.width(), min(wanted.width(), room.width() - 2 * EDGE)),
                 max(least.height(), min(wanted.height(), room.height() - 2 * EDGE)))


def round_rate(lr: float) -> float:
    """``lr`` as the field takes it (0.0032, not 0.0031622): the engine's ``taken_rate``."""
    from ...engine.runs.lr_find import taken_rate

    return taken_rate(lr)


def rate_text(lr: float) -> str:
    """``lr`` in plain decimals, as the field and ``cnnstudio lr-find`` say it: the engine's ``rate_words``."""
    from ...engine.runs.lr_find import rate_words

    return rate_words(lr)


class LrFindDialog(QDialog):
    rate_chosen = Signal(float)  # "Use this rate": the chosen rate, rounded (round_rate)
    ended = Signal()  # the finder's thread has ended: the result or the error is shown
    point = Signal(float, float)  # a point of the curve, measured (emitted from the finder's thread)

    def __init__(self, project, settings=None, spec: Any = None, parent: QWidget | None = None, **find_kw):
        super().__init__(parent)
        self.setWindowTitle("Find a learning rate")
        self.project, self.settings, self.spec, self.find_kw = project, settings, spec, find_kw
        self.thread: TaskThread | None = None
        self.result = None  # the engine's LrRangeResult once it has finished
        self.error = ""
        self.chosen: float | None = None
        self.safer: float | None = None  # the safer, slower rate offered beside the suggestion (engine's safer_rate)
        self.live: list[tuple[float, float]] = []  # the curve so far, while the test runs
        self.point.connect(self._add_point)  # queued: emitted in the finder's thread, drawn in this one

        self.status = QLabel("Preparing the pictures…")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        # the rate axis labels only the ticks that fit its width (the Tune page's log axis): pyqtgraph's own labelled
        # every 2..9 times a power of ten, "2·10⁻⁵3·10⁻⁵4·10⁻⁵..." run together at 1,024 x 614 (QA)
        self.plot = pg.PlotWidget(background=None, axisItems={"bottom": FittedLogAxis()})
        self.plot.setMinimumSize(PLOT_LEAST)  # the dialog fits a 1,024 x 614 window (fit_window)
        readable_plot(self.plot, "Learning rate test plot", "The training loss at each learning rate tried: none yet")
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.setLogMode(x=True, y=False)
        self.plot.getAxis("bottom").text = axis_text  # 0.001, 1e-4: as the Tune page writes a rate on its axis
        item.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setLabel("bottom", "learning rate (log scale)")
        self.plot.setLabel("left", "training loss (smoothed)")
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).enableAutoSIPrefix(False)  # plain numbers, never "(x0.001)"
        self.curve = self.plot.plot([], [], pen=pg.mkPen(CURVE_COLOR, width=2))
        self.suggestion_dot = self.plot.plot([], [], pen=None, symbol="o", symbolSize=10,
                                             symbolBrush=pg.mkBrush(SUGGESTION_COLOR), symbolPen=None)
        self.chosen_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(CHOSEN_COLOR, width=1.5))
        self.chosen_line.hide()
        self.plot.addItem(self.chosen_line, ignoreBounds=True)
        self.plot.scene().sigMouseClicked.connect(self._plot_clicked)
        self.hint = QLabel("The loss should fall, level out, then blow up. The dot is the suggestion; click the "
                           "curve to choose another rate, or type any rate in the Train page's Learning rate field.")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        self.use_button = QPushButton("Use this rate")
        self.use_button.setEnabled(False)
        self.use_button.setDefault(True)
        self.use_button.clicked.connect(self.use)
        self.safer_button = QPushButton("Use the safer rate")  # the valley's lower rate, when the rule took its bottom
        self.safer_button.setToolTip("A lower rate: training learns more slowly but is less likely to blow up")
        self.safer_button.hide()
        self.safer_button.clicked.connect(self.use_safer)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.safer_button)
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.cancel_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addWidget(self.progress)
        lay.addWidget(self.plot, 1)
        lay.addWidget(self.hint)
        lay.addLayout(buttons)

    def fit_window(self) -> None:
        """Size the dialog to fit the window it opens over (or the screen), centred on it: the plot and its axes
        whole, never past the window's edge."""
        owner = self.parentWidget().window() if self.parentWidget() is not None else None
        screen = (owner or self).screen().availableGeometry()
        area = owner.frameGeometry() if owner is not None else screen
        area = area.intersected(screen) if area.intersects(screen) else screen
        self.resize(fitted(WANTED, self.minimumSizeHint(), area.size()))
        rect = self.frameGeometry()
        rect.moveCenter(area.center())
        self.move(rect.topLeft())

    # ------------------------------------------------------------------ running
    @property
    def running(self) -> bool:
        return self.thread is not None

    def start(self) -> None:
        """Run the finder in a worker thread (once)."""
        from ...engine.runs.lr_find import find_lr

        if self.thread is not None or self.result is not None:
            return
        project, settings, spec, kw = self.project, self.settings, self.spec, self.find_kw

        def work(progress=None, cancel=None):
            return find_lr(project, settings, spec, stop=cancel, progress=progress, on_point=self.point.emit, **kw)

        self.thread = TaskThread(work, parent=self)
        self.thread.progress.connect(self._on_progress)
        self.thread.succeeded.connect(self._show)
        self.thread.errored.connect(self._failed)
        self.thread.finished.connect(self._thread_done)
        self.thread.start()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if message.startswith("learning rate"):
            self.progress.setRange(0, max(1, total))
            self.progress.setValue(done)
            self.status.setText(f"Trying learning rates: step {done} of {total} ({message}).")
        else:  # the pictures, as the Train page says it: counted, or a moving bar with words, never "0 of 0"
            text, value, maximum = preparing(done, total, message)
            self.progress.setRange(0, maximum)
            self.progress.setValue(value)
            self.status.setText(text)

    def _add_point(self, lr: float, loss: float) -> None:
        if self.result is not None:  # a point queued behind the result: the whole curve is shown already
            return
        self.live.append((lr, loss))
        self.curve.setData([p[0] for p in self.live], [p[1] for p in self.live])

    def _failed(self, message: str, _tb: str) -> None:
        self.error = message
        stopped = self.thread is not None and self.thread.stop_event.is_set()
        self.status.setText("Stopped." if stopped else f"The learning rate cannot be found: {message}")
        if not self.live:  # nothing measured: no empty plot with a made-up axis under the reason
            self.plot.hide()
            self.hint.hide()
            self.use_button.hide()

    def _thread_done(self) -> None:
        if self.thread is None:
            return
        self.thread.deleteLater()
        self.thread = None
        self.progress.hide()
        self.cancel_button.setText("Close")
        self.ended.emit()

    # ------------------------------------------------------------------ the curve
    def _show(self, result) -> None:
        self.result = result
        lrs = [c[0] for c in result.curve]
        losses = [c[1] for c in result.curve]
        self.curve.setData(lrs, losses)
        i = result.suggested_index
        self.suggestion_dot.setData([lrs[i]], [losses[i]])
        body = losses[:max(1, len(losses) - 5)]  # without the blow-up at the end, which would flatten the rest
        lo, hi = min(body), max(body)
        self.plot.setYRange(lo, hi + 0.05 * (hi - lo or 1.0), padding=0.05)
        self.plot.setXRange(math.log10(lrs[0]), math.log10(lrs[-1]), padding=0.02)
        end = "then it blew up" if result.diverged else "it did not blow up within the rates tried"
        how = {"valley bottom": "the bottom of the valley: the highest rate training will reach",
               "valley": "where the loss falls fastest", "minimum / 10": "a tenth of the rate at the lowest loss"}
        from ...engine.runs.lr_find import safer_rate, suggestion_words

        self.status.setText(f"{suggestion_words(result)} The dot is {how.get(result.rule, result.rule)} "
                            f"({result.steps} steps in {result.seconds:.1f} s; {end}).")
        self.pick(result.suggested_lr)
        self.use_button.setEnabled(True)
        self.safer = safer_rate(result)
        if self.safer is not None:
            self.safer_button.setText(f"Use the safer {rate_text(self.safer)}")
            self.safer_button.show()
        low = min(range(len(losses)), key=losses.__getitem__)
        tell(self.plot, f"The training loss at {len(lrs)} learning rates from {rate_text(lrs[0])} to "
                        f"{rate_text(lrs[-1])}: lowest, {losses[low]:.3g}, at {rate_text(lrs[low])}; {end}. "
                        f"{suggestion_words(result)}")

    def pick(self, lr: float) -> None:
        """Choose ``lr`` (snapped to the nearest point of the curve): the line moves there."""
        if self.result is None:
            return
        lrs = [c[0] for c in self.result.curve]
        nearest = min(lrs, key=lambda v: abs(math.log(v / lr)))
        self.chosen = nearest if not math.isclose(lr, self.result.suggested_lr) else lr
        self.chosen_line.setValue(math.log10(self.chosen))  # the view's x is log10 of the rate (log mode)
        self.chosen_line.show()
        self.use_button.setText(f"Use {rate_text(self.chosen)}")

    def _plot_clicked(self, event) -> None:
        if self.result is None or event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.plot.getPlotItem().getViewBox()
        pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        self.pick(10.0 ** vb.mapSceneToView(pos).x())

    def use(self) -> None:
        if self.chosen is None:
            return
        self.rate_chosen.emit(round_rate(self.chosen))
        self.accept()

    def use_safer(self) -> None:
        """ "Use the safer 0.00035": the valley's lower rate, offered as ``cnnstudio lr-find`` offers it."""
        if self.safer is None:
            return
        self.rate_chosen.emit(round_rate(self.safer))
        self.accept()

    # ------------------------------------------------------------------ closing
    def done(self, code: int) -> None:  # noqa: D401 - Qt's name: accept, reject, Escape and the close box end here
        if self.thread is not None:
            self.status.setText("Stopping…")
            thread = self.thread
            thread.stop_and_wait()
            self._thread_done()
        super().done(code)


class LrFindButton(QPushButton):
    """"Find" beside a learning-rate field: enabled when the field is and nothing blocks it (:meth:`set_blocked`,
    the reason then its tooltip), opens :class:`LrFindDialog` and puts the rate taken into the field. ``inputs()``
    gives the run's ``(settings, spec)`` (None: the default recipe and preset); it may raise an engine error, which
    is shown instead."""

    def __init__(self, field: QWidget, project: Callable[[], Any], parent: QWidget | None = None):
        super().__init__("Find", parent)
        self.field, self.project = field, project
        self.inputs: Callable[[], tuple[Any, Any]] | None = None
        self.dialog: LrFindDialog | None = None
        self.blocked = ""  # why Find is off though its field is on: one sentence, the tooltip
        self.setToolTip(TOOLTIP)
        self.setEnabled(field.isEnabled())
        field.installEventFilter(self)
        self.clicked.connect(self.open_dialog)

    def row(self) -> QWidget:
        """The field and this button side by side, for a form row."""
        w = QWidget()
        lay = QHBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.field, 1)
        lay.addWidget(self)
        return w

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if obj is self.field and event.type() == QEvent.Type.EnabledChange:
            self._follow()
        return False

    def set_blocked(self, reason: str) -> None:
        """Turn Find off with ``reason`` as its tooltip (Start's, or the engine's ``finder_refusal``); "" turns it
        back on (while its field is)."""
        if reason != self.blocked:
            self.blocked = reason
            self._follow()

    def _follow(self) -> None:
        self.setEnabled(self.field.isEnabled() and not self.blocked)
        self.setToolTip(self.blocked or TOOLTIP)

    def open_dialog(self) -> LrFindDialog | None:
        from ...engine.errors import EngineError

        if self.blocked:  # off (clicked only when called directly, e.g. by a test): say why, never a half-made dialog
            QMessageBox.information(self, "Find a learning rate", self.blocked)
            return None
        try:
            settings, spec = self.inputs() if self.inputs is not None else (None, None)
        except EngineError as e:
            QMessageBox.warning(self, "Find a learning rate", f"These settings cannot be used: {e}")
            return None
        self.dialog = LrFindDialog(self.project(), settings, spec, self.window())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.rate_chosen.connect(self.field.setValue)
        self.dialog.destroyed.connect(self._forget)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.fit_window()
        self.dialog.show()
        self.dialog.start()
        return self.dialog

    def _forget(self, *_) -> None:
        self.dialog = None

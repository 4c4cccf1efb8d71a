"""Training plots: y axes from 0 to a round number above the data, changed only when data passes it."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from cnnstudio.ui.train.plots import LR_EVERY, LR_TITLE, NO_LR_TITLE, TrainingPlots, nice_ceiling


@pytest.mark.parametrize("v, top", [(2.3, 2.5), (0.0031, 0.004), (1.0, 1.0), (0.95, 1.0), (7.0, 8.0),
                                    (9.0, 10.0), (120.0, 120.0), (0.0, 1.0), (math.nan, 1.0)])
def test_nice_ceiling(v, top):
    assert nice_ceiling(v) == pytest.approx(top)


def _batch(epoch, batch, loss, lr, batches=10):
    return SimpleNamespace(epoch=epoch, batch=batch, batches=batches, loss=loss, lr=lr)


def y_range(plot):
    return plot.getPlotItem().vb.viewRange()[1]


def test_y_axes_cover_the_data_and_only_move_when_it_passes_them(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.set_epochs(2)
    plots.set_lr_peak(0.003)
    plots.add_batch(_batch(1, 1, 2.3, 0.0001))
    plots.flush()
    lo, hi = y_range(plots.loss_plot)
    assert lo <= 0 and 2.5 <= hi < 2.7  # 0 .. 2.5, with pyqtgraph's small padding
    assert 0.003 <= y_range(plots.lr_plot)[1] < 0.0032  # the peak, not the first (warm-up) rate
    for b in range(2, 10):
        plots.add_batch(_batch(1, b, 2.3 - b * 0.2, 0.0001 * b))
        plots.flush(everything=False)
    assert y_range(plots.loss_plot)[1] == hi  # lower losses: the axis stays
    plots.add_batch(_batch(1, 10, float("nan"), 0.001))
    plots.add_batch(_batch(2, 1, 3.7, 0.001))  # a spike above it: the axis grows to a round number
    plots.flush()
    assert 4.0 <= y_range(plots.loss_plot)[1] < 4.2
    xs, ys = plots.batch_loss.curve.getData()
    assert len(xs) == 11 and math.isnan(ys[9]) and ys[10] == pytest.approx(3.7)


def test_the_learning_rate_curve_is_redrawn_once_a_second_by_the_timer(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.flush()  # the flush counter starts from here
    drawn = []
    for i in range(2 * LR_EVERY):
        plots.add_batch(_batch(1, i + 1, 1.0, 0.001, batches=100))
        plots.flush(everything=False)
        xs = plots.lr.curve.getData()[0]
        drawn.append(0 if xs is None else len(xs))
        assert len(plots.batch_loss.curve.getData()[0]) == i + 1  # the loss: at every refresh
    assert len(set(drawn)) == 3  # 0 points, then two updates in 20 refreshes
    plots.stop()  # stopping draws everything
    assert len(plots.lr.curve.getData()[0]) == 2 * LR_EVERY


def test_a_live_curve_repaints_only_its_newest_points(qtbot):
    """The settled path and the short tail together draw every point; a refresh changes only the tail."""
    from cnnstudio.ui.train.plots import SETTLE_POINTS

    plots = TrainingPlots()
    qtbot.addWidget(plots)
    curve = plots.smooth_loss.curve
    xs = [i / 10 for i in range(1, 101)]
    ys = [1 / x for x in xs]
    for i in range(0, 100, 7):  # ten refreshes a second, a few points each
        settled_before = curve.item.path().elementCount()
        curve.extend(xs[i:i + 7], ys[i:i + 7])
        settled, tail = curve.item.path(), curve.tail_item.path()
        assert tail.elementCount() <= SETTLE_POINTS + 7
        if tail.elementCount() > 1:  # no settling this time: the settled path is untouched
            assert settled.elementCount() == settled_before
    drawn = {round(settled.elementAt(k).x, 6) for k in range(settled.elementCount())}
    drawn |= {round(tail.elementAt(k).x, 6) for k in range(tail.elementCount())}
    assert drawn == {round(x, 6) for x in xs}
    assert list(curve.getData()[0]) == xs


def _axes(plot):
    return [plot.getAxis(name) for name in ("left", "bottom")]


def test_every_plot_axis_shows_plain_numbers_never_a_scale_factor(qtbot):
    """Losses of 0.2-0.8 and rates of 0.0003 are labelled as such, not "loss (x0.001)" with ticks 200-800."""
    from cnnstudio.ui.train.lr_find_dialog import LrFindDialog
    from cnnstudio.ui.tune.tune_plots import TunePlots
    from cnnstudio.ui.tune.tune_state import TuneState

    plots = TrainingPlots()
    qtbot.addWidget(plots)
    tune = TunePlots(TuneState())
    qtbot.addWidget(tune)
    dialog = LrFindDialog(None)  # not started: only its plot is looked at
    qtbot.addWidget(dialog)
    widgets = [dialog.plot, plots.loss_plot, plots.acc_plot, plots.lr_plot, tune.best_plot, tune.live_plot,
               tune.slice_plot, tune.pareto_plot]
    plots.set_epochs(2)
    for b in range(1, 10):
        plots.add_batch(_batch(1, b, 0.0002 * b, 0.0001 * b))
    plots.flush()
    for w in widgets:
        w.setYRange(0.0002, 0.0008)
        w.setXRange(0.0002, 0.0008)
        for axis in _axes(w):
            assert axis.autoSIPrefixScale == 1.0 and axis.labelUnitPrefix == "", w
            assert "x0.0" not in axis.labelString() and "x1e" not in axis.labelString()


def test_a_run_without_a_learning_rate_says_so_instead_of_an_empty_plot(qtbot):
    """The frozen head fitted exactly (engine/train/head_fit.py) has no rate: its epochs carry NaN."""
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    title = lambda: plots.lr_plot.getPlotItem().titleLabel.text  # noqa: E731
    plots.flush()
    assert title() == LR_TITLE  # nothing yet: nothing to say
    plots.load_history([{"epoch": e, "train_loss": 0.5, "val_loss": 0.6, "train_accuracy": 0.9,
                         "val_accuracy": 0.8, "lr": None} for e in (1, 2, 3)], best_epoch=2)
    plots.flush()
    assert title() == NO_LR_TITLE and "no learning rate" in plots.lr_plot.toolTip()
    plots.reset()
    plots.add_batch(_batch(1, 1, 2.0, 0.001))
    plots.flush()
    assert title() == LR_TITLE and plots.lr_plot.toolTip() == ""
    assert list(plots.lr.curve.getData()[1]) == [0.001]


def test_a_run_without_a_learning_rate_shows_no_axes_of_the_run_before_and_its_title_whole(qtbot):
    """The frozen MobileNetV2 run after an ordinary one: the empty plot kept 0.001-0.002 from Start's peak rate and
    its "Learning rate: none" was cut on the right. Its y axis goes back to 0..1 without numbers, the widget is as
    wide as its title and axis need; the next run with a rate shows its numbers again."""
    from PySide6.QtCore import Qt

    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.resize(555, 220)
    plots.show()
    qtbot.waitExposed(plots)
    left = plots.lr_plot.getAxis("left")
    plots.set_epochs(4)
    plots.set_lr_peak(0.003)
    plots.add_batch(_batch(1, 1, 2.0, 0.002))
    plots.flush()
    assert y_range(plots.lr_plot)[1] < 0.01 and left.style["showValues"]
    plots.reset()  # the next run: frozen, its epochs without a rate
    plots.set_lr_peak(0.003)  # Start sets the form's rate, which this run never uses
    plots.flush()
    plots.set_epochs(7)
    plots.load_history([{"epoch": e, "lr": None, "train_loss": 0.5, "val_loss": 0.6, "train_accuracy": 0.9,
                        "val_accuracy": 0.8} for e in range(1, 8)], best_epoch=6)
    plots.flush()
    assert plots.lr_plot.getPlotItem().titleLabel.text == NO_LR_TITLE
    assert y_range(plots.lr_plot)[1] >= 1.0 and not left.style["showValues"]  # no rate numbers of the run before
    assert plots.lr_plot.getPlotItem().vb.viewRange()[0][1] >= 7  # its own epochs
    qtbot.waitUntil(lambda: plots.lr_plot.width() >= plots.lr_plot.minimumWidth())
    need = plots.lr_plot.getPlotItem().effectiveSizeHint(Qt.SizeHint.MinimumSize).width()
    assert need <= plots.lr_plot.width()  # the title and axis whole, not cut on the right
    plots.reset()
    plots.set_lr_peak(0.003)
    plots.add_batch(_batch(1, 1, 2.0, 0.002))
    plots.flush()
    assert left.style["showValues"] and y_range(plots.lr_plot)[1] < 0.01


def test_the_legend_is_one_line_above_the_plots_and_best_is_said_where_the_curves_are_not(qtbot):
    from cnnstudio.ui.train.plots import BEST_LABEL_AT

    plots = TrainingPlots()
    qtbot.addWidget(plots)
    for p in (plots.loss_plot, plots.acc_plot, plots.lr_plot):
        assert p.getPlotItem().legend is None  # no legend item over the curves
    for word in ("train", "validation", "batches (smoothed)", "best epoch"):
        assert word in plots.legend.text()
    loss_best, acc_best = (line.label.orthoPos for line in plots.best_lines)
    assert (loss_best, acc_best) == BEST_LABEL_AT and loss_best > 0.8 and acc_best < 0.2  # loss falls, accuracy rises

"""QA at 1,024 x 614: under the narrow learning-rate plot a one-epoch run's axis read "0.20.40.60.8" (fractions of an
epoch, run together). The epoch axes tick whole epochs only, a few of them (plot_scale.epoch_step)."""

from __future__ import annotations

from cnnstudio.ui.train.plot_scale import EPOCH_TICKS, epoch_step


def test_whole_epochs_a_few_of_them():
    assert [epoch_step(e) for e in (1, 3, 4, 5, 8, 10, 20, 36, 100, 400)] == [1, 1, 1, 2, 2, 5, 5, 10, 50, 100]
    for epochs in range(1, 500):
        step = epoch_step(epochs)
        assert isinstance(step, int) and step >= 1 and epochs / step <= EPOCH_TICKS + 1, epochs


def test_the_plots_epoch_axes_show_whole_epochs(qtbot):
    from cnnstudio.ui.train.plots import TrainingPlots

    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.resize(480, 200)
    plots.show()
    plots.set_epochs(1)
    for plot in (plots.loss_plot, plots.acc_plot, plots.lr_plot):
        axis = plot.getAxis("bottom")
        values = [v for _spacing, ticks in axis.tickValues(-0.02, 1.02, 120) for v in ticks]
        assert values and all(float(v).is_integer() for v in values), values
        left, right = plot.getPlotItem().vb.viewRange()[0]
        assert left < -0.05 and right > 1.05  # room for "0" and "1", which pyqtgraph hides on the very edges
    plots.free_x()  # no run's length known: pyqtgraph's own ticks again
    assert plots.lr_plot.getAxis("bottom")._tickSpacing is None

"""The Tune page after a search, on a small laptop's screen (1,024 x 614): the trials table keeps its rows (the
summary gives way), the plot titles are whole and a log axis's numbers do not run together."""

from __future__ import annotations

import random

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from cnnstudio.engine.tune.events import StudyEnded, StudyStarted, TrialEnded, TrialEpoch, TrialStarted
from cnnstudio.ui.tune.trials_table import LEAST_ROWS
from cnnstudio.ui.tune.plot_axes import axis_text, log_ticks
from tests.ui.test_training_view import make_project

SAID = ("Best: trial 2 with 98.5% validation accuracy, 1.9 points better than the starting settings (96.7%). The "
        "label smoothing seems to matter most; then weight decay; augmentation strength, network depth, learning "
        "rate, dropout, network width, optimizer, batch size seem to matter little.")


def _a_stopped_search(page) -> None:
    """17 trials over the default learning-rate range (0.0003-0.03, a log axis), then the study ends."""
    page._on_event(StudyStarted("tune-1", "journal", {"epochs": 2, "params": {"lr": {"low": 3e-4, "high": 3e-2,
                                                                                     "log": True}}},
                                "accuracy", True, 0))
    rng = random.Random(1)
    for n in range(17):
        lr = 10 ** rng.uniform(-3.5, -1.5)
        page._on_event(TrialStarted(n, f"run{n}", {"lr": lr}))
        page._on_event(TrialEpoch(n, f"run{n}", 1, 2, 1.0, 0.5, 1.0, 0.9))
        page._on_event(TrialEnded(n, f"run{n}", "complete" if n % 4 == 0 else "pruned", rng.uniform(0.2, 0.98),
                                  0.5, 1000, 2.0, {"lr": lr}))
    page._on_event(StudyEnded("stopped", {"said": SAID, "best": {"number": 1}}))
    page.plots.refresh()


def _label_rects(axis) -> list[QRectF]:
    """Where the axis draws its numbers (pyqtgraph's own drawing specs)."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [rect for rect, _flags, text in specs[2] if text]


def test_after_a_search_the_table_keeps_its_rows_and_the_plots_read_on_a_small_screen(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(3)
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)
    window.resize(1024, 614)
    _a_stopped_search(page)
    QApplication.processEvents()
    assert window.minimumSizeHint().height() <= 614

    table = page.table
    assert table.viewport().height() >= LEAST_ROWS * table.rowHeight(0), table.viewport().height()
    assert page.result.isVisible() and page.result.text() == SAID

    live = page.plots.live_plot
    title = live.getPlotItem().titleLabel
    assert title.text == "Trial 17 (last)"  # Optuna's trial 16, counted from 1
    assert title.item.boundingRect().width() <= live.width()

    slice_axis = page.plots.slice_plot.getAxis("bottom")
    rects = _label_rects(slice_axis)
    assert rects, "the learning-rate axis has numbers"
    for a, b in zip(rects, rects[1:]):  # "0.0010.0030.01" ran together on a plot this narrow
        assert a.right() < b.left(), [r.getRect() for r in rects]


def test_a_log_axis_labels_what_fits_its_length():
    def labels(lo, hi, pixels):
        return [t for _, t in log_ticks(lo, hi, axis_text, pixels=pixels)]

    assert labels(3e-4, 3e-2, 400) == ["3e-4", "0.001", "0.003", "0.01", "0.03"]  # room for every one
    assert labels(3e-4, 3e-2, 120) == ["0.001", "0.01"]  # a narrow plot: the powers of ten
    assert labels(1e-6, 1e-1, 200) == ["1e-6", "1e-4", "0.01"]  # every other power of ten
    assert labels(2e-3, 8e-3, 20) == ["0.003"]  # no power of ten in the range: one number, never none
    assert labels(3e-4, 3e-2, 10_000) == labels(3e-4, 3e-2, None) == [t for _, t in log_ticks(3e-4, 3e-2, axis_text)]


def test_the_note_of_a_trial_with_no_curve_stays_inside_its_narrow_plot(qtbot):
    """A trial pruned at its half-epoch look has no curve: the plot says why, wrapped to the plot's width (at
    1,093 px "Stopped early, part-way through its first epoch" was cut at both sides)."""
    import math

    from cnnstudio.engine.tune import events as T
    from cnnstudio.ui.tune.tune_plots import TunePlots
    from cnnstudio.ui.tune.tune_state import TuneState

    state = TuneState()
    state.apply(T.StudyStarted("s", "here", {}, "accuracy", True, 0))
    state.apply(T.TrialStarted(0, "r0", {"lr": 0.01}))
    state.apply(T.TrialEnded(0, "r0", "pruned", 0.331, math.nan, 1000, 0.5, {"lr": 0.01}))
    assert state.live_note().startswith("Stopped early")
    plots = TunePlots(state)
    qtbot.addWidget(plots)
    plots.resize(430, 260)  # three plots side by side: the middle one about 140 px
    plots.show()
    qtbot.waitExposed(plots)
    plots.refresh()
    vb = plots.live_plot.getViewBox()
    note = plots.live_note
    qtbot.waitUntil(lambda: note.mapRectToScene(note.boundingRect()).width() <= vb.sceneBoundingRect().width())
    inside = vb.sceneBoundingRect().adjusted(-1, -1, 1, 1)
    assert inside.contains(note.mapRectToScene(note.boundingRect())), (note.mapRectToScene(note.boundingRect()),
                                                                        vb.sceneBoundingRect())


def test_a_plain_axis_labels_what_fits_its_length():
    from cnnstudio.ui.tune.plot_axes import linear_ticks

    def labels(lo, hi, pixels, whole=False):
        return [t for _, t in linear_ticks(lo, hi, pixels, whole=whole)]

    assert labels(0, 1, 100) == ["0", "0.5", "1"]  # read "0.20.40.60.8" at 1,024 px
    assert labels(0, 1, 400) == ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]
    assert labels(-0.01, 0.21, 300) == ["0", "0.05", "0.1", "0.15", "0.2"]
    assert labels(1, 10, 100, whole=True) == ["2", "4", "6", "8", "10"]  # epochs: "1 2 3 4 5 6 7 8 910" ran together
    assert labels(1, 10, 400, whole=True) == [str(i) for i in range(1, 11)]
    assert labels(0.7, 1.3, 100, whole=True) == ["1"]  # one trial: whole numbers only, never "0.8 1 1.2"
    assert labels(1, 1, 100) == []


def _tune_plots(qtbot, width: int, events):
    from cnnstudio.ui.tune.tune_plots import TunePlots
    from cnnstudio.ui.tune.tune_state import TuneState

    state = TuneState()
    for e in events:
        state.apply(e)
    plots = TunePlots(state)
    qtbot.addWidget(plots)
    plots.resize(width, 230)  # three plots side by side, as on the Tune page at 1,024 x 614: about 160 px each
    plots.show()
    qtbot.waitExposed(plots)
    plots.refresh()
    return plots


def _a_search_of_label_smoothing(trials: int = 3, epochs: int = 10) -> list:
    from cnnstudio.engine.tune import events as T

    out = [T.StudyStarted("s", "here", {"epochs": epochs, "params": {
        "label_smoothing": {"low": 0.0, "high": 0.2, "log": False}}}, "accuracy", True, 0)]
    for n in range(trials):
        out.append(T.TrialStarted(n, f"r{n}", {"label_smoothing": 0.05 * n}))
        out += [T.TrialEpoch(n, f"r{n}", e, epochs, 1.0, 0.5, 1.0, 0.5 + e / 40) for e in range(1, epochs + 1)]
        if n < trials - 1:  # the last one still running
            out.append(T.TrialEnded(n, f"r{n}", "complete", 0.7 + n / 10, 0.5, 1000, 2.0,
                                    {"label_smoothing": 0.05 * n}))
    return out


def test_the_plots_titles_and_numbers_read_on_a_small_screen(qtbot):
    """QA at 1,024 x 614: the running trial's plot was titled "The running tria" and the axes read "0.20.40.60.8".
    Every title is whole inside its plot and every axis's numbers keep a space apart, before a search and during
    one (ten epochs, a plain setting from 0 to 0.2)."""
    for events in ([], _a_search_of_label_smoothing()):
        plots = _tune_plots(qtbot, 490, events)
        assert plots.live_plot.width() < 170
        for plot in (plots.best_plot, plots.live_plot, plots.slice_plot):
            title = plot.getPlotItem().titleLabel
            if title.text:
                shown = title.item.mapRectToScene(title.item.boundingRect())
                assert plot.sceneRect().contains(shown), (title.text, shown, plot.sceneRect())
                assert title.mapRectToScene(title.boundingRect()).contains(shown), title.text  # not cut by its cell
            axis = plot.getAxis("bottom")
            rects = [axis.mapRectToScene(r) for r in _label_rects(axis)]
            assert rects, "the axis has numbers"
            for a, b in zip(rects, rects[1:]):
                assert b.left() - a.right() >= 4, (plot.getPlotItem().titleLabel.text, [r.getRect() for r in rects])
        if events:
            assert plots.live_plot.getPlotItem().titleLabel.text == "Trial 3"

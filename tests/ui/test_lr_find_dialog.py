"""The Train page's "Find" button: the learning-rate finder dialog runs the real range test in a worker thread on a
tiny real project, plots it, and "Use this rate" (or a click on the curve) fills the learning-rate field."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPointF, Qt

from cnnstudio.engine.runs.advice import Advice, action
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.ui.train.lr_find_dialog import TOOLTIP, round_rate
from tests.ui.test_training_view import open_tiny


def open_finder(qtbot, page):
    button = page.settings_form.find_lr
    assert button.isEnabled() and button.toolTip() == TOOLTIP
    button.click()
    dialog = button.dialog
    assert dialog is not None and dialog.isVisible() and dialog.running
    return dialog


def test_find_shows_the_curve_and_use_fills_the_field(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step(2)
    form = page.settings_form
    form.lr.setValue(0.5)
    dialog = open_finder(qtbot, page)
    with qtbot.waitSignal(dialog.ended, timeout=60_000):
        pass
    assert not dialog.running and dialog.result is not None, dialog.status.text()
    result = dialog.result
    assert [tuple(p) for p in result.curve] == dialog.live  # every point was drawn as it came, before the end
    x, y = dialog.curve.getData()
    assert len(x) == result.steps and list(y) == [c[1] for c in result.curve]
    assert dialog.plot.getPlotItem().ctrl.logXCheck.isChecked()  # log x axis
    assert dialog.chosen == result.suggested_lr and "Suggested learning rate" in dialog.status.text()

    # a click on the curve picks the rate there
    vb = dialog.plot.getPlotItem().getViewBox()
    target = result.curve[len(result.curve) // 2][0]
    x_view = math.log10(target)
    y_view = sum(vb.viewRange()[1]) / 2
    scene = vb.mapViewToScene(QPointF(x_view, y_view))
    local = dialog.plot.mapFromScene(scene)
    qtbot.mouseClick(dialog.plot.viewport(), Qt.MouseButton.LeftButton, pos=local)
    assert dialog.chosen == pytest.approx(target, rel=0.2)

    dialog.pick(result.suggested_lr)
    with qtbot.waitSignal(dialog.rate_chosen) as chosen:
        dialog.use_button.click()
    assert chosen.args[0] == round_rate(result.suggested_lr)
    assert form.lr.value() == pytest.approx(max(form.lr.minimum(), round_rate(result.suggested_lr)), abs=1e-5)


def test_cancel_stops_the_finder_and_find_follows_the_field(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    form = page.settings_form
    before = form.lr.value()
    # the advice "Find a learning rate" opens the finder on the Train page, as Find does
    window.workspace.show_step(0)
    page.advice.set_advice([Advice("learning_rate", "high", "the loss jumps", {}, action("lr_find", TrainSettings()))])
    page.advice.buttons[0].click()
    assert window.workspace.nav.currentRow() == 2
    dialog = form.find_lr.dialog
    assert dialog is not None and dialog.isVisible() and dialog.running
    with qtbot.waitSignal(dialog.ended, timeout=60_000):
        dialog.cancel_button.click()
    dialog = open_finder(qtbot, page)
    with qtbot.waitSignal(dialog.ended, timeout=60_000):
        dialog.cancel_button.click()
    assert not dialog.running and not dialog.isVisible() and form.lr.value() == before
    form.set_editable(False)  # a run trains: no finder either
    assert not form.find_lr.isEnabled()
    form.set_editable(True)
    assert form.find_lr.isEnabled()


def test_preparing_the_pictures_is_said_as_on_the_train_page_never_0_of_0(qtbot):
    from cnnstudio.ui.train.lr_find_dialog import LrFindDialog

    dialog = LrFindDialog(None)  # not started: only its words are looked at
    qtbot.addWidget(dialog)
    dialog._on_progress(0, 0, "16 picture(s) from the cache")  # nothing to count: words and a moving bar
    assert dialog.status.text() == "16 picture(s) from the cache…" and dialog.progress.maximum() == 0
    dialog._on_progress(3, 12, "")
    assert dialog.status.text() == "Preparing the pictures: 3 of 12" and dialog.progress.value() == 3


def test_the_finder_fits_a_small_laptops_window_its_plot_whole(window, qtbot, tmp_path):
    """QA: at 1,024 pixels the finder's plot was cut at the window's edge. The dialog opens within the window, centred
    on it, the plot's axes and curve whole inside it, with the suggestion in plain words."""
    from PySide6.QtCore import QSize

    from cnnstudio.ui.train.lr_find_dialog import EDGE, PLOT_LEAST, WANTED, fitted

    assert fitted(WANTED, PLOT_LEAST, QSize(1920, 1080)) == WANTED
    assert fitted(WANTED, PLOT_LEAST, QSize(1024, 400)) == QSize(640, 400 - 2 * EDGE)
    assert fitted(WANTED, PLOT_LEAST, QSize(300, 100)) == PLOT_LEAST  # never under its least
    page = open_tiny(window, tmp_path)
    window.resize(1024, 614)
    window.workspace.show_step(2)
    qtbot.waitUntil(lambda: window.width() == 1024)
    dialog = open_finder(qtbot, page)
    with qtbot.waitSignal(dialog.ended, timeout=60_000):
        pass
    assert dialog.result is not None, dialog.status.text()
    outer, inner = window.frameGeometry(), dialog.frameGeometry()
    assert outer.contains(inner), (outer, inner)
    plot = dialog.plot
    need = plot.getPlotItem().effectiveSizeHint(Qt.SizeHint.MinimumSize)
    assert need.width() <= plot.width() and need.height() <= plot.height()
    corner = plot.mapTo(dialog, plot.rect().bottomRight())
    assert dialog.rect().contains(corner)
    if dialog.result.rule == "valley bottom":
        assert "one-cycle" not in dialog.status.text()
    dialog.reject()


def test_the_advices_find_a_learning_rate_says_why_when_find_is_off(window, qtbot, tmp_path):
    # QA: with Find off, the advice's button only focused the disabled Find: nothing happened
    from cnnstudio.ui.advice_panel import FIND_WAITS

    from tests.ui.test_design_undo import _type

    page = open_tiny(window, tmp_path)
    form = page.settings_form
    _type(window.workspace.model_page.tabs.preprocess_panel.width_box, "4000")  # a design Start cannot train
    reason = form.find_lr.blocked
    assert "the width must be 4 to 2,048 px" in reason  # Start's reason, Find's tooltip
    assert not form.find_lr.isEnabled() and form.find_lr.toolTip() == reason
    page.advice.set_advice([Advice("learning_rate", "high", "the loss jumps", {}, action("lr_find", TrainSettings()))])
    page.advice.buttons[0].click()
    assert window.workspace.nav.currentRow() == 2 and form.find_lr.dialog is None
    assert window.statusBar().currentMessage() == reason
    _type(window.workspace.model_page.tabs.preprocess_panel.width_box, "8")
    assert form.find_lr.isEnabled()
    form.set_editable(False)  # a run trains: Find follows its field, off with no reason of its own
    assert not form.find_lr.isEnabled()
    page.advice.buttons[0].click()
    assert window.statusBar().currentMessage() == FIND_WAITS and form.find_lr.dialog is None


def test_the_rate_axis_labels_never_run_together_at_1024_by_614(qtbot):
    """QA (s31.png): at 1,024 x 614 the finder's rate axis read "10⁻⁵ 2·10⁻⁵3·10⁻⁵4·10⁻⁵..." as one unreadable string:
    every 2..9 times a power of ten had its label. Only labels that fit are drawn, apart, in plain numbers."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage, QPainter

    from cnnstudio.engine.train.lr_range import LrRangeResult
    from cnnstudio.ui.train.lr_find_dialog import PLOT_LEAST, WANTED, LrFindDialog, fitted

    dialog = LrFindDialog(None)  # not started: a curve as QA's, from 1e-5 to 0.004, is shown
    qtbot.addWidget(dialog)
    dialog.resize(fitted(WANTED, PLOT_LEAST, QSize(1024, 614)))
    dialog.show()
    qtbot.waitExposed(dialog)
    lrs = [1e-5 * 1.17 ** i for i in range(39)]
    curve = [(lr, 1.0 + 0.1 * math.sin(i / 4)) for i, lr in enumerate(lrs)]
    dialog._show(LrRangeResult(curve, lrs[30], len(curve), 1.0, True, suggested_index=30))
    axis = dialog.plot.getAxis("bottom")
    qtbot.waitUntil(lambda: axis.width() > 100)
    image = QImage(int(axis.width()), int(axis.height()), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    words = [t for _, _, t in texts]
    assert len(words) >= 2 and all(w.isascii() and "·" not in w for w in words), words
    rects = sorted((r for r, _, _ in texts), key=lambda r: r.left())
    for a, b in zip(rects, rects[1:]):
        assert a.right() < b.left(), (words, a, b)  # apart: never one run-together string
    assert set(words) <= {"1e-5", "3e-5", "1e-4", "3e-4", "0.001", "0.003"}, words

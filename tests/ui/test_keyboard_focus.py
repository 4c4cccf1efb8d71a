"""Keyboard and screen reader: plots are named, described and no tab stops (QA a11y 3, 6, 16); a step shown puts
focus on its first control (8); Start, Pause and Stop are Train menu actions (10) and move focus (8); containers
are no tab stops (9); a visible focus frame (12); the Guide fits the screen (14)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget

from cnnstudio.ui.keyboard import WordsLabel, focus_colour, install_focus_style
from tests.ui.test_training_view import make_project, open_tiny


def readable(plot) -> bool:
    return (plot.focusPolicy() == Qt.FocusPolicy.NoFocus and bool(plot.accessibleName())
            and bool(plot.accessibleDescription()))


def test_train_plots_say_their_latest_figures_and_validation_is_dashed(qtbot):
    from cnnstudio.ui.train.plots import TrainingPlots

    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.set_epochs(8)
    plots.add_epoch(1, 0.9, 0.8, 0.5, 0.6, True)
    plots.add_epoch(2, 0.61, 0.12, 0.7, 0.9, True)
    plots.flush()
    assert all(readable(p) for p in (plots.loss_plot, plots.acc_plot, plots.lr_plot))
    assert plots.loss_plot.accessibleName() == "Loss plot"
    assert plots.loss_plot.accessibleDescription() == ("Loss: epoch 2 of 8, training 0.61, validation 0.12; "
                                                        "best epoch 2")
    assert plots.acc_plot.accessibleDescription() == ("Accuracy: epoch 2 of 8, training 70.0%, validation 90.0%; "
                                                       "best epoch 2")
    # words change with the epochs only: a batch redraw says nothing new
    said = plots.loss_plot.accessibleDescription()
    plots.flush(everything=False)
    assert plots.loss_plot.accessibleDescription() == said
    # validation differs from training by more than colour: a dashed line, square marks; the legend says so
    assert plots.val_loss.curve.opts["pen"].style() == Qt.PenStyle.DashLine
    assert plots.train_loss.curve.opts["pen"].style() == Qt.PenStyle.SolidLine
    assert plots.val_loss.curve.opts["symbol"] != plots.train_loss.curve.opts["symbol"]
    assert "╌■╌" in plots.legend.text()


def test_tune_and_probability_plots_are_no_tab_stops_and_say_their_figures(qtbot):
    import pyqtgraph as pg

    from cnnstudio.ui.predict.probability_bars import probability_plot
    from cnnstudio.ui.tune.tune_plots import TunePlots
    from cnnstudio.ui.tune.tune_state import TuneState

    tune = TunePlots(TuneState())
    qtbot.addWidget(tune)
    for plot in (tune.best_plot, tune.live_plot, tune.slice_plot):
        assert readable(plot), plot.accessibleName()
    assert tune.best_plot.accessibleDescription().startswith("Best so far: 0 trials")
    assert tune.param_combo.accessibleName() == "Setting"  # and its label's buddy
    plot, bars = probability_plot(120)
    qtbot.addWidget(plot)
    bars.setOpts(x0=[0, 0, 0], y=[2, 1, 0], width=[0.7, 0.2, 0.1], height=0.7, brushes=[pg.mkBrush("b")] * 3)
    plot.getAxis("left").setTicks([[(2, "cat"), (1, "dog"), (0, "fox")]])
    qtbot.waitUntil(lambda: "cat" in plot.accessibleDescription())
    assert plot.accessibleDescription() == "Probabilities: cat 70.0%, dog 20.0%, fox 10.0%"
    assert plot.toolTip() == plot.accessibleDescription() and readable(plot)


def test_a_step_shown_puts_focus_on_its_first_control_and_is_named(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.activateWindow()
    ws = window.workspace
    assert ws.data.accessibleName() == "Step 1: Data" and ws.lazy["train"].accessibleName() == "Step 3: Train"
    for step in (2, 3, 4, 1):
        window.step_actions[step].trigger()  # Ctrl+3 and the View menu
        page = ws.pages.widget(step)
        qtbot.waitUntil(lambda: QApplication.focusWidget() not in (None, page)
                        and page.isAncestorOf(QApplication.focusWidget()))
        focus = QApplication.focusWidget()
        assert focus.isVisible() and focus.isEnabled() and focus.focusPolicy() & Qt.FocusPolicy.TabFocus
    train = ws.train_page
    # containers are no tab stops: the first control of the Train page is a setting, not the form's frame
    assert train.settings_form.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert ws.tune_page.form.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert not ws.tune_page.starting.focusPolicy() & Qt.FocusPolicy.TabFocus  # words without a link
    # the Train menu has Start, Pause and Stop, enabled exactly as the buttons
    train_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Train")
    texts = [a.text() for a in train_menu.actions()]
    assert {"&Start Training", "P&ause Training", "S&top Training", "Start My Searc&h"} <= set(texts)
    keys = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
    assert len(keys) == len(set(keys)), texts  # Alt+T then one letter: each item has its own
    start = train.controls.start_action
    assert start.shortcut().toString() == "Ctrl+Return"
    # only on the Train page: Ctrl+Return in another page's field started a run (QA re-test, finding 2)
    assert start.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut and start in train.actions()
    # the Tune plots' tab widget with its one tab's bar hidden kept Tab for ever (QA re-test, finding 1)
    assert ws.tune_page.plots.tabs.focusPolicy() == Qt.FocusPolicy.NoFocus
    for action, button in zip(train.controls.actions(), (train.start_button, train.pause_button, train.stop_button)):
        assert action.isEnabled() == button.isEnabled()
    assert ws.tune_page.start_action.isEnabled() == ws.tune_page.start_button.isEnabled()


def test_start_puts_focus_on_pause_and_the_end_back_on_start(window, qtbot, tmp_path):
    from cnnstudio.engine.events import BatchEnd

    page = open_tiny(window, tmp_path)
    window.activateWindow()
    window.workspace.show_step(2)
    page.settings_form.batch_size.setValue(2)
    page.settings_form.epochs.setValue(500)
    tune = window.workspace.tune_page
    assert tune.start_action.isEnabled()
    page.start_button.setFocus()
    qtbot.waitUntil(page.start_button.hasFocus)
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        QTest.keyClick(page.start_button, Qt.Key.Key_Space)
        assert not tune.start_action.isEnabled()  # at once, not once the run has its row (QA re-test)
        qtbot.waitUntil(page.pause_button.hasFocus)
        qtbot.waitUntil(lambda: isinstance(page.last_event, BatchEnd), timeout=30_000)
        page.stop_button.setFocus()
        QTest.keyClick(page.stop_button, Qt.Key.Key_Space)
    qtbot.waitUntil(page.start_button.hasFocus)


def test_the_focus_frame_is_two_pixels_of_a_strong_colour(qtbot):
    app = QApplication.instance()
    before = app.style().name()
    install_focus_style(app)
    try:
        w = QWidget()
        first, second = QPushButton("One"), QPushButton("Two")
        lay = QVBoxLayout(w)
        lay.addWidget(first)
        lay.addWidget(second)
        qtbot.addWidget(w)
        w.show()
        w.activateWindow()
        second.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(second.hasFocus)
        image = second.grab().toImage()
        colour = focus_colour(second)
        strong = sum(1 for x in range(image.width()) for y in range(image.height())
                     if QColor(image.pixel(x, y)) == colour)
        assert strong >= 2 * (image.width() + image.height())  # a frame at least two pixels thick
        label = WordsLabel("plain words")
        assert not label.focusPolicy() & Qt.FocusPolicy.TabFocus
        label.setText("see <a href='x'>this</a>")
        assert label.focusPolicy() & Qt.FocusPolicy.TabFocus
    finally:
        app.setStyle(before)


def test_the_guide_fits_a_614_pixel_screen(qtbot):
    from cnnstudio.ui.guide_dialog import GuideDialog, fitting_height

    class Screen:
        def availableGeometry(self):
            from PySide6.QtCore import QRect

            return QRect(0, 0, 1024, 590)

    assert fitting_height(640, Screen()) == 550
    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    assert dialog.height() <= dialog.screen().availableGeometry().height()


def test_the_train_menu_has_start_before_the_train_page_was_shown(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    ws = window.workspace
    assert ws.lazy["train"].page is None and ws.lazy["tune"].page is None
    train_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Train")
    train_menu.aboutToShow.emit()  # what opening the menu (Alt+T) does
    texts = [a.text() for a in train_menu.actions()]
    assert {"&Start Training", "S&top Training", "Start My Searc&h"} <= set(texts)
    assert ws.pages.currentIndex() == 0  # the Data step stays shown
    train_menu.aboutToShow.emit()  # again: the pages are there, nothing is added twice
    assert [a.text() for a in train_menu.actions()] == texts

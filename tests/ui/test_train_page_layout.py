"""The Train page on a small laptop's screen (1,093 x 614 pixels): the advice opens without making the window
taller, the runs list and the plots are whole, nothing is cut on the right; and Resume while a run starts."""

from __future__ import annotations

from cnnstudio.engine.events import RunFinished
from tests.ui.test_training_view import open_tiny, open_trained, train_once


def test_on_a_small_laptop_screen_the_plots_keep_their_room_after_a_run_and_its_advice_folds(window, qtbot, tmp_path):
    """1366 x 768 at 125 % is 1,093 x 614 pixels: after a run the two-line "Finished" line, the advice and the runs
    list all show and the plots keep their height, whole (not clipped under the runs list); the advice folds.
    Opening it (with the Model page's red-values note shown too) never makes the window need more height, the
    run's details stay under the table, and nothing is cut on the right: the plots and their titles, the runs."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QApplication

    from cnnstudio.ui.train.advice_fold import OPEN_MINIMUM
    from cnnstudio.ui.train.plots import PLOT_HEIGHT
    from cnnstudio.ui.train.run_words import advice_header
    from cnnstudio.ui.train.start_blocker import unused_values_note

    page = open_tiny(window, tmp_path, identical=True)  # nothing to learn: there is advice
    window.workspace.show_step(2)
    window.resize(1093, 614)
    qtbot.waitUntil(lambda: window.height() == 614)
    assert page.plots.loss_plot.getPlotItem().titleLabel.text == "Loss"  # the whole title fits a 150-pixel plot
    assert isinstance(train_once(qtbot, page, epochs=1), RunFinished)
    assert isinstance(train_once(qtbot, page, epochs=2), RunFinished)  # two runs listed
    box, plots, runs = page.advice_box, page.plots, page.runs

    def whole(height=PLOT_HEIGHT) -> bool:  # every plot this high and inside the part of the page above the runs
        QApplication.processEvents()
        top = plots.parentWidget()
        return all(p.height() >= height and p.mapTo(top, QPoint(0, p.height())).y() <= top.height()
                   for p in (plots.loss_plot, plots.acc_plot, plots.lr_plot))

    def fits() -> bool:  # the window may be as small as the screen; the details under the table, not over it
        QApplication.processEvents()
        table, details = runs.table.geometry(), runs.details_area.geometry()
        chrome = window.height() - page.height()  # the menu, status bar and margins around the page
        return (page.minimumSizeHint().height() + chrome <= 614 and window.minimumSizeHint().height() <= 614
                and window.minimumSizeHint().width() <= 1093
                and details.top() > table.bottom() and details.height() >= runs.details_area.minimumHeight())

    assert advice_header(["high", "medium", "medium", "good"]) == "What this means: 4 findings (1 important, 2 worth doing)"
    assert box.isVisible() and box.header.text() == advice_header([a.severity for a in page.advice.items])
    assert not box.is_open and not page.advice.isVisible()  # no room to open by itself: the plots keep theirs
    assert window.height() == 614 and whole() and fits()
    before = window.minimumSizeHint().height()
    page.unused_box.show_blocker(unused_values_note(["a", "b"]))  # the Model page's red values, said here
    assert page.unused_box.isVisible()
    # the window knows the note's lines (fit_column.py), and the plots under it are whole
    qtbot.waitUntil(lambda: window.minimumSizeHint().height() > before and whole() and fits())
    assert window.height() == 614
    folded = page.minimumSizeHint().height()
    box.header.click()  # open: the findings show, the runs list gives way, the plots may be a little lower
    assert box.is_open and page.advice.isVisible() and page.advice.buttons[0].isVisible()
    assert window.height() == 614 and whole(PLOT_HEIGHT - OPEN_MINIMUM) and fits()
    assert page.minimumSizeHint().height() <= folded  # opening it asks for no more height
    assert box.area.height() > OPEN_MINIMUM  # the runs list gave it room
    # nothing cut on the right: each plot as wide as its axis and title need, whole, inside the window
    right = window.width()
    for p in (plots.loss_plot, plots.acc_plot, plots.lr_plot):
        need = p.getPlotItem().effectiveSizeHint(Qt.SizeHint.MinimumSize).width()
        assert need <= p.width() and p.mapTo(window, QPoint(p.width(), 0)).x() <= right, p.getPlotItem().titleLabel.text
    # the runs list: the name the widest column, the others to their contents, no sideways scroll; names end in "…"
    table, header = runs.table, runs.table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(1, header.count()) if not header.isSectionHidden(c)]
    assert header.sectionSize(0) >= max(widths) and header.length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible() and table.mapTo(window, QPoint(table.width(), 0)).x() <= right
    runs.rename_run(runs.runs[0].id, "A very long name for a run " * 4)
    assert header.length() <= table.viewport().width() and not table.wordWrap()
    assert table.textElideMode() == Qt.TextElideMode.ElideRight
    box.header.click()
    assert not page.advice.isVisible() and page.minimumSizeHint().height() <= folded
    window.resize(1280, 1000)  # room enough: the next run's advice opens by itself
    qtbot.waitUntil(lambda: window.height() == 1000)
    assert isinstance(train_once(qtbot, page, epochs=1), RunFinished)
    assert box.is_open and page.advice.isVisible() and whole()


def test_resume_is_off_from_the_moment_start_is_pressed(window, qtbot, tmp_path):
    """Starting and preparing the pictures: the run has no id yet, and Resume of the selected stopped run did
    nothing when clicked. It is off until the new run ends."""
    from cnnstudio.project import run_records

    run_id = open_trained(window, qtbot, tmp_path)
    page = window.workspace.train_page
    window.workspace.show_step(2)
    run_records.update_run(window.session.project, run_id, status="stopped")  # a run one may resume
    page.runs.refresh()
    page.runs.select([run_id])
    assert page.runs.resume_button.isEnabled()
    page.settings_form.epochs.setValue(1)
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        assert page.start()
        assert page.run_id is None and not page.runs.resume_button.isEnabled()  # starting: no id yet, Resume off
    page.runs.select([run_id])
    assert page.runs.resume_button.isEnabled()

"""The Train page on a small laptop's screen (1,024 x 614 pixels: 1280 x 800 at 125 %): the advice opens without
making the window taller than the screen, the runs list and the plots are whole (at least 150 pixels high, the advice
open or not), the run names readable, nothing is cut on the right; and Resume while a run starts."""

from __future__ import annotations

from cnnstudio.engine.events import RunFinished
from cnnstudio.ui.train.run_words import plain_words
from tests.ui.test_training_view import open_tiny, open_trained, train_once

SMALL = (1024, 614)
NAMES = ("MobileNetV2 transfer · frozen", "Recommended design · Auto epochs")  # the QA's "Mobi…" and "Reco…"


def readable(page) -> None:
    """The runs' names fit their cells on at most two lines (the QA saw "Mobi…", then "…" once "Data" showed)."""
    from PySide6.QtCore import QRect, Qt

    table = page.runs.table
    fm = table.fontMetrics()
    width = table.horizontalHeader().sectionSize(0) - 8  # the cell's margins
    for name in NAMES:
        lines = fm.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, name).height() // fm.lineSpacing()
        assert lines <= 2 and 2 * fm.lineSpacing() <= table.verticalHeader().defaultSectionSize(), (name, width)


def findings_whole(box, count: int = 1) -> None:
    """The open advice shows its first ``count`` findings whole: every line of each sentence and its button inside
    the scroll area's viewport, at the top (nothing scrolled away)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    panel, viewport = box.panel, box.area.viewport()
    for text in panel._texts[:count]:
        assert text.height() >= text.heightForWidth(text.width()) > 0  # every line of its sentence laid out
        for w in [text] + [b for b in panel.buttons if b.parentWidget() is text.parentWidget()]:
            bottom = w.mapTo(viewport, QPoint(0, w.height())).y()
            assert w.mapTo(viewport, QPoint(0, 0)).y() >= 0 and bottom <= viewport.height(), (bottom, viewport.height())


def first_finding_whole(box) -> None:
    findings_whole(box, 1)


def header_fits(box) -> None:
    """The advice header's words fit its width: Qt cuts nothing out of them."""
    room = box.header.width() - box.header.iconSize().width() - 16
    assert box.header.fontMetrics().horizontalAdvance(box.header.text()) <= room, box.header.text()


def test_on_a_small_laptop_screen_the_plots_keep_their_room_after_a_run_and_its_advice_folds(window, qtbot, tmp_path):
    """1280 x 800 at 125 % is 1,024 x 614 pixels (QA F-6): after a run the two-line "Finished" line, the advice and
    the runs list all show and the plots keep their height, whole (not clipped under the runs list); the advice folds
    (open, the plots kept 90 pixels, then 120 beside an 80-pixel box that cut the findings: now the plots step aside
    while it is open, and at least two findings are whole, with their buttons; the header's words fit it).
    Opening it (with the note that says why Start is off shown too) never makes the window need more height, the
    run's details stay under the table, and nothing is cut on the right: the plots and their titles, the runs."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QApplication

    from cnnstudio.ui.train.advice_fold import READ_LEAST
    from cnnstudio.ui.train.plots import PLOT_HEIGHT
    from cnnstudio.ui.train.run_words import advice_header
    from cnnstudio.engine.model.param_entry import unused_reason
    from cnnstudio.ui.train.start_blocker import start_blocker

    page = open_tiny(window, tmp_path, identical=True)  # nothing to learn: there is advice
    window.workspace.show_step(2)
    window.resize(*SMALL)
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
                and window.minimumSizeHint().width() <= SMALL[0]
                and details.top() > table.bottom() and details.height() >= runs.details_area.minimumHeight())

    # the line under the status is whole (it ended "…best epoch 10 (validati…" at 1,024 pixels): two lines
    stats = page.stats
    stats.setText("2 of 36 epochs trained, epoch 3 at batch 5 of 10 · 1,234 pictures/s · elapsed 0:40 · about 9:40 "
                  "left · best epoch 2 (validation accuracy 97.4%)")
    QApplication.processEvents()
    rect = stats.contentsRect()
    need = stats.fontMetrics().boundingRect(rect.adjusted(0, 0, 0, 10_000), Qt.TextFlag.TextWordWrap, stats.text())
    assert stats.lines() == 2 and need.height() <= rect.height() and fits()
    assert advice_header(["high", "medium", "medium", "good"]) == ("What this means: 4 findings (1 important, 2 worth "
                                                                   "doing, 1 good news)")
    whole_header = advice_header([a.severity for a in page.advice.items])
    assert box.isVisible() and box.full_header == whole_header and box.header.toolTip().startswith(whole_header)
    header_fits(box)  # it read "(1 import…oing, 1 good to know)" at 1,024 pixels: now words that fit, whole
    assert not box.is_open and not page.advice.isVisible()  # no room to open by itself: the plots keep theirs
    assert window.height() == 614 and whole() and fits()
    runs.select([r.id for r in runs.runs])  # two runs selected: one's curves over the plots, named above them
    assert any(plots.overlay_names) and fits()  # the plots' wish (520 pixels) made the window 827 pixels tall
    qtbot.waitUntil(lambda: window.height() == 614 and whole())
    runs.select([])
    qtbot.waitUntil(lambda: not any(plots.overlay_names) and whole() and fits())
    before = window.minimumSizeHint().height()
    red = unused_reason([(1, "in layer 1 (Convolution), the out channels must be 1 to 4,096, not 0"),
                         (4, "in layer 4 (Dense), the units must be 1 to 65,536, not 0")])  # the Model page's rule
    blocker = start_blocker({1: {"train": 5}, 2: {"train": 5}}, design_error=red)
    page.blocked_box.show_blocker(blocker)  # why Start is off: four lines at this width, cut to two
    assert page.blocked_box.isVisible() and page.blocked.toolTip() == f"Training cannot start yet. {blocker.text}"
    qtbot.waitUntil(lambda: page.blocked.text().endswith('… <a href="more">Show more</a>'))
    qtbot.waitUntil(lambda: page.blocked.height() <= 2 * page.blocked.fontMetrics().lineSpacing() + 4)
    # the window knows the note's lines (fit_column.py), and the plots under it are whole
    qtbot.waitUntil(lambda: window.minimumSizeHint().height() > before and whole() and fits())
    assert window.height() == 614
    folded = page.minimumSizeHint().height()
    box.header.click()  # open: the findings show, the runs list gives way; too short for the plots too: they step aside
    assert box.is_open and page.advice.isVisible() and page.advice.buttons[0].isVisible()
    assert box.stepped_aside and not plots.isVisible() and window.height() == 614 and fits()
    assert box.header.text().endswith("· click to see the plots") and "show the plots again" in box.header.toolTip()
    header_fits(box)
    qtbot.waitUntil(lambda: box.area.viewport().height() >= READ_LEAST)  # QA: an 80-pixel box, the findings cut
    findings_whole(box, 2)  # journey QA #8: a two-line box cut "…ready to try on new"; the second cut too
    box.header.click()  # folded: the plots come back, whole
    assert not box.stepped_aside and plots.isVisible()
    qtbot.waitUntil(lambda: whole() and fits())
    # nothing cut on the right: each plot as wide as its axis and title need, whole, inside the window
    right = window.width()
    for p in (plots.loss_plot, plots.acc_plot, plots.lr_plot):
        need = p.getPlotItem().effectiveSizeHint(Qt.SizeHint.MinimumSize).width()
        assert need <= p.width() and p.mapTo(window, QPoint(p.width(), 0)).x() <= right, p.getPlotItem().titleLabel.text
    # the runs list: the name the widest column, on two lines, the others to their contents, no sideways scroll,
    # with the "Data" column shown too (the data changed since the runs were trained)
    runs.set_fingerprint("the data changed")
    runs.refresh()
    table, header = runs.table, runs.table.horizontalHeader()
    assert not table.isColumnHidden(7) and table.item(0, 7).text() == "⚠\nchanged"
    QApplication.processEvents()
    widths = [header.sectionSize(c) for c in range(1, header.count()) if not header.isSectionHidden(c)]
    assert header.sectionSize(0) >= max(widths) and header.length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible() and table.mapTo(window, QPoint(table.width(), 0)).x() <= right
    assert table.wordWrap() and table.itemDelegateForColumn(0).lines == 2  # longer: cut in the middle
    readable(page)
    runs.rename_run(runs.runs[0].id, "A very long name for a run " * 4)  # cut in its middle: never wider
    assert header.length() <= table.viewport().width() and not table.horizontalScrollBar().isVisible()
    assert not page.advice.isVisible()
    qtbot.waitUntil(lambda: page.minimumSizeHint().height() <= folded and whole())  # the room it took, given back
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


def test_a_runs_details_show_whole_lines_each_detail_apart_and_its_items_whole(window, qtbot, tmp_path):
    """QA: at 1,024 x 614 and at the default size the selected run's details were cut through a line at the bottom
    ("best epoch…" half shown), a wrapped line read as the next detail, and lists broke inside an item ("→ 4" at
    the end of a line, "numbers" on the next); the advice, opened by itself after a run, could push the whole runs
    list out of sight. Now: the runs list keeps at least its least height, the details show whole lines (asking for
    all they have, up to eight), each detail a paragraph whose wrapped lines are indented under its first, and a
    list wraps between its items."""
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QApplication

    from cnnstudio.project.seen_scores import mark_test_seen

    run_id = open_trained(window, qtbot, tmp_path)
    mark_test_seen(window.session.project, run_id)  # its test score looked at: the details' longest lines
    window.workspace.show_step(2)
    page = window.workspace.train_page
    qtbot.waitUntil(lambda: page.runs.table.rowCount() == 1)
    area, label = page.runs.details_area, page.runs.details
    for size in (SMALL, (1400, 900)):  # a small laptop, and the default window on a 1,920 x 1,080 screen
        window.resize(*size)
        qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
        page.runs.select([])
        page.runs.select([run_id])
        QApplication.processEvents()
        assert label.text()
        shown = area.viewport().height()
        assert shown % area.line == 0 and shown >= 2 * area.line  # whole lines; the wheel scrolls by lines
        assert area.verticalScrollBar().singleStep() == area.line
        need = label.heightForWidth(area.viewport().width())
        assert need % area.line == 0 and area.sizeHint().height() == need <= 8 * area.line  # all of them, asked for
    # the runs list is never pushed out of sight: the handle above it dragged to the bottom stops at its least height
    # (it was pushed to 0 pixels, by the handle or by the advice opening in a small window: no runs list at all)
    right = page.runs.parentWidget()
    right.moveSplitter(right.height(), 1)
    QApplication.processEvents()
    assert page.runs.isVisible() and page.runs.height() >= page.runs.minimumSizeHint().height() > 0
    # laid out narrower than any window makes them: every list wraps, and only between its items
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(label.font())
    doc.setHtml(label.text())
    doc.setTextWidth(320)
    assert doc.size().height() > 0  # laid out
    firsts, block = [], doc.begin().next()  # the name (the user's words) is said as it is
    while block.isValid():
        layout, text = block.layout(), block.text()
        lines = [layout.lineAt(i) for i in range(layout.lineCount())]
        firsts.append(plain_words(text).split(" ")[0])
        assert len(lines) > 1, text  # each detail wraps at this width
        for line in lines[:-1]:
            end = text[line.textStart():line.textStart() + line.textLength()].rstrip()
            assert end.endswith(("·", "layers:")), (end, text)
        assert all(line.x() > lines[0].x() for line in lines[1:]), text  # indented under the first line
        block = block.next()
    assert firsts == ["best", "AdamW", "layers:"]  # each its own paragraph; the design is in the name


def test_the_missing_weights_note_keeps_two_lines_and_the_status_says_not_ready(window, qtbot, tmp_path,
                                                                                monkeypatch):
    """QA #13: at 1,024 x 614 the note about a ResNet-18 design's missing weights file took 7 lines and left the
    plots 90 pixels ("ver is better"), and the line under it said "Ready." while Start was off. Now the note says two
    sentences (the file's address is the Model page's), cut to two lines with "Show more"; the plots stay whole; the
    status line says "Not ready: see above." until the design may train."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    from cnnstudio.ui.train.plots import PLOT_HEIGHT

    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))  # an empty cache: ResNet-18's weights are not here
    page = open_tiny(window, tmp_path)
    ws = window.workspace
    ws.show_step_key("model")
    panel = ws.model_page.backbone_panel
    panel.backbone_combo.setCurrentIndex(panel.backbone_combo.findData("resnet18"))
    window.resize(*SMALL)
    ws.show_step_key("train")
    qtbot.waitUntil(lambda: window.height() == 614 and page.blocked_box.isVisible())
    assert not page.start_button.isEnabled() and page.status.text() == "Not ready: see above."
    whole = "Training cannot start yet. The pretrained ResNet-18 weights are not on this computer. Choose the file, " \
            "or untick “Pretrained”, on the Model page, which says where to get it."
    assert page.blocked.toolTip() == whole and "download.pytorch.org" not in whole
    line = page.blocked.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: page.blocked.text().endswith('<a href="more">Show more</a>'))
    qtbot.waitUntil(lambda: page.blocked.height() <= 2 * line + 4)

    def plots_whole() -> bool:
        QApplication.processEvents()
        top = page.plots.parentWidget()
        return all(p.height() >= PLOT_HEIGHT and p.mapTo(top, QPoint(0, p.height())).y() <= top.height()
                   for p in (page.plots.loss_plot, page.plots.acc_plot, page.plots.lr_plot))

    qtbot.waitUntil(plots_whole)
    page.blocked.linkActivated.emit("more")  # the link, as a click on it sends it
    assert page.blocked.text() == f'{whole} <a href="less">Show less</a>'
    qtbot.waitUntil(lambda: page.blocked.height() > 2 * line)
    page.blocked.linkActivated.emit("less")
    qtbot.waitUntil(lambda: page.blocked.text().endswith('<a href="more">Show more</a>'))
    assert ws.current_step() == "train"  # the page's other links lead elsewhere; these stay
    ws.show_step_key("model")
    panel.pretrained.setChecked(False)
    ws.show_step_key("train")
    qtbot.waitUntil(lambda: page.start_button.isEnabled())
    assert page.status.text() == "Ready." and page.blocked_box.isHidden()

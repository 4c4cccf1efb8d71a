"""Evaluate after the data changed (QA F-9): relabel pictures on the Data page and come back, the warning is there at
once, without "Evaluate again"; a relabel while the page is shown updates it at once. And at 1,024 x 614 (F-11) the
per-class average is whole below the classes and the mistakes' header is not cut."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.report import data_change_note
from cnnstudio.project.records import ImageFilter
from tests.ui.test_training_view import open_trained
from tests.ui.test_window_fits_small_screen import SMALL_SCREEN


def test_the_data_changed_warning_comes_at_once_and_the_scores_fit_a_small_window(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path, identical=True)  # two classes, half the test pictures wrong
    page, s = window.workspace.evaluate_page, window.session
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    assert "⚠" not in page.summary.text()

    # the QA's steps: on the Data page relabel two test pictures, then back to Evaluate
    window.workspace.show_step(0)
    classes = s.project.classes()
    test_ids = s.project.ids(ImageFilter(split="test"))[:2]
    before = {i: s.project.image(i).class_id for i in test_ids}
    for image_id, now in before.items():
        with qtbot.waitSignal(s.labels_changed, timeout=5_000):
            s.label([image_id], next(c.id for c in classes if c.id != now))
    with qtbot.waitSignal(page.data_note_checked, timeout=5_000) as checked:
        window.workspace.show_step(4)
    note = data_change_note(runs.data_changed(s.project, run_id))
    assert "2 images relabelled" in note and checked.args == [note]
    assert note in page.summary.text() and page.thread is None  # no new evaluation was needed

    # while shown: one picture back to its label, the warning follows at once; both back, it goes
    first, second = test_ids
    with qtbot.waitSignal(page.data_note_checked, timeout=5_000) as checked:
        s.label([first], before[first])
    assert "1 image relabelled" in checked.args[0] and checked.args[0] in page.summary.text()
    with qtbot.waitSignal(page.data_note_checked, timeout=5_000) as checked:
        s.label([second], before[second])
    assert checked.args == [""] and "⚠" not in page.summary.text()
    with qtbot.waitSignal(page.data_note_checked, timeout=5_000):
        s.label([second], next(c.id for c in classes if c.id != before[second]))
    # QA: "Evaluate again" after a relabel gave the same score with no reason: it scores the labels the model was
    # trained with, as the warning says, and its tooltip says so now
    accuracy = page.result["accuracy"]
    assert "It uses the labels it was trained with" in page.again.toolTip()
    assert "labels you changed since count from the next model you train." in page.again.toolTip()
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        page.again.click()
    assert page.result["accuracy"] == accuracy and "these scores are for the pictures and labels" in page.summary.text()

    # 1,024 x 614 with the warning's line: the page fits, the average row is whole, the header reads whole
    window.resize(*SMALL_SCREEN)
    QApplication.processEvents()
    assert window.minimumSizeHint().height() <= SMALL_SCREEN[1] and window.height() == SMALL_SCREEN[1]
    table, footer = page.per_class, page.per_class.footer
    qtbot.waitUntil(lambda: footer.isVisible() and footer.visibleRegion().boundingRect() == footer.rect())
    assert table.isRowHidden(table.rowCount() - 1) and footer.item(0, 0).text() == "Average"
    assert footer.rowHeight(0) + 2 * footer.frameWidth() <= footer.height()
    assert footer.mapTo(window, footer.rect().bottomLeft()).y() < window.statusBar().mapTo(window, window.statusBar()
                                                                                          .rect().topLeft()).y()
    for col in range(footer.columnCount()):  # "50.0%" in bold, not "50.…"
        item = footer.item(0, col)
        assert QFontMetrics(item.font()).horizontalAdvance(item.text()) <= footer.columnWidth(col) - 6, col
        assert footer.columnWidth(col) == table.columnWidth(col), col
    for row in range(table.rowCount() - 1):  # every class row whole too (two classes: no scrolling)
        rect = table.visualRect(table.model().index(row, 0))
        assert table.viewport().rect().contains(rect), row
    header = page.mistakes.horizontalHeader()
    lines = page.mistakes.horizontalHeaderItem(1).text().split("\n")
    assert lines == ["True →", "predicted"]
    assert max(header.fontMetrics().horizontalAdvance(t) for t in lines) + 8 <= header.sectionSize(1)
    assert not page.mistakes.horizontalScrollBar().isVisible()

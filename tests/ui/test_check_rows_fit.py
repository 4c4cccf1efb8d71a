"""The check panel on a 1,024 x 614 window (QA: "may be wrong, please look" cut to "may b…"): a finding's row is as
tall as its words at the tree's width (up to 4 lines), so a label finding is read whole. Real Qt, offscreen."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from cnnstudio.engine.runs.doctor import DataReport, Finding
from cnnstudio.project import import_paths
from cnnstudio.ui.data.check_panel import ROW_LINES
from tests.conftest import write_dataset


def test_a_finding_row_shows_all_its_words_on_a_small_window(window, tmp_path):
    assert window.create_project(tmp_path / "p")
    p = window.session.project
    import_paths(p, [write_dataset(tmp_path / "src", ("circle", "square"), per_class=2)], labels_from_folders=True)
    window.session.images_changed.emit()
    ids = p.ids()
    reason = "labelled “circle”, looks like “square” (98.5%): may be wrong, please look"
    wrong = Finding("label", (ids[0],), 0.9, reason, given="circle", suggested="square", key="k")
    data = window.workspace.data
    panel = data.check
    data.side.setCurrentWidget(panel)
    window.resize(1024, 614)
    panel.show_report(DataReport(images=len(ids), seconds=1.0, method="test", kinds=("labels",), findings=[wrong]))
    QApplication.processEvents()
    tree = panel.tree
    row = tree.topLevelItem(0).child(0)
    rect = tree.visualItemRect(row)
    text_width = rect.width() - tree.iconSize().width() - 12
    needed = tree.fontMetrics().boundingRect(QRect(0, 0, text_width, 10_000), Qt.TextFlag.TextWordWrap, reason)
    lines = -(-needed.height() // tree.fontMetrics().lineSpacing())
    assert lines > ROW_LINES[0], "the words fit in 2 lines: the test says nothing"
    assert rect.height() >= needed.height(), (rect.height(), needed.height())
    assert row.toolTip(0) == reason  # and the whole of a longer one in its tooltip


def test_running_a_check_does_not_widen_a_small_window(window, tmp_path, qtbot):
    """QA: on a 1,024 x 614 screen each "Check data" made the window 1,030 or 1,036 px wide, the findings' right edge
    cut off: while a check ran, Check data, Cancel and Compare side by side made the panel 260 px at least. Cancel
    sits beside the progress bar now."""
    assert window.create_project(tmp_path / "p")
    p = window.session.project
    import_paths(p, [write_dataset(tmp_path / "src", ("circle", "square"), per_class=6)], labels_from_folders=True)
    window.session.images_changed.emit()
    data = window.workspace.data
    panel = data.check
    data.side.setCurrentWidget(panel)
    window.resize(1024, 614)
    QApplication.processEvents()
    assert window.width() == 1024
    widest = []
    panel.task.progress.connect(lambda *_: widest.append(window.minimumSizeHint().width()))
    with qtbot.waitSignal(panel.checked, timeout=180_000):
        panel.run.click()
        assert panel.cancel.isVisible()
        widest.append(window.minimumSizeHint().width())
    qtbot.waitUntil(lambda: panel.thread is None)
    QApplication.processEvents()
    assert max(widest) <= 1024, max(widest)
    assert window.minimumSizeHint().width() <= 1024 and window.width() == 1024

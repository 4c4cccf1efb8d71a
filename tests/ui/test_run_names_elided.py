"""QA: run names named alike ("run 2026-12-03 08:01 default lr 0.001 …", "… lr 0.01 …") were cut at their end, where
they differ, in the runs table, Evaluate's Model box and Predict's. One rule now (elided_label.elide_name): a name
longer than its room is cut in its middle, its start and end kept, the whole name in the tooltip."""

from __future__ import annotations

from cnnstudio.ui.elided_label import elide_name, wrapped_lines

LONG = ("run 2026-12-03 08:01 default settings from the Train page with a very long note about what was tried "
        "lr 0.001 batch 32 seed 7")
END = "seed 7"


def test_a_name_is_cut_in_the_middle_as_little_as_makes_it_fit(qapp):
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    font = QApplication.font()
    fm = QFontMetrics(font)
    assert elide_name(font, "short name", 400) == "short name"
    one = elide_name(font, LONG, 300)
    assert "…" in one and one.startswith("run 2026") and one.endswith(END) and fm.horizontalAdvance(one) <= 300
    two = elide_name(font, LONG, 300, lines=2)
    assert "…" in two and two.startswith("run 2026") and two.endswith(END) and wrapped_lines(font, two, 300) <= 2
    assert len(two) > len(one)  # two lines keep more of it
    assert len(elide_name(font, LONG, 300, lines=2)) >= len(elide_name(font, LONG, 300 - 20, lines=2))


def test_the_runs_table_and_both_model_boxes_keep_a_names_end(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

    from tests.ui.test_training_view import open_trained

    run_id = open_trained(window, qtbot, tmp_path)
    window.resize(1024, 614)
    window.workspace.show_step_key("train")
    page = window.workspace.train_page
    page.runs.rename_run(run_id, LONG)
    qtbot.waitUntil(lambda: page.runs.table.item(0, 0) is not None and page.runs.table.item(0, 0).text() == LONG)
    QApplication.processEvents()
    table = page.runs.table
    index = table.model().index(0, 0)
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.rect = table.visualRect(index)
    table.itemDelegateForColumn(0).initStyleOption(option, index)  # what the cell paints
    assert "…" in option.text and option.text.startswith("run 2026") and option.text.endswith(END)
    assert table.item(0, 0).toolTip() == LONG

    window.workspace.show_step_key("evaluate")
    combo = window.workspace.evaluate_page.run_combo
    qtbot.waitUntil(lambda: combo.count() > 0)
    QApplication.processEvents()
    shown = combo.shown_text()
    assert "…" in shown and shown.startswith("run 2026") and END + " ★ best — validation" in shown, shown
    assert combo.toolTip().startswith(f"Chosen: {LONG}")

    window.workspace.show_step_key("predict")
    box = window.workspace.predict_page.model_combo
    qtbot.waitUntil(lambda: box.count() > 1)
    box.setCurrentIndex(1)  # the run's own row: its name, then its score
    QApplication.processEvents()
    shown = box.shown_text()
    assert "…" in shown and shown.startswith("run 2026") and END + " — validation" in shown, shown
    assert box.toolTip().startswith(f"Chosen: {LONG}") and box.itemData(1, 3) == box.itemText(1)  # 3: ToolTipRole

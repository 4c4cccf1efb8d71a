"""A long temporary message is shown whole in a 1,024-pixel window: the permanent count steps aside while it shows and
comes back after; a long message stays long enough to read (ui/status_bar.py); the Split & health tab keeps the
split's result above its health lines until the splits change (ui/data/split_panel.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cnnstudio.project import import_paths
from cnnstudio.ui.status_bar import MOST_MS, fits, shown_for
from tests.engine.test_split_groups import _dataset

QA_SPLIT = ("Split: train 1,259, validation 269, test 269. Kept 30 pairs of near-identical pictures in the same split "
            "so the test stays honest. Ctrl+Z undoes it.")
QA_COUNT = "1,797 pictures · 10 classes · 0 with no class"


def test_a_message_stays_at_least_its_reading_time():
    assert shown_for(QA_SPLIT, 6000) >= 10_000  # the QA report's split message: 6 s was too short
    assert shown_for("Saved.", 4000) == 4000  # a short one keeps what its caller asked
    assert shown_for("x" * 2000, 8000) == MOST_MS and shown_for("x" * 2000, 60_000) == 60_000
    assert shown_for(QA_SPLIT, 0) == 0  # until the next message
    assert fits(100, 400, 200) and not fits(300, 400, 200) and fits(300, 400, 0)


def _visible_whole(window, text: str) -> bool:
    bar = window.statusBar()
    return bar.currentMessage() == text and bar.fontMetrics().horizontalAdvance(text) <= bar.message_room()


def test_the_qa_reports_split_message_is_whole_at_1024_wide_and_the_count_comes_back(window):
    window.resize(1024, 614)
    QApplication.processEvents()
    bar = window.statusBar()
    window.status_label.setText(QA_COUNT)
    QApplication.processEvents()
    width = bar.fontMetrics().horizontalAdvance(QA_SPLIT)
    assert width + window.status_label.sizeHint().width() > bar.width() - 18  # beside the count it was cut
    bar.showMessage(QA_SPLIT, 6000)
    QApplication.processEvents()
    assert not window.status_label.isVisible() and _visible_whole(window, QA_SPLIT)
    bar.showMessage("Saved.", 4000)  # a short one: the count stays
    QApplication.processEvents()
    assert window.status_label.isVisible() and _visible_whole(window, "Saved.")
    bar.showMessage(QA_SPLIT, 6000)
    bar.clearMessage()  # the message's time is up
    assert window.status_label.isVisible() and window.status_label.text() == QA_COUNT


def test_a_split_says_its_result_whole_and_keeps_it_in_the_health_box(window, tmp_path, qtbot):
    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [_dataset(tmp_path / "src")], labels_from_folders=True)
    window.session.images_changed.emit()
    window.session.undo_stack.clear()
    window.resize(1024, 614)
    window.workspace.show_step_key("data")
    panel = window.workspace.data.splits
    window.workspace.data.side.setCurrentWidget(panel)
    QApplication.processEvents()
    assert not panel.result.isVisible()
    panel.train.setValue(45), panel.val.setValue(40)  # 5 validation pictures a class: no "Validation has fewer …"
    panel.apply.click()  # 25 pictures: split at once
    QApplication.processEvents()
    said = window.statusBar().currentMessage()
    assert said.startswith("Split: train ") and "Kept 1 pair" in said and said.endswith("Ctrl+Z undoes it.")
    assert _visible_whole(window, said)
    assert panel.result.isVisible() and panel.result.text() == said  # kept after the status bar's message goes
    window.statusBar().clearMessage()
    assert panel.result.isVisible() and window.status_label.isVisible()
    assert window.minimumSizeHint().height() <= 614  # the Data page still fits a small screen with it
    window.session.undo_stack.undo()  # the split undone: its words are no longer so
    assert not panel.result.isVisible() and panel.result.text() == ""


def test_a_steps_message_goes_when_another_step_shows_and_the_windows_stays(window, tmp_path, qtbot):
    """QA: "Press Start to train it" stayed on the Model and Evaluate steps, where it no longer applies."""
    from cnnstudio.ui.status_bar import stays

    assert stays("train", "train") and not stays("train", "evaluate") and stays(None, "evaluate")
    assert not stays("data", None)  # the project closed
    assert window.create_project(tmp_path / "proj")
    bar, workspace = window.statusBar(), window.workspace
    assert bar.currentMessage().startswith("New project: to begin")  # said on the Data step
    workspace.show_step_key("model")
    assert bar.currentMessage() == ""
    bar.showMessage("Set up the next run: Press Start to train it.", 15000)  # as an advice button says it
    workspace.show_step_key("model")  # the same step again: it stays
    assert bar.currentMessage() == "Set up the next run: Press Start to train it."
    workspace.show_step_key("data")
    assert bar.currentMessage() == ""
    bar.show_for_window("The sample project is a copy: change it freely.", 10000)  # about the whole window
    workspace.show_step_key("model")
    assert bar.currentMessage() == "The sample project is a copy: change it freely."
    bar.showMessage("Undone: Add class “cat”", 4000)
    window.close_project()
    assert bar.currentMessage() == ""


def test_a_message_wider_than_the_bar_ends_in_an_ellipsis_and_its_tooltip_holds_it(window, qtbot):
    """QA 5 (s36.png): "Report saved: /tmp/…/Recommended design · Auto epochs report.html. The report shows the test
    pictures' score, so that score now counts as looked at (" was cut mid-word at the right."""
    from PySide6.QtGui import QImage

    from cnnstudio.project.seen_scores import REPORT_LOOK_WORDS

    window.resize(1024, 614)
    window.status_label.setText(QA_COUNT)
    QApplication.processEvents()
    bar = window.statusBar()
    text = f"Report saved: /tmp/qa_qa5/home/Recommended design · Auto epochs report.html. {REPORT_LOOK_WORDS}"
    assert bar.fontMetrics().horizontalAdvance(text) > bar.width()
    bar.showMessage(text, 12000)
    QApplication.processEvents()
    assert bar.currentMessage() == text and bar.toolTip() == text  # the whole message, for whoever reads it
    shown = bar.shown_text()
    assert shown.endswith("…") and text.startswith(shown[:-1])
    assert bar.fontMetrics().horizontalAdvance(shown) <= bar.message_room()
    image = QImage(bar.size(), QImage.Format.Format_ARGB32)
    bar.render(image)  # drawn: the paint pass draws the shortened words, not Qt's cut ones
    short = "Saved."
    bar.showMessage(short, 4000)
    QApplication.processEvents()
    assert bar.shown_text() == short and bar.toolTip() == ""

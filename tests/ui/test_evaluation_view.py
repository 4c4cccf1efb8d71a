"""The Evaluate page: confusion matrix, a click on a cell shows its pictures, per-class scores, one-click relabel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cnnstudio.engine.events import RunFinished
from tests.ui.test_training_view import open_tiny, train_once


def test_empty_state_says_train_first(window, tmp_path):
    open_tiny(window, tmp_path)
    page = window.workspace.evaluate_page
    assert page.body.currentIndex() == 0 and not page.run_combo.isEnabled()


def test_evaluate_click_a_cell_and_relabel_a_mistake(window, qtbot, tmp_path):
    # every picture has the same pixels: the model gives all of them the same class, so half the test
    # pictures are certain mistakes
    train_page = open_tiny(window, tmp_path, identical=True)
    assert isinstance(train_once(qtbot, train_page), RunFinished)
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    ev = page.result
    assert ev["split"] == "test" and ev["images"] == 4
    matrix = ev["confusion_matrix"]
    model = page.confusion_model
    assert model.rowCount() == model.columnCount() == 2
    assert [[int(model.index(r, c).data()) for c in range(2)] for r in range(2)] == matrix
    assert page.per_class.rowCount() == 3 and page.per_class.item(0, 0).text() == "a"
    assert "50.0%" in page.summary.text()

    # click the fullest cell: its pictures are listed
    r, c = max(((r, c) for r in range(2) for c in range(2)), key=lambda rc: matrix[rc[0]][rc[1]])
    rect = page.confusion.visualRect(model.index(r, c))
    with qtbot.waitSignal(page.cell_shown, timeout=5_000) as shown:
        QTest.mouseClick(page.confusion.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown.args == [r, c, matrix[r][c]]
    assert page.cell_list.count() == matrix[r][c] and page.tabs.currentIndex() == 1
    placeholder = page.cell_list.item(0).icon().cacheKey()
    qtbot.waitUntil(lambda: page.cell_list.item(0).icon().cacheKey() != placeholder, timeout=10_000)  # thumbnails

    # the mistakes, most confident first, each with a one-click relabel through the undo stack
    wrong = ev["misclassified"]
    assert len(wrong) == 2 and page.mistakes.rowCount() == 2
    confidences = [m["confidence"] for m in wrong]
    assert confidences == sorted(confidences, reverse=True)
    s = window.session
    image_id, predicted = wrong[0]["id"], wrong[0]["predicted"]
    button = page.mistakes.cellWidget(0, 3)
    assert button.text() == f"Relabel as {predicted}"
    with qtbot.waitSignal(s.labels_changed, timeout=5_000):
        button.click()
    names = {c.id: c.name for c in s.project.classes()}
    assert names[s.project.image(image_id).class_id] == predicted
    assert not button.isEnabled() and "now labelled" in button.text()
    s.undo_stack.undo()
    assert names[s.project.image(image_id).class_id] != predicted
    assert button.isEnabled()


def test_evaluate_again_on_validation_runs_in_a_thread(window, qtbot, tmp_path):
    train_page = open_tiny(window, tmp_path)
    run = train_once(qtbot, train_page)
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        page.evaluate(run.run_id, "val", fresh=True)
    assert page.thread is None
    assert page.result["split"] == "val" and page.result["images"] == 4
    assert page.split_combo.currentData() == "val"

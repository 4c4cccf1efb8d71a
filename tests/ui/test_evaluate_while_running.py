"""The Evaluate page while an evaluation runs: a model or pictures chosen meanwhile are evaluated when it ends (the
scores always belong to the names above them), the scores of before are greyed, Cancel stops it and brings them back;
and Tab goes from "Evaluate again" to "Save report…", then to the advice above the scores, then to the scores."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cnnstudio.ui.evaluate.split_words import EVALUATING
from tests.ui.test_training_view import open_trained


def _shown(window, qtbot):
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    return page


def _pick(page, split: str) -> None:
    """The user picks ``split`` in the "on" box."""
    page.split_combo.setCurrentIndex(page.split_combo.findData(split))
    page.split_combo.activated.emit(page.split_combo.currentIndex())


def test_pictures_chosen_while_it_evaluates_are_the_ones_shown_after(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    page = _shown(window, qtbot)
    assert page.result["split"] == "val"
    page.again.click()  # a thread: the boxes stay usable
    assert page.thread is not None and page.summary.text() == EVALUATING
    # the old scores are greyed, and Cancel is there
    assert not page.scores.isEnabled() and not page.advice.isEnabled() and not page.again.isEnabled()
    assert page.cancel_button.isVisible() and page.progress.isVisible()
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        _pick(page, "test")
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
    # the scores are the test pictures', as the box says: not the validation scores that were being computed
    assert page.split_combo.currentData() == page.result["split"] == page.split == "test"
    assert page.run_combo.currentData() == page.run_id == run_id
    assert "test pictures recognised correctly" in page.summary.text()
    assert page.scores.isEnabled() and page.advice.isEnabled() and page.again.isEnabled()
    assert not page.cancel_button.isVisible() and not page.progress.isVisible()


def test_cancel_stops_the_evaluation_and_the_scores_of_before_come_back(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path)
    page = _shown(window, qtbot)
    before = page.result
    page.again.click()
    _pick(page, "test")  # chosen meanwhile, then cancelled: nothing of it stays
    assert page.split_combo.currentData() == "test"
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        page.cancel_button.click()
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
    assert page.result is before and page.split_combo.currentData() == page.split == "val"
    assert "validation pictures recognised correctly" in page.summary.text()
    assert page.scores.isEnabled() and page.again.isEnabled() and not page.cancel_button.isVisible()


def test_tab_goes_from_evaluate_again_to_save_report_and_to_the_advice_before_the_scores(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path, identical=True)  # half the pictures wrong: advice with buttons
    page = _shown(window, qtbot)
    window.activateWindow()
    page.again.setFocus()
    qtbot.waitUntil(page.again.hasFocus)
    order = []
    for _ in range(40):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[0] is page.save_report
    advice = [order.index(b) for b in page.advice.buttons if b in order]
    assert advice and page.confusion in order and max(advice) < order.index(page.confusion)


def test_before_a_first_result_the_page_shows_no_empty_tables_and_the_run_box_names_its_run(window, qtbot, tmp_path):
    from cnnstudio.project import run_records as index
    from cnnstudio.ui.evaluate.split_words import CANCELLED

    run_id = open_trained(window, qtbot, tmp_path)
    (index.run_dir(window.session.project, run_id) / index.EVALUATION).unlink()  # none stored: evaluated when shown
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
        assert page.thread is not None and page.summary.text() == EVALUATING
        assert not page.scores.isVisible()  # no greyed, empty matrix and tables before there is a score
        page.cancel()
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
    assert page.summary.text() == CANCELLED and page.result is None and not page.scores.isVisible()
    # the box may cut a long run name short beside the progress bar and Cancel: its tooltip says the whole of it
    assert page.run_combo.toolTip().startswith(f"Chosen: {page.run_combo.currentText()}.\n")
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        page.again.click()
    assert page.result is not None and page.scores.isVisible()

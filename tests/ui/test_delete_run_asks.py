"""QA: on the Train page's runs list, Enter deleted a run for good ("Yes" was the question's default, the name
unquoted read as if "2 epochs" were deleted), and the run deleted stayed on the page: its "Shown: …" line, curves
and advice ("Train a new run for 22 epochs"). Now Cancel is the default and Escape's, the button says "Delete", the
run is named in quotes (several: counted and named); a deleted run that was shown, here or by another program,
leaves the page for the best run left (the one Evaluate and Predict show), or for the page with no run."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from cnnstudio.project import Project
from cnnstudio.project import run_records as index
from cnnstudio.ui.train.delete_words import MOST_NAMED, delete_names, delete_question
from cnnstudio.ui.train.kept_run import run_after_delete
from tests.ui.test_training_view import open_trained

QA_NAME = "Recommended design · 2 epochs"


def _points(page) -> int:
    x, _y = page.plots.train_loss.curve.getData()
    return 0 if x is None else len(x)


def _copy(project, run_id: str, name: str, accuracy: float, later: int) -> str:
    """Another finished run: ``run_id``'s files under a new id, ``later`` minutes newer, with ``accuracy``."""
    info = index.get_run(project, run_id)
    new_id = index.new_run_id(info.created_at + 60 * later)
    shutil.copytree(index.run_dir(project, run_id), index.run_dir(project, new_id))
    index.add_run(project, new_id, name, status="finished", config=info.config,
                  summary={**info.summary, "val_accuracy": accuracy}, data_fingerprint=info.data_fingerprint,
                  created_at=info.created_at + 60 * later)
    return new_id


def _train_page(window, qtbot, tmp_path):
    """The trained tiny project ("First try") with two more runs (copies, newer and better: “Third” the best, QA's
    the newest), its Train page shown."""
    first = open_trained(window, qtbot, tmp_path)
    project = window.session.project
    index.rename_run(project, first, "First try")
    third = _copy(project, first, "Third", 0.99, later=1)  # the best
    second = _copy(project, first, QA_NAME, 0.98, later=2)  # the newest
    page = window.workspace.train_page
    window.workspace.show_step(2)
    page.runs.refresh()  # the copies listed (made behind the page's back, as a 'cnnstudio train' would)
    assert {r.id for r in page.runs.runs} == {first, second, third}
    return page, first, second, third


def test_the_delete_question_quotes_one_run_and_counts_and_names_several():
    assert delete_question([QA_NAME]) == ("Delete the run “Recommended design · 2 epochs” and its trained model? "
                                          "This cannot be undone.")
    assert delete_names([QA_NAME]) == ""
    assert delete_question(["a", "b"]) == "Delete 2 runs and their trained models? This cannot be undone."
    assert delete_names(["a", "b"]) == "“a”\n“b”"
    many = [f"run {i}" for i in range(MOST_NAMED + 3)]
    assert delete_names(many).splitlines()[-2:] == [f"“run {MOST_NAMED - 1}”", "and 3 more"]


def test_a_deleted_shown_run_gives_way_to_the_best_run_left_else_the_newest():
    from types import SimpleNamespace

    old, new = (SimpleNamespace(id=i, name=i.upper(), created_at=t, summary={}) for i, t in (("old", 1), ("new", 2)))
    assert run_after_delete([new, old], "old") == (old, "Ready. Shown: the best run, “OLD”.", False)
    assert run_after_delete([new, old], None) == (new, "Ready. Shown: the newest run, “NEW”.", True)  # none finished
    assert run_after_delete([], None) is None


def test_enter_and_escape_delete_nothing_and_delete_says_delete(window, qtbot, tmp_path):
    page, first, second, third = _train_page(window, qtbot, tmp_path)
    runs, project = page.runs, window.session.project
    runs.select([second])
    runs.delete_action.trigger()
    box = runs.delete_box
    assert box.isVisible() and box.text() == delete_question([QA_NAME])
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Yes) is None
    assert sorted(b.text() for b in box.buttons()) == ["Cancel", "Delete"]
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter takes the default: Cancel
    assert not box.isVisible() and index.find_run(project, second) is not None
    runs.delete_action.trigger()
    qtbot.keyClick(runs.delete_box, Qt.Key.Key_Escape)
    assert index.find_run(project, second) is not None
    # several: counted, and named one a line
    runs.select([first, second])
    runs.delete_action.trigger()
    box = runs.delete_box
    assert box.text() == "Delete 2 runs and their trained models? This cannot be undone."
    assert set(box.informativeText().splitlines()) == {"“First try”", f"“{QA_NAME}”"}
    next(b for b in box.buttons() if b.text() == "Delete").click()
    assert [r.id for r in index.list_runs(project)] == [third]


def test_a_shown_run_deleted_here_leaves_the_page_for_the_best_run_left(window, qtbot, tmp_path):
    page, first, second, third = _train_page(window, qtbot, tmp_path)
    ws = window.workspace
    evaluate, predict = ws.evaluate_page, ws.predict_page  # built: their run boxes are read again on a delete
    evaluate.run_combo.setCurrentIndex(evaluate.run_combo.findData(second))
    evaluate._picked = second  # the user's choice in its box
    predict.model_combo.setCurrentIndex(predict.model_combo.findData(second))
    page.runs.select([first])
    page.runs.select([second])  # clicked: shown, as in the QA's picture
    assert page.run_id == second and page.status.text().startswith(f"Shown: “{QA_NAME}”.")
    page.runs.delete_runs([second])
    assert page.run_id == third and page.runs.selected_ids() == [third]  # the best left, as Evaluate and Predict
    assert page.status.text() == "Ready. Shown: the best run, “Third”."
    assert page.advice.run_id == third and _points(page) > 0
    # Evaluate and Predict: the deleted run is nowhere in their boxes, nor the one they show
    assert evaluate.run_combo.findData(second) < 0 and evaluate.run_combo.currentData() == third
    assert predict.model_combo.findData(second) < 0 and predict._chosen_run() == third
    # every run deleted: the page as before the first run
    page.runs.delete_runs([third])
    assert page.run_id == first and "“First try”" in page.status.text()
    page.runs.delete_runs([first])
    assert page.run_id is None and _points(page) == 0 and "Shown" not in page.status.text()
    assert page.advice.run_id is None and page.advice_box.isHidden()
    assert not page.runs.table.isVisible() and page.runs.empty.isVisible()


def test_a_shown_run_deleted_by_another_program_leaves_the_page(window, qtbot, tmp_path):
    page, first, second, third = _train_page(window, qtbot, tmp_path)
    page.runs.select([first])  # clicked: the user's choice, not the newest
    assert page.run_id == first
    other = Project.open(window.session.project.root)  # 'cnnstudio runs --delete'
    try:
        index.delete_run(other, first)
        assert "runs" in window.watch.check()
        assert page.run_id == third and page.runs.selected_ids() == [third]
        assert "First try" not in page.status.text() and "“Third”" in page.status.text()
        assert page.advice.run_id == third
        index.delete_run(other, second)
        index.delete_run(other, third)
        assert "runs" in window.watch.check()
    finally:
        other.close()
    assert page.run_id is None and _points(page) == 0 and "Shown" not in page.status.text()
    assert page.advice.run_id is None and page.advice_box.isHidden()

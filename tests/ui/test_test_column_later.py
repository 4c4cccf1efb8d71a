"""QA: the runs table showed a Test column while the user was still choosing a model; test pictures are looked at
once, at the end. Now a run's test score shows in the runs list and its details only once it has been looked at on
purpose, on the Evaluate page on "Test pictures" (project/seen_scores.py), and the column only then."""

from __future__ import annotations

from cnnstudio.project import run_records
from cnnstudio.project.seen_scores import NOT_YET_TIP, TEST_SEEN, mark_test_seen, score_seen, shows_test_column
from tests.engine.test_data import make_project

SUMMARY = {"val_accuracy": 0.8, "test_accuracy": 0.75, "best_epoch": 2, "val_images": 40, "test_images": 40}


def test_the_rule_kept_in_the_runs_record(tmp_path):
    with make_project(tmp_path / "proj") as p:
        run_records.add_run(p, "20260101-000000-aaaa", "plain", created_at=1.0, status="finished", summary=SUMMARY)
        run_records.add_run(p, "20260101-000001-bbbb", "other", created_at=2.0, status="finished", summary=SUMMARY)
        assert not shows_test_column(r.summary for r in run_records.list_runs(p))
        assert mark_test_seen(p, "20260101-000000-aaaa") and not mark_test_seen(p, "20260101-000000-aaaa")
        seen = {r.id: score_seen(r.summary) for r in run_records.list_runs(p)}
        assert seen == {"20260101-000000-aaaa": True, "20260101-000001-bbbb": False}
        assert shows_test_column(r.summary for r in run_records.list_runs(p))
        assert run_records.get_run(p, "20260101-000000-aaaa").summary["test_accuracy"] == 0.75  # the rest kept
    assert not score_seen({TEST_SEEN: "yes"}) and not score_seen({})  # only what mark_test_seen writes


def test_the_evaluate_page_on_test_pictures_shows_it_in_the_runs_list(window, qtbot, tmp_path):
    from cnnstudio.ui.train.run_words import plain_words
    from tests.ui.test_training_view import open_trained

    run_id = open_trained(window, qtbot, tmp_path)
    window.workspace.show_step_key("train")
    runs = window.workspace.train_page.runs
    qtbot.waitUntil(lambda: runs.table.rowCount() == 1)
    test = 3  # runs_panel.COLUMNS' "Test accuracy"
    assert runs.table.isColumnHidden(test) and runs.table.item(0, test).toolTip() == NOT_YET_TIP
    runs.select([run_id])
    assert "validation accuracy" in plain_words(runs.details.text())
    assert "test accuracy" not in plain_words(runs.details.text())
    window.workspace.show_step_key("evaluate")
    page = window.workspace.evaluate_page
    qtbot.waitUntil(lambda: page.run_combo.count() > 0 and not page.task.busy)
    assert not score_seen(run_records.get_run(window.session.project, run_id).summary)  # validation first
    page.split_combo.setCurrentIndex(page.split_combo.findData("test"))
    page.split_combo.activated.emit(page.split_combo.currentIndex())  # the user chooses "Test pictures"
    qtbot.waitUntil(lambda: not page.task.busy)
    assert score_seen(run_records.get_run(window.session.project, run_id).summary)
    window.workspace.show_step_key("train")
    qtbot.waitUntil(lambda: not runs.table.isColumnHidden(test))
    assert runs.table.item(0, test).text().startswith(("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
    runs.select([run_id])
    qtbot.waitUntil(lambda: "test accuracy" in plain_words(runs.details.text()))

"""A search's trials are compared on validation only: the runs list (and ``cnnstudio runs``) shows no test score
beside a trial, says why, and shows it for a plain run and for the study's final run (the model it keeps)."""

from __future__ import annotations

from cnnstudio.project import Project, run_records
from tests.cli.helpers import run
from tests.engine.test_data import make_project

SUMMARY = {"val_accuracy": 0.8, "test_accuracy": 0.75, "best_epoch": 2, "val_images": 40, "test_images": 40}


def _runs(p) -> None:
    run_records.add_run(p, "20260101-000000-aaaa", "plain", created_at=1.0, status="finished", summary=SUMMARY)
    run_records.add_run(p, "20260101-000001-bbbb", "s1 · trial 1", created_at=2.0, status="finished",
                        summary={**SUMMARY, "study": "s1", "trial": 0})
    run_records.add_run(p, "20260101-000002-cccc", "s1 · final", created_at=3.0, status="finished",
                        summary={**SUMMARY, "study": "s1", "final_of": 0})
    for r in run_records.list_runs(p):
        run_records.run_dir(p, r.id).mkdir(parents=True, exist_ok=True)


def test_the_runs_list_hides_a_trials_test_score_and_says_why(project, qtbot):
    from cnnstudio.ui.session import ProjectSession
    from cnnstudio.ui.train.run_words import plain_words
    from cnnstudio.ui.train.runs_panel import COLUMNS, TRIAL_TEST_TIP, RunsPanel

    from cnnstudio.project.seen_scores import mark_test_seen

    _runs(project)
    for r in run_records.list_runs(project):  # each looked at on its test pictures on the Evaluate page
        mark_test_seen(project, r.id)
    panel = RunsPanel(ProjectSession(project))
    qtbot.addWidget(panel)
    panel.refresh()
    test_col = COLUMNS.index("Test accuracy")
    cells = {panel.table.item(row, 0).text(): panel.table.item(row, test_col)
             for row in range(panel.table.rowCount()) if panel.table.item(row, test_col) is not None}
    assert cells["s1 · trial 1"].text() == "–" and cells["s1 · trial 1"].toolTip() == TRIAL_TEST_TIP
    assert cells["plain"].text().startswith("75") and cells["s1 · final"].text().startswith("75")
    trial = next(r for r in panel.runs if r.name == "s1 · trial 1")
    plain = next(r for r in panel.runs if r.name == "plain")
    trial_words, plain_run_words = plain_words(panel._describe(trial)), plain_words(panel._describe(plain))
    assert "test accuracy" not in trial_words and "validation accuracy 80" in trial_words
    assert "test accuracy 75" in plain_run_words


def test_cnnstudio_runs_shows_no_test_score_for_a_trial(tmp_path, capsys):
    from cnnstudio.project.seen_scores import mark_test_seen

    with make_project(tmp_path / "proj") as p:
        _runs(p)
        for r in run_records.list_runs(p):  # each looked at on its test pictures (evaluate --split test)
            mark_test_seen(p, r.id)
    code, text, _ = run(capsys, "runs", tmp_path / "proj")
    assert code == 0
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith("2026")}
    assert "75" not in rows["20260101-000001-bbbb"].split("s1")[0]
    assert "75.0" in rows["20260101-000000-aaaa"] and "75.0" in rows["20260101-000002-cccc"]
    assert f"no test score for a search's trials: {run_records.TRIAL_TEST_WHY}" in text
    with Project.open(tmp_path / "proj") as p:
        assert [run_records.is_search_trial(r) for r in run_records.list_runs(p)].count(True) == 1

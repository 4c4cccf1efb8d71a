"""Evaluate > "Save report…": a report shows the run's test score, so saving one is a look at it on purpose
(project/seen_scores.py): the run's test score counts as looked at from then on, and the status bar says so."""

from __future__ import annotations

from cnnstudio.project import run_records
from cnnstudio.project.seen_scores import REPORT_LOOK_WORDS, score_seen
from tests.ui.test_training_view import open_trained


def test_saving_a_report_marks_the_test_score_looked_at_and_says_so(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    window.workspace.show_step_key("evaluate")
    page = window.workspace.evaluate_page
    qtbot.waitUntil(lambda: page.run_id == run_id and not page.task.busy)  # shown
    project = window.session.project
    assert not score_seen(run_records.get_run(project, run_id).summary)  # the page opens on validation pictures
    assert "counts as looked at" in page.save_report.toolTip()  # said before the click
    out = tmp_path / "report.html"
    with qtbot.waitSignal(page.save_report.saved, timeout=60_000):
        assert page.save_report.save_to(str(out))
    assert out.is_file() and score_seen(run_records.get_run(project, run_id).summary)
    assert window.statusBar().currentMessage() == f"Report saved: {out}. {REPORT_LOOK_WORDS}"

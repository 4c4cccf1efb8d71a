"""A run whose end said which weights it kept (a frozen backbone's fine-tuning that did not beat its head:
``summary["end_note"]``, engine/runs/frozen_run.kept_head_words) says it again when it is shown later: the Train
page's status line and the run's details, finished or stopped. A real window on a project with a real trained run."""

from __future__ import annotations

from cnnstudio.engine.runs.frozen_run import kept_head_words
from cnnstudio.project import run_records
from tests.ui.test_training_view import open_trained


def test_a_kept_runs_end_note_is_said_when_it_is_shown_again(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    note = kept_head_words(1)
    run_records.update_run(window.session.project, run_id, summary={"end_note": note})
    page.runs.refresh()
    page.runs.select([])
    page.run_id = None  # a click shows it anew
    page.runs.select([run_id])
    assert page.status.text().startswith("Shown: “")
    assert note in page.status.text()
    assert "Fine-tuning the whole network did not beat the head alone" in page.runs.details.text()
    run_records.update_run(window.session.project, run_id, status="stopped")
    page.runs.refresh()
    page.runs.select([])
    page.run_id = None
    page.runs.select([run_id])
    assert page.status.text().startswith("Shown: “") and "Stopped after epoch" in page.status.text()
    assert note in page.status.text()

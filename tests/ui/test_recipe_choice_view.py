"""The Train page shows the default recipe's choice (recorded in the run by engine/runs/recipe.py) and has the
fine-tuning stage of transfer learning among its settings."""

from __future__ import annotations

from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.project import run_records

from .test_training_view import make_project


def test_the_runs_list_shows_the_recipe_choice_and_the_form_has_fine_tuning(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    project = window.session.project
    run_id = runs.create_run(project)
    why = "transfer learning: validation accuracy 100.00% against 75.00% from scratch"
    run_records.update_run(project, run_id, summary={"recipe": {"picked": "transfer", "run": run_id, "why": why}})
    page = window.workspace.train_page
    page._refresh()
    page.runs.select([run_id])
    assert f"default recipe: {why} (this run)" in page.runs.details.text()
    form = page.settings_form
    form.fine_tune.setValue(3)
    assert form.values()["fine_tune_epochs"] == 3
    assert TrainSettings().replace(**form.values()).fine_tune_epochs == 3
    form.reset()
    assert form.fine_tune.value() == 0 and form.fine_tune.text() == "Off"

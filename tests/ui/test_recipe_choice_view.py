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


def test_start_with_nothing_changed_is_the_default_recipe_and_says_what_it_kept(window, tmp_path, qtbot):
    """The Train page's Start on an untouched design and form runs the default recipe's choice, like
    ``cnnstudio train DIR``: a transfer-learning run beside the from-scratch one, the better kept and named."""
    from cnnstudio.engine.model.backbones import weights_status

    assert window.open_project(make_project(tmp_path))
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    page._refresh()
    with qtbot.waitSignal(page.run_ended, timeout=120_000) as ended:
        assert page.start()
    project = window.session.project
    last = ended.args[0]
    assert type(last).__name__ == "RunFinished", last
    listed = run_records.list_runs(project)
    recipe = run_records.get_run(project, last.run_id).summary["recipe"]
    assert recipe["run"] == last.run_id and page.run_id == last.run_id
    assert f"Default recipe: {recipe['why']}." in page.status.text()
    if weights_status("mobilenet_v2")["installed"]:  # the Makefile installs them: both ways were trained
        assert len(listed) == 2 and all(r.summary["recipe"] == recipe for r in listed)
    else:
        assert len(listed) == 1 and "weights" in recipe["why"]

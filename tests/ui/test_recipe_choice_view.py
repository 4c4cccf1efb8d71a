"""The Train page shows the default recipe's choice (recorded in the run by engine/runs/recipe.py) and has the
fine-tuning stage of transfer learning among its settings."""

from __future__ import annotations

import html

from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.project import run_records

from .test_training_view import make_project


def test_the_runs_list_shows_the_recipe_choice_and_the_form_has_fine_tuning(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    project = window.session.project
    run_id = runs.create_run(project)
    why = ("kept the ready-trained network (transfer learning): it recognised 100% of the validation pictures, "
           "against 75.0% for the network trained from scratch")
    run_records.update_run(project, run_id, summary={"recipe": {"picked": "transfer", "run": run_id, "why": why}})
    page = window.workspace.train_page
    page._refresh()
    page.runs.select([run_id])
    details = page.runs.details.text()
    assert f"K{why[1:]}." in details and "default recipe" not in details and run_id not in details  # no raw id
    assert run_id in page.runs.details.toolTip()
    form = page.settings_form
    form.fine_tune.setValue(3)
    assert form.values()["fine_tune_epochs"] == 3
    assert TrainSettings().replace(**form.values()).fine_tune_epochs == 3
    form.reset()
    assert form.fine_tune.value() == 0 and form.fine_tune.text() == "Off"


def test_a_run_trained_from_scratch_for_want_of_weights_says_the_windows_way_to_get_them(window, tmp_path):
    """The run's record keeps why in words for both surfaces; the window adds its own next step (the Model page's
    button), never the terminal's package or folder."""
    from cnnstudio.engine.events import RunFinished
    from cnnstudio.engine.runs.recipe import NO_WEIGHTS_WHY
    from cnnstudio.ui.train.run_words import finished_text

    assert window.open_project(make_project(tmp_path))
    project = window.session.project
    run_id = runs.create_run(project)
    recipe = {"picked": "from scratch", "run": run_id, "why": NO_WEIGHTS_WHY, "weights": "mobilenet_v2"}
    run_records.update_run(project, run_id, summary={"recipe": recipe})
    page = window.workspace.train_page
    page._refresh()
    page.runs.select([run_id])
    said = ("Trained from scratch: transfer learning (a network pretrained on ImageNet) needs MobileNetV2's "
            "pretrained weights, which are not on this computer. To let it try transfer learning too, choose "
            "torchvision's file mobilenet_v2-b0353104.pth with “Choose the weights file…” on the Model page (it "
            "shows when “Start from” is “Transfer learning: MobileNetV2”).")
    assert html.escape(said) in page.runs.details.text()  # the details are rich text
    ev = RunFinished(run_id, epochs=3, best_epoch=3, best_val_accuracy=0.9, train_seconds=1, images_per_second=100)
    assert finished_text(ev, {"recipe": recipe}).endswith(f" {said}")  # no run to name: no words about the pages
    assert "package" not in said and "cnnstudio" not in said
    older = {"picked": "from scratch", "run": run_id, "why": "trained from scratch: the weights are not here"}
    run_records.update_run(project, run_id, summary={"recipe": older})  # a record written before "weights"
    page._refresh()
    page.runs.select([run_id])
    assert "Trained from scratch: the weights are not here." in page.runs.details.text()
    assert "Choose the weights file" not in page.runs.details.text()


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
    status = page.status.text()
    assert f"K{recipe['why'][1:]}. " in status
    best = run_records.best_run(project)  # the pages' rule: the line names the network they offer
    assert (("It is the best run on validation" in status) if best.id == last.run_id else
            f"“{best.name}” stays the best run on validation" in status)
    assert "Default recipe" not in status and ": from scratch:" not in status and ".00%" not in status
    if weights_status("mobilenet_v2")["installed"]:  # the Makefile installs them: both ways were trained
        assert len(listed) == 2 and all(r.summary["recipe"] == recipe for r in listed)
    else:
        assert len(listed) == 1 and "weights" in recipe["why"]
    # what the page shows at the end describes the kept run: the plots are its epochs, the line under the status
    # says which run they are (the transfer run's epochs were never streamed to the page)
    page.plots.flush()
    kept_epochs = [m["epoch"] for m in runs.read_metrics(project, last.run_id)]
    assert list(page.plots.train_loss.curve.getData()[0]) == kept_epochs
    transfer = recipe["picked"] == "transfer"  # a frozen head fitted exactly: strengths, not epochs (head_rows.py)
    ended = ("Finished: the last layer fitted at 7 strengths of regularisation" if transfer else
             f"Finished: best epoch {last.best_epoch} of {last.epochs}")
    assert " left" not in page.stats.text() and ended in page.status.text()
    watched = [r for r in listed if r.id != last.run_id]
    if transfer:
        assert page.stats.text().startswith(f"Shown: the kept run “{run_records.get_run(project, last.run_id).name}”"
                                            " (the last layer fitted at 7 strengths of regularisation")
        assert f"The other run, “{watched[0].name}”" in page.stats.text()
    else:
        assert f"{last.epochs} of {last.epochs} epochs trained" in page.stats.text()


def test_the_line_under_the_status_names_the_kept_run():
    from cnnstudio.engine.events import RunFinished
    from cnnstudio.ui.train.kept_run import kept_run_text

    ev = RunFinished("t", epochs=7, best_epoch=7, best_val_accuracy=0.95, train_seconds=2.4, images_per_second=1991)
    text = kept_run_text("MobileNetV2 transfer · frozen", ev, "Recommended design · Auto epochs")
    assert text == ("Shown: the kept run “MobileNetV2 transfer · frozen” (7 epochs, best epoch 7). The other run, "
                    "“Recommended design · Auto epochs”, is in the list below.")
    from cnnstudio.engine.runs.head_rows import HeadRows

    strengths = kept_run_text("MobileNetV2 transfer · frozen", ev, "Recommended design · Auto epochs",
                              HeadRows(7, False))
    assert strengths.startswith("Shown: the kept run “MobileNetV2 transfer · frozen” (the last layer fitted at 7 "
                                "strengths of regularisation, the best on validation kept). The other run")

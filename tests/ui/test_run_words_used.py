"""Which network the Evaluate and Predict pages offer after a run finished, as the Train page's finished line says it
(QA transfer #3: "The Evaluate and Predict pages use this network now" was said of a fine-tuned run while both pages
showed the earlier frozen run, which scored better on validation). Real runs of the engine on a real project; the
pages' one rule is :func:`cnnstudio.project.run_records.best_run` (Predict's "Best run", Evaluate's ★ best)."""

from __future__ import annotations

import dataclasses

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.engine.use.figures import percent
from cnnstudio.project import run_records
from cnnstudio.ui.predict.model_choice import model_entries
from cnnstudio.ui.train import run_files
from cnnstudio.ui.train.run_words import finished_text

from ..engine.test_data import make_project

SIDE = 32
PP = Preprocess(height=SIDE, width=SIDE, channels=3, normalization="imagenet")


def _train(proj, settings, spec) -> RunFinished:
    end = list(runs.train(proj, settings, spec))[-1]
    assert isinstance(end, RunFinished), end
    return end


def _line(proj, end) -> str:
    return finished_text(end, *run_files.summary_and_config(proj, end.run_id),
                         run_files.best_run_why(proj, end.run_id))


def test_the_finished_line_names_the_network_the_pages_offer(tmp_path):
    proj = make_project(tmp_path / "proj", per_class=12, side=12)
    try:
        frozen = ModelSpec.create(SIDE, SIDE, 3, [layer("dropout", p=0.2)],
                                  backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": True})
        first = _train(proj, default_settings(PP), frozen)
        line = _line(proj, first)
        assert run_records.best_run(proj).id == first.run_id
        assert line.endswith("It is the best run on validation, so the Predict page's “Best run” uses it now and the "
                             "Evaluate page marks it ★ best.")
        # a later run that scores lower: the pages stay with the first, and the line says so and why
        scratch = ModelSpec.create(SIDE, SIDE, 3, [layer("conv2d", out_channels=2), layer("relu"),
                                                   layer("global_avg_pool")])
        worse = dataclasses.replace(default_settings(PP), epochs=1, lr=1e-6, batch_size=4)
        second = _train(proj, worse, scratch)
        best = run_records.best_run(proj)
        assert best.id == first.run_id != second.run_id
        with_model = [r for r in run_records.list_runs(proj) if run_records.has_model(proj, r.id)]
        rows, best_id = model_entries(proj, with_model)
        assert best_id == first.run_id and rows[0][0] == f"Best run ({best.name})"  # what Predict loads
        line = _line(proj, second)
        mine = run_records.get_run(proj, second.run_id).summary["val_accuracy"]
        assert best.summary["val_accuracy"] > mine
        assert line.endswith(f"“{best.name}” stays the best run on validation (validation accuracy "
                             f"{percent(best.summary['val_accuracy'])} against {percent(mine)} for this one), so the "
                             "Predict page's “Best run” keeps using it and the Evaluate page marks it ★ best; choose "
                             "this run in their run box to look at this one.")
        assert "use this network now" not in line
    finally:
        proj.close()


def _finished(project, run_id, created_at, **summary):
    run_records.add_run(project, run_id, run_id, status="finished", summary=summary, created_at=created_at)
    (run_records.run_dir(project, run_id) / run_records.MODEL_DIR).mkdir(parents=True)


def _used(project, run_id) -> str:
    from cnnstudio.ui.train.run_words import used_words

    return used_words(run_id, run_records.get_run(project, run_id).summary, run_files.best_run_why(project, run_id))


def test_the_why_follows_the_reason_the_best_run_was_chosen(project):
    """The words said "the same validation accuracy with a lower validation loss" whenever the scores were equal,
    also of a search's final run, chosen for its trial's score: they now say the reason best_run_why gave."""
    _finished(project, "trial", 100.0, val_accuracy=0.95, val_loss=0.2, study="s1")
    _finished(project, "final", 120.0, study="s1", final_of=1, val_accuracy=0.8, val_loss=0.5)
    _finished(project, "mine", 130.0, val_accuracy=0.8, val_loss=0.3)  # the same accuracy, a lower loss
    said = _used(project, "mine")
    assert "“final” stays the best run on validation (the final run of a search whose trial scored highest on " \
           "validation), so" in said
    assert "lower validation loss" not in said
    _finished(project, "winner", 140.0, val_accuracy=0.96, val_loss=0.4)  # beats the trial: by its accuracy
    assert "“winner” stays the best run on validation (validation accuracy 96.0% against 80.0% for this one)" in \
        _used(project, "mine")
    _finished(project, "tie", 150.0, val_accuracy=0.96, val_loss=0.6)  # the same accuracy, a higher loss
    assert "“winner” stays the best run on validation (the same validation accuracy with a lower validation " \
           "loss), so" in _used(project, "tie")
    _finished(project, "twin", 90.0, val_accuracy=0.96, val_loss=0.4)  # the same of both, older
    assert "(the same validation accuracy and loss, and trained later)" in _used(project, "twin")

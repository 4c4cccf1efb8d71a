"""QA 5: the Predict page kept a run's model as it was when first loaded (epoch 1 of a run still training), and went
on predicting with it after the run finished. A loaded model is reused only while its run's saved model is the same:
a run saved over since (training went on, or ended) is loaded again and the pictures listed are predicted again with
it, said in one line; a run still training says so in the Model box."""

from __future__ import annotations

import torch

from cnnstudio.engine.runs.lifecycle import load_run_bundle
from cnnstudio.engine.use.bundle import save_bundle
from cnnstudio.project.run_records import MODEL_DIR, find_run, run_dir, update_run
from cnnstudio.ui.predict.model_choice import TRAINING, changed_words, model_entries, model_stamp
from tests.ui.test_drop import drop
from tests.ui.test_prediction_view import _new_pictures, _plain
from tests.ui.test_training_view import open_trained


def _save_newer_model(project, run_id: str, always: int) -> None:
    """Save a newer model over the run's, as training does at each epoch: this one answers class ``always`` for
    every picture (its last layer's weights zero, its bias for that class high)."""
    bundle = load_run_bundle(project, run_id)
    last = [m for m in bundle.model.modules() if isinstance(m, torch.nn.Linear)][-1]
    with torch.no_grad():
        last.weight.zero_()
        last.bias.fill_(-5.0)
        last.bias[always] = 5.0
    m = bundle.manifest
    save_bundle(run_dir(project, run_id) / MODEL_DIR, bundle.model, bundle.spec, bundle.class_names,
                bundle.preprocess, metrics=m.get("metrics"), data_fingerprint=m.get("data_fingerprint", ""),
                extra=m.get("extra"))


def test_a_run_whose_model_changed_since_it_was_loaded_is_loaded_again_and_its_pictures_predicted_again(
        window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    project = window.session.project
    page = window.workspace.predict_page
    with qtbot.waitSignal(page.loader.loaded, timeout=60_000):
        window.workspace.show_step(5)
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), _new_pictures(tmp_path / "new", 2))
    first = page.predictions[0]
    classes = list(first.probabilities)
    other = next(c for c in classes if c != first.label)  # the newer model answers another class
    before = model_stamp(project, run_id)
    _save_newer_model(project, run_id, classes.index(other))
    assert model_stamp(project, run_id) != before
    assert page.loader.stale(run_id) and page.loader.ready(run_id) is None  # never the model of before
    with qtbot.waitSignal(page.predicted, timeout=60_000):
        page.refresh_runs()  # the workspace does it when a run changes (training ended)
    assert [p.label for p in page.predictions] == [other, other] and page.list.count() == 2
    page.list.setCurrentRow(0)
    assert _plain(page.headline.text()).startswith(other)
    run = find_run(project, run_id)
    said = changed_words(run.name, training=False)
    assert window.statusBar().currentMessage() == said
    assert said == f"The model of “{run.name}” changed since: predicted again with its finished model."

    # saved over once more, and a picture opened again without any refresh: every picture with the newest model
    _save_newer_model(project, run_id, classes.index(first.label))
    with qtbot.waitSignal(page.predicted, timeout=60_000):
        assert drop(page.list.viewport(), _new_pictures(tmp_path / "again", 1))
    qtbot.waitUntil(lambda: len(page.predictions) == 3 and page.thread is None and not page.loader.loading(),
                    timeout=60_000)
    assert [p.label for p in page.predictions] == [first.label] * 3
    assert not page.loader.stale(run_id)


def test_a_run_still_training_is_marked_so_in_the_model_box(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    project = window.session.project
    run = find_run(project, run_id)
    update_run(project, run_id, status="running")  # resumed: it trains on, with the model of its last epoch so far
    rows, _best = model_entries(project, [find_run(project, run_id)])
    assert rows[0][0] == f"Newest run ({run.name}) — {TRAINING}"
    assert rows[1][0].startswith(f"{run.name} — {TRAINING} (validation ") and TRAINING == (
        "still training: its model so far")
    assert changed_words("Small", training=True) == ("The model of “Small” changed since: predicted again with its "
                                                     "model so far (it is still training).")

"""Advice for a run its end did not evaluate (stopped, failed, killed): judged on its validation pictures when it has
them, never "ready to export" without a model; and the words of a run without validation."""

from __future__ import annotations

from cnnstudio.engine.runs.advice import advise_from
from tests.engine.test_runs import settings

NAMES = ["a", "b"]
COUNTS = {s: {n: 100 for n in NAMES} for s in ("train", "val", "test")}


def rows(val: bool = True) -> list[dict]:
    """Five epochs of a run that learned: training accuracy 100 %, validation 90 % at its best epoch, 3."""
    out = []
    for e, (ta, va) in enumerate([(0.8, 0.7), (0.95, 0.85), (1.0, 0.9), (1.0, 0.88), (1.0, 0.89)], 1):
        out.append({"epoch": e, "train_loss": 0.5 / e, "train_accuracy": ta, "val_loss": 0.3 + 0.01 * e,
                    "val_accuracy": va if val else None, "is_best": e == 3})
    return out


def test_a_stopped_run_with_validation_is_judged_on_its_validation_score_not_its_training_pictures():
    items = advise_from(rows(), {}, settings(epochs=5), NAMES, COUNTS, {"run": "r1", "planned": 10})
    good = next(a for a in items if a.kind == "good")
    assert "training pictures" not in good.text
    assert "90.0% of the validation pictures right at epoch 3" in good.text and good.evidence["accuracy"] == 0.9


def test_a_run_without_a_model_is_never_ready_to_export_but_resumed():
    items = advise_from(rows(), {}, settings(epochs=5), NAMES, COUNTS, {"run": "r1", "planned": 10}, model=False)
    assert "good" not in [a.kind for a in items]
    (verdict,) = [a for a in items if a.kind == "no_model"]
    assert "ready" not in verdict.text and "Resume it from its last checkpoint" in verdict.text
    assert verdict.action == {"id": "resume", "label": "Resume: train epochs 6 to 10", "page": "Train",
                              "resume": "r1"}
    ended = advise_from(rows(), {}, settings(epochs=5), NAMES, COUNTS, {"run": "r1", "planned": 5}, model=False)
    assert next(a for a in ended if a.kind == "no_model").action["label"] == "Resume: finish it and save its model"


def test_still_improving_without_validation_says_the_once():
    falling = [{"epoch": e, "train_loss": 1.0 / e, "train_accuracy": 0.9} for e in (1, 2, 3, 4)]
    items = advise_from(falling, {}, settings(epochs=4, validation=False), NAMES, COUNTS)
    still = next(a for a in items if a.kind == "still_improving")
    assert "the the" not in still.text and "the training loss was still falling" in still.text


def test_a_run_still_training_is_not_said_to_have_ended_without_a_model(tmp_path):
    from cnnstudio.engine.runs import lifecycle as runs
    from cnnstudio.engine.runs.advice import advise
    from cnnstudio.project import run_records
    from tests.engine.test_data import make_project, tiny_spec

    p = make_project(tmp_path / "p")
    fin = list(runs.train(p, settings(epochs=2), tiny_spec()))[-1]
    import shutil

    shutil.rmtree(run_records.run_dir(p, fin.run_id) / run_records.MODEL_DIR)  # as while it trains: no model yet
    run_records.update_run(p, fin.run_id, status="running")
    assert "no_model" not in [a.kind for a in advise(p, fin.run_id)]
    run_records.update_run(p, fin.run_id, status="failed")
    assert "no_model" in [a.kind for a in advise(p, fin.run_id)]
    p.close()

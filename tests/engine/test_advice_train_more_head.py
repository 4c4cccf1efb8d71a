""""More epochs" of a frozen backbone's head (QA transfer): the advice on a fine-tuned run said "Train a new run for 32
epochs (this one had 12)", counting the head's 7 strengths of regularisation as epochs, and its button set Epochs,
which such a head does not use. It now counts the fine-tuning's epochs alone, says so, and sets the fine-tuning's
epochs (its command ``--fine-tune-epochs``); a head fitted exactly alone is never offered epochs, nor a Resume of
its strengths. Real runs (MobileNetV2 at 32 px, offline weights), their rows rewritten as a steady climb."""

from __future__ import annotations

import json

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.advice import action_command, advise, advise_from
from cnnstudio.engine.runs.advice_actions import MORE_EPOCHS, apply_action, set_up_words
from cnnstudio.engine.runs.advice_reading import class_counts
from cnnstudio.engine.train.head_fit import L2_PATH
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.project.run_records import METRICS, run_dir
from tests.engine.test_data import make_project
from tests.engine.test_frozen_run import frozen_spec

PP = Preprocess(height=32, width=32, channels=3, normalization="imagenet")
TUNE = 3
HEAD = len(L2_PATH)  # with validation pictures: one row per strength


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("more") / "proj", per_class=12, side=12)
    made = {}
    for tune in (TUNE, 0):
        st = default_settings(PP).replace(fine_tune_epochs=tune, batch_size=16, early_stopping_patience=0)
        made[tune] = list(runs.train(proj, st, frozen_spec(side=32)))[-1].run_id
    yield proj, made[TUNE], made[0]
    proj.close()


def climb(proj, rid):
    """The run's rows as written, every one better than the last on both splits (still improving at its end)."""
    rows = [{**m, "train_accuracy": 0.55 + 0.04 * i, "val_accuracy": 0.55 + 0.04 * i, "train_loss": 0.68 - 0.03 * i,
             "val_loss": 0.68 - 0.03 * i, "is_best": True} for i, m in enumerate(runs.read_metrics(proj, rid))]
    (run_dir(proj, rid) / METRICS).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def test_a_fine_tuning_still_improving_is_offered_more_fine_tuning_epochs(project):
    proj, rid, _ = project
    rows = climb(proj, rid)
    assert len(rows) == HEAD + TUNE
    items = advise(proj, rid, fresh={"val": {"accuracy": rows[-1]["val_accuracy"], "images": 10}})
    (rose,) = [a for a in items if a.kind == "still_improving"]
    assert rose.text.endswith("More fine-tuning epochs will probably help.")
    act = rose.action
    # the fine-tuning's 3 epochs, never its 7 strengths besides (QA: "for 32 epochs (this one had 12)")
    assert act["label"] == f"Train a new run for {TUNE + MORE_EPOCHS} fine-tuning epochs (this one had {TUNE})"
    assert act["settings"] == {"fine_tune_epochs": TUNE + MORE_EPOCHS}  # Epochs: not used by its head
    _, st = runs.read_config(proj, rid)
    assert apply_action(st, act).fine_tune_epochs == TUNE + MORE_EPOCHS and apply_action(st, act).epochs == st.epochs
    assert action_command(act, "proj") == f"cnnstudio train proj --like {rid} --fine-tune-epochs {TUNE + MORE_EPOCHS}"
    assert set_up_words("MobileNetV2", act).endswith(
        f"its design and settings, for {TUNE + MORE_EPOCHS} fine-tuning epochs. Press Start to train it.")


def test_a_head_fitted_alone_is_never_offered_epochs(project):
    proj, _, rid = project
    rows = climb(proj, rid)
    assert len(rows) == HEAD
    items = advise(proj, rid, fresh={"val": {"accuracy": rows[-1]["val_accuracy"], "images": 10}})
    assert not {"still_improving", "underfitting"} & {a.kind for a in items}
    assert not [a for a in items if a.action and a.action["id"] in ("train_more", "resume")]
    assert not any("epoch" in a.text for a in items)
    # ended without a model (killed) after its 3rd strength: it has no checkpoint and no epochs to resume, and its
    # strengths are said as the Train page says them (it read "after epoch 3", "Resume: train epochs 4 to 7")
    cfg, st = runs.read_config(proj, rid)
    names, counts = class_counts(proj, rid)
    (ended,) = [a for a in advise_from(rows[:3], {}, st, names, counts, {"run": rid, "planned": HEAD}, model=False,
                                       run=rid, by_epochs=False) if a.kind == "no_model"]
    assert ended.action is None and "after strength 3." in ended.text and "epoch" not in ended.text
    assert "Train it again to get a model" in ended.text

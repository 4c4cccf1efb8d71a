"""Training with validation off (``TrainSettings.validation = False``, ``--no-val``): nothing held out, the
last epoch kept, no early stopping, no validation score claimed; and the best epoch's validation loss stored
for choosing between runs."""

from __future__ import annotations

import json
import math

import pytest

from cnnstudio.engine.events import EpochEnd, RunFinished, RunStarted
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.train.settings import SettingsError, TrainSettings
from cnnstudio.project import ImageFilter, run_records
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj")  # 60 / 20 / 20: it has validation pictures
    yield p
    p.close()


def test_settings_roundtrip_and_old_configs():
    off = TrainSettings(validation=False)
    assert off.to_json()["validation"] is False and TrainSettings.from_json(off.to_json()) == off
    old = TrainSettings().to_json()
    del old["validation"]  # a config.json written before the field existed
    assert TrainSettings.from_json(old).validation is True
    with pytest.raises(SettingsError, match="validation"):
        TrainSettings(validation="no")


def test_validation_off_keeps_the_last_epoch_even_with_a_val_split(proj):
    # early stopping after 1 epoch without improvement would end a validated run early; here it never fires
    events = list(runs.train(proj, settings(epochs=3, validation=False, early_stopping_patience=1), tiny_spec()))
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.val_images == 0  # the val pictures are not even scored while training
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.epoch for e in epochs] == [1, 2, 3] and all(e.is_best for e in epochs)
    assert all(math.isnan(e.val_accuracy) and math.isnan(e.val_loss) for e in epochs)
    fin = events[-1]
    assert isinstance(fin, RunFinished) and fin.reason == "completed"
    assert fin.best_epoch == fin.epochs == 3 and math.isnan(fin.best_val_accuracy)
    assert not math.isnan(fin.test_accuracy)
    info = run_records.get_run(proj, fin.run_id)
    assert info.summary["best_epoch"] == 3 and info.summary["val_accuracy"] is None
    assert info.summary["val_loss"] is None and not run_records.has_validation(info)
    folder = run_records.run_dir(proj, fin.run_id)
    assert set(json.loads((folder / "evaluation.json").read_text())) == {"val", "test"}  # val: in the report only
    assert json.loads((folder / "config.json").read_text())["settings"]["validation"] is False


def test_validation_off_holds_nothing_out(proj):
    val_ids = proj.ids(ImageFilter(split="val"))
    proj.set_split(val_ids, "train")  # no validation pictures: a validated run would hold some out
    assert runs.plan_run(proj, settings(), tiny_spec()).held_out
    plan = runs.plan_run(proj, settings(validation=False), tiny_spec())
    assert plan.held_out == frozenset() and not any(e.split == "val" for e in plan.entries)
    run_id = runs.create_run(proj, settings(validation=False), tiny_spec())
    dataset = json.loads((run_records.run_dir(proj, run_id) / "dataset.json").read_text())
    assert dataset["held_out_for_validation"] == 0 and not any(r.get("held_out") for r in dataset["images"])
    assert run_records.get_run(proj, run_id).summary["images"]["val"] == 0


def test_a_validated_run_stores_its_best_epochs_validation_loss(proj):
    fin = list(runs.train(proj, settings(epochs=2), tiny_spec()))[-1]
    assert isinstance(fin, RunFinished)
    info = run_records.get_run(proj, fin.run_id)
    best = next(m for m in runs.read_metrics(proj, fin.run_id) if m["epoch"] == fin.best_epoch)
    assert info.summary["val_loss"] == pytest.approx(best["val_loss"], rel=1e-4)
    assert info.summary["val_accuracy"] == pytest.approx(best["val_accuracy"])
    assert run_records.has_validation(info)

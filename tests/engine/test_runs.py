"""Runs stored in a project: folder layout, run index, stop + resume, data_changed, cache reuse."""

from __future__ import annotations

import json
import threading

import pytest
import torch

from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.use.bundle import load_bundle
from cnnstudio.engine.events import DataProgress, EpochEnd, RunFinished, RunStarted, RunStopped
from cnnstudio.engine.data.preprocess import Preprocess, normalize
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.project import ProjectError
from cnnstudio.project import run_records
from cnnstudio.project.processes import this_process
from tests.engine.test_data import make_project, tiny_spec

PP = Preprocess(height=8, width=8, channels=1, normalization="dataset")


def settings(**kw) -> TrainSettings:
    base = dict(epochs=2, batch_size=8, lr=0.02, preprocess=PP, threads=1)
    base.update(kw)
    return TrainSettings(**base)


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj")
    yield p
    p.close()


def test_train_stores_everything(proj):
    events = list(runs.train(proj, settings(), tiny_spec(), name="first"))
    assert isinstance(events[0], DataProgress) and any(isinstance(e, RunStarted) for e in events)
    fin = events[-1]
    assert isinstance(fin, RunFinished) and fin.run_id and fin.test_accuracy == fin.test_accuracy  # not NaN
    folder = proj.root / "runs" / fin.run_id
    assert {p.name for p in folder.iterdir()} >= {"config.json", "dataset.json", "metrics.jsonl", "checkpoint",
                                                   "model", "evaluation.json"}
    cfg = json.loads((folder / "config.json").read_text())
    assert TrainSettings.from_json(cfg["settings"]).epochs == 2 and cfg["spec"]["input"]["height"] == 8
    assert cfg["preprocess"]["normalization"] == "dataset" and cfg["preprocess"]["mean"][0] > 0
    assert set(cfg["versions"]) >= {"cnnstudio", "torch", "torchvision"}
    ds = json.loads((folder / "dataset.json").read_text())
    assert len(ds["images"]) == 40 and set(ds["images"][0]) >= {"id", "sha256", "label", "split"}
    assert ds["classes"] == ["bottom", "top"] and len(ds["fingerprint"]) == 64
    metrics = runs.read_metrics(proj, fin.run_id)
    assert [m["epoch"] for m in metrics] == [1, 2] and metrics[0]["event"] == "EpochEnd"
    ev = json.loads((folder / "evaluation.json").read_text())
    assert set(ev) == {"val", "test"} and ev["test"]["accuracy"] == pytest.approx(fin.test_accuracy)
    # the database row
    info = run_records.get_run(proj, fin.run_id)
    assert info.name == "first" and info.status == "finished" and info.data_fingerprint == ds["fingerprint"]
    assert info.summary["best_epoch"] == fin.best_epoch and info.summary["test_accuracy"] == fin.test_accuracy
    # the bundle is the best model, with the run's preprocessing: same logits as the model in hand
    bundle = load_bundle(folder / "model")
    assert bundle.preprocess == Preprocess.from_json(cfg["preprocess"])
    assert bundle.manifest["data_fingerprint"] == ds["fingerprint"]
    assert bundle.manifest["metrics"]["test_accuracy"] == pytest.approx(fin.test_accuracy)
    assert run_records.best_run(proj).id == fin.run_id
    assert run_records.best_bundle_path(proj.root) == folder / "model"
    assert runs.data_changed(proj, fin.run_id) is False


def test_stop_and_resume_a_stored_run(proj):
    stop = threading.Event()
    first = []
    for ev in runs.train(proj, settings(epochs=3), tiny_spec(), stop=stop):
        first.append(ev)
        if isinstance(ev, EpochEnd) and ev.epoch == 1:
            stop.set()
    stopped = first[-1]
    assert isinstance(stopped, RunStopped) and stopped.epoch == 1 and stopped.model_path
    run_id = stopped.run_id
    assert run_records.get_run(proj, run_id).status == "stopped"
    # the project changes meanwhile: a resumed run still trains on its own data
    ids = proj.ids()
    proj.set_labels(ids[:3], proj.class_by_name("top").id)
    events = list(runs.resume(proj, run_id))
    assert events[-1].__class__ is RunFinished and events[-1].epochs == 3
    assert [e for e in events if isinstance(e, RunStarted)][0].start_epoch == 2
    assert [m["epoch"] for m in runs.read_metrics(proj, run_id)] == [1, 2, 3]
    assert run_records.get_run(proj, run_id).status == "finished"
    with pytest.raises(runs.RunError, match="already finished"):
        list(runs.resume(proj, run_id))
    # the second run read every picture from the cache
    assert [e for e in events if isinstance(e, DataProgress)][-1].total == 0


def test_abandoned_generator_is_resumable(proj):
    gen = runs.train(proj, settings(epochs=2), tiny_spec())
    for ev in gen:
        if isinstance(ev, RunStarted):
            run_id = ev.run_id
            break
    running = run_records.get_run(proj, run_id)  # who trains it is recorded, for settle_abandoned
    assert running.status == "running" and running.summary[run_records.PROCESS] == this_process()
    gen.close()
    assert run_records.get_run(proj, run_id).status == "stopped"
    assert isinstance(list(runs.resume(proj, run_id))[-1], RunFinished)


def test_data_changed_after_relabel_and_resplit(proj):
    fin = list(runs.train(proj, settings(epochs=1), tiny_spec()))[-1]
    assert runs.data_changed(proj, fin.run_id) is False
    train_ids = proj.ids(__import__("cnnstudio.project", fromlist=["ImageFilter"]).ImageFilter(split="train"))
    rec = proj.records(train_ids[:1])[0]
    other = [c for c in proj.classes() if c.id != rec.class_id][0]
    before = proj.set_labels([rec.id], other.id)
    msg = runs.data_changed(proj, fin.run_id)
    assert msg.startswith("the data changed since this model was trained") and "1 image relabelled" in msg
    proj.restore_labels(before)
    assert runs.data_changed(proj, fin.run_id) is False
    proj.set_split(train_ids[:2], "test")
    assert "2 images moved to another split" in runs.data_changed(proj, fin.run_id)


def test_bad_spec_or_data_raises_before_training(proj):
    from cnnstudio.engine.errors import SpecError

    with pytest.raises(SpecError):
        runs.create_run(proj, settings(), preset="no_such_preset")
    assert run_records.list_runs(proj) == []


def test_run_index_functions(proj):
    a = run_records.add_run(proj, "r1", "one", config={"x": 1}, data_fingerprint="f")
    assert a.status == "created" and a.config == {"x": 1}
    run_records.add_run(proj, "r2", created_at=a.created_at + 10)
    assert [r.id for r in run_records.list_runs(proj)] == ["r2", "r1"]
    with pytest.raises(ProjectError, match="already exists"):
        run_records.add_run(proj, "r1")
    run_records.update_run(proj, "r1", status="finished", summary={"val_accuracy": 0.5})
    run_records.update_run(proj, "r1", summary={"test_accuracy": 0.4})
    got = run_records.get_run(proj, "r1")
    assert got.summary == {"val_accuracy": 0.5, "test_accuracy": 0.4} and got.status == "finished"
    assert run_records.rename_run(proj, "r1", "  better  ").name == "better"
    with pytest.raises(ProjectError):
        run_records.rename_run(proj, "r1", " ")
    with pytest.raises(ProjectError):
        run_records.update_run(proj, "r1", status="exploded")
    assert run_records.best_run(proj) is None  # no model folder
    (proj.root / "runs" / "r1" / "model").mkdir(parents=True)
    assert run_records.best_run(proj).id == "r1"
    run_records.delete_run(proj, "r1")
    assert not (proj.root / "runs" / "r1").exists() and [r.id for r in run_records.list_runs(proj)] == ["r2"]
    with pytest.raises(ProjectError, match="no run"):
        run_records.get_run(proj, "r1")
    with pytest.raises(ProjectError, match="not a valid run id"):
        run_records.run_dir(proj, "../etc")


def test_bundle_predicts_like_training(proj):
    fin = list(runs.train(proj, settings(epochs=1), tiny_spec()))[-1]
    bundle = runs.load_run_bundle(proj, fin.run_id)
    from cnnstudio.engine.data.preprocess import image_to_uint8

    rec = proj.records(proj.ids()[:4])
    x = torch.stack([image_to_uint8(proj.root / r.file, bundle.preprocess) for r in rec])
    with torch.inference_mode():
        a = bundle.model(normalize(x, bundle.preprocess))
        b = load_bundle(proj.root / "runs" / fin.run_id / "model").model(normalize(x, bundle.preprocess))
    assert torch.equal(a, b)

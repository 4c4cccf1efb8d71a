"""Evaluation numbers on a case checked by hand, and evaluating a stored run with its own preprocessing."""

from __future__ import annotations

import json

import pytest
import torch

from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.use.evaluate import compute_metrics, evaluate_bundle
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.project import ImageFilter
from tests.engine.test_data import make_project, tiny_spec


def test_metrics_checked_by_hand():
    labels = [0, 0, 1, 1, 2, 2]
    probs = torch.tensor([
        [0.8, 0.1, 0.1],  # a -> a
        [0.3, 0.6, 0.1],  # a -> b  (mistake, confidence 0.6)
        [0.1, 0.7, 0.2],  # b -> b
        [0.1, 0.2, 0.7],  # b -> c  (mistake, confidence 0.7)
        [0.05, 0.05, 0.9],  # c -> c
        [0.2, 0.3, 0.5],  # c -> c
    ])
    ev = compute_metrics(labels, probs, ["a", "b", "c"], ids=[10, 11, 12, 13, 14, 15], split="test")
    assert ev.accuracy == pytest.approx(4 / 6)
    assert ev.confusion_matrix == [[1, 1, 0], [0, 1, 1], [0, 0, 2]]
    a, b, c = ev.per_class["a"], ev.per_class["b"], ev.per_class["c"]
    assert (a["precision"], a["recall"], a["f1"], a["support"]) == pytest.approx((1.0, 0.5, 2 / 3, 2))
    assert (b["precision"], b["recall"], b["f1"], b["support"]) == pytest.approx((0.5, 0.5, 0.5, 2))
    assert (c["precision"], c["recall"], c["f1"], c["support"]) == pytest.approx((2 / 3, 1.0, 0.8, 2))
    assert ev.macro["f1"] == pytest.approx((2 / 3 + 0.5 + 0.8) / 3)
    assert ev.top_k == 3 and ev.top_k_accuracy == 1.0
    assert [m["id"] for m in ev.misclassified] == [13, 11]  # most confident mistake first
    assert ev.misclassified[0] == {"id": 13, "true": "b", "predicted": "c", "confidence": pytest.approx(0.7),
                                   "correct": False}
    assert len(ev.predictions) == 6 and ev.predictions[0]["predicted"] == "a"
    expected_loss = -sum(torch.log(probs[i, y]) for i, y in enumerate(labels)) / 6
    assert ev.loss == pytest.approx(float(expected_loss), rel=1e-5)
    json.dumps(ev.to_json())


def test_top_k_with_more_classes_and_empty():
    ev = compute_metrics([3, 0], torch.tensor([[0.4, 0.3, 0.2, 0.1], [0.2, 0.1, 0.3, 0.4]]), list("abcd"))
    assert ev.top_k == 3 and ev.top_k_accuracy == 0.5 and ev.accuracy == 0.0
    assert ev.per_class["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    two = compute_metrics([1], torch.tensor([[0.9, 0.1]]), ["x", "y"])
    assert two.top_k == 2 and two.top_k_accuracy == 1.0
    empty = compute_metrics([], torch.empty((0, 2)), ["x", "y"])
    assert empty.images == 0 and empty.confusion_matrix == [[0, 0], [0, 0]]


def test_evaluate_stored_run(tmp_path):
    proj = make_project(tmp_path / "proj")
    pp = Preprocess(height=8, width=8, normalization="dataset")
    s = TrainSettings(epochs=2, batch_size=8, lr=0.02, preprocess=pp, threads=1)
    fin = list(runs.train(proj, s, tiny_spec()))[-1]
    stored = json.loads((proj.root / "runs" / fin.run_id / "evaluation.json").read_text())
    run_id, ev = runs.evaluate_run(proj, None, "val")  # default: the best finished run
    assert run_id == fin.run_id
    assert ev.accuracy == pytest.approx(stored["val"]["accuracy"])
    assert ev.confusion_matrix == stored["val"]["confusion_matrix"]
    assert sorted(p["id"] for p in ev.predictions) == sorted(proj.ids(ImageFilter(split="val")))
    _, test = runs.evaluate_run(proj, fin.run_id, "test")
    assert test.accuracy == pytest.approx(fin.test_accuracy)
    assert sum(map(sum, test.confusion_matrix)) == len(proj.ids(ImageFilter(split="test")))
    # a loaded bundle evaluates the same on the project's current split
    bundle = runs.load_run_bundle(proj, fin.run_id)
    assert evaluate_bundle(bundle, proj, "test").accuracy == pytest.approx(test.accuracy)
    with pytest.raises(runs.RunError, match="unknown split"):
        runs.evaluate_run(proj, fin.run_id, "holdout")
    proj.close()

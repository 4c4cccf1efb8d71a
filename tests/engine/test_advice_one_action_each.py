"""Each action offered once in a run's advice (advice_output.one_action_each): QA, "Train a new run for 23 epochs"
was listed twice in one list, under "underfitting" and under "still improving", which both ask for more epochs.
The more important finding keeps the button (and the command); the other keeps its words."""

from __future__ import annotations

from cnnstudio.engine.runs.advice import advice_json, advice_text, advise_from
from tests.engine.test_runs import settings


def test_underfitting_and_still_improving_offer_more_epochs_once():
    names = ["a", "b"]
    # little learned (under 75 % of its training pictures right on two classes) and still rising at the end
    rows = [{"epoch": e, "train_loss": 0.7 - e / 100, "train_accuracy": 0.5 + e / 50, "val_loss": 0.7 - e / 100,
             "val_accuracy": 0.5 + e / 20, "lr": 0.003} for e in (1, 2, 3)]
    counts = {s: {n: 100 for n in names} for s in ("train", "val", "test")}
    items = advise_from(rows, {"val": {"accuracy": 0.65, "images": 200}}, settings(epochs=3), names, counts)
    kinds = [a.kind for a in items]
    assert "underfitting" in kinds and "still_improving" in kinds
    more = [a for a in items if a.action and a.action["id"] == "train_more"]
    assert [a.kind for a in more] == ["underfitting"]  # the more important one keeps it
    rose = next(a for a in items if a.kind == "still_improving")
    assert rose.action is None and rose.text.endswith("More epochs will probably help.")
    text = advice_text(items, "proj")
    assert text.count("Train a new run for 23 epochs") == 1 and text.count("--epochs 23") == 1
    assert sum(1 for a in advice_json(items) if a["action"] and a["action"]["id"] == "train_more") == 1

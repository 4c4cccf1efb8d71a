"""QA: a 1-epoch run at 0.003 (the default recipe, 2 classes) got "Training went wrong: the loss grew huge ... The
learning rate (0.003) is too high", though the same recipe reaches 100% at 0.003 with more epochs: one epoch's
average loss above guessing is a cold start, not evidence. "Went wrong" needs a loss that is not a number, or a loss
far above guessing that did not come down over more than one epoch (engine/runs/advice_curves.went_wrong)."""

from __future__ import annotations

from cnnstudio.engine.runs.advice import advise_from
from cnnstudio.engine.runs.advice_curves import not_a_number_epoch, went_wrong
from tests.engine.test_runs import settings

NAMES = ["a", "b"]
COUNTS = {s: {n: 28 if s == "train" else 6 for n in NAMES} for s in ("train", "val", "test")}
EV = {"val": {"accuracy": 0.5, "images": 12}, "test": {"accuracy": 0.5, "images": 12}}


def rows(train_loss, train_acc, val_acc=0.5) -> list[dict]:
    return [{"event": "EpochEnd", "epoch": e + 1, "train_loss": tl, "train_accuracy": ta, "val_loss": 1.09,
             "val_accuracy": val_acc, "is_best": e == 0, "lr": 0.003}
            for e, (tl, ta) in enumerate(zip(train_loss, train_acc))]


def test_one_epochs_average_loss_above_guessing_is_a_cold_start_not_a_rate_too_high():
    # QA's run: 1 epoch, the training loss 4.794 where guessing gives 0.693, 44.6% right
    st = settings(epochs=1, lr=0.003)
    items = advise_from(rows([4.794], [0.446]), EV, st, NAMES, COUNTS)
    assert "diverged" not in [a.kind for a in items]
    assert not any("too high" in a.text or "went wrong" in a.text for a in items)
    assert not any((a.action or {}).get("id") == "lower_lr" for a in items)
    assert went_wrong([1], [18.5], [0.345], 2) is None  # however high: one average says nothing of where it went


def test_a_cold_start_that_came_down_did_not_go_wrong():
    assert went_wrong([1, 2], [4.794, 0.62], [0.446, 0.7], 2) is None
    assert went_wrong([1, 2], [9.0, 0.70], [0.45, 0.5], 2) is None  # at guessing one epoch on: too soon to say stuck


def test_real_evidence_still_says_it_went_wrong():
    assert went_wrong([1], [float("nan")], [0.5], 2)["what"] == "stopped being a number"  # one epoch is enough
    stuck = went_wrong([1, 2, 3], [9.0, 8.6, 8.8], [0.5, 0.48, 0.5], 2)  # far above guessing, not coming down
    assert stuck is not None and stuck["what"].startswith("grew huge")
    st = settings(epochs=3, lr=0.3)
    items = advise_from(rows([9.0, 8.6, 8.8], [0.5, 0.48, 0.5]), EV, st, NAMES, COUNTS)
    assert items[0].kind == "diverged" and "too high" in items[0].text


def test_a_run_that_failed_on_a_loss_that_is_not_a_number_went_wrong_after_one_epoch():
    # the epoch whose loss stopped being a number never reaches metrics.jsonl: the run's failure says it
    error = "the loss became NaN (not a number) in epoch 2, batch 3: training diverged"
    assert not_a_number_epoch(error) == 2 and not_a_number_epoch("the computer ran out of memory") is None
    wrong = went_wrong([1], [5.8e14], [0.125], 2, not_a_number_epoch(error))
    assert wrong["what"] == "stopped being a number" and wrong["where"] == 2
    st = settings(epochs=4, lr=1000.0, optimizer="sgd")
    items = advise_from(rows([5.8e14], [0.125]), EV, st, NAMES, COUNTS, not_a_number=2)
    assert items[0].kind == "diverged" and "from epoch 2" in items[0].text


def test_a_loss_that_was_not_a_number_in_the_first_epoch_went_wrong_though_no_epoch_was_recorded():
    # the most common way a rate far too high shows: the run fails in epoch 1, and metrics.jsonl has no row
    wrong = went_wrong([], [], [], 2, 1)
    assert wrong["what"] == "stopped being a number" and wrong["where"] == 1 and wrong["last_acc"] is None
    assert went_wrong([], [], [], 2) is None
    st = settings(epochs=4, lr=1e9, optimizer="sgd")
    items = advise_from([], EV, st, NAMES, COUNTS, not_a_number=1, model=False)
    assert items[0].kind == "diverged" and items[0].action["id"] == "lower_lr"
    assert ("the loss stopped being a number from epoch 1 and the run failed before its first epoch ended"
            in items[0].text)
    assert "diverged" not in [a.kind for a in advise_from([], EV, st, NAMES, COUNTS, not_a_number=1, by_epochs=False)]

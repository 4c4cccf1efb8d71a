"""QA: the learning-rate advice sent a user back and forth: a loss that fell from 2.024 to 0.718 (65 %) was "barely
moved: raise the learning rate to 0.03", and the next run at 0.03 was "too high: lower it to 0.003". A loss that fell
far did move; a raise is modest and stays below a rate the project's own runs showed too high."""

from __future__ import annotations

import pytest

from cnnstudio.engine.runs.advice import advise, advise_from, apply_action, too_high_rate
from cnnstudio.engine.runs.advice_actions import raised_lr
from cnnstudio.engine.runs.advice_curves import barely_moved
from cnnstudio.project import run_records
from tests.engine.test_advice import DENSE, trained
from tests.engine.test_data import make_project
from tests.engine.test_runs import settings

NAMES = ["circle", "square"]
COUNTS = {"train": {"circle": 16, "square": 17}, "val": {"circle": 4, "square": 3}, "test": {"circle": 4, "square": 3}}


def rows(train_loss, train_acc) -> list[dict]:
    return [{"event": "EpochEnd", "epoch": e, "train_loss": tl, "train_accuracy": ta, "val_loss": 0.69,
             "val_accuracy": 0.57, "lr": 0.003} for e, (tl, ta) in enumerate(zip(train_loss, train_acc), 1)]


def kinds(items):
    return [a.kind for a in items]


def test_a_loss_that_fell_by_two_thirds_did_move():
    qa = rows([2.024, 2.2, 0.718], [0.5, 0.55, 0.66])  # up at epoch 2, then down 65 %: guessing gives 0.693
    items = advise_from(qa, {"val": {"accuracy": 4 / 7, "images": 7}}, settings(epochs=3, lr=0.003), NAMES, COUNTS)
    assert "lr_low" not in kinds(items) and "underfitting" in kinds(items)
    assert not barely_moved([2.024, 2.2, 0.718], 2)
    assert barely_moved([0.70, 0.697, 0.695], 2)  # stuck at guessing
    assert barely_moved([0.80, 0.75, 0.72], 2)  # near guessing, down by a tenth: barely
    assert barely_moved([0.40, 0.395, 0.39], 2)  # far below guessing but stalled: under 5 % in 3 epochs


def test_one_epoch_is_nothing_to_compare_so_the_loss_never_barely_moved():
    # QA: a run stopped after epoch 1 was told "The loss barely moved (from 1.786 to 1.786...): raise the rate"
    assert not barely_moved([1.786], 3) and not barely_moved([0.70], 2)
    one = rows([0.70], [0.5])
    items = advise_from(one, {"val": {"accuracy": 4 / 7, "images": 7}}, settings(epochs=3, lr=0.003), NAMES, COUNTS)
    assert "lr_low" not in kinds(items)
    assert barely_moved([0.70, 0.697], 2)  # two epochs near guessing: there is something to compare


def test_a_raise_is_modest_and_stays_below_a_rate_shown_too_high():
    flat = rows([0.70, 0.697, 0.695], [0.5, 0.52, 0.51])
    ev = {"val": {"accuracy": 4 / 7, "images": 7}}
    st = settings(epochs=3, lr=0.003)  # the usual rate for AdamW: three times, never ten times, above it
    low = next(a for a in advise_from(flat, ev, st, NAMES, COUNTS) if a.kind == "lr_low")
    assert apply_action(st, low.action).lr == pytest.approx(0.009) and "Raise it a little" in low.text
    capped = next(a for a in advise_from(flat, ev, st, NAMES, COUNTS, too_high={"lr": 0.015, "run": "fast"})
                  if a.kind == "lr_low")
    assert apply_action(st, capped.action).lr == pytest.approx(0.005)
    assert "Run “fast” showed that 0.015 is too high." in capped.text and capped.evidence["too_high"] == 0.015
    # no room left below the rate shown too high: the learning-rate finder, never a raise
    boxed = next(a for a in advise_from(flat, ev, st, NAMES, COUNTS, too_high={"lr": 0.006, "run": "fast"})
                 if a.kind == "lr_low")
    assert boxed.action["id"] == "lr_find" and "little room to raise it" in boxed.text
    # far below a usual rate a raise is still ten times (1e-6 -> 1e-5); near or past it, three times
    assert raised_lr(settings(lr=1e-6)) == pytest.approx(1e-5) and raised_lr(settings(lr=1e-3)) == pytest.approx(3e-3)
    assert raised_lr(settings(lr=0.05, optimizer="sgd")) == pytest.approx(0.15)


def test_a_runs_advice_knows_the_rates_its_projects_other_runs_showed_too_high(tmp_path):
    project = make_project(tmp_path / "proj")
    try:
        fast = trained(project, settings(epochs=4, lr=1000.0, schedule="constant", optimizer="sgd"), DENSE)
        slow_st = settings(epochs=3, lr=1e-6, optimizer="sgd")  # one epoch compares nothing
        slow = trained(project, slow_st)
        adam_st = settings(epochs=1, lr=1e-6)
        adam = trained(project, adam_st)
        assert next(a for a in advise(project, fast) if a.kind == "diverged")  # it did go wrong
        name = run_records.get_run(project, fast).name
        assert too_high_rate(project, slow, slow_st, 2) == {"lr": 1000.0, "run": name}
        assert too_high_rate(project, adam, adam_st, 2) is None  # another optimizer says nothing of this one's rate
        assert too_high_rate(project, fast, settings(lr=1000.0, optimizer="sgd"), 2) is None  # none above its own
        low = next(a for a in advise(project, slow) if a.kind == "lr_low")
        assert low.evidence["too_high"] == 1000.0 and apply_action(slow_st, low.action).lr == pytest.approx(1e-5)
    finally:
        project.close()


def test_a_run_whose_loss_was_not_a_number_in_its_first_epoch_caps_a_raise_and_says_it_diverged(tmp_path):
    # its loss became NaN before epoch 1 ended: no metrics rows, only the run's failure says what happened
    project = make_project(tmp_path / "proj")
    try:
        failed = run_records.get_run(project, trained(project, settings(epochs=2, lr=1e9, schedule="constant",
                                                                         optimizer="sgd", batch_size=4), DENSE))
        assert failed.status == "failed"
        assert "in epoch 1, batch" in failed.summary["error"]
        assert next(a for a in advise(project, failed.id) if a.kind == "diverged").action["id"] == "lower_lr"
        slow_st = settings(epochs=1, lr=1e-6, optimizer="sgd")
        slow = trained(project, slow_st)
        assert too_high_rate(project, slow, slow_st, 2) == {"lr": 1e9, "run": failed.name}
    finally:
        project.close()

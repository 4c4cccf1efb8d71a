"""The learning-rate range test (engine/train/lr_range.py) and the finder on a project (engine/runs/lr_find.py):
real PyTorch on tiny data, real tiny projects."""

from __future__ import annotations

import math
import threading

import pytest
import torch
from torch import nn

from cnnstudio.engine.data.augment import AugmentSettings
from cnnstudio.engine.data.prepare import from_tensors
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.data.entries import dataset_entries, hold_out_validation
from cnnstudio.engine.errors import Cancelled
from cnnstudio.engine.runs.lifecycle import RunError
from cnnstudio.engine.runs.lr_find import find_lr
from cnnstudio.engine.train.lr_range import START_LR, STEPS, lr_range_test, lr_schedule, suggest, valley_index
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.engine.train.trainer import TrainData
from cnnstudio.project import run_records
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_trainer import toy_data, toy_model

PP8 = Preprocess(height=8, width=8, channels=1, normalization="dataset")


def settings(**kw) -> TrainSettings:
    base = dict(epochs=1, batch_size=16, optimizer="adamw", weight_decay=1e-4, preprocess=toy_data().preprocess,
                threads=1, device="cpu")
    base.update(kw)
    return TrainSettings(**base)


def plain_model(seed: int = 0) -> nn.Module:
    """No batch norm: plain SGD with huge rates makes it blow up."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 2))


def test_schedule_and_valley_rule():
    rates = lr_schedule(1e-6, 10.0, 100)
    assert rates[0] == pytest.approx(1e-6) and rates[-1] == pytest.approx(10.0) and len(rates) == 100
    ratios = [b / a for a, b in zip(rates, rates[1:])]
    assert max(ratios) == pytest.approx(min(ratios))  # exponential
    # flat, a long descent, then a blow-up: the suggestion lies inside the descent
    losses = [2.0] * 10 + [2.0 - 0.05 * i for i in range(1, 31)] + [0.5 + 0.3 * i for i in range(10)]
    i = valley_index(losses)
    assert 10 <= i <= 40
    lr, j, valley_lr, rule = suggest(rates[:len(losses)], losses, 100)
    assert lr == rates[j] == valley_lr and 10 <= j < len(losses) - 5 and rule == "valley"
    # one-cycle: the bottom of the valley (the lowest point before the blow-up), above fastai's valley rate
    peak, k, valley_lr, rule = suggest(rates[:len(losses)], losses, 100, "one_cycle")
    assert k == 39 and peak == rates[39] > valley_lr == lr and rule == "valley bottom"
    # a curve too short for the valley rule: a tenth of the rate at the lowest loss
    short = lr_schedule(1e-3, 1.0, 8)
    lr, j, _, rule = suggest(short, [1.0, 0.9, 0.8, 0.7, 0.9, 2, 4, 8], 100, "one_cycle")
    assert lr == pytest.approx(short[3] / 10) and j == 1 and rule == "minimum / 10"  # j: the point nearest it


def noisy_data() -> TrainData:
    """The toy pictures with 30 % of the labels flipped: no rate drives the loss to 0, a huge one blows it up."""
    d = toy_data()
    y = d.train.labels.clone()
    flip = torch.rand(len(y), generator=torch.Generator().manual_seed(1)) < 0.3
    y[flip] = 1 - y[flip]
    return TrainData(from_tensors(d.train.pixels, y), None, d.preprocess)


def test_curve_grows_and_suggestion_lies_below_the_blow_up():
    result = lr_range_test(plain_model(), noisy_data(), settings(optimizer="sgd", momentum=0.9))
    lrs = [c[0] for c in result.curve]
    losses = [c[1] for c in result.curve]
    assert lrs[0] == pytest.approx(START_LR) and all(b > a for a, b in zip(lrs, lrs[1:]))
    assert result.steps == len(result.curve) == len(result.losses)
    assert result.diverged and result.steps < STEPS  # stopped early: the loss blew up
    assert losses[-1] > 4 * min(losses[:-1]) or not math.isfinite(result.losses[-1])
    assert lrs[0] <= result.suggested_lr <= lrs[-1]
    assert result.suggested_lr == lrs[result.suggested_index] and result.suggested_index < result.steps - 5
    low = min(range(len(losses)), key=losses.__getitem__)
    assert result.suggested_lr <= lrs[low]  # on the way down, before the lowest loss, never in the blow-up
    assert result.seconds > 0
    out = result.to_json()
    assert set(out) >= {"suggested_lr", "curve", "seconds"} and out["curve"][0] == [lrs[0], losses[0]]


def test_user_model_and_random_state_untouched_and_same_seed_same_curve():
    model = toy_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    rng = torch.get_rng_state()
    s = settings(augment=AugmentSettings(rotation=10.0, translate=0.1), label_smoothing=0.1, class_weights="balanced")
    a = lr_range_test(model, toy_data(), s, steps=40)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())  # BN statistics included
    assert model.training and next(model.parameters()).is_contiguous()  # not left in channels_last
    assert torch.equal(rng, torch.get_rng_state())
    b = lr_range_test(model, toy_data(), s, steps=40)
    assert a.curve == b.curve and a.suggested_lr == b.suggested_lr
    c = lr_range_test(model, toy_data(), s.replace(seed=5), steps=40)
    assert c.curve != a.curve


def test_stop_cancels():
    stop = threading.Event()
    seen = []

    def progress(done, total, message):
        seen.append(done)
        if done == 5:
            stop.set()
    with pytest.raises(Cancelled):
        lr_range_test(toy_model(), toy_data(), settings(), stop=stop, progress=progress)
    assert seen == [1, 2, 3, 4, 5]


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj")
    yield p
    p.close()


def test_find_lr_on_a_project_reads_train_pictures_only_and_writes_no_run(proj):
    counts, meta = proj.counts(), proj.meta("train_settings")
    totals = []
    s = TrainSettings(batch_size=8, preprocess=PP8, threads=1, device="cpu")
    result = find_lr(proj, s, tiny_spec(), progress=lambda d, t, m: totals.append((t, m)), steps=30)
    names, entries = dataset_entries(proj)
    train = [e for e in hold_out_validation(entries, s.seed)[0] if e.split == "train"]
    assert {t for t, m in totals if not m.startswith("learning rate")} == {len(train)}  # pictures prepared
    assert {t for t, m in totals if m.startswith("learning rate")} == {30}
    assert 0 < result.steps <= 30 and result.curve[0][0] <= result.suggested_lr <= result.curve[-1][0]
    assert run_records.list_runs(proj) == [] and not any((proj.root / "runs").glob("*"))
    assert proj.counts() == counts and proj.meta("train_settings") == meta
    again = find_lr(proj, s, tiny_spec(), steps=30)
    assert again.curve == result.curve  # the same model (seeded as a run seeds it), the same pictures


def test_find_lr_bad_input_and_cancel(proj):
    with pytest.raises(RunError):
        find_lr(proj, None, tiny_spec(), preset="default")
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        find_lr(proj, TrainSettings(batch_size=8, preprocess=PP8, threads=1), tiny_spec(), stop=stop)

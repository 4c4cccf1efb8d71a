"""The steps before a run (the compile warm-up, Auto batch's tries) draw their own random numbers: a model with
dropout trains exactly as the same run without them."""

from __future__ import annotations

import torch
from torch import nn

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.train.batches import try_batch_fn
from cnnstudio.engine.train.precision import Precision
from cnnstudio.engine.train.trainer import fit
from tests.engine.test_trainer import settings, toy_data

CPU = torch.device("cpu")


def dropout_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5),
                         nn.Linear(64, 2))


def test_the_compile_warm_up_leaves_the_runs_random_numbers_alone():
    plain, warmed = dropout_model(), dropout_model()
    list(fit(plain, toy_data(), settings(device="cpu", compile="off")))
    events = list(fit(warmed, toy_data(), settings(device="cpu", compile="on"), compile_fn=lambda m, d: m))
    assert events[0].speed_notes.startswith("compiled (") and isinstance(events[-1], RunFinished)
    for a, b in zip(plain.state_dict().values(), warmed.state_dict().values()):
        assert torch.equal(a, b)


def test_auto_batchs_tries_leave_the_random_numbers_alone():
    data = toy_data()
    try_batch = try_batch_fn(dropout_model().train(), data, settings(device="cpu"), CPU, False,
                             Precision("fp32", CPU))
    torch.manual_seed(7)
    before = torch.get_rng_state()
    try_batch(8)
    assert torch.equal(torch.get_rng_state(), before)

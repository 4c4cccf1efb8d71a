"""The learning-rate range test trains its copy in the run's precision: on a graphics card the mixed precision
the run will train in (fp16 here, forced on the CPU, whose autocast and gradient scaler run the same code)."""

from __future__ import annotations

import torch
from torch import nn

from cnnstudio.engine.train.lr_range import lr_range_test
from cnnstudio.engine.train.precision import FP16, Precision
from tests.engine.test_trainer import settings, toy_data, toy_model


SEEN: list = []  # the range test trains a copy of the model: the copies note here


class Watched(nn.Module):
    """The toy model, noting whether each forward pass ran under autocast, and in which type."""

    def __init__(self):
        super().__init__()
        self.net = toy_model()

    def forward(self, x):
        SEEN.append(torch.is_autocast_enabled("cpu") and torch.get_autocast_dtype("cpu"))
        return self.net(x)


def test_the_range_test_uses_the_runs_mixed_precision(monkeypatch):
    SEEN.clear()
    plain = lr_range_test(Watched(), toy_data(), settings(device="cpu"), steps=10)
    assert plain.steps > 0 and set(SEEN) == {False}  # fp32 on the CPU: no autocast, as the run
    monkeypatch.setattr(Precision, "for_run", classmethod(lambda cls, mixed, device: cls(FP16, device)))
    SEEN.clear()
    mixed = lr_range_test(Watched(), toy_data(), settings(device="cpu"), steps=10)
    assert mixed.steps > 0 and set(SEEN) == {torch.float16}

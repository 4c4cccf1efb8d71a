"""fp16 (an older graphics card's mixed precision) tested on the CPU, whose autocast and gradient scaler run the
same code: the scaler's scale and step count go into the checkpoint and a resumed run goes on with them, and
the timed probe steps before a run leave the run's own scaler untouched."""

from __future__ import annotations

import threading

import pytest
import torch

from cnnstudio.engine.events import BatchEnd, RunFinished, RunStopped
from cnnstudio.engine.train.batches import probe_steps
from cnnstudio.engine.train.checkpoint import LAST, read_checkpoint
from cnnstudio.engine.train.precision import FP16, Precision
from cnnstudio.engine.train.trainer import make_optimizer, fit
from tests.engine.test_trainer import settings, toy_data, toy_model

CPU = torch.device("cpu")


@pytest.fixture
def fp16_on_the_cpu(monkeypatch):
    """The precision rule as on a card without bf16 (the rule itself: tests/engine/test_gpu_rules.py)."""
    monkeypatch.setattr(Precision, "for_run", classmethod(lambda cls, mixed, device: cls(FP16, device)))


def scaler_state(path) -> dict:
    return read_checkpoint(path)[1]["grad_scaler"]


def test_a_resumed_fp16_run_goes_on_with_its_gradient_scale(tmp_path, fp16_on_the_cpu):
    data, s = toy_data(), settings(epochs=3, device="cpu")
    events = list(fit(toy_model(), data, s, checkpoint_dir=tmp_path / "ref"))
    assert events[0].precision == FP16 and isinstance(events[-1], RunFinished)
    whole = scaler_state(tmp_path / "ref" / LAST)
    assert whole["scale"] < 65536.0  # a step overflowed in fp16 and was skipped: the scale went down from its start

    stop = threading.Event()
    for ev in fit(toy_model(), data, s, checkpoint_dir=tmp_path / "ck", stop=stop, batch_event_interval=0):
        if isinstance(ev, BatchEnd) and ev.epoch == 2 and ev.batch == 2:
            stop.set()
    assert isinstance(ev, RunStopped)
    assert isinstance(list(fit(toy_model(), data, s, checkpoint_dir=tmp_path / "ck", resume=True))[-1], RunFinished)
    assert scaler_state(tmp_path / "ck" / LAST) == whole  # the scale and its step count, not started afresh


def test_the_probe_steps_leave_the_runs_scaler_as_it_was():
    model, data, s = toy_model(), toy_data(), settings(device="cpu")
    precision = Precision(FP16, CPU)
    precision.scaler.scale(torch.ones(()))  # the scale exists, as after a run's first step
    before = precision.scaler.state_dict()
    ips = probe_steps(model, data, s, CPU, False, threading.Event(), 16, precision, make_optimizer)
    assert ips > 0 and precision.scaler.state_dict() == before

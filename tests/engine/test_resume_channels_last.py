"""Resuming a run whose convolutions train ``channels_last`` with a fused optimiser (the CPU's default for every
conv net): the optimiser's saved moments must land on the weights they belong to."""

from __future__ import annotations

import threading

import torch
from torch import nn

from cnnstudio.engine.data.prepare import from_tensors
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.events import BatchEnd, RunFinished, RunStarted, RunStopped
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.engine.train.trainer import TrainData, fit

PP = Preprocess(height=8, width=8, channels=3, normalization="unit")


def colour_data() -> TrainData:
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 255, (96, 3, 8, 8), generator=g, dtype=torch.uint8)
    y = torch.randint(0, 2, (96,), generator=g)
    return TrainData(from_tensors(x, y), None, PP)


def colour_model() -> nn.Module:
    """Convolutions with several input channels: their channels_last layout differs from the contiguous one."""
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
                         nn.Flatten(), nn.Linear(512, 2))


def test_stop_then_resume_matches_uninterrupted_with_channels_last_and_fused_adamw(tmp_path):
    data = colour_data()
    s = TrainSettings(epochs=3, batch_size=16, lr=0.01, preprocess=PP, threads=1, device="cpu", validation=False,
                      channels_last="auto", optimizer="adamw")
    reference = colour_model()
    list(fit(reference, data, s, checkpoint_dir=tmp_path / "ref"))
    assert reference[0].weight.is_contiguous(memory_format=torch.channels_last)  # the case under test

    stop = threading.Event()
    seen = []
    for ev in fit(colour_model(), data, s, checkpoint_dir=tmp_path / "ck", stop=stop, batch_event_interval=0):
        seen.append(ev)
        if isinstance(ev, BatchEnd) and ev.epoch == 2 and ev.batch == 2:
            stop.set()
    assert isinstance(seen[-1], RunStopped)
    resumed = colour_model()
    events = list(fit(resumed, data, s, checkpoint_dir=tmp_path / "ck", resume=True))
    assert isinstance(events[0], RunStarted) and events[0].start_epoch == 2 and isinstance(events[-1], RunFinished)
    for a, b in zip(reference.state_dict().values(), resumed.state_dict().values()):
        assert torch.allclose(a.float(), b.float(), atol=1e-5)

"""A run writes its checkpoint at its first epoch, then at most every so many seconds (each epoch's end is kept in
memory), at its last epoch, and when it is stopped or fails: a stopped or failed run still resumes after its last
finished epoch."""

from __future__ import annotations

import threading

import torch
from torch import nn

from cnnstudio.engine.events import BatchEnd, CheckpointSaved, EpochEnd, RunFailed, RunFinished, RunStarted, RunStopped
from cnnstudio.engine.train.checkpoint import BEST, LAST, checkpoint_contents, read_checkpoint, read_weights
from cnnstudio.engine.train.saving import CHECKPOINT_EVERY_S, Checkpoints
from cnnstudio.engine.train.trainer import fit
from tests.engine.test_trainer import settings, toy_data, toy_model

NEVER = 10**9  # seconds: only the first epoch, the run's end, a stop or a failure write


def saved_epoch(folder) -> int:
    return read_checkpoint(folder / LAST)[1]["epoch"]


def test_short_epochs_are_written_at_the_first_and_the_last_only(tmp_path):
    events = list(fit(toy_model(), toy_data(), settings(epochs=4), checkpoint_dir=tmp_path, checkpoint_every_s=NEVER))
    assert isinstance(events[-1], RunFinished)
    assert [e.epoch for e in events if isinstance(e, CheckpointSaved)] == [1, 4]
    assert saved_epoch(tmp_path) == 4
    best = [e.epoch for e in events if isinstance(e, EpochEnd) and e.is_best][-1]
    assert read_checkpoint(tmp_path / LAST)[1]["best_epoch"] == best
    assert set(read_weights(tmp_path / BEST)) == set(toy_model().state_dict())


def test_a_stop_writes_the_last_finished_epoch_and_resume_equals_the_uninterrupted_run(tmp_path):
    data, s = toy_data(), settings(epochs=4, device="cpu")
    reference = toy_model()
    list(fit(reference, data, s))
    stop, seen = threading.Event(), []
    for ev in fit(toy_model(), data, s, checkpoint_dir=tmp_path, stop=stop, batch_event_interval=0,
                  checkpoint_every_s=NEVER):
        seen.append(ev)
        if isinstance(ev, BatchEnd) and ev.epoch == 3 and ev.batch == 2:
            stop.set()
    assert isinstance(seen[-1], RunStopped) and seen[-1].epoch == 2
    assert [e.epoch for e in seen if isinstance(e, CheckpointSaved)] == [1]
    assert saved_epoch(tmp_path) == 2  # epoch 2 written when the run stopped
    resumed = toy_model(seed=99)
    events = list(fit(resumed, data, s, checkpoint_dir=tmp_path, resume=True, checkpoint_every_s=NEVER))
    assert isinstance(events[0], RunStarted) and events[0].start_epoch == 3 and isinstance(events[-1], RunFinished)
    for a, b in zip(reference.state_dict().values(), resumed.state_dict().values()):
        assert torch.allclose(a.float(), b.float(), atol=1e-5)


class FailsLater(nn.Module):
    """The toy model, raising on its 15th training forward pass (in epoch 3 of 6 batches)."""

    def __init__(self):
        super().__init__()
        self.net, self.calls = toy_model(), 0

    def forward(self, x):
        if self.training:
            self.calls += 1
            if self.calls == 15:
                raise RuntimeError("a planted failure")
        return self.net(x)


def test_a_failure_writes_the_last_finished_epoch(tmp_path):
    events = list(fit(FailsLater(), toy_data(), settings(epochs=4), checkpoint_dir=tmp_path, checkpoint_every_s=NEVER))
    assert isinstance(events[-1], RunFailed) and "a planted failure" in events[-1].reason
    assert saved_epoch(tmp_path) == 2 and (tmp_path / BEST).exists()


def test_the_time_rule():
    now = [0.0]
    saver = Checkpoints(None, every_s=20.0, clock=lambda: now[0])
    assert saver.due(False)  # nothing written yet: the session's first epoch is
    saver.written_at = 0.0
    assert not saver.due(False) and saver.due(True)  # the last epoch is always written
    now[0] = 19.9
    assert not saver.due(False)
    now[0] = 20.0
    assert saver.due(False)
    assert CHECKPOINT_EVERY_S == 20.0


def test_a_write_restarts_the_clock_and_writes_best_weights_once(tmp_path):
    now = [0.0]
    saver = Checkpoints(tmp_path, every_s=20.0, clock=lambda: now[0])
    model = nn.Linear(2, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    rng = torch.Generator().manual_seed(0)

    def contents(epoch):
        return lambda: checkpoint_contents(model, opt, rng, {"epoch": epoch, "step": 0, "epochs": 3, "best_epoch": 1,
                                                             "best_key": [0.5, -1.0], "elapsed": 1.0, "run_id": ""})
    best = {k: v.clone() for k, v in model.state_dict().items()}
    saver.keep(1, contents(1), best, 1)
    now[0] = 25.0
    assert saver.write() == 1 and saver.written_at == 25.0 and saver.best_written == 1
    assert not saver.due(False) and saver.write() is None  # nothing new kept
    (tmp_path / BEST).unlink()
    saver.keep(2, contents(2), best, 1)  # the best epoch is still 1: its weights are not written again
    assert saver.write() == 2 and not (tmp_path / BEST).exists() and saved_epoch(tmp_path) == 2
    assert not Checkpoints(tmp_path, writes=False).writes  # another process than the first

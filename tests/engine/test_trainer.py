"""The trainer generator: event order, stop / resume, pause, NaN, best epoch, schedules, OOM message."""

from __future__ import annotations

import math
import threading

import pytest
import torch
from torch import nn

from cnnstudio.engine.data.augment import AugmentSettings
from cnnstudio.engine.data.prepare import from_tensors
from cnnstudio.engine.events import (BatchEnd, CheckpointSaved, EpochEnd, RunFailed, RunFinished, RunStarted,
                                     RunStopped, ValCheck, event_from_json, event_to_json)
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.train.settings import SettingsError, TrainSettings, default_settings
from cnnstudio.engine.train.checkpoint import load_best_weights
from cnnstudio.engine.train.trainer import TrainData, class_weights, evaluate_loss_accuracy, fit, lr_at

PP = Preprocess(height=8, width=8, normalization="dataset", mean=(0.3,), std=(0.3,))


def toy_data(n_train: int = 96, n_val: int = 32, seed: int = 0) -> TrainData:
    """Two classes: bright top half vs bright bottom half, with noise."""
    g = torch.Generator().manual_seed(seed)
    n = n_train + n_val
    y = torch.randint(0, 2, (n,), generator=g)
    x = torch.randint(0, 60, (n, 1, 8, 8), generator=g, dtype=torch.uint8)
    x[y == 0, :, :4] += 150
    x[y == 1, :, 4:] += 150
    return TrainData(from_tensors(x[:n_train], y[:n_train]), from_tensors(x[n_train:], y[n_train:]), PP)


def toy_model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64, 2))


def settings(**kw) -> TrainSettings:
    base = dict(epochs=3, batch_size=16, lr=0.01, schedule="one_cycle", preprocess=PP, threads=1)
    base.update(kw)
    return TrainSettings(**base)


def test_events_in_order(tmp_path):
    events = list(fit(toy_model(), toy_data(), settings(), run_id="r", checkpoint_dir=tmp_path,
                      batch_event_interval=0, checkpoint_every_s=0))  # a checkpoint every epoch
    kinds = [type(e) for e in events]
    assert kinds[0] is RunStarted and kinds[-1] is RunFinished
    assert events[0].epochs == 3 and events[0].batches_per_epoch == 6 and events[0].train_images == 96
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.epoch for e in epochs] == [1, 2, 3]
    # per epoch: 6 BatchEnds, then EpochEnd, then CheckpointSaved
    body = kinds[1:-1]
    assert body == ([BatchEnd] * 6 + [EpochEnd, CheckpointSaved]) * 3
    batches = [e for e in events if isinstance(e, BatchEnd)]
    assert [b.batch for b in batches[:6]] == [1, 2, 3, 4, 5, 6]
    for e in events:  # floats / ints / strings only, JSON-able
        assert all(isinstance(v, (int, float, str, bool)) for v in vars(e).values())
        event_to_json(e)
    assert epochs[-1].val_accuracy > 0.9 and epochs[-1].eta == 0
    assert (tmp_path / "last.safetensors").exists() and (tmp_path / "best.safetensors").exists()


def test_an_early_check_scores_validation_mid_first_epoch_and_changes_nothing_else():
    def model():  # dropout and batch norm: the check must neither draw random numbers nor update statistics
        torch.manual_seed(0)
        return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Dropout(0.3), nn.Linear(64, 2))
    data = toy_data()
    cpu = settings(epochs=2, device="cpu", augment=AugmentSettings(rotation=10))
    plain, looked = model(), model()
    without = list(fit(plain, data, cpu, batch_event_interval=0))
    events = list(fit(looked, data, cpu, batch_event_interval=0, early_check=0.5))
    checks = [(i, e) for i, e in enumerate(events) if isinstance(e, ValCheck)]
    assert len(checks) == 1  # once, in the first epoch only
    i, check = checks[0]
    assert (check.epoch, check.batch, check.batches) == (1, 3, 6)  # half of 6 batches
    assert isinstance(events[i + 1], BatchEnd) and events[i + 1].batch == 3  # among the epoch's batches
    assert 0 <= check.val_accuracy <= 1 and math.isfinite(check.val_loss)
    assert event_from_json(event_to_json(check)) == check
    assert [type(e) for e in events if not isinstance(e, ValCheck)] == [type(e) for e in without]
    for a, b in zip(plain.state_dict().values(), looked.state_dict().values()):
        assert torch.equal(a, b)  # the same training, bit for bit
    assert [e.val_accuracy for e in events if isinstance(e, EpochEnd)] == \
        [e.val_accuracy for e in without if isinstance(e, EpochEnd)]


def test_no_early_check_without_validation_or_after_the_first_epoch():
    no_val = list(fit(toy_model(), toy_data(), settings(epochs=1, validation=False), early_check=0.5))
    assert not any(isinstance(e, ValCheck) for e in no_val)
    end = list(fit(toy_model(), toy_data(), settings(epochs=1), early_check=0.99))
    assert [e.batch for e in end if isinstance(e, ValCheck)] == [5]  # never after the last batch: the epoch's own


def test_stop_then_resume_matches_uninterrupted(tmp_path):
    data = toy_data()
    reference = toy_model()
    cpu = settings(epochs=3, device="cpu")  # bit-for-bit repeatable (GPU kernels may use atomics)
    list(fit(reference, data, cpu, checkpoint_dir=tmp_path / "ref"))

    model = toy_model()
    stop = threading.Event()
    seen = []
    for ev in fit(model, data, cpu, checkpoint_dir=tmp_path / "ck", stop=stop, batch_event_interval=0):
        seen.append(ev)
        if isinstance(ev, BatchEnd) and ev.epoch == 2 and ev.batch == 2:
            stop.set()  # in the middle of epoch 2
    assert isinstance(seen[-1], RunStopped) and seen[-1].epoch == 1 and seen[-1].best_epoch == 1

    resumed = toy_model(seed=99)  # a fresh process would build a fresh model
    events = list(fit(resumed, data, cpu, checkpoint_dir=tmp_path / "ck", resume=True))
    start = events[0]
    assert isinstance(start, RunStarted) and start.start_epoch == 2
    assert [e.epoch for e in events if isinstance(e, EpochEnd)] == [2, 3]
    assert isinstance(events[-1], RunFinished) and events[-1].epochs == 3
    # same data order, same random numbers, same optimiser state: the same model
    for a, b in zip(reference.state_dict().values(), resumed.state_dict().values()):
        assert torch.allclose(a.float(), b.float(), atol=1e-5)


def test_pause_blocks_until_resumed():
    pause, paused, stop = threading.Event(), threading.Event(), threading.Event()
    released = []

    def unpause():
        if paused.wait(timeout=60):  # the trainer says it is waiting
            released.append(True)
            pause.clear()

    helper = threading.Thread(target=unpause)
    events = []
    for ev in fit(toy_model(), toy_data(), settings(epochs=1), pause=pause, paused=paused, stop=stop,
                  batch_event_interval=0):
        events.append(ev)
        if isinstance(ev, BatchEnd) and ev.batch == 1:
            pause.set()
            helper.start()
    helper.join()
    assert released == [True] and isinstance(events[-1], RunFinished)
    assert not paused.is_set()


def test_stop_while_paused():
    pause, stop = threading.Event(), threading.Event()
    pause.set()
    stop.set()
    events = list(fit(toy_model(), toy_data(), settings(), pause=pause, stop=stop))
    assert isinstance(events[-1], RunStopped) and events[-1].epoch == 0


class InfModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(64, 2)

    def forward(self, x):
        return self.lin(x.flatten(1)) * float("inf")


@pytest.mark.parametrize("make,kw", [(InfModel, {}), (toy_model, {"lr": 1e6, "schedule": "constant",
                                                                    "optimizer": "sgd", "momentum": 0.0})])
def test_nan_or_inf_loss_fails_with_advice(make, kw):
    events = list(fit(make(), toy_data(), settings(epochs=5, **kw), batch_event_interval=0))
    last = events[-1]
    assert isinstance(last, RunFailed)
    assert "diverged" in last.reason and "learning rate" in last.advice and not last.details


class OOMModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(64, 2)

    def forward(self, x):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")


def test_out_of_memory_message():
    last = list(fit(OOMModel(), toy_data(), settings()))[-1]
    assert isinstance(last, RunFailed) and "out of memory" in last.reason and "batch size" in last.advice


def test_unexpected_error_becomes_run_failed_with_details():
    class Broken(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 2)

        def forward(self, x):
            return self.lin(x)  # wrong shape

    last = list(fit(Broken(), toy_data(), settings()))[-1]
    assert isinstance(last, RunFailed) and "Traceback" in last.details


def test_best_epoch_kept(tmp_path):
    data = toy_data(n_val=24)
    model = toy_model()
    events = list(fit(model, data, settings(epochs=4, lr=0.05, schedule="constant"), checkpoint_dir=tmp_path))
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    best = [e for e in epochs if e.is_best][-1]
    assert best.val_accuracy == max(e.val_accuracy for e in epochs)
    fin = events[-1]
    assert isinstance(fin, RunFinished) and fin.best_epoch == best.epoch
    device = next(model.parameters()).device  # the model stays where it trained
    loss, acc = evaluate_loss_accuracy(model, data.val, PP, device, 64, False)
    assert acc == pytest.approx(best.val_accuracy) and loss == pytest.approx(best.val_loss, rel=1e-4)
    other = toy_model(seed=5)
    assert load_best_weights(tmp_path, other)
    for a, b in zip(model.state_dict().values(), other.state_dict().values()):
        assert torch.equal(a.cpu(), b.cpu())


def test_without_validation_best_by_train_loss_and_early_stopping():
    data = toy_data()
    data = TrainData(data.train, None, PP)
    events = list(fit(toy_model(), data, settings(epochs=6, lr=1e-12, schedule="constant", optimizer="sgd",
                                                   momentum=0.0, early_stopping_patience=2)))
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert all(math.isnan(e.val_accuracy) for e in epochs)
    fin = events[-1]
    assert isinstance(fin, RunFinished) and fin.reason == "early_stopping" and len(epochs) == 3
    assert math.isnan(fin.best_val_accuracy) and fin.best_epoch == 1


def test_learning_rate_schedules():
    s = settings(lr=1.0)
    one = [lr_at(i, 100, s) for i in range(101)]
    assert one[0] == pytest.approx(1 / 25) and max(one) == pytest.approx(1.0) and one.index(max(one)) == 30
    assert one[100] < 1e-4
    cos = [lr_at(i, 100, s.replace(schedule="cosine")) for i in range(101)]
    assert cos[0] == 1.0 and cos[50] == pytest.approx(0.5) and cos[100] == pytest.approx(0.0, abs=1e-12)
    assert lr_at(77, 100, s.replace(schedule="constant")) == 1.0


def test_class_weights_and_augmented_weighted_training():
    w = class_weights(torch.tensor([0, 0, 0, 1]), 3)
    assert w.tolist() == pytest.approx([4 / 9, 4 / 3, 1.0])
    s = settings(epochs=1, class_weights="balanced", label_smoothing=0.1, optimizer="adam",
                 augment=AugmentSettings(rotation=10, translate=0.1, erasing=0.3))
    assert isinstance(list(fit(toy_model(), toy_data(), s))[-1], RunFinished)


def test_epochs_chosen_from_time_budget():
    s = settings(epochs=0, time_budget_s=1.0, min_epochs=1, max_epochs=2)
    events = list(fit(toy_model(), toy_data(), s))
    assert events[0].epochs in (1, 2) and isinstance(events[-1], RunFinished)


def test_settings_json_and_validation():
    s = default_settings()
    assert TrainSettings.from_json(s.to_json()) == s
    assert s.epochs == 0 and s.optimizer == "adamw" and s.schedule == "one_cycle" and not s.augment.hflip
    with pytest.raises(SettingsError, match="optimizer"):
        settings(optimizer="rmsprop")
    with pytest.raises(SettingsError, match="batch_size"):
        settings(batch_size=0)
    with pytest.raises(SettingsError, match="unknown training setting"):
        TrainSettings.from_json({"epochz": 3})


def test_cpu_device_and_listing():
    from cnnstudio.engine.device import DeviceError, list_devices, pick_device

    assert pick_device("cpu").type == "cpu"
    assert list_devices()[0].kind == "cpu" and "CPU" in list_devices()[0].name
    with pytest.raises(DeviceError):
        pick_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(DeviceError, match="CUDA"):
            pick_device("cuda")


def test_one_process_is_the_trivial_processes_object():
    """With one process every hook of the loop's processes object is the identity or a local read, and
    the per-batch checks are the events' own (nothing added to the batch step)."""
    from cnnstudio.engine.train.processes import NEVER, OneProcess, processes

    stop, pause = threading.Event(), threading.Event()
    procs = processes(None, stop, pause, None, 0.25)
    assert isinstance(procs, OneProcess) and procs.is_main and procs.world_size == 1
    assert procs.stop_requested == stop.is_set and procs.pause_requested == pause.is_set
    assert procs.report_every_s == 0.25 and procs.threads(3) == 3 and procs.local_batches(16, 96) == (16, 96)
    rng = torch.Generator()
    assert procs.augment_generator(rng) is rng and procs.from_main(7) == 7 and procs.from_main(True) is True
    model, val = toy_model(), toy_data().val
    assert procs.wrap(model) is model and procs.val_share(val) is val
    assert procs.choose_device(torch.device("cpu")) == procs.device == torch.device("cpu")
    perm = torch.randperm(10)
    mine, sync_at = procs.start_epoch(perm, 1, 0)
    assert mine is perm and sync_at == NEVER
    assert procs.report(3, 0.5, torch.tensor(6.0), torch.tensor(2.0), 4) == (6.0, 2.0, 4, NEVER)
    assert procs.totals(torch.tensor(1.5), torch.tensor(3.0), 4) == (1.5, 3.0, 4)
    assert procs.lost_peer(RuntimeError("gloo: connection reset by peer")) is None
    stop.set()
    pause.set()
    assert procs.wait_while_paused() == 0.0  # stopping wins over waiting


def test_elapsed_after_a_resume_continues_from_the_stopped_runs_elapsed(tmp_path):
    """The Train page's "elapsed" counts the whole run: a resumed run's clock starts at what the stopped run's
    epochs took (from its metrics: the EpochEnd rows), and the trainer's own elapsed goes on from there too."""
    from cnnstudio.engine.train.clock import RunClock, trained_before

    data, cpu = toy_data(), settings(epochs=4, device="cpu")
    stop = threading.Event()
    first = []
    for ev in fit(toy_model(), data, cpu, checkpoint_dir=tmp_path, stop=stop, batch_event_interval=0):
        first.append(ev)
        if isinstance(ev, BatchEnd) and ev.epoch == 3 and ev.batch == 1:
            stop.set()
    assert isinstance(first[-1], RunStopped) and first[-1].epoch == 2
    metrics = [event_to_json(e) for e in first if isinstance(e, EpochEnd)]  # what metrics.jsonl holds
    stopped_elapsed = metrics[-1]["elapsed"]
    assert stopped_elapsed > 0

    clock = RunClock()
    resumed = fit(toy_model(seed=99), data, cpu, checkpoint_dir=tmp_path, resume=True, batch_event_interval=0)
    start = next(resumed)
    assert isinstance(start, RunStarted) and start.start_epoch == 3
    clock.run_started(start.start_epoch, start.epochs, start.batches_per_epoch,
                      trained_before(metrics, start.start_epoch))
    assert clock.elapsed() >= stopped_elapsed  # not 0: it goes on from the stopped run
    rest = list(resumed)
    ends = [e for e in rest if isinstance(e, EpochEnd)]
    assert [e.epoch for e in ends] == [3, 4] and ends[0].elapsed > stopped_elapsed
    clock.ended()
    assert clock.elapsed() >= stopped_elapsed and isinstance(rest[-1], RunFinished)
    assert rest[-1].train_seconds == ends[-1].elapsed > stopped_elapsed  # the run's own total, all sessions

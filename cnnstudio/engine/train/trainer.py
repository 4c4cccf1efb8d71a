"""The trainer: one flat loop, written as a generator of events (Lightning Fabric's
``build_your_own_trainer`` shape: fit -> epoch loop -> batch step, a stop check every batch).

``for event in fit(model, data, settings, stop=stop_event): ...`` is all the CLI, the tests and the GUI
worker do. ``stop`` and ``pause`` are ``threading.Event`` objects set from any thread; both are checked
before every batch. While paused the loop blocks (still honouring stop) and sets ``paused`` so a GUI
can show it.

Speed, chosen rather than left to chance (measured on a 2-core laptop-class CPU):

- images are uint8 tensors already decoded (see :mod:`.data`); a batch is an index gather from a
  seeded permutation, never a per-sample Dataset/DataLoader;
- ``torch.set_num_threads`` = physical cores unless the settings say otherwise;
- convolutional models run ``channels_last`` on the CPU (oneDNN's preferred layout);
- loss / accuracy are accumulated on the device and read back only when an event is sent (about ten
  times a second), not with an ``.item()`` per batch;
- evaluation runs under ``torch.inference_mode`` with a larger batch;
- denormal floats flushed to zero on the CPU (``torch.set_flush_denormal``, process-wide);
- the optimiser runs fused (one kernel for all parameters) where PyTorch has it (CPU and CUDA): the
  step took half the time on ``classic``;
- activations before max-pools run after them (:mod:`.build`: same numbers, a quarter of the work);
- no autocast on the CPU (bf16 was slower without AMX) and no ``torch.compile`` (erratic for training).

Checkpoints every epoch, no pickle (:mod:`.checkpoint`). The learning rate is a pure function of the
step (no scheduler object to serialise).

Several processes (``torchrun``): pass ``dist=`` a :class:`cnnstudio.engine.train.distributed.DistContext`.
The loop stays this one; what changes (DDP, sharded permutation, reduced metrics, sync points, rank 0
writes) is listed in :mod:`cnnstudio.engine.train.distributed`. ``dist=None`` is the one-process trainer,
unchanged.
"""

from __future__ import annotations

import copy
import math
import os
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

from ..data.augment import Augmenter
from .checkpoint import BEST, LAST, atomic_save, model_tensors, restore, save_checkpoint
from ..errors import DataError
from ..data.prepare import ImageSet
from ..device import device_name, is_out_of_memory, pick_device, set_threads
from .distributed import is_comm_error, lost_message
from ..errors import EngineError
from ..device import choose_channels_last
from ..events import NAN, BatchEnd, CheckpointSaved, EpochEnd, RunFailed, RunFinished, RunStarted, RunStopped
from ..data.preprocess import Preprocess, normalize
from .settings import TrainSettings

NAN_ADVICE = ("lower the learning rate (try 10 times smaller); if it keeps happening, check the pictures "
              "and labels, or use a model with batch normalisation")


class TrainingDiverged(EngineError):
    pass


@dataclass
class TrainData:
    """What :func:`fit` needs: the train split, an optional validation split, resolved preprocessing.

    :class:`cnnstudio.engine.data.prepare.PreparedData` has these attributes too and can be passed directly.
    """
    train: ImageSet
    val: ImageSet | None
    preprocess: Preprocess
    class_names: list[str] | None = None


# ------------------------------------------------------------------ learning rate
def lr_at(step: int, total_steps: int, settings: TrainSettings) -> float:
    """The learning rate before optimiser step ``step`` (0-based) of ``total_steps``."""
    peak = settings.lr
    t = min(1.0, step / max(1, total_steps))
    if settings.schedule == "constant":
        return peak
    if settings.schedule == "cosine":
        return peak * 0.5 * (1 + math.cos(math.pi * t))
    # one_cycle, as torch.optim.lr_scheduler.OneCycleLR(pct_start=0.3, anneal_strategy="cos")
    start, end, pct = peak / 25.0, peak / 25.0 / 1e4, 0.3
    warm = max(1, int(pct * total_steps))
    if step < warm:
        return start + (peak - start) * 0.5 * (1 - math.cos(math.pi * step / warm))
    t = (step - warm) / max(1, total_steps - warm)
    return end + (peak - end) * 0.5 * (1 + math.cos(math.pi * min(1.0, t)))


# ------------------------------------------------------------------ pieces
def make_optimizer(model: torch.nn.Module, settings: TrainSettings) -> torch.optim.Optimizer:
    """Weight decay on weights only, not on biases and normalisation parameters (1-d tensors)."""
    decay, no_decay = [], []
    for p in model.parameters():
        if p.requires_grad:
            (no_decay if p.ndim <= 1 else decay).append(p)
    groups = [{"params": decay, "weight_decay": settings.weight_decay},
              {"params": no_decay, "weight_decay": 0.0}]
    groups = [g for g in groups if g["params"]]
    if not groups:
        raise EngineError("the model has no trainable parameters")
    kw = {"lr": settings.lr}
    device = next(p.device for g in groups for p in g["params"])
    if device.type in ("cpu", "cuda") and all(p.is_floating_point() for g in groups for p in g["params"]):
        kw["fused"] = True
    if settings.optimizer == "sgd":
        return torch.optim.SGD(groups, momentum=settings.momentum, nesterov=settings.momentum > 0, **kw)
    if settings.optimizer == "adam":
        return torch.optim.Adam(groups, **kw)
    return torch.optim.AdamW(groups, **kw)


def class_weights(labels: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Inverse-frequency weights ``n / (k * n_c)``; a class with no images gets weight 1."""
    counts = torch.bincount(labels, minlength=num_classes).float()
    w = labels.numel() / (num_classes * counts.clamp_min(1))
    return torch.where(counts > 0, w, torch.ones_like(w))


def batches_per_epoch(n: int, batch_size: int) -> int:
    """A last batch of one image is dropped (batch norm cannot train on a single image)."""
    full, rest = divmod(n, batch_size)
    return full + (1 if rest >= 2 else 0)


def evaluate_loss_accuracy(model, images: ImageSet, pp: Preprocess, device, batch_size: int,
                           channels_last: bool) -> tuple[float, float]:
    n = len(images)
    ls, c = torch.stack(_evaluate_sums(model, images, pp, device, batch_size, channels_last)).tolist()
    return ls / max(1, n), c / max(1, n)


def _evaluate_sums(model, images: ImageSet, pp: Preprocess, device, batch_size: int,
                   channels_last: bool) -> list[torch.Tensor]:
    """Summed loss and correct count (float tensors on ``device``): shards of several processes add up."""
    model.eval()
    n = len(images)
    loss_sum = torch.zeros((), device=device)
    correct = torch.zeros((), device=device, dtype=torch.long)
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            idx = torch.arange(start, min(n, start + batch_size))
            x = normalize(images.gather(idx).to(device, non_blocking=True), pp)
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            y = images.labels[idx].to(device, non_blocking=True)
            logits = model(x).float()
            loss_sum += F.cross_entropy(logits, y, reduction="sum")
            correct += (logits.argmax(1) == y).sum()
    model.train()
    return [loss_sum, correct.to(loss_sum.dtype)]


# ------------------------------------------------------------------ the loop
def _time_batches(model, data: TrainData, settings: TrainSettings, device, channels_last: bool,
                  stop: threading.Event, batch_size: int | None = None) -> float:
    """Images per second of training steps on a throw-away copy of the model (for ``epochs = 0``)."""
    probe = copy.deepcopy(model)
    opt = make_optimizer(probe, settings)
    aug = Augmenter(settings.augment, torch.Generator().manual_seed(12345))
    n = len(data.train)
    bs = batch_size or min(settings.batch_size, n)
    gen = torch.Generator().manual_seed(1)
    done, t0 = 0, None
    for i in range(64):
        if stop.is_set():
            break
        if i == 3:
            _sync(device)
            t0 = time.perf_counter()
        idx = torch.randint(0, n, (bs,), generator=gen)
        x, y = _batch(data, idx, aug, device, channels_last, settings)
        loss = F.cross_entropy(probe(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if t0 is not None:
            done += bs
            if i >= 8 and time.perf_counter() - t0 > 1.0:
                break
    _sync(device)
    if t0 is None or done == 0:
        return 0.0
    return done / max(1e-6, time.perf_counter() - t0)


def _to_device(images: ImageSet, device: torch.device) -> ImageSet:
    """The same images resident on ``device`` if they take under a quarter of its free memory."""
    if not images.in_memory or images.rows is not None:
        return images
    try:
        free = torch.cuda.mem_get_info(device)[0] if device.type == "cuda" else 0
    except RuntimeError:
        free = 0
    if images.pixels.numel() > free // 4:
        return images
    return ImageSet(images.pixels.to(device), images.labels.to(device), images.ids, None, True)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _batch(data: TrainData, idx: torch.Tensor, aug: Augmenter, device, channels_last: bool, settings):
    xb = data.train.gather(idx).to(device, non_blocking=True)
    yb = data.train.labels[idx].to(device, non_blocking=True)
    if aug.s.enabled:
        x = normalize(aug(xb.to(torch.float32).div_(255.0)), data.preprocess)
    else:
        x = normalize(xb, data.preprocess)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    return x, yb


def fit(model: torch.nn.Module, data: TrainData, settings: TrainSettings, *, run_id: str = "",
        checkpoint_dir: str | os.PathLike | None = None, resume: bool = False,
        stop: threading.Event | None = None, pause: threading.Event | None = None,
        paused: threading.Event | None = None, batch_event_interval: float = 0.1, dist=None) -> Iterator:
    """Train ``model`` (logits out) and yield events; see :mod:`cnnstudio.engine.events`.

    The model ends holding the weights of the best epoch. With ``checkpoint_dir`` a checkpoint is saved
    every epoch; ``resume=True`` continues from it (or starts afresh when there is none).
    ``batch_event_interval``: seconds between :class:`BatchEnd` events (0: every batch).
    ``dist``: a :class:`~cnnstudio.engine.train.distributed.DistContext` to train as one of several processes
    (every process yields the same events; ``pause`` is not supported there).
    """
    stop = stop or threading.Event()
    pause = pause or threading.Event()
    state = {"epoch": 0}
    device = None
    try:
        yield from _fit(model, data, settings, run_id, checkpoint_dir, resume, stop, pause, paused,
                        batch_event_interval, state, dist)
    except TrainingDiverged as e:
        yield RunFailed(run_id, state["epoch"], str(e), NAN_ADVICE)
    except Exception as e:  # noqa: BLE001 - every failure becomes a RunFailed event with advice
        device = state.get("device")
        if dist is not None and is_comm_error(e):
            yield RunFailed(run_id, state["epoch"], str(e) if isinstance(e, EngineError) else lost_message(e),
                            "look at the other processes' messages, then start all of them again: the run "
                            "continues from its last checkpoint")
        elif is_out_of_memory(e):
            if device is not None and device.type == "cuda":
                torch.cuda.empty_cache()
                reason = "the graphics card ran out of memory"
            else:
                reason = "the computer ran out of memory"
            yield RunFailed(run_id, state["epoch"], reason,
                            "use a smaller batch size (try half), smaller images or a smaller model"
                            + (", or train on the CPU" if device is not None and device.type != "cpu" else ""))
        elif isinstance(e, EngineError):
            yield RunFailed(run_id, state["epoch"], str(e), "")
        else:
            yield RunFailed(run_id, state["epoch"], f"training failed: {type(e).__name__}: {e}",
                            "this looks like a bug in CNN Studio; please report it with the details",
                            traceback.format_exc())
    finally:
        if paused is not None:
            paused.clear()


def _fit(model, data, settings: TrainSettings, run_id, checkpoint_dir, resume, stop, pause, paused,
         interval, state, dist=None) -> Iterator:
    train: ImageSet = data.train
    val: ImageSet | None = data.val if data.val is not None and len(data.val) else None
    n = len(train)
    if n < 2:
        raise DataError("training needs at least two training images")
    if dist is not None and n < 2 * dist.world_size:
        raise DataError(f"training in {dist.world_size} processes needs at least {2 * dist.world_size} "
                        "training images")
    threads = set_threads(dist.threads(settings.threads) if dist is not None else settings.threads)
    device = pick_device(settings.device)
    if dist is not None:
        device = dist.device(device)
    main = dist is None or dist.is_main
    state["device"] = device
    if device.type == "cpu":
        torch.set_flush_denormal(True)  # tiny weights/gradients as denormals slow CPU maths by orders of magnitude
    model.to(device)
    channels_last = choose_channels_last(settings.channels_last, model, device)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    model.train()
    if device.type != "cpu":  # keep the uint8 pictures on the GPU when they fit: no copy per batch
        train_dev, val_dev = _to_device(train, device), _to_device(val, device) if val is not None else None
        data = TrainData(train_dev, val_dev, data.preprocess, getattr(data, "class_names", None))
        train, val = data.train, data.val
    ckpt_dir = Path(checkpoint_dir) if checkpoint_dir is not None else None
    if ckpt_dir is not None and main:
        ckpt_dir.mkdir(parents=True, exist_ok=True)
    val_part = val.subset(dist.positions(len(val))) if (dist is not None and val is not None) else val

    num_classes = int(train.labels.max()) + 1
    if data.class_names:
        num_classes = max(num_classes, len(data.class_names))
    weight = class_weights(train.labels, num_classes).to(device) if settings.class_weights == "balanced" else None
    optimizer = make_optimizer(model, settings)
    rng = torch.Generator().manual_seed(settings.seed)
    aug_rng = torch.Generator() if dist is not None else rng  # several processes: the permutation alone
    aug = Augmenter(settings.augment, aug_rng)
    bs = min(settings.batch_size, n)
    n_local = n
    if dist is not None:  # batch_size is the global batch: each process takes its part of it
        bs, n_local = max(1, bs // dist.world_size), dist.local_count(n)
    batches = batches_per_epoch(n_local, bs)

    # where we are
    start_epoch, step, best_epoch, best_key = 1, 0, 0, None
    elapsed_before, epochs = 0.0, settings.epochs
    best_state: dict[str, torch.Tensor] | None = None
    last_path = ckpt_dir / LAST if ckpt_dir else None
    has_last = bool(resume and last_path is not None and last_path.exists())
    if dist is not None and resume:  # every process must restore the same checkpoint, or none
        some, missing = _reduce(dist, device, has_last, not has_last, op="max")
        if some and missing:
            raise EngineError("resuming needs the run's checkpoint where every training process can read it "
                              "(on every machine, or in a shared folder)")
    if has_last:
        saved = restore(last_path, model, optimizer, rng, device)
        start_epoch = saved["epoch"] + 1
        step, best_epoch = saved["step"], saved["best_epoch"]
        best_key = tuple(saved["best_key"]) if saved.get("best_key") else None
        elapsed_before, epochs = saved["elapsed"], saved["epochs"]
        if (ckpt_dir / BEST).exists():
            best_state = {k: v.to(device) for k, v in load_file(str(ckpt_dir / BEST)).items()}
        state["epoch"] = saved["epoch"]
    else:
        torch.manual_seed(settings.seed)  # dropout and friends: repeatable runs
    if epochs == 0:
        ips = _time_batches(model, data, settings, device, channels_last, stop, bs)
        val_share = len(val_part) if val_part is not None else 0
        per_epoch = n_local / ips + (val_share / (3 * ips) if val else 0.0) if ips > 0 else float("inf")
        epochs = int(settings.time_budget_s / per_epoch) if per_epoch > 0 else settings.max_epochs
        epochs = max(settings.min_epochs, min(settings.max_epochs, epochs))
        if dist is not None:  # rank 0's timing decides for everyone
            epochs = int(dist.broadcast(torch.tensor([float(epochs)], device=device))[0])
    total_steps = epochs * batches
    net = dist.wrap(model, device) if dist is not None else model  # DDP: averages the gradients
    params = sum(p.numel() for p in model.parameters())
    yield RunStarted(run_id, epochs, start_epoch, batches, n, len(val) if val else 0, device_name(device),
                     threads, params)

    criterion_kw = {"weight": weight, "label_smoothing": settings.label_smoothing}
    session_images, session_train_s = 0, 0.0
    paused_s = 0.0
    epoch_times: list[float] = []
    finished_reason = "completed"
    stop_now, next_sync = False, 1
    for epoch in range(start_epoch, epochs + 1):
        t_epoch = time.perf_counter()
        paused_epoch = 0.0
        model.train()
        perm = torch.randperm(n, generator=rng)
        if dist is not None:  # the same permutation everywhere, this process's shard of it
            perm = dist.shard(perm)
            aug_rng.manual_seed(dist.seed(settings.seed, epoch))
            torch.manual_seed(dist.seed(settings.seed, epoch, salt=1))  # dropout
            stop_now = _reduce(dist, device, stop.is_set(), op="max")[0] > 0
            next_sync = 1
        ep_loss = torch.zeros((), device=device)
        ep_correct = torch.zeros((), device=device)
        ep_seen = 0
        win_loss = torch.zeros((), device=device)
        win_correct = torch.zeros((), device=device)
        win_seen, win_t0, win_b0 = 0, time.perf_counter(), 0
        for b in range(batches):
            if dist is None and pause.is_set() and not stop.is_set():
                t_p = time.perf_counter()
                if paused is not None:
                    paused.set()
                while pause.is_set() and not stop.is_set():
                    stop.wait(0.05)
                if paused is not None:
                    paused.clear()
                dt = time.perf_counter() - t_p
                paused_epoch += dt
                paused_s += dt
                win_t0 += dt
            if (stop_now if dist is not None else stop.is_set()):
                yield from _stopped(model, best_state, run_id, epoch - 1, best_epoch)
                return
            idx = perm[b * bs:(b + 1) * bs]
            x, y = _batch(data, idx, aug, device, channels_last, settings)
            lr = lr_at(step, total_steps, settings)
            for g in optimizer.param_groups:
                g["lr"] = lr
            logits = net(x)
            loss = F.cross_entropy(logits.float(), y, **criterion_kw)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
            m = idx.numel()
            with torch.no_grad():
                ld = loss.detach() * m
                cd = (logits.detach().argmax(1) == y).sum()
                win_loss += ld
                win_correct += cd
            win_seen += m
            now = time.perf_counter()
            if dist is not None and (b == batches - 1 or b + 1 >= next_sync):
                # a sync point, the same batch in every process: sum the window, agree on stopping, and
                # rank 0 says when the next one is (about every `interval` seconds)
                k = max(1, min(10000, int(interval * (b + 1 - win_b0) / max(1e-9, now - win_t0)))) if main else 0
                wl, wc, all_seen, stops, k = _reduce(dist, device, win_loss, win_correct, win_seen, stop.is_set(), k)
                stop_now, next_sync, win_b0 = stops > 0, b + 1 + int(k), b + 1
            elif dist is None and (b == batches - 1 or now - win_t0 >= interval):
                wl, wc = torch.stack([win_loss, win_correct]).tolist()
                all_seen = win_seen
            else:
                continue
            if not math.isfinite(wl):
                raise TrainingDiverged(
                    f"the loss became {'infinite' if math.isinf(wl) else 'NaN (not a number)'} "
                    f"in epoch {epoch}, batch {b + 1}: training diverged")
            ep_loss += win_loss
            ep_correct += win_correct
            ep_seen += win_seen
            ips = all_seen / max(1e-9, now - win_t0)
            yield BatchEnd(epoch, b + 1, batches, wl / all_seen, wc / all_seen, lr, ips)
            win_loss = torch.zeros((), device=device)
            win_correct = torch.zeros((), device=device)
            win_seen, win_t0 = 0, time.perf_counter()
        train_time = time.perf_counter() - t_epoch - paused_epoch
        if dist is not None:  # totals over all processes
            tl, tc, ep_seen = _reduce(dist, device, ep_loss, ep_correct, ep_seen)
            ep_seen = int(ep_seen)
        else:
            tl, tc = torch.stack([ep_loss, ep_correct]).tolist()
        session_images += ep_seen
        session_train_s += train_time
        train_loss, train_acc = tl / max(1, ep_seen), tc / max(1, ep_seen)
        if val is not None and dist is not None:  # each process scores its shard; the sums add up
            dist.broadcast_buffers(model)
            sums = _evaluate_sums(model, val_part, data.preprocess, device, settings.eval_batch_size, channels_last)
            vl, vc, vn = _reduce(dist, device, *sums, len(val_part))
            val_loss, val_acc = vl / max(1, vn), vc / max(1, vn)
            key = (val_acc, -val_loss)
        elif val is not None:
            val_loss, val_acc = evaluate_loss_accuracy(model, val, data.preprocess, device,
                                                       settings.eval_batch_size, channels_last)
            key = (val_acc, -val_loss)
        else:
            val_loss = val_acc = NAN
            key = (0.0, -train_loss)
        is_best = _better(key, best_key)
        if dist is not None:  # rank 0 decides the best epoch (and so early stopping) for everyone
            is_best = bool(dist.broadcast(torch.tensor([float(is_best)], device=device))[0])
        if is_best:
            best_key, best_epoch = key, epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        epoch_times.append(time.perf_counter() - t_epoch - paused_epoch)
        elapsed = elapsed_before + sum(epoch_times)
        eta = (sum(epoch_times) / len(epoch_times)) * (epochs - epoch)
        state["epoch"] = epoch
        if ckpt_dir is not None and main:
            if is_best:
                atomic_save(model_tensors(model), ckpt_dir / BEST, {"epoch": str(epoch)})
            save_checkpoint(last_path, model, optimizer, rng, {
                "epoch": epoch, "step": step, "epochs": epochs, "best_epoch": best_epoch,
                "best_key": list(best_key), "elapsed": elapsed, "run_id": run_id})
        ips_epoch = ep_seen / max(1e-9, train_time)
        yield EpochEnd(epoch, epochs, train_loss, train_acc, val_loss, val_acc, elapsed, eta, is_best, lr,
                       ips_epoch)
        if ckpt_dir is not None:
            yield CheckpointSaved(epoch, str(last_path))
        patience = settings.early_stopping_patience
        if patience and epoch - best_epoch >= patience and epoch < epochs:
            finished_reason = "early_stopping"
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    best_val = best_key[0] if (best_key is not None and val is not None) else NAN
    yield RunFinished(run_id, state["epoch"], best_epoch, best_val, elapsed_before + sum(epoch_times),
                      session_images / max(1e-9, session_train_s) if session_train_s else 0.0, finished_reason)


def _reduce(dist, device, *values, op: str = "sum") -> list[float]:
    """Reduce a few numbers (tensors or Python numbers) over the processes in one collective."""
    t = torch.stack([v.detach().to(device=device, dtype=torch.float64).reshape(()) if isinstance(v, torch.Tensor)
                     else torch.tensor(float(v), dtype=torch.float64, device=device) for v in values])
    return dist.all_reduce(t, op).tolist()


def _better(key: tuple[float, float], best: tuple | None, min_delta: float = 1e-6) -> bool:
    """Is ``key`` a better epoch than ``best``? Keys are (val accuracy, -val loss), or (0, -train loss)
    without validation data. Higher accuracy wins; at equal accuracy a loss lower by more than 0.1%
    (and ``min_delta``) wins, so noise-level changes do not count for the best epoch or early stopping."""
    if best is None:
        return True
    if abs(key[0] - best[0]) > 1e-9:
        return key[0] > best[0]
    return key[1] > best[1] + max(min_delta, 1e-3 * abs(best[1]))


def _stopped(model, best_state, run_id: str, epoch: int, best_epoch: int):
    if best_state is not None:
        model.load_state_dict(best_state)
    yield RunStopped(run_id, max(0, epoch), best_epoch)

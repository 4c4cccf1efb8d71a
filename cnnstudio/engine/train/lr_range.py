"""The learning-rate range test (Leslie Smith's "LR range test", fastai's ``lr_find``): a short mock training
whose learning rate grows exponentially every step, the loss recorded at each rate, and a suggested rate.

What it does:

- works on a deep copy of the model: the caller's model (weights, device, memory format, buffers) is never
  touched, and the global random state is restored afterwards (``torch.random.fork_rng``);
- trains the copy the way a run would: the run's optimiser (:func:`~.trainer.make_optimizer`: the same
  kind, weight decay and no-decay groups, fused where PyTorch has it), its batch size, its loss (label
  smoothing, class weights), its augmentation, its device, threads, ``channels_last`` and its precision (mixed
  precision on a card: :mod:`.precision`)
  (:func:`~.trainer._batch` makes the batches, as in the trainer); the seed fixes the order of the pictures,
  the augmentation and dropout, so the same inputs give the same curve;
- the rate of step ``i`` of ``steps`` is ``start_lr * (end_lr / start_lr) ** (i / (steps - 1))``: 1e-5 to 10
  over 40 steps by default (6.5 steps a decade; fastai takes 100 steps from 1e-7, but 40 keep the test under a
  tenth of a default run, and suggested as well on the benchmark, ``benchmarks/bench_lr_find.py``); the loss of
  a step is computed before that step's update, as fastai records it;
- the curve is the loss smoothed by an exponential moving average with bias correction (``beta`` 0.9: with
  40 steps fastai's 0.98 would lag by several decades of rate); the test stops early when the smoothed loss
  exceeds ``diverge_factor`` (4) times its minimum so far, or when a loss is not finite;
- the valley (:func:`valley`, fastai's default rule): on the curve without its first tenth and its last five
  points (as ``Learner.lr_find``), the longest run of points each lower than the one before (a longest strictly
  decreasing subsequence), taken to span the steps before its last point; fastai's suggestion lies about
  half-way along it (``valley_lr``), where the loss falls fastest;
- the suggestion depends on the run's schedule. ``constant`` and ``cosine`` (full rate from the first step):
  the valley's rate. ``one_cycle``: the rate at the bottom of the valley (its lowest point), where Leslie
  Smith puts the peak of a one-cycle schedule, which warms up from a 25th of its peak. On the benchmark
  (5,000 MNIST digits, the default recipe, grids of full runs) the best one-cycle peak was 30 times the
  valley's rate and 0.8-1.2 times the bottom (three seeds); with a constant rate the valley's rate was 0.7-1.0
  times the best. A curve too short for a valley (it blew up within a few steps): a tenth of the rate at the
  lowest loss (fastai's ``minimum``), whatever the schedule;
- ``stop`` (a ``threading.Event``) is checked before every step: the test ends with
  :class:`~cnnstudio.engine.errors.Cancelled`. ``progress(done, total, message)`` is called after every step.

What it does not do: validation (only training pictures are read), several processes (DDP), pause; the rule
for ``cosine`` is fastai's, not measured here; no check that the curve is meaningful (a model that does not
learn at any rate gives a flat curve and a suggestion of little use; the plot shows it).
"""

from __future__ import annotations

import copy
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import torch
import torch.nn.functional as F

from ..data.augment import Augmenter
from ..device import choose_channels_last, pick_device, set_threads
from ..errors import Cancelled, DataError, EngineError
from .precision import Precision
from .settings import TrainSettings
from .trainer import NAN_ADVICE, TrainData, _batch, _to_device, class_weights, make_optimizer

START_LR = 1e-5
END_LR = 10.0
STEPS = 40
BETA = 0.9  # smoothing of the loss
DIVERGE_FACTOR = 4.0  # smoothed loss above this many times its minimum: diverged


@dataclass(frozen=True)
class LrRangeResult:
    """The outcome of a range test."""
    curve: list[tuple[float, float]]  # (learning rate, smoothed loss) per step taken, the rate growing
    suggested_lr: float
    steps: int  # steps taken (< the steps asked when it diverged)
    seconds: float  # wall time of the test (for the project-level finder: preparing the pictures included)
    diverged: bool  # stopped early: the smoothed loss grew past diverge_factor x its minimum, or was not finite
    suggested_index: int = 0  # the curve point the suggestion is
    losses: list[float] = field(default_factory=list)  # the raw (unsmoothed) loss per step taken
    valley_lr: float = math.nan  # fastai's valley rule (the suggestion for constant and cosine schedules)
    rule: str = "valley"  # how the suggestion was made: valley | valley bottom | minimum / 10

    def to_json(self) -> dict:
        return {"suggested_lr": self.suggested_lr, "curve": [[lr, loss] for lr, loss in self.curve],
                "steps": self.steps, "seconds": self.seconds, "diverged": self.diverged, "valley_lr": self.valley_lr,
                "rule": self.rule}


def lr_schedule(start_lr: float, end_lr: float, steps: int) -> list[float]:
    """The rate of every step: exponential from ``start_lr`` to ``end_lr`` (both included)."""
    if not (0 < start_lr < end_lr) or steps < 2:
        raise EngineError("the range test needs 0 < start_lr < end_lr and at least 2 steps")
    ratio = end_lr / start_lr
    return [start_lr * ratio ** (i / (steps - 1)) for i in range(steps)]


def valley(losses: Sequence[float]) -> tuple[int, int, int]:
    """fastai's ``valley`` on a (smoothed) loss curve: ``(start, end, suggestion)`` indices.

    ``longest[i]`` is the length of the longest strictly decreasing sequence of points ending at ``i``; the
    valley ends at the first point with the longest one and starts that many steps before; fastai's
    suggestion is ``start + int(length / 3) + int(length / 6)`` (its arithmetic, about half-way).
    """
    n = len(losses)
    if n == 0:
        raise EngineError("no loss values to suggest a learning rate from")
    longest = [1] * n
    end = 0
    for i in range(1, n):
        li = losses[i]
        longest[i] = 1 + max((longest[j] for j in range(i) if li < losses[j]), default=0)
        if longest[i] > longest[end]:
            end = i
    start = end - longest[end]
    third = (end - start) / 3
    return max(0, start), end, max(0, min(n - 1, start + int(third) + int(third / 2)))


def valley_index(losses: Sequence[float]) -> int:
    """The index fastai's ``valley`` suggests on a (smoothed) loss curve (see :func:`valley`)."""
    return valley(losses)[2]


def suggest(lrs: Sequence[float], smoothed: Sequence[float], steps: int,
            schedule: str = "constant") -> tuple[float, int, float, str]:
    """``(suggested rate, its index on the curve, the valley's rate, the rule used)`` for a run with ``schedule``.

    As ``Learner.lr_find``: the first ``steps // 10`` and the last 5 points are left out of the valley search
    (the start is noisy; the end is where it blows up). ``one_cycle``: the valley's bottom (its lowest point:
    the decreasing sequence may skip it and end later); otherwise the valley's rate. Fewer than 5 points left:
    a tenth of the rate at the lowest loss (fastai's ``minimum``) at the point nearest it, for every schedule
    (then also the ``valley_lr``).
    """
    if not lrs:
        raise EngineError("no loss values to suggest a learning rate from")
    lo, hi = steps // 10, len(lrs) - 5
    if hi - lo >= 5:
        start, end, at = (lo + i for i in valley(smoothed[lo:hi]))
        if schedule == "one_cycle":  # the lowest point of the valley (the sequence may end past the minimum)
            bottom = min(range(start, end + 1), key=smoothed.__getitem__)
            return float(lrs[bottom]), bottom, float(lrs[at]), "valley bottom"
        return float(lrs[at]), at, float(lrs[at]), "valley"
    low = min(range(len(smoothed)), key=smoothed.__getitem__)
    rate = max(lrs[0], lrs[low] / 10)
    i = min(range(len(lrs)), key=lambda k: abs(math.log(lrs[k] / rate)))
    return float(rate), i, float(rate), "minimum / 10"


def lr_range_test(model: torch.nn.Module, data: TrainData, settings: TrainSettings, *, start_lr: float = START_LR,
                  end_lr: float = END_LR, steps: int = STEPS, beta: float = BETA,
                  diverge_factor: float = DIVERGE_FACTOR, stop: threading.Event | None = None,
                  progress: Callable[[int, int, str], None] | None = None,
                  on_point: Callable[[float, float], None] | None = None) -> LrRangeResult:
    """Run the range test on a copy of ``model`` with ``data.train`` (``data.val`` is never read) and the
    run's ``settings`` (``settings.lr`` is not used: the test sets the rate every step; the schedule only chooses
    the rule of the suggestion).

    ``on_point(lr, smoothed_loss)`` is called with each point of the curve as it is measured (a live plot).

    Raises :class:`Cancelled` when ``stop`` is set, :class:`DataError` for fewer than two training pictures,
    :class:`EngineError` when the loss is not finite even at the first step.
    """
    t0 = time.perf_counter()
    stop = stop or threading.Event()
    train = data.train
    n = len(train)
    if n < 2:
        raise DataError("finding a learning rate needs at least two training images")
    rates = lr_schedule(start_lr, end_lr, steps)
    set_threads(settings.threads)
    device = pick_device(settings.device)
    if device.type == "cpu":
        torch.set_flush_denormal(True)  # as the trainer: denormal weights slow CPU maths by orders of magnitude
    fork = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=fork):
        torch.manual_seed(settings.seed)  # dropout and friends: the same curve every time
        probe = copy.deepcopy(model).to(device)
        channels_last = choose_channels_last(settings.channels_last, probe, device)
        if channels_last:
            probe.to(memory_format=torch.channels_last)
        probe.train()
        if device.type != "cpu":
            train = _to_device(train, device)
        batches = TrainData(train, None, data.preprocess, getattr(data, "class_names", None))
        num_classes = int(train.labels.max()) + 1
        if batches.class_names:
            num_classes = max(num_classes, len(batches.class_names))
        weight = (class_weights(train.labels.cpu(), num_classes).to(device)
                  if settings.class_weights == "balanced" else None)
        criterion_kw = {"weight": weight, "label_smoothing": settings.label_smoothing}
        optimizer = make_optimizer(probe, settings.replace(lr=start_lr))
        precision = Precision.for_run(settings.mixed_precision, device)  # the run's: bf16 or fp16 on a card
        rng = torch.Generator().manual_seed(settings.seed)
        aug = Augmenter(settings.augment, rng)
        bs = min(settings.batch_size, n)
        perm, at = torch.randperm(n, generator=rng), 0
        curve: list[tuple[float, float]] = []
        raw: list[float] = []
        avg, lowest, diverged = 0.0, math.inf, False
        for i, lr in enumerate(rates):
            if stop.is_set():
                raise Cancelled("finding the learning rate was stopped")
            if at + bs > n:  # a new pass over the pictures, in a new order
                perm, at = torch.randperm(n, generator=rng), 0
            idx = perm[at:at + bs]
            at += bs
            x, y = _batch(batches, idx, aug, device, channels_last, settings)
            for g in optimizer.param_groups:
                g["lr"] = lr
            with precision.autocast():
                logits = probe(x)
            loss = F.cross_entropy(logits.float(), y, **criterion_kw)
            value = float(loss.detach())
            if not math.isfinite(value):
                diverged = True
                break
            raw.append(value)
            avg = beta * avg + (1 - beta) * value
            smooth = avg / (1 - beta ** (i + 1))
            curve.append((lr, smooth))
            lowest = min(lowest, smooth)
            if on_point is not None:
                on_point(lr, smooth)
            if progress is not None:
                progress(i + 1, steps, f"learning rate {lr:.1e}: loss {smooth:.3f}")
            if smooth > diverge_factor * lowest:
                diverged = True
                break
            optimizer.zero_grad(set_to_none=True)
            precision.backward_step(loss, optimizer)
        del probe, optimizer
    if not curve:
        raise EngineError(f"the loss is not a number even at a learning rate of {start_lr:g}: {NAN_ADVICE}")
    lr, index, valley_lr, rule = suggest([c[0] for c in curve], [c[1] for c in curve], steps, settings.schedule)
    return LrRangeResult(curve, lr, len(curve), time.perf_counter() - t0, diverged, index, raw, valley_lr, rule)


__all__ = ["BETA", "DIVERGE_FACTOR", "END_LR", "START_LR", "STEPS", "LrRangeResult", "lr_range_test",
           "lr_schedule", "suggest", "valley", "valley_index"]

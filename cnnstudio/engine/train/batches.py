"""Training batches on the device, and the timed probe steps before a run (the trainer's helpers).

On a graphics card nothing here waits for the card between steps: the pictures stay there as uint8 when
they fit (:func:`to_device`), an epoch's order is sent there once (:func:`epoch_order`) so each batch is a
gather on the card, the normalisation constants are made once per device (:func:`normalize_batch`), and
augmentation's random values are sent without waiting. On the CPU every function does what the trainer
did before they moved here (the same operations, the same numbers).

"Trains exactly as" below means bit for bit on the CPU. On a graphics card a run is not bit-for-bit repeatable
anyway (cuDNN picks its fastest convolution for each run, and some of its kernels add in a varying order): the
same seed gives a close model, not the identical one.
"""

from __future__ import annotations

import copy
import functools
import time

import torch
import torch.nn.functional as F

from ..data.augment import Augmenter
from ..data.prepare import ImageSet
from ..data.preprocess import Preprocess, PreprocessError, normalize
from .precision import Precision


def to_device(images: ImageSet, device: torch.device) -> ImageSet:
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


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def epoch_order(perm: torch.Tensor, images: ImageSet) -> torch.Tensor:
    """The epoch's permutation where the pictures are: on their device when they live there (one copy an
    epoch instead of an index copy, and a wait for the card, every batch)."""
    if images.rows is None and images.pixels.device != perm.device:
        return perm.to(images.pixels.device)
    return perm


@functools.lru_cache(maxsize=32)
def _constants(mean: tuple, std: tuple, to_unit: float, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    scale = torch.tensor([to_unit / s for s in std], dtype=torch.float32, device=device).view(1, -1, 1, 1)
    shift = torch.tensor([-m / s for m, s in zip(mean, std)], dtype=torch.float32, device=device).view(1, -1, 1, 1)
    return scale, shift


def normalize_batch(batch: torch.Tensor, pp: Preprocess) -> torch.Tensor:
    """:func:`~cnnstudio.engine.data.preprocess.normalize` for a (N, C, H, W) batch; off the CPU with its
    constants made once per device (``torch.tensor(..., device=cuda)`` every batch waits for the card)."""
    if batch.device.type == "cpu" or pp.normalization == "unit":
        return normalize(batch, pp)
    return normalize_cached(batch, pp)


def normalize_cached(batch: torch.Tensor, pp: Preprocess) -> torch.Tensor:
    """The same numbers as ``normalize`` (not ``unit``), with the constants made once per device."""
    if batch.dim() != 4 or batch.shape[1] != pp.channels:
        raise PreprocessError(f"expected a batch of shape (N, {pp.channels}, H, W), got {tuple(batch.shape)}")
    mean, std = pp.effective_mean_std()
    scale, shift = _constants(tuple(mean), tuple(std), 1.0 / 255.0 if batch.dtype == torch.uint8 else 1.0,
                              batch.device)
    x = batch.to(torch.float32)
    if x is batch:
        x = x.clone()
    return x.mul_(scale).add_(shift)


def make_batch(data, idx: torch.Tensor, aug: Augmenter, device, channels_last: bool, settings=None):
    """(inputs, labels) of the training pictures at positions ``idx``, augmented and normalised."""
    xb = data.train.gather(idx).to(device, non_blocking=True)
    yb = data.train.labels[idx].to(device, non_blocking=True)
    if aug.settings.enabled:
        x = normalize_batch(aug(xb.to(torch.float32).div_(255.0)), data.preprocess)
    else:
        x = normalize_batch(xb, data.preprocess)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    return x, yb


def own_random_numbers(device):
    """A context whose random numbers (dropout's, on the CPU and on ``device``) leave the run's own as they were:
    for the steps before a run (the probe, Auto batch's tries, the compile warm-up), so that a run trains as the
    same run without them."""
    devices = [device] if getattr(device, "type", "cpu") == "cuda" else []
    return torch.random.fork_rng(devices=devices)


WARM_UP_STEPS = 3  # steps before the timing starts (the first ones set up kernels and caches)
PROBE_STEPS = 64  # the most steps timed: enough for a model whose steps take milliseconds
PROBE_S = 1.0  # seconds of timed steps (at least MIN_TIMED steps) for a model whose steps are slower
MIN_TIMED = 6
STRETCH_S = 0.25  # the timed steps come in stretches of about this long (or STRETCH_STEPS steps), at least 2 steps
STRETCH_STEPS = 16
UNSTEADY = 2.0  # stretches further apart than this (fastest / slowest): something else slowed some; time longer


def stretch_rates(stretches: list[tuple[int, float]]) -> list[float]:
    """Pictures per second of each of the probe's timed stretches ``(pictures, seconds)`` that timed something."""
    return [n / s for n, s in stretches if n > 0 and s > 0]


def probe_speed(stretches: list[tuple[int, float]]) -> float:
    """Pictures per second that Auto epochs decides from, given the probe's timed stretches ``(pictures, seconds)``:
    the fastest stretch's. A stretch slowed by something else on the computer (another program, the window starting
    up) says nothing about the run, which trains for many seconds: one slow timing once chose 6 epochs that took 5 s
    of a 50 s budget. 0.0 when nothing was timed."""
    return max(stretch_rates(stretches), default=0.0)


def unsteady(stretches: list[tuple[int, float]]) -> bool:
    """Whether the probe's stretches disagree by more than :data:`UNSTEADY` times: then it times a second round."""
    each = stretch_rates(stretches)
    return len(each) >= 2 and max(each) > UNSTEADY * min(each)


def probe_done(stretches: list[tuple[int, float]], steps: int, seconds: float) -> bool:
    """Whether the probe has timed enough after ``steps`` timed steps that took ``seconds``: :data:`PROBE_S` seconds
    (and :data:`MIN_TIMED` steps), or :data:`PROBE_STEPS` steps; twice that when its stretches are
    :func:`unsteady` (a few repeats, and the fastest decides: :func:`probe_speed`)."""
    rounds = 2 if unsteady(stretches) else 1
    return steps >= PROBE_STEPS * rounds - WARM_UP_STEPS or (steps >= MIN_TIMED and seconds > PROBE_S * rounds)


def probe_steps(model, data, settings, device, channels_last: bool, stop, batch_size: int, precision,
                make_optimizer) -> float:
    """Images per second of training steps on a throw-away copy of the model (Auto epochs, compile's rule): the
    fastest of a few timed stretches (:func:`probe_speed`, :func:`probe_done`).

    The global random state (dropout draws from it) is put back afterwards, and the steps go through their own
    :class:`~.precision.Precision` (fp16's gradient scaler counts steps and changes its scale), so a run whose
    Auto chose N epochs trains exactly as the same run told N epochs (the Tune step's trial 0 relies on it)."""
    with own_random_numbers(device):
        return _probe_steps(model, data, settings, device, channels_last, stop, batch_size, precision,
                            make_optimizer)


def _probe_steps(model, data, settings, device, channels_last, stop, batch_size, precision, make_optimizer):
    precision = Precision(precision.name, device)  # the run's own scaler stays as it was
    probe = copy.deepcopy(model)
    opt = make_optimizer(probe, settings)
    aug = Augmenter(settings.augment, torch.Generator().manual_seed(12345))
    n, bs = len(data.train), batch_size
    gen = torch.Generator().manual_seed(1)
    most = 2 * PROBE_STEPS
    on_device = data.train.rows is None and data.train.pixels.device.type != "cpu"
    order = torch.randint(0, n, (most, bs), generator=gen).to(data.train.pixels.device) if on_device else None
    stretches: list[tuple[int, float]] = []
    timed = pictures = in_stretch = 0
    t0 = t_stretch = None
    for i in range(most):
        if stop.is_set():
            break
        if i == WARM_UP_STEPS:
            sync(device)
            t0 = t_stretch = time.perf_counter()
        idx = order[i] if order is not None else torch.randint(0, n, (bs,), generator=gen)
        x, y = make_batch(data, idx, aug, device, channels_last)
        with precision.autocast():
            logits = probe(x)
        loss = F.cross_entropy(logits.float(), y)
        opt.zero_grad(set_to_none=True)
        precision.backward_step(loss, opt)
        if t0 is None:
            continue
        timed, pictures, in_stretch = timed + 1, pictures + bs, in_stretch + 1
        if in_stretch >= 2 and (in_stretch >= STRETCH_STEPS or time.perf_counter() - t_stretch >= STRETCH_S):
            sync(device)  # a card's steps are timed once they are done, not once they are queued
            now = time.perf_counter()
            stretches.append((pictures, now - t_stretch))
            pictures = in_stretch = 0
            t_stretch = now
            if probe_done(stretches, timed, now - t0):
                break
    if in_stretch >= 2 or (in_stretch and not stretches):  # stopped, or the last steps (one step alone is noise)
        sync(device)
        stretches.append((pictures, time.perf_counter() - t_stretch))
    sync(device)
    return probe_speed(stretches)


def try_batch_fn(model, data, settings, device, channels_last: bool, precision):
    """``try_batch(b)``: one forward and backward pass of ``b`` pictures on a copy of the model (for the
    Auto batch size search); raises the device's out-of-memory error when ``b`` does not fit. Its dropout
    draws from :func:`own_random_numbers`."""
    def try_batch(b: int) -> None:
        with own_random_numbers(device):
            _try(b)

    def _try(b: int) -> None:
        probe = copy.deepcopy(model)
        try:
            idx = torch.randint(0, len(data.train), (b,), generator=torch.Generator().manual_seed(2))
            x, y = make_batch(data, epoch_order(idx, data.train), Augmenter(settings.augment), device, channels_last)
            with precision.autocast():
                logits = probe(x)
            F.cross_entropy(logits.float(), y).backward()
            sync(device)
        finally:
            del probe
            if device.type == "cuda":
                torch.cuda.empty_cache()
    return try_batch

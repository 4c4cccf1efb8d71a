"""The trainer's set-up steps for a graphics card (issue 21): the Auto batch size and compiling the step.

Both are called by :func:`cnnstudio.engine.train.run_setup.set_up` with the loop itself, and return
what they did in words for the run's record (:attr:`RunStarted.speed_notes`). On the CPU neither does
anything unless asked (``compile="on"``).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..data.augment import Augmenter
from .batch_size import auto_batch
from .batches import epoch_order, make_batch, own_random_numbers, try_batch_fn
from .compiled import Forward, choose_compile, compile_model


def setup_auto_batch(loop, n: int) -> list[str]:
    """Auto batch size (one process on a CUDA card; a resumed run keeps what it chose)."""
    s = loop.settings
    if not s.auto_batch_size or loop.device.type != "cuda":
        return []
    if loop.procs.world_size != 1:
        return [f"batch {s.batch_size} (Auto batch size is for one process)"]
    if loop.at.auto_batch is None:
        probe = try_batch_fn(loop.model, loop.data, s, loop.device, loop.channels_last, loop.precision)
        bs, lr, words = auto_batch(probe, s.batch_size, s.lr, s.optimizer, n)
        loop.at.auto_batch = (bs, lr)
    else:
        bs, lr = loop.at.auto_batch
        words = f"batch {bs}, learning rate {lr:.3g} (Auto, as when the run started)"
    loop.settings = s.replace(batch_size=bs, lr=lr)
    return [words]


def setup_compile(loop, n_local: int, val_share: int, ips: float | None) -> list[str]:
    """Compile the step when the rule says so (:mod:`.compiled`); the words for the run's record."""
    s, device = loop.settings, loop.device
    eager_s = None
    if s.compile == "auto" and device.type == "cuda" and loop.procs.world_size == 1:
        ips = ips if ips is not None else loop.probe()
        eager_s = (loop.at.epochs - loop.at.epoch) * (n_local + val_share / 3) / max(1e-9, ips)
    if not choose_compile(s.compile, device.type, loop.procs.world_size, eager_s):
        return []
    idx = epoch_order(torch.arange(min(loop.bs, loop.n)), loop.data.train)
    x, y = make_batch(loop.data, idx, Augmenter(s.augment), device, loop.channels_last)

    def warm_up(forward) -> None:
        mark = getattr(torch.compiler, "cudagraph_mark_step_begin", None)
        if mark is not None:
            mark()
        with loop.precision.autocast():
            logits = forward(x)
        F.cross_entropy(logits.float(), y).backward()

    with own_random_numbers(device):  # the warm-up's dropout: the run trains as it would without compiling
        compiled, words = compile_model(loop.net, device, warm_up, loop.compile_fn)
    if compiled is not None:
        loop.forward = Forward(loop.net, compiled, loop.bs)
    return [words]

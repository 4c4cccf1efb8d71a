"""A run's set-up, before its first batch: what :func:`.trainer.fit` is given (:class:`TrainData`) and
:func:`set_up`, which readies the loop (:class:`.epoch_loop.RunLoop`): the device and its threads, the pictures on
it, the loss, the optimiser, the checkpoint to resume from, the number of epochs (Auto's rule after a timed probe),
and on a graphics card the Auto batch size and compiling (:mod:`.gpu_setup`). It ends with the
:class:`~cnnstudio.engine.events.RunStarted` event saying what was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from ..data.augment import Augmenter
from ..data.prepare import ImageSet
from ..data.preprocess import Preprocess
from ..device import choose_channels_last, device_name, pick_device, set_threads, validation_batch
from ..errors import DataError
from ..events import RunStarted
from ..model.cost import inference_bytes
from .batches import to_device
from .checkpoint import BEST, LAST, read_weights, restore
from .gpu_setup import setup_auto_batch, setup_compile
from .precision import Precision
from .saving import Checkpoints, Progress
from .settings import auto_epochs
from .step_rules import batches_per_epoch, class_weights, make_optimizer


@dataclass
class TrainData:
    """What :func:`~.trainer.fit` needs: the train split, an optional validation split, resolved preprocessing.

    :class:`cnnstudio.engine.data.prepare.PreparedData` has these attributes too and can be passed directly.
    """
    train: ImageSet
    val: ImageSet | None
    preprocess: Preprocess
    class_names: list[str] | None = None


def set_up(loop, data: TrainData, checkpoint_dir, resume: bool) -> RunStarted:
    """Device, data, optimiser, the checkpoint to resume from and the number of epochs, set on ``loop``."""
    model, settings, procs = loop.model, loop.settings, loop.procs
    train, val = data.train, (data.val if settings.validation and data.val is not None and len(data.val) else None)
    n = loop.n = len(train)
    if n < 2:
        raise DataError("training needs at least two training images")
    procs.check_train_size(n)
    threads = set_threads(procs.threads(settings.threads))
    device = loop.device = procs.choose_device(pick_device(settings.device))
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # the fastest convolution for the run's fixed picture size
    if device.type == "cpu":
        torch.set_flush_denormal(True)  # tiny weights/gradients as denormals slow CPU maths by orders of magnitude
    model.to(device)
    loop.channels_last = choose_channels_last(settings.channels_last, model, device)
    if loop.channels_last:
        model.to(memory_format=torch.channels_last)
    model.train()
    loop.precision = Precision.for_run(settings.mixed_precision, device)  # fp32 on the CPU
    if device.type != "cpu":  # keep the uint8 pictures on the GPU when they fit: no copy per batch
        train, val = to_device(train, device), to_device(val, device) if val is not None else None
    loop.data = TrainData(train, val, data.preprocess, getattr(data, "class_names", None))
    loop.val, loop.val_part = val, procs.val_share(val)
    ckpt = loop.ckpt_dir = Path(checkpoint_dir) if checkpoint_dir is not None else None
    if ckpt is not None and procs.is_main:
        ckpt.mkdir(parents=True, exist_ok=True)
    loop.saver = Checkpoints(ckpt, procs.is_main, loop.saver.every_s)

    num_classes = int(train.labels.max()) + 1
    if loop.data.class_names:
        num_classes = max(num_classes, len(loop.data.class_names))
    weight = class_weights(train.labels, num_classes).to(device) if settings.class_weights == "balanced" else None
    loop.criterion_kw = {"weight": weight, "label_smoothing": settings.label_smoothing}
    loop.optimizer = make_optimizer(model, settings)
    loop.rng = torch.Generator().manual_seed(settings.seed)
    loop.aug = Augmenter(settings.augment, procs.augment_generator(loop.rng))

    has_last = bool(resume and ckpt is not None and (ckpt / LAST).exists())
    if resume:  # every process must restore the same checkpoint, or none
        procs.agree_on_resume(has_last)
    if has_last:
        saved = restore(ckpt / LAST, model, loop.optimizer, loop.rng, device, loop.precision.scaler)
        if (ckpt / BEST).exists():
            loop.best_state = {k: v.to(device) for k, v in read_weights(ckpt / BEST).items()}
        loop.at = Progress.from_checkpoint(saved)
        loop.saver.best_written = loop.at.best_epoch
    else:
        torch.manual_seed(settings.seed)  # dropout and friends: repeatable runs
    notes = setup_auto_batch(loop, n)  # may change loop.settings (batch size, learning rate)
    loop.bs, n_local = procs.local_batches(min(loop.settings.batch_size, n), n)
    loop.batches = batches_per_epoch(n_local, loop.bs)
    val_share = len(loop.val_part) if loop.val_part is not None and val is not None else 0
    ips = None
    if loop.at.epochs == 0:
        ips = loop.probe()
        loop.at.epochs = procs.from_main(auto_epochs(loop.settings, n_local, val_share, ips,
                                                     device.type))  # Auto's one rule
    loop.total_steps = loop.at.epochs * loop.batches
    loop.net = loop.forward = procs.wrap(model)
    notes += setup_compile(loop, n_local, val_share, ips)
    params = sum(p.numel() for p in model.parameters())  # next: on a card more pictures at once (measured once)
    loop.val_batch = validation_batch(device, loop.settings.eval_batch_size, inference_bytes, model,
                                      loop.data.preprocess.input_shape)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)  # the training's own peak, not the Auto search's tries
    return RunStarted(loop.run_id, loop.at.epochs, loop.at.epoch + 1, loop.batches, n,
                      len(val) if val is not None else 0, device_name(device), threads, params,
                      loop.precision.name, "; ".join(notes))

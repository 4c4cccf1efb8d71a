"""The loss and accuracy of a model on a set of pictures: the trainer's validation pass (:mod:`.epoch_loop`'s
``val_loop``, each process scoring its share: :func:`evaluate_sums` gives sums that add up across processes) and
:func:`evaluate_loss_accuracy` for one process. Under ``torch.inference_mode``, the model back in training mode
after it; it draws no random numbers, so scoring in the middle of a run changes nothing in its training."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..data.prepare import ImageSet
from ..data.preprocess import Preprocess
from .batches import normalize_batch
from .precision import Precision


def evaluate_loss_accuracy(model, images: ImageSet, pp: Preprocess, device, batch_size: int,
                           channels_last: bool) -> tuple[float, float]:
    n = len(images)
    ls, c = torch.stack(evaluate_sums(model, images, pp, device, batch_size, channels_last)).tolist()
    return ls / max(1, n), c / max(1, n)


def evaluate_sums(model, images: ImageSet, pp: Preprocess, device, batch_size: int,
                  channels_last: bool, precision: Precision | None = None) -> list[torch.Tensor]:
    """Summed loss and correct count (float tensors on ``device``): shards of several processes add up."""
    model.eval()
    n = len(images)
    loss_sum = torch.zeros((), device=device)
    correct = torch.zeros((), device=device, dtype=torch.long)
    where = images.pixels.device if images.rows is None else torch.device("cpu")  # indices beside the pictures
    autocast = precision.autocast if precision is not None else Precision("fp32", device).autocast
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            idx = torch.arange(start, min(n, start + batch_size), device=where)
            x = normalize_batch(images.gather(idx).to(device, non_blocking=True), pp)
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            y = images.labels[idx].to(device, non_blocking=True)
            with autocast():
                logits = model(x)
            logits = logits.float()
            loss_sum += F.cross_entropy(logits, y, reduction="sum")
            correct += (logits.argmax(1) == y).sum()
    model.train()
    return [loss_sum, correct.to(loss_sum.dtype)]

"""How many pictures one forward pass scores when evaluating or predicting: the rule by device and by memory.

On the CPU the sizes stay what they were (256 for evaluation, 32 for prediction of files: small batches
keep progress and cancelling prompt and cost nothing there). On a CUDA card a forward pass costs about the
same for 32 pictures as for a thousand (the card waits for Python and kernel launches), so batches are
:data:`GPU_BATCH` pictures. A caller that gives a batch size keeps it.

Either default is then capped by memory (:func:`fitting_batch`): a pretrained backbone at 224 x 224 takes about 12 MB a
picture at the peak of scoring it (measured: :func:`~cnnstudio.engine.model.cost.inference_bytes`), so 256 of them
want 3 GB, more than training them did; a batch uses at most :data:`CPU_SHARE` of this computer's memory on
the CPU, :data:`GPU_SHARE` of the card's free memory on a CUDA card, and never fewer than one picture. Those
rules by device (:func:`batch_for`, :func:`fitting_batch`, :func:`memory_budget`) live in ``engine/device.py``, where
the trainer's validation uses them too (it cannot import this room); they are re-exported here.

Where pictures are scored when the user does not choose is the one rule :func:`scoring_device`: a whole split
(Evaluate, ``cnnstudio evaluate``) or a folder of pictures on the best device (``"auto"``: a CUDA card when there is
one), a few pictures (one dropped picture, the camera's frames) on the CPU, where there is no card to start up.
"""

from __future__ import annotations

import torch

from ..device import CPU_SHARE, GPU_BATCH, GPU_SHARE, batch_for, capped_batch, fitting_batch, memory_budget

CPU_EVAL_BATCH = 256
CPU_PREDICT_BATCH = 32


def scoring_device(pictures: int | None = None) -> str:
    """Where pictures are scored when the user did not choose, as :func:`~cnnstudio.engine.device.pick_device`
    takes it. ``pictures``: how many, when known; None for a whole split or a folder.

    More than one CPU batch (:data:`CPU_PREDICT_BATCH`), or an unknown number: ``"auto"``, a CUDA card when there is
    one (then Apple's GPU, else the CPU), where large batches score thousands of pictures a second. That many or
    fewer (one picture, the camera's frames): ``"cpu"``, answered at once, without the seconds a card takes to start
    up in a process and the copies to and from it."""
    return "cpu" if pictures is not None and pictures <= CPU_PREDICT_BATCH else "auto"


def scoring_batch(model: torch.nn.Module, shape: tuple[int, int, int], device: torch.device | str,
                  cpu_batch: int, requested: int | None = None) -> int:
    """The batch for scoring pictures of ``shape`` with ``model`` on ``device``: ``requested`` when given, else
    :func:`batch_for` capped by :func:`fitting_batch` (a pass of two pictures' shapes on the meta device; a pass that
    cannot be measured leaves the batch as it is: the estimate never stops the scoring)."""
    from ..model.cost import inference_bytes

    batch = batch_for(device, cpu_batch, requested)
    return batch if requested is not None else capped_batch(batch, inference_bytes, model, shape, device=device)


__all__ = ["CPU_EVAL_BATCH", "CPU_PREDICT_BATCH", "CPU_SHARE", "GPU_BATCH", "GPU_SHARE", "batch_for", "fitting_batch",
           "memory_budget", "scoring_batch", "scoring_device"]

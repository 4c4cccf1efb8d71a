"""How many pictures one forward pass scores when evaluating or predicting: the rule by device and by memory.

On the CPU the sizes stay what they were (256 for evaluation, 32 for prediction of files: small batches
keep progress and cancelling prompt and cost nothing there). On a CUDA card a forward pass costs about the
same for 32 pictures as for a thousand (the card waits for Python and kernel launches), so batches are
:data:`GPU_BATCH` pictures. A caller that gives a batch size keeps it.

Either default is then capped by memory (:func:`fitting_batch`): a pretrained backbone at 224 x 224 takes about 12 MB a
picture at the peak of scoring it (measured: :func:`~cnnstudio.engine.model.cost.inference_bytes`), so 256 of them
want 3 GB, more than training them did; a batch uses at most :data:`CPU_SHARE` of this computer's memory on
the CPU, :data:`GPU_SHARE` of the card's free memory on a CUDA card, and never fewer than one picture.

Where pictures are scored when the user does not choose is the one rule :func:`scoring_device`: a whole split
(Evaluate, ``cnnstudio evaluate``) or a folder of pictures on the best device (``"auto"``: a CUDA card when there is
one), a few pictures (one dropped picture, the camera's frames) on the CPU, where there is no card to start up.
"""

from __future__ import annotations

import torch

CPU_EVAL_BATCH = 256
CPU_PREDICT_BATCH = 32
GPU_BATCH = 1024
CPU_SHARE = 1 / 8  # of the computer's memory: the app, its caches and the other programs keep the rest
GPU_SHARE = 1 / 2  # of the card's free memory


def scoring_device(pictures: int | None = None) -> str:
    """Where pictures are scored when the user did not choose, as :func:`~cnnstudio.engine.device.pick_device`
    takes it. ``pictures``: how many, when known; None for a whole split or a folder.

    More than one CPU batch (:data:`CPU_PREDICT_BATCH`), or an unknown number: ``"auto"``, a CUDA card when there is
    one (then Apple's GPU, else the CPU), where large batches score thousands of pictures a second. That many or
    fewer (one picture, the camera's frames): ``"cpu"``, answered at once, without the seconds a card takes to start
    up in a process and the copies to and from it."""
    return "cpu" if pictures is not None and pictures <= CPU_PREDICT_BATCH else "auto"


def batch_for(device: torch.device | str, cpu_batch: int, requested: int | None = None) -> int:
    """``requested`` when given; else ``cpu_batch`` on the CPU and MPS, :data:`GPU_BATCH` on a CUDA card."""
    if requested is not None:
        return max(1, int(requested))
    return max(cpu_batch, GPU_BATCH) if torch.device(device).type == "cuda" else cpu_batch


def memory_budget(device: torch.device | str) -> int | None:
    """Bytes one scoring batch may take on ``device``; None when the system does not say."""
    device = torch.device(device)
    if device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        return int(free * GPU_SHARE)
    if device.type == "cpu":
        from ...project.memory import total_ram

        ram = total_ram()
        return int(ram * CPU_SHARE) if ram else None
    return None


def fitting_batch(batch: int, per_picture_bytes: int, budget: int | None) -> int:
    """``batch``, or fewer pictures when ``batch`` of ``per_picture_bytes`` would pass ``budget`` (at least 1)."""
    if not budget or per_picture_bytes <= 0:
        return batch
    return max(1, min(batch, budget // per_picture_bytes))


def scoring_batch(model: torch.nn.Module, shape: tuple[int, int, int], device: torch.device | str,
                  cpu_batch: int, requested: int | None = None) -> int:
    """The batch for scoring pictures of ``shape`` with ``model`` on ``device``: ``requested`` when given, else
    :func:`batch_for` capped by :func:`fitting_batch` (a pass of two pictures' shapes on the meta device; a pass that
    cannot be measured leaves the batch as it is: the estimate never stops the scoring)."""
    from ..model.cost import inference_bytes

    batch = batch_for(device, cpu_batch, requested)
    if requested is not None or batch <= 2:
        return batch
    try:
        budget = memory_budget(device)
        if budget is None:
            return batch
        return fitting_batch(batch, inference_bytes(model, shape), budget)
    except Exception:  # noqa: BLE001 - an odd model or device: the default batch, as before the cap
        return batch

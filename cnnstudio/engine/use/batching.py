"""How many pictures one forward pass scores when evaluating or predicting: the rule by device.

On the CPU the sizes stay what they were (256 for evaluation, 32 for prediction of files: small batches
keep progress and cancelling prompt and cost nothing there). On a CUDA card a forward pass costs about the
same for 32 pictures as for a thousand (the card waits for Python and kernel launches), so batches are
:data:`GPU_BATCH` pictures: inference keeps no activations for a backward pass, which leaves room even
for a pretrained backbone at 224x224. A caller that gives a batch size keeps it.
"""

from __future__ import annotations

import torch

CPU_EVAL_BATCH = 256
CPU_PREDICT_BATCH = 32
GPU_BATCH = 1024


def batch_for(device: torch.device | str, cpu_batch: int, requested: int | None = None) -> int:
    """``requested`` when given; else ``cpu_batch`` on the CPU and MPS, :data:`GPU_BATCH` on a CUDA card."""
    if requested is not None:
        return max(1, int(requested))
    return max(cpu_batch, GPU_BATCH) if torch.device(device).type == "cuda" else cpu_batch

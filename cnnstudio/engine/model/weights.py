"""A model's weights as tensors safetensors can store: used by checkpoints (train) and bundles (use)."""

from __future__ import annotations

import torch


def state_dict_tensors(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The model's weights as plain, contiguous CPU tensors that do not share memory (safetensors needs that)."""
    out: dict[str, torch.Tensor] = {}
    seen: set[int] = set()
    for k, v in model.state_dict().items():
        t = v.detach().to("cpu").contiguous()
        ptr = t.untyped_storage().data_ptr() if t.numel() else id(t)
        if ptr in seen:
            t = t.clone()
        seen.add(t.untyped_storage().data_ptr() if t.numel() else id(t))
        out[k] = t
    return out

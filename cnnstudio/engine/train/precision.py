"""The number format of a training step: fp32, or mixed precision on a CUDA graphics card.

The rule (:func:`choose_precision`), with :attr:`TrainSettings.mixed_precision` on (the default):

- on a CUDA card that computes in bfloat16 (Ampere and newer): ``bf16`` autocast. bf16 has fp32's exponent
  range, so no loss scaling is needed;
- on an older CUDA card: ``fp16`` autocast with a :class:`torch.amp.GradScaler` (the loss is scaled up
  before the backward pass so small gradients do not underflow to zero, and the step is skipped when a
  gradient overflowed);
- never on the CPU (bf16 measured slower there without AMX) nor on Apple's MPS: ``fp32``, and the step
  is exactly the one it was before (no autocast context, no scaler: bit-identical results).

What stays fp32 under autocast: the weights and the optimiser's state (autocast casts the inputs of
convolutions and matrix products only), batch norm's weights and running statistics, and the loss, which the
trainer computes from the logits cast to fp32, outside the autocast region. Batch norm itself is not on
autocast's lists: it runs on the bf16/fp16 activations the convolution before it made, with its fp32 weights
and statistics (cuDNN accumulates its means and variances in fp32), and its output stays bf16/fp16. Evaluation
runs under the same autocast as training.
"""

from __future__ import annotations

import contextlib

import torch

FP32, BF16, FP16 = "fp32", "bf16", "fp16"


def choose_precision(mixed_precision: bool, device_type: str, bf16_supported: bool) -> str:
    """``fp32``, ``bf16`` or ``fp16`` for a run on a device of this type (``cpu``, ``cuda``, ``mps``)."""
    if not mixed_precision or device_type != "cuda":
        return FP32
    return BF16 if bf16_supported else FP16


def cuda_bf16(device: torch.device) -> bool:
    """Does this CUDA card compute in bf16 natively (not emulated)?"""
    if device.type != "cuda":
        return False
    try:
        return bool(torch.cuda.is_bf16_supported(including_emulation=False))
    except (TypeError, RuntimeError):  # older PyTorch: no including_emulation
        return torch.cuda.get_device_capability(device)[0] >= 8


class Precision:
    """What a step does in a given precision: ``with p.autocast(): logits = net(x)``, then
    ``p.backward_step(loss, optimizer)``."""

    def __init__(self, name: str, device: torch.device):
        self.name, self.device_type = name, device.type
        self.dtype = {BF16: torch.bfloat16, FP16: torch.float16}.get(name)
        self.scaler = torch.amp.GradScaler(device.type) if name == FP16 else None

    @classmethod
    def for_run(cls, mixed_precision: bool, device: torch.device) -> "Precision":
        return cls(choose_precision(mixed_precision, device.type, cuda_bf16(device)), device)

    def autocast(self):
        """The forward pass's context: autocast in mixed precision, nothing at all in fp32."""
        if self.dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device_type, dtype=self.dtype)

    def backward_step(self, loss: torch.Tensor, optimizer: torch.optim.Optimizer) -> None:
        """Backward pass and optimiser step (through the gradient scaler in fp16)."""
        if self.scaler is None:
            loss.backward()
            optimizer.step()
            return
        self.scaler.scale(loss).backward()
        self.scaler.step(optimizer)  # fused optimisers unscale and skip inside their kernel: no host sync
        self.scaler.update()

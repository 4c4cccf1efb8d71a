"""What training a design costs in memory, estimated before training: the numbers, when to warn, and the words.

Qt-free. Pure Python for catalog layers; a backbone that is trained is measured once on PyTorch's meta device
(shapes only, no memory, no computation), like :func:`~cnnstudio.engine.model.backbones.backbone_stats`.

Per picture (:attr:`MemoryEstimate.per_picture`): the activations a training step keeps for the backward pass.
Every layer's output is a new float32 tensor (4 bytes a value) that the next layer or its own backward keeps, so
the estimate is the input plus the sum over layers of their output's values, x 4 bytes, x :data:`KEPT_FACTOR`.
A flatten is a view (nothing new); a residual block makes :data:`RESIDUAL_TENSORS` tensors of its output's size
inside it (two convolutions, two batch norms, the sum). A frozen backbone keeps nothing: its features are computed
once, without gradients, and only the layers after it train on them (engine/runs/frozen_run.py), so they replace
the picture. A trained backbone's
modules keep more than their outputs (measured the same way as below: 1.71x the values of its modules' outputs for
MobileNetV2 and 1.69x for ResNet-18, at 96 px), so its values count :data:`BACKBONE_EXTRA` times.

:data:`KEPT_FACTOR` 1.25, the share for gradients: backward frees each layer's kept tensors as it makes its
gradients, so the gradients of activations add only what is alive at the same time (a layer's incoming and
outgoing gradient), plus pooling indices, dropout masks and the allocator's slack. Checked against PyTorch on the
CPU: the peak resident memory of one forward + backward pass (in a fresh process, the peak reset just before it,
at batches of 32 and 128, the slope per picture) was 0.72-1.23 of the unscaled sum for six presets (Recommended at
28, 64 and 128 px, Classic at 28, Small VGG at 32, Small ResNet at 64), channels-last or not; so x 1.25 is at or
above what was measured for all but LeNet-5, whose 0.2 MB per picture is too small to matter.

Once per batch (:attr:`MemoryEstimate.fixed`): 16 bytes per trained parameter (the weights, their gradients and the
optimiser's two moments, AdamW's and Adam's; SGD keeps one) and 4 per frozen one.

The warning (:func:`memory_warning`): a batch of :data:`DEFAULT_BATCH_SIZE` pictures (the default recipe's) that
would need more than :data:`WARN_SHARE` of this computer's memory (the data cache may take a quarter,
engine/data/cache.py, and the app and the system need the rest). On a CUDA card the card's memory is what counts,
and Auto batch size finds a batch that fits it; the warning is about RAM.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from ...project.memory import total_ram

BYTES_PER_VALUE = 4  # float32
KEPT_FACTOR = 1.25
RESIDUAL_TENSORS = 5
BACKBONE_EXTRA = 1.4  # x KEPT_FACTOR = 1.75
TRAINED_PARAM_BYTES = 16  # weights, gradients, two optimiser moments
FROZEN_PARAM_BYTES = 4
WARN_SHARE = 0.5
# the batch size of the default recipe: engine/train/settings.py takes it from here (the model room cannot import
# train, and the torch-free CLI commands read it here)
DEFAULT_BATCH_SIZE = 64
_KEPT = {"flatten": 0, "residual_block": RESIDUAL_TENSORS}  # tensors of the output's size a layer makes; else 1


@dataclass(frozen=True)
class MemoryEstimate:
    per_picture: int  # bytes a training step keeps per picture of the batch
    fixed: int  # bytes of weights, gradients and optimiser state, whatever the batch

    def for_batch(self, batch_size: int) -> int:
        return self.fixed + batch_size * self.per_picture

    def to_json(self) -> dict:
        return {"per_picture_bytes": self.per_picture, "fixed_bytes": self.fixed}


@functools.lru_cache(maxsize=64)
def backbone_values(name: str, channels: int, height: int, width: int) -> int:
    """Values a trained backbone keeps per picture: the outputs of its modules (in-place activations write over
    their input and add none), measured on the meta device."""
    import torch

    from .backbones import _meta_model

    model = _meta_model(name, channels).train()
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        if not getattr(module, "inplace", False) and isinstance(output, torch.Tensor):
            total += output[0].numel()

    leaves = [m for m in model.modules() if not list(m.children())]
    handles = [m.register_forward_hook(hook) for m in leaves]
    try:
        model(torch.empty(2, channels, height, width, device="meta"))  # 2: batch norm trains on more than 1 value
    finally:
        for h in handles:
            h.remove()
    return total


def estimate(spec, layers) -> MemoryEstimate | None:
    """The estimate for ``spec`` from the validator's ``layers`` (its LayerReports, the output layer included);
    None when a shape is unknown (a layer in error)."""
    if any(entry.out_shape is None or entry.params is None for entry in layers):
        return None
    values = math.prod(spec.input.shape)
    for entry in layers:
        if entry.index == 0:  # the backbone
            bb = spec.backbone
            if bb.freeze:  # the layers after it train on its features, computed once: the picture is not there
                values = math.prod(entry.out_shape)
            else:
                values += BACKBONE_EXTRA * backbone_values(bb.name, *spec.input.shape)
            continue
        values += _KEPT.get(entry.type, 1) * math.prod(entry.out_shape)
    trained = sum(entry.trainable_params or 0 for entry in layers)
    frozen = sum(entry.params for entry in layers) - trained
    return MemoryEstimate(math.ceil(KEPT_FACTOR * BYTES_PER_VALUE * values),
                          TRAINED_PARAM_BYTES * trained + FROZEN_PARAM_BYTES * frozen)


def memory_words(n: int) -> str:
    """Bytes of memory as people read RAM, in powers of 1024: "800 KB", "12 MB", "1.5 GB", "16 GB"."""
    v = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if v < 1024 or unit == "GB":
            if unit == "bytes":
                return f"{int(v)} bytes"
            return f"{v:.0f} {unit}" if v >= 10 else f"{v:.1f} {unit}"
        v /= 1024
    return f"{v:.0f} GB"  # pragma: no cover


def per_picture_words(est: MemoryEstimate) -> str:
    """ "about 12 MB of memory per picture in training" """
    return f"about {memory_words(est.per_picture)} of memory per picture in training"


def memory_warning(est: MemoryEstimate | None, batch_size: int = DEFAULT_BATCH_SIZE,
                   ram: int | None = None) -> str | None:
    """The sentence to show (a warning: training may still start) when a batch of ``batch_size`` pictures would
    need more than :data:`WARN_SHARE` of ``ram`` bytes (this computer's: :func:`total_ram`); None when it fits or
    either is unknown."""
    ram = total_ram() if ram is None else ram
    if est is None or not ram:
        return None
    need = est.for_batch(batch_size)
    if need <= WARN_SHARE * ram:
        return None
    return (f"A batch of {batch_size} pictures would need about {memory_words(need)} of memory in training, more "
            f"than half of this computer's {memory_words(ram)}: use a smaller input, fewer filters, a pooling layer "
            "earlier, or a smaller batch size on the Train page.")

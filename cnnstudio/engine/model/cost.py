"""What training a design costs in memory, estimated before training: the numbers, when to warn, and the words.

Qt-free. Pure Python for catalog layers; a backbone is measured once on PyTorch's meta device (shapes only, no
memory, no computation), like :func:`~cnnstudio.engine.model.backbones.backbone_stats`.

Per picture (:attr:`MemoryEstimate.per_picture`): the activations a training step keeps for the backward pass.
Every layer's output is a new float32 tensor (4 bytes a value) that the next layer or its own backward keeps, so
the estimate is the input plus the sum over layers of their output's values, x 4 bytes, x :data:`KEPT_FACTOR`.
A flatten is a view (nothing new); a residual block makes :data:`RESIDUAL_TENSORS` tensors of its output's size
inside it (two convolutions, two batch norms, the sum). A frozen backbone keeps nothing for the backward pass: its
features are computed without gradients and only the layers after it train on them (engine/runs/frozen_run.py), so
they replace the picture. But computing them takes memory while it runs, per picture of a batch: the peak of the
values alive at once in its forward pass without gradients (:func:`feature_pass_values`, measured on the meta
device: a layer's input and output, and what a block keeps for its shortcut, not the sum of all its outputs); a
frozen backbone's picture costs the larger of that x :data:`FEATURE_PASS_MARGIN` and the training of the layers after
it x :data:`KEPT_FACTOR`. Checked against PyTorch on the CPU (a batch of 64 pictures, MobileNetV2 with its pretrained
weights, the peak of the allocations of one forward pass under torch.no_grad by torch.profiler, and the peak resident
memory, which agreed within 2 %, with 1 or 2 threads; the picture batch added): on a quiet machine the pass took
1 / 1.13 of the peak x 1.25 (11.7 MB a picture at 224 px), but with other programs busy on the same cores the
ordinary trainer's pass took up to 1.16 x it (2.93 MB a picture at 96 px against 2.53 MB: the allocator's arenas),
so the margin is 1.5: 1.36 x the quiet measure and 2.23 x what the frozen path's feature pass took
(engine/use/features.py: batch norms folded into the convolutions, channels-last: 7.1 MB at 224 px). That pass goes
in batches of at most 64 (fewer when the memory rule of engine/use/batching.py says so), the ordinary trainer's in
batches of the batch size. A trained backbone's modules keep more than their outputs (measured the same way as below: 1.71x the values of its modules' outputs for
MobileNetV2 and 1.69x for ResNet-18, at 96 px), so its values count :data:`BACKBONE_EXTRA` times.

:data:`KEPT_FACTOR` 1.25, the share for gradients: backward frees each layer's kept tensors as it makes its
gradients, so the gradients of activations add only what is alive at the same time (a layer's incoming and
outgoing gradient), plus pooling indices, dropout masks and the allocator's slack. Checked against PyTorch on the
CPU: the peak resident memory of one forward + backward pass (in a fresh process, the peak reset just before it,
at batches of 32 and 128, the slope per picture) was 0.72-1.23 of the unscaled sum for six presets (Recommended at
28, 64 and 128 px, Classic at 28, Small VGG at 32, Small ResNet at 64), channels-last or not; so x 1.25 is at or
above what was measured for all but LeNet-5, whose 0.2 MB per picture is too small to matter.

Once per batch (:attr:`MemoryEstimate.fixed`): 16 bytes per trained parameter (the weights, their gradients and the
optimiser's two moments, AdamW's and Adam's: 4 times the float32 weights; SGD with momentum keeps one, 3 times, so
for it the estimate is a quarter of the weights' bytes high: the design pages do not know the optimiser) and 4 per
frozen one. A design with a huge layer needs far more for this than for its pictures (92 million parameters: about
1.4 GB, against 2.7 MB a picture), so the Model page says both (:func:`training_memory_words`).

The warning (:func:`memory_warning`, the one rule the Model page, the Train page and ``cnnstudio validate`` call): a
batch that would need more than :data:`WARN_SHARE` of this computer's memory (the data cache may take a quarter,
engine/data/cache.py, and the app and the system need the rest). The batch is the one the Train page's Start would train with
(``engine/runs/saved_pages.start_batch_size``: the recipe's for the pictures where the page set none; the command
line's is its own). On a
CUDA card the card's memory is what counts, and Auto batch size finds a batch that fits it; on the processor the
batch size is used as set, Auto or not, and the warning is about RAM.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from ...project.memory import total_ram

BYTES_PER_VALUE = 4  # float32
KEPT_FACTOR = 1.25
FEATURE_PASS_MARGIN = 1.5  # a frozen backbone's forward pass: its peak, x this (the module doc)
INFERENCE_MARGIN = 1.25  # scoring: the allocator's rounding and the batch's logits on top of the measured peak
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


def peak_values(model, x) -> int:
    """The most values alive at once while ``model`` runs on ``x`` without gradients, ``x`` included: every new
    tensor an operation makes counts while it is alive (a view or an in-place operation makes none). ``x`` may
    be on the meta device (shapes only) or a real one (a real forward pass of its pictures)."""
    import weakref

    import torch
    from torch.utils._python_dispatch import TorchDispatchMode

    class Alive(TorchDispatchMode):
        def __init__(self, start: int):
            super().__init__()
            self.alive = self.peak = start

        def freed(self, n: int) -> None:
            self.alive -= n

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            if all(r.alias_info is None for r in func._schema.returns):  # not a view, not in place
                for t in out if isinstance(out, (tuple, list)) else (out,):
                    if isinstance(t, torch.Tensor):
                        self.alive += t.numel()
                        weakref.finalize(t, self.freed, t.numel())
                self.peak = max(self.peak, self.alive)
            return out

    alive = Alive(x.numel())
    with torch.no_grad(), alive:
        model(x)
    return alive.peak


@functools.lru_cache(maxsize=64)
def feature_pass_values(name: str, channels: int, height: int, width: int) -> int:
    """Values a frozen backbone holds at once, per picture, at the peak of its forward pass without gradients, the
    picture included (:func:`peak_values` on the meta device: shapes only)."""
    import torch

    from .backbones import _meta_model

    model = _meta_model(name, channels).eval()  # a frozen backbone stays in eval mode (build.Network)
    return math.ceil(peak_values(model, torch.empty(2, channels, height, width, device="meta")) / 2)


def inference_bytes(model, shape: tuple[int, int, int]) -> int:
    """Bytes one picture of ``shape`` (C, H, W) takes at the peak of scoring it with ``model`` in eval mode
    (float32 values, :data:`INFERENCE_MARGIN` included): :func:`peak_values` of two pictures on the meta device,
    the model's weights stood in for by meta tensors of their shapes (no copy of them, no arithmetic)."""
    import torch
    from torch.func import functional_call

    was_training = model.training
    model.eval()
    try:
        meta = {k: torch.empty_like(v, device="meta")
                for k, v in [*model.named_parameters(), *model.named_buffers()]}
        x = torch.empty(2, *shape, device="meta")
        peak = peak_values(lambda t: functional_call(model, meta, (t,)), x)
    finally:
        model.train(was_training)
    return math.ceil(peak / 2 * 4 * INFERENCE_MARGIN)


def estimate(spec, layers) -> MemoryEstimate | None:
    """The estimate for ``spec`` from the validator's ``layers`` (its LayerReports, the output layer included);
    None when a shape is unknown (a layer in error)."""
    if any(entry.out_shape is None or entry.params is None for entry in layers):
        return None
    values = math.prod(spec.input.shape)
    feature_pass = 0  # a frozen backbone's forward pass, before the layers after it train
    for entry in layers:
        if entry.index == 0:  # the backbone
            bb = spec.backbone
            if bb.freeze:  # the layers after it train on its features, computed once: the picture is not there
                values = math.prod(entry.out_shape)
                feature_pass = feature_pass_values(bb.name, *spec.input.shape)
            else:
                values += BACKBONE_EXTRA * backbone_values(bb.name, *spec.input.shape)
            continue
        values += _KEPT.get(entry.type, 1) * math.prod(entry.out_shape)
    trained = sum(entry.trainable_params or 0 for entry in layers)
    frozen = sum(entry.params for entry in layers) - trained
    return MemoryEstimate(math.ceil(BYTES_PER_VALUE * max(KEPT_FACTOR * values, FEATURE_PASS_MARGIN * feature_pass)),
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


def training_memory_words(est: MemoryEstimate, batch_size: int = DEFAULT_BATCH_SIZE) -> str:
    """What training takes, the part that does not depend on the batch and the part per picture, with a batch of
    ``batch_size`` counted: "weights and training state about 1.4 GB, plus about 2.7 MB per picture (a batch of 32:
    86 MB, about 1.5 GB in all)"."""
    pictures = batch_size * est.per_picture
    return (f"weights and training state about {memory_words(est.fixed)}, plus about {memory_words(est.per_picture)} "
            f"per picture (a batch of {batch_size}: {memory_words(pictures)}, about "
            f"{memory_words(est.for_batch(batch_size))} in all)")


def memory_warning(est: MemoryEstimate | None, batch_size: int = DEFAULT_BATCH_SIZE,
                   ram: int | None = None) -> str | None:
    """The sentence to show (a warning: training may still start) when a batch of ``batch_size`` pictures would
    need more than :data:`WARN_SHARE` of ``ram`` bytes (this computer's: :func:`total_ram`), the weights and the
    optimiser's state included; when those alone do, it says that a smaller batch does not help. None when it fits
    or either is unknown."""
    ram = total_ram() if ram is None else ram
    if est is None or not ram:
        return None
    need = est.for_batch(batch_size)
    if need <= WARN_SHARE * ram:
        return None
    if est.fixed > WARN_SHARE * ram:  # no batch size helps: the weights and the optimiser's state alone are too much
        return (f"The weights and training state alone would need about {memory_words(est.fixed)} of memory in "
                f"training, more than half of this computer's {memory_words(ram)}: give the largest layers fewer units "
                "or filters (a smaller batch size does not help).")
    return (f"A batch of {batch_size} pictures would need about {memory_words(need)} of memory in training, more "
            f"than half of this computer's {memory_words(ram)}: use a smaller input, fewer filters, a pooling layer "
            "earlier, or a smaller batch size on the Train page.")

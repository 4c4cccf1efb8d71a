"""Features of a frozen pretrained backbone, computed once per picture and kept in the project's cache.

A frozen network's output for a picture never changes, so it is computed once (batched, in the calling
thread; decoding in a small thread pool) and stored as float16 in ``cache/features/<key>/`` (a
:class:`~cnnstudio.engine.data.cache.RecordCache`), keyed by the image's content hash, the backbone, its
weights file and the preprocessing. A changed picture has another hash; another size, backbone or weights
file another folder; a deleted cache is rebuilt. Each record also holds the picture's quality statistics
and its pixel signature (:mod:`cnnstudio.engine.data.quality`), measured on the same decoded pixels:
``[features (D) | stats (4) | signature (SIGNATURE_LEN)]``.

Where the backbone runs: ``device`` (the CPU unless a caller says; a frozen-backbone run passes its own device, so
a graphics card computes its features), in batches of :func:`feature_batch` pictures: :data:`BATCH` on the CPU,
the GPU's scoring batch on a CUDA card, fewer when that many would take more than the memory rule of
:mod:`cnnstudio.engine.use.batching` allows. The features are computed in float32 on every device and stored as
float16, so a cache filled on a graphics card serves the CPU and back. Only the CPU path is tested on this
project's build machine (it has no graphics card).

Nothing is downloaded: without the backbone's weights on this computer :func:`iter_features` raises
:class:`~cnnstudio.engine.errors.WeightsNotFound` before any work.
"""

from __future__ import annotations

import functools
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Generator, Sequence

import torch

from ...project.imaging import ImageRejected
from ...project.store import CACHE_DIR
from ..events import DataProgress
from ..data.cache import RecordCache, iter_fill, versioned
from ..data.preprocess import Preprocess, image_to_uint8, normalize
from ..data.quality import SIGNATURE_LEN, STATS, picture_signature, picture_stats
from ..model.backbones import find_weights, get_backbone, make_backbone
from .batching import batch_for, fitting_batch, memory_budget

FEATURES_VERSION = 6  # 2: 24 x 24 signatures, 3: sharpness at 24 x 24, 4: the framed signature too, 5: flatness in colour,
#   6: 16-bit pictures scaled by their depth
EXTRA = len(STATS) + SIGNATURE_LEN  # values after the features in a record
DEFAULT_BACKBONE = "mobilenet_v2"
DEFAULT_SIZE = 160  # px: ImageNet features are good here and 2x cheaper than at 224
SMALL_SIZE = 96  # px, for small pictures (median side <= SMALL_PICTURES): measured on 28 px MNIST digits
SMALL_PICTURES = 64  # (benchmarks/bench_doctor.py), 96 px finds wrong labels as well as 160 px (precision 0.91
#                      vs 0.90, recall 0.83 vs 0.86) in a third of the time: upscaling adds no information
BATCH = 64


def feature_size_for(sides) -> int:
    """The feature size for pictures whose longer sides are ``sides``: :data:`SMALL_SIZE` when most are small."""
    sides = sorted(sides)
    return SMALL_SIZE if sides and sides[len(sides) // 2] <= SMALL_PICTURES else DEFAULT_SIZE


@dataclass
class Features:
    """What :func:`iter_features` returns: row ``i`` belongs to ``pictures[i]``."""
    vectors: torch.Tensor  # (N, D) float16; zeros for an unreadable picture
    stats: torch.Tensor  # (N, len(STATS)) float32
    signatures: torch.Tensor  # (N, SIGNATURE_LEN) float32: quality.picture_signature
    unreadable: dict[int, str]  # position -> why the picture cannot be read
    backbone: str
    size: int
    cached: int  # pictures found in the cache
    seconds: float


def feature_preprocess(backbone: str = DEFAULT_BACKBONE, size: int = DEFAULT_SIZE) -> Preprocess:
    """RGB at ``size`` px, squashed, ImageNet normalisation: what the pretrained backbone expects."""
    get_backbone(backbone)
    return Preprocess(height=size, width=size, channels=3, resize="squash", normalization="imagenet")


def feature_cache(project_root: Path, backbone: str, weights: Path, pp: Preprocess) -> RecordCache:
    dim = get_backbone(backbone).feature_dim
    key = f"{backbone}-{Path(weights).stem}-{pp.decode_key()}"
    return RecordCache(versioned(Path(project_root) / CACHE_DIR / "features", FEATURES_VERSION, key), (dim + EXTRA,),
                       torch.float16, "features.f16")


def fold_batch_norms(model: torch.nn.Module) -> torch.nn.Module:
    """``model`` (in eval mode, frozen) with every batch norm that directly follows a convolution in a
    ``Sequential`` folded into that convolution's weights: the same outputs up to float rounding, and MobileNetV2's
    features a fifth faster on 2 CPU cores (batch norm was 9.4 s of 31 s for 5,000 pictures at 96 px)."""
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    for seq in [m for m in model.modules() if isinstance(m, torch.nn.Sequential)]:
        names = list(seq._modules)
        for a, b in zip(names, names[1:]):
            conv, bn = seq._modules[a], seq._modules[b]
            if isinstance(conv, torch.nn.Conv2d) and isinstance(bn, torch.nn.BatchNorm2d) and bn.track_running_stats:
                seq._modules[a] = fuse_conv_bn_eval(conv, bn)
                seq._modules[b] = torch.nn.Identity()
    return model


def _decode(root: Path, rel: str, pp: Preprocess) -> torch.Tensor | str:
    try:
        return image_to_uint8(root / rel, pp)
    except ImageRejected as err:
        return str(err)
    except OSError as err:
        return f"the file cannot be read ({err.strerror or err})"


@functools.lru_cache(maxsize=16)
def _picture_bytes(backbone: str, shape: tuple[int, int, int]) -> int:
    """Bytes one picture of ``shape`` takes at the peak of the backbone's forward pass (meta device: no arithmetic)."""
    from ..model.cost import inference_bytes

    return inference_bytes(make_backbone(backbone, shape[0], pretrained=False), shape)


def feature_batch(backbone: str, shape: tuple[int, int, int], device: torch.device | str,
                  budget: int | None | bool = True) -> int:
    """Pictures per forward pass of ``backbone``: :func:`~cnnstudio.engine.use.batching.batch_for` (:data:`BATCH` on
    the CPU) capped by :func:`~cnnstudio.engine.use.batching.fitting_batch` for ``budget`` bytes (True: the device's
    :func:`~cnnstudio.engine.use.batching.memory_budget`); an estimate that fails leaves the batch uncapped."""
    batch = batch_for(device, BATCH)
    try:
        if budget is True:
            budget = memory_budget(device)
        return fitting_batch(batch, _picture_bytes(backbone, tuple(shape)), budget or None)
    except Exception:  # noqa: BLE001 - an odd backbone or device: the default batch, as before the cap
        return batch


def iter_features(project_root: str | os.PathLike, pictures: Sequence[tuple[str, str]], *,
                  backbone: str = DEFAULT_BACKBONE, size: int = DEFAULT_SIZE, stop=None, threads: int = 0,
                  batch: int | None = None, device: torch.device | str = "cpu", preprocess: Preprocess | None = None, weights_file=None,
                  message: str = "computing picture features",
                  cancelled: str = "the data check was stopped") -> Generator[DataProgress, None, Features]:
    """Features of ``pictures`` (``(sha256, file relative to the project)`` pairs), yielding progress.

    Use as ``feats = yield from iter_features(...)``. ``stop`` (a threading.Event) cancels between
    batches with :class:`Cancelled`; what was computed so far stays in the cache. ``preprocess``: a run's
    own (RGB, ImageNet normalisation; its resize mode and size name the cache) instead of
    :func:`feature_preprocess`; ``weights_file``: the backbone's weights as a model spec names them;
    ``device``: where the backbone runs; ``batch``: pictures per pass (default :func:`feature_batch`).
    """
    t0 = time.perf_counter()
    root = Path(project_root)
    weights, _source = find_weights(backbone, weights_file)
    pp = preprocess if preprocess is not None else feature_preprocess(backbone, size)
    size = pp.height
    cache = feature_cache(root, backbone, weights, pp)
    dim = get_backbone(backbone).feature_dim
    device = torch.device(device)
    if batch is None:
        batch = feature_batch(backbone, (3, pp.height, pp.width), device)
    unreadable: dict[str, str] = {}
    model = None
    workers = threads if threads > 0 else min(4, os.cpu_count() or 1)

    @torch.inference_mode()  # here only: not held across the progress events in the caller's thread
    def compute(positions: list[int]) -> tuple[list[str], torch.Tensor]:
        nonlocal model
        if model is None:  # only when something is missing from the cache
            model = fold_batch_norms(make_backbone(backbone, 3, pretrained=True, weights_file=weights).eval())
            model = model.to(device=device, memory_format=torch.channels_last)
        chunk = [pictures[i] for i in positions]
        decoded = list(pool.map(lambda p: _decode(root, p[1], pp), chunk))
        good = [(sha, t) for (sha, _), t in zip(chunk, decoded) if isinstance(t, torch.Tensor)]
        unreadable.update((sha, t) for (sha, _), t in zip(chunk, decoded) if isinstance(t, str))
        if not good:
            return [], torch.empty(0)
        pixels = torch.stack([t for _, t in good])
        x = normalize(pixels.to(device, non_blocking=True), pp).contiguous(memory_format=torch.channels_last)
        rec = torch.cat([model(x).float().cpu(), picture_stats(pixels), picture_signature(pixels)], 1)
        return [sha for sha, _ in good], rec.to(torch.float16)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="features") as pool:
        index, fresh, cached = yield from iter_fill(cache, [sha for sha, _ in pictures], compute, chunk=batch,
                                                    message=message, stop=stop, cancelled=cancelled)
    mapped = cache.mapped(max(index.values()) + 1) if index else None
    rows = torch.zeros((len(pictures), dim + EXTRA), dtype=torch.float16)
    bad: dict[int, str] = {}
    for i, (sha, _rel) in enumerate(pictures):
        if sha in index and mapped is not None:
            rows[i] = mapped[index[sha]]
        elif sha in fresh:
            rows[i] = fresh[sha]
        else:
            bad[i] = unreadable.get(sha, "the picture could not be read")
    s = dim + len(STATS)
    return Features(rows[:, :dim].clone(), rows[:, dim:s].float(), rows[:, s:].float(), bad, backbone, size, cached,
                    time.perf_counter() - t0)

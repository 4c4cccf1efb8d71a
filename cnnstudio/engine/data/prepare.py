"""The data pipeline: which images a run uses, decoded ONCE into uint8 tensors.

Decoding and resizing a JPEG costs far more than a training step of a small CNN, so it happens once
per image and preprocessing setting, never per epoch:

- :func:`~cnnstudio.engine.data.entries.dataset_entries` reads the labelled images of the train/val/test splits from the project;
- :func:`iter_prepare` decodes them (a thread pool; Pillow releases the GIL) into ``(N, C, H, W)`` uint8
  tensors and keeps the result in the project's tensor cache
  (:mod:`cnnstudio.engine.data.cache`), ``cache/tensors/<settings>/``: a flat file
  of fixed-size records (``pixels.u8``) plus ``index.txt`` (one image sha256 per record). Later runs with
  the same resize settings reuse it, whatever their split or labels. The cache is append-only, written
  data first and index second, so a crash loses at most the records not yet indexed; it is safe to delete.
- Small data (under a quarter of RAM by default) is copied into memory; bigger data stays memory-mapped
  and batches are gathered from the mapping.

Augmentation happens later on whole batches (:mod:`cnnstudio.engine.data.augment`).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Generator, Sequence

import torch

from ...project.imaging import ImageRejected
from ...project.splits import SPLITS
from ...project.store import Project
from ..errors import DataError
from ..events import DataProgress
from .cache import TensorCache, default_memory_limit, iter_fill
from .entries import Entry, check_files, check_trainable, dataset_entries, fingerprint
from .preprocess import Preprocess, image_to_uint8
from .unreadable_words import unreadable_sentence

CHUNK = 256  # images decoded between progress reports / cache appends


@dataclass
class ImageSet:
    """Images of one split: ``pixels[rows[i]]`` is image ``i`` (``rows`` None: the identity)."""
    pixels: torch.Tensor  # (M, C, H, W) uint8, in memory or memory-mapped
    labels: torch.Tensor  # (N,) int64
    ids: list[int]
    rows: torch.Tensor | None = None
    in_memory: bool = True

    def __len__(self) -> int:
        return len(self.ids)

    def gather(self, idx: torch.Tensor) -> torch.Tensor:
        """The uint8 images at positions ``idx`` (a LongTensor on the CPU) as a new (B, C, H, W) tensor."""
        return self.pixels[self.rows[idx] if self.rows is not None else idx]

    def all_pixels(self) -> torch.Tensor:
        return self.pixels if self.rows is None else self.pixels[self.rows]

    def subset(self, positions: Sequence[int]) -> "ImageSet":
        pos = torch.as_tensor(list(positions), dtype=torch.long)
        rows = self.rows[pos] if self.rows is not None else pos
        return ImageSet(self.pixels, self.labels[pos], [self.ids[i] for i in pos.tolist()], rows, self.in_memory)


@dataclass
class PreparedData:
    class_names: list[str]
    entries: list[Entry]
    preprocess: Preprocess  # resolved: dataset mean/std filled in
    train: ImageSet
    val: ImageSet | None
    test: ImageSet | None
    fingerprint: str
    decode_seconds: float = 0.0
    cached: int = 0  # images found in the cache
    decoded: int = 0  # images decoded now
    extra: dict = field(default_factory=dict)

    def split(self, name: str) -> ImageSet | None:
        return {"train": self.train, "val": self.val, "test": self.test}[name]


def from_tensors(pixels: torch.Tensor, labels: Sequence[int], ids: Sequence[int] | None = None) -> ImageSet:
    """An in-memory :class:`ImageSet` from tensors (tests, benchmarks, prediction on loose files)."""
    if pixels.dtype != torch.uint8 or pixels.dim() != 4:
        raise DataError("images must be a (N, C, H, W) uint8 tensor")
    lab = torch.as_tensor(list(labels) if not isinstance(labels, torch.Tensor) else labels, dtype=torch.long)
    return ImageSet(pixels.contiguous(), lab, list(ids) if ids is not None else list(range(len(lab))))


# ------------------------------------------------------------------ statistics
def channel_stats(images: ImageSet | torch.Tensor, chunk: int = 4096) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Per-channel mean and std of uint8 images, in [0, 1] units."""
    n = len(images) if isinstance(images, ImageSet) else images.shape[0]
    if n == 0:
        raise DataError("cannot measure mean and std of an empty split")
    total = s = ss = None
    for start in range(0, n, chunk):
        idx = torch.arange(start, min(n, start + chunk))
        x = (images.gather(idx) if isinstance(images, ImageSet) else images[idx]).to(torch.float64) / 255.0
        c = x.shape[1]
        x = x.transpose(0, 1).reshape(c, -1)
        s = x.sum(1) if s is None else s + x.sum(1)
        ss = (x * x).sum(1) if ss is None else ss + (x * x).sum(1)
        total = x.shape[1] if total is None else total + x.shape[1]
    mean = s / total
    std = (ss / total - mean * mean).clamp_min(0).sqrt().clamp_min(1e-3)
    return tuple(float(v) for v in mean), tuple(float(v) for v in std)


def resolve_preprocess(pp: Preprocess, train: ImageSet | torch.Tensor) -> Preprocess:
    """Fill in mean/std: measured on ``train`` for ``dataset``, the fixed values otherwise."""
    if pp.normalization == "dataset":
        mean, std = channel_stats(train)
        return pp.with_stats(mean, std)
    mean, std = pp.effective_mean_std()
    return pp.with_stats(mean, std)


class _Unreadable(Exception):
    """A picture that cannot be decoded (``entry``, ``why``): said once, by :func:`iter_load_pixels`, as the user
    knows the picture (:mod:`.unreadable_words` reads its name from the project; not once per broken picture of
    the batch being decoded)."""

    def __init__(self, entry: Entry, why: str):
        super().__init__(why)
        self.entry, self.why = entry, why


def _decode_one(root: Path, e: Entry, pp: Preprocess) -> torch.Tensor:
    try:
        return image_to_uint8(root / e.file, pp)
    except ImageRejected as err:
        raise _Unreadable(e, str(err)) from None


def iter_load_pixels(project_root: Path, entries: Sequence[Entry], pp: Preprocess, *, use_cache: bool = True,
                     memory_limit: int | None = None, threads: int = 0, stop=None
                     ) -> Generator[DataProgress, None, tuple[torch.Tensor, torch.Tensor | None, bool, int]]:
    """Decode what is missing, yielding progress. Returns ``(pixels, rows, in_memory, cached_count)``.

    ``pixels[rows[i]]`` (or ``pixels[i]`` when rows is None) is ``entries[i]``.
    """
    root = Path(project_root)
    n = len(entries)
    c, h, w = pp.input_shape
    limit = default_memory_limit() if memory_limit is None else memory_limit
    cache = TensorCache(root, pp) if use_cache else None
    workers = threads if threads > 0 else min(8, os.cpu_count() or 1)
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="decode") as pool:
            def decode(positions: list[int]) -> tuple[list[str], torch.Tensor]:
                chunk = [entries[i] for i in positions]
                return [e.sha256 for e in chunk], torch.stack(list(pool.map(lambda e: _decode_one(root, e, pp),
                                                                            chunk)))

            index, fresh, cached = yield from iter_fill(cache, [e.sha256 for e in entries], decode, chunk=CHUNK,
                                                        message="decoding images", stop=stop,
                                                        cancelled="preparing the images was stopped")
    except _Unreadable as e:
        raise DataError(unreadable_sentence(root, e.entry, e.why)) from None
    nbytes = n * c * h * w
    if fresh or not cache or nbytes <= limit:
        pixels = torch.empty((n, c, h, w), dtype=torch.uint8)
        mapped = cache.mapped(max(index.values()) + 1) if (cache and index) else None
        from_cache = [(i, index[e.sha256]) for i, e in enumerate(entries) if e.sha256 in index]
        if from_cache and mapped is not None:
            dst = torch.tensor([a for a, _ in from_cache], dtype=torch.long)
            src = torch.tensor([b for _, b in from_cache], dtype=torch.long)
            for s in range(0, len(dst), 8192):
                pixels[dst[s:s + 8192]] = mapped[src[s:s + 8192]]
        for i, e in enumerate(entries):
            if e.sha256 not in index:
                pixels[i] = fresh[e.sha256]
        return pixels, None, True, cached
    mapped = cache.mapped(max(index.values()) + 1)
    rows = torch.tensor([index[e.sha256] for e in entries], dtype=torch.long)
    return mapped, rows, False, cached


def iter_prepare(project: Project, pp: Preprocess, *, use_cache: bool = True, memory_limit: int | None = None,
                 threads: int = 0, stop=None, class_names: Sequence[str] | None = None,
                 entries: Sequence[Entry] | None = None) -> Generator[DataProgress, None, PreparedData]:
    """Everything a run needs from the project, yielding :class:`DataProgress` while decoding.

    Use as ``data = yield from iter_prepare(...)`` inside another generator, or call :func:`prepare`.
    """
    t0 = time.perf_counter()
    if entries is None:
        class_names, entries = dataset_entries(project)
        check_files(project.root, entries)  # the project's pictures now: one whose file was deleted by hand is refused
        # (a run's own pictures, resumed or evaluated, keep the copies it was trained on; the data check lists them)
    elif class_names is None:
        raise DataError("class_names are needed with explicit entries")
    order = {s: i for i, s in enumerate(SPLITS)}
    entries = sorted(entries, key=lambda e: (order.get(e.split, 9), e.id))  # each split one slice: no copies
    check_trainable(class_names, entries)
    pixels, rows, in_memory, cached = yield from iter_load_pixels(
        project.root, entries, pp, use_cache=use_cache, memory_limit=memory_limit, threads=threads, stop=stop)
    sets: dict[str, ImageSet | None] = {}
    for split in SPLITS:
        pos = [i for i, e in enumerate(entries) if e.split == split]
        if not pos:
            sets[split] = None
            continue
        p = torch.tensor(pos, dtype=torch.long)
        labels = torch.tensor([entries[i].label for i in pos], dtype=torch.long)
        ids = [entries[i].id for i in pos]
        if in_memory:
            sets[split] = ImageSet(pixels[pos[0]:pos[-1] + 1], labels, ids)  # a view (pos is a range)
        else:
            sets[split] = ImageSet(pixels, labels, ids, rows[p], in_memory=False)
    resolved = resolve_preprocess(pp, sets["train"])
    return PreparedData(list(class_names), entries, resolved, sets["train"], sets["val"], sets["test"],
                        fingerprint(entries), time.perf_counter() - t0, cached, len(entries) - cached)


def drive(gen: Generator, progress: Callable[[int, int, str], None] | None = None):
    """Run a data generator to its return value, passing progress to ``progress(done, total, message)``."""
    while True:
        try:
            ev = next(gen)
        except StopIteration as stop:
            return stop.value
        if progress is not None and isinstance(ev, DataProgress):
            progress(ev.done, ev.total, ev.message)


def prepare(project: Project, pp: Preprocess, progress: Callable[[int, int, str], None] | None = None,
            **kw) -> PreparedData:
    """:func:`iter_prepare` with a progress callback instead of events."""
    return drive(iter_prepare(project, pp, **kw), progress)

"""The data pipeline: which images a run uses, decoded ONCE into uint8 tensors.

Decoding and resizing a JPEG costs far more than a training step of a small CNN, so it happens once
per image and preprocessing setting, never per epoch:

- :func:`dataset_entries` reads the labelled images of the train/val/test splits from the project;
- :func:`iter_prepare` decodes them (a thread pool; Pillow releases the GIL) into ``(N, C, H, W)`` uint8
  tensors and keeps the result in the project's tensor cache, ``cache/tensors/<settings>/``: a flat file
  of fixed-size records (``pixels.u8``) plus ``index.txt`` (one image sha256 per record). Later runs with
  the same resize settings reuse it, whatever their split or labels. The cache is append-only, written
  data first and index second, so a crash loses at most the records not yet indexed; it is safe to delete.
- Small data (under a quarter of RAM by default) is copied into memory; bigger data stays memory-mapped
  and batches are gathered from the mapping.

Augmentation happens later on whole batches (:mod:`cnnstudio.engine.augment`).
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Generator, Sequence

import numpy as np
import torch

from ..project.imaging import ImageRejected
from ..project.store import CACHE_DIR, ImageFilter, Project
from ..project.splits import SPLITS
from .errors import EngineError
from .events import DataProgress
from .preprocess import Preprocess, image_to_uint8

CACHE_VERSION = 1
CHUNK = 256  # images decoded between progress reports / cache appends
LOCK_STALE_S = 600.0


class DataError(EngineError):
    """The project's data cannot be used for training (too few classes, unreadable image...)."""


class Cancelled(EngineError):
    """Preparing the data was stopped by the user."""


@dataclass(frozen=True)
class Entry:
    """One image as a run uses it."""
    id: int
    sha256: str
    file: str  # relative to the project folder
    label: int  # index into the run's class names
    label_name: str
    split: str  # "train" | "val" | "test"


def dataset_entries(project: Project, splits: Sequence[str] = SPLITS) -> tuple[list[str], list[Entry]]:
    """The labelled, split-assigned, non-trashed images, and the class names (in the project's order).

    A class takes part when it has at least one image in these splits; classes are numbered 0.. in the
    project's class order.
    """
    classes = project.classes()
    records = []
    for split in splits:
        records += [r for r in project.records(project.ids(ImageFilter(split=split))) if r.class_id is not None]
    used = {r.class_id for r in records}
    names = [c.name for c in classes if c.id in used]
    index = {c.id: i for i, c in enumerate(c for c in classes if c.id in used)}
    by_id = {c.id: c.name for c in classes}
    entries = [Entry(r.id, r.sha256, r.file, index[r.class_id], by_id[r.class_id], r.split) for r in records]
    entries.sort(key=lambda e: e.id)
    return names, entries


def fingerprint(entries: Sequence[Entry]) -> str:
    """sha256 over the sorted (image sha256, class name, split) triples: changes when labels/splits do."""
    h = hashlib.sha256()
    for line in sorted(f"{e.sha256}\t{e.label_name}\t{e.split}\n" for e in entries):
        h.update(line.encode("utf-8"))
    return h.hexdigest()


def check_trainable(class_names: Sequence[str], entries: Sequence[Entry]) -> None:
    train = [e for e in entries if e.split == "train"]
    if len(class_names) < 2:
        raise DataError("training needs at least two classes with labelled images in the train/val/test splits")
    if not train:
        raise DataError("there are no labelled images in the training split: assign splits first")
    missing = sorted({e.label_name for e in entries} - {e.label_name for e in train})
    if missing:
        raise DataError(f"class {missing[0]!r} has no images in the training split: add some or re-split")


# ------------------------------------------------------------------ image sets
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


# ------------------------------------------------------------------ tensor cache
def _phys_ram() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def default_memory_limit() -> int:
    return _phys_ram() // 4


class TensorCache:
    """Decoded images of one preprocessing setting: ``pixels.u8`` + ``index.txt`` (see module doc)."""

    def __init__(self, project_root: Path, pp: Preprocess):
        self.pp = pp
        self.dir = Path(project_root) / CACHE_DIR / "tensors" / f"v{CACHE_VERSION}-{pp.decode_key()}"
        self.record = pp.channels * pp.height * pp.width
        self.data_path = self.dir / "pixels.u8"
        self.index_path = self.dir / "index.txt"
        self.lock_path = self.dir / ".lock"
        self._locked = False

    def read_index(self) -> dict[str, int]:
        """sha256 -> record number, for the records that are complete on disk."""
        if not self.index_path.exists() or not self.data_path.exists():
            return {}
        lines = self.index_path.read_bytes().split(b"\n")
        complete = self.data_path.stat().st_size // self.record
        out: dict[str, int] = {}
        for i, line in enumerate(lines[:complete]):
            if len(line) != 64:  # a line cut short by a crash ends the valid part
                break
            out.setdefault(line.decode("ascii"), i)
        return out

    def lock(self) -> bool:
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                if time.time() - self.lock_path.stat().st_mtime < LOCK_STALE_S:
                    return False
                self.lock_path.unlink(missing_ok=True)
                fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except OSError:
                return False
        except OSError:
            return False
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        self._locked = True
        return True

    def unlock(self) -> None:
        if self._locked:
            self.lock_path.unlink(missing_ok=True)
            self._locked = False

    def append(self, shas: list[str], pixels: torch.Tensor, valid: int) -> None:
        """Add records after the first ``valid`` ones (call with the lock held)."""
        with open(self.data_path, "ab") as f:
            if f.tell() != valid * self.record:
                f.truncate(valid * self.record)
                f.seek(valid * self.record)
            f.write(pixels.contiguous().numpy().tobytes())
            f.flush()
            os.fsync(f.fileno())
        lines = self.index_path.read_bytes().split(b"\n")[:valid] if self.index_path.exists() else []
        if len(lines) != valid or (self.index_path.exists() and self.index_path.stat().st_size != 65 * valid):
            tmp = self.index_path.with_suffix(".tmp")
            tmp.write_bytes(b"".join(line + b"\n" for line in lines))
            os.replace(tmp, self.index_path)
        with open(self.index_path, "ab") as f:
            f.write("".join(s + "\n" for s in shas).encode("ascii"))
            f.flush()
            os.fsync(f.fileno())
        self.lock_path.touch()

    def mapped(self, count: int) -> torch.Tensor:
        """The first ``count`` records, memory-mapped copy-on-write, as a (count, C, H, W) uint8 tensor."""
        c, h, w = self.pp.input_shape
        if count == 0:
            return torch.empty((0, c, h, w), dtype=torch.uint8)
        arr = np.memmap(self.data_path, dtype=np.uint8, mode="c", shape=(count, c, h, w))
        return torch.from_numpy(arr)


def _decode_one(root: Path, e: Entry, pp: Preprocess) -> torch.Tensor:
    try:
        return image_to_uint8(root / e.file, pp)
    except ImageRejected as err:
        raise DataError(f"image {e.id} ({e.file}) cannot be read: {err}. Delete it or re-import it") from None


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
    index = cache.read_index() if cache else {}
    missing: list[int] = []
    seen: set[str] = set()
    for i, e in enumerate(entries):
        if e.sha256 not in index and e.sha256 not in seen:
            missing.append(i)
            seen.add(e.sha256)
    cached = n - len(missing)
    locked = bool(cache and missing and cache.lock())
    if locked:
        index = cache.read_index()  # another process may have added records meanwhile
    fresh: dict[str, torch.Tensor] = {}  # decoded but not written to the cache
    workers = threads if threads > 0 else min(8, os.cpu_count() or 1)
    yield DataProgress(0, len(missing), f"{cached} image(s) from the cache" if cached else "decoding images")
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="decode") as pool:
            for start in range(0, len(missing), CHUNK):
                if stop is not None and stop.is_set():
                    raise Cancelled("preparing the images was stopped")
                chunk = [entries[i] for i in missing[start:start + CHUNK]]
                tensors = list(pool.map(lambda e: _decode_one(root, e, pp), chunk))
                if locked:
                    valid = len(index)
                    cache.append([e.sha256 for e in chunk], torch.stack(tensors), valid)
                    for k, e in enumerate(chunk):
                        index[e.sha256] = valid + k
                else:
                    fresh.update((e.sha256, t) for e, t in zip(chunk, tensors))
                yield DataProgress(min(start + CHUNK, len(missing)), len(missing), "decoding images")
    finally:
        if locked:
            cache.unlock()
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

"""Caches of per-picture records under the project's ``cache/``, keyed by image content hash.

:class:`RecordCache` is a flat file of fixed-size records plus ``index.txt`` (one image sha256 per record).
Append-only, written data first and index second, so a crash loses at most the records not yet
indexed; safe to delete. One process appends at a time (a lock file, stale after ``LOCK_STALE_S``).

- :class:`TensorCache`: decoded uint8 images of one preprocessing setting, ``cache/tensors/<settings>/``;
- the backbone feature cache (:mod:`cnnstudio.engine.use.features`) is a float16 :class:`RecordCache`.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from typing import Callable, Generator, Sequence

import numpy as np
import torch

from ...project.counting import counted
from ...project.memory import total_ram
from ...project.store import CACHE_DIR
from ..errors import Cancelled
from ..events import DataProgress
from .preprocess import Preprocess

CACHE_VERSION = 2  # 2: 16-bit pictures scaled by their depth (project.imaging), no longer stretched each
LOCK_STALE_S = 600.0


def default_memory_limit() -> int:
    """A quarter of this computer's memory (8 GiB assumed when the system does not say)."""
    return (total_ram() or 8 * 2**30) // 4


_NUMPY = {torch.uint8: np.uint8, torch.float16: np.float16, torch.float32: np.float32}


class RecordCache:
    """Records of ``shape`` and ``dtype``, one per image sha256: ``data_name`` + ``index.txt`` (module doc)."""

    def __init__(self, folder: Path, shape: tuple[int, ...], dtype: torch.dtype, data_name: str):
        self.dir = Path(folder)
        self.shape = tuple(shape)
        self.dtype = dtype
        self.record = int(np.prod(self.shape)) * torch.empty((), dtype=dtype).element_size()  # bytes
        self.data_path = self.dir / data_name
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
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
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

    def append(self, shas: list[str], records: torch.Tensor, valid: int) -> None:
        """Add records after the first ``valid`` ones (call with the lock held)."""
        with open(self.data_path, "ab") as f:
            if f.tell() != valid * self.record:
                f.truncate(valid * self.record)
                f.seek(valid * self.record)
            f.write(records.contiguous().numpy().tobytes())
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

    def forget_after(self, valid: int) -> None:
        """After a failed append: cut the files back to the ``valid`` complete records (never raises)."""
        try:
            if self.data_path.exists() and self.data_path.stat().st_size > valid * self.record:
                os.truncate(self.data_path, valid * self.record)
        except OSError:
            pass  # read_index only trusts complete records with complete index lines

    def mapped(self, count: int) -> torch.Tensor:
        """The first ``count`` records, memory-mapped copy-on-write, as a ``(count, *shape)`` tensor."""
        if count == 0:
            return torch.empty((0, *self.shape), dtype=self.dtype)
        arr = np.memmap(self.data_path, dtype=_NUMPY[self.dtype], mode="c", shape=(count, *self.shape))
        return torch.from_numpy(arr)


def versioned(parent: Path, version: int, key: str) -> Path:
    """``parent/v<version>-<key>``, the folder of a cache whose records a newer version of CNN Studio computes
    differently; folders of older versions under ``parent`` (``v1-…`` when ``version`` is 2) are deleted here, as
    nothing reads them again (a cache is safe to delete: the module's docs)."""
    old = re.compile(r"v(\d+)-")
    try:
        for folder in parent.iterdir():
            m = old.match(folder.name)
            if m and int(m.group(1)) < version and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
    except OSError:  # no cache yet, or the disk cannot be listed: nothing to tidy
        pass
    return parent / f"v{version}-{key}"


class TensorCache(RecordCache):
    """Decoded uint8 images of one preprocessing setting: ``pixels.u8`` + ``index.txt``."""

    def __init__(self, project_root: Path, pp: Preprocess):
        super().__init__(versioned(Path(project_root) / CACHE_DIR / "tensors", CACHE_VERSION, pp.decode_key()),
                         pp.input_shape, torch.uint8, "pixels.u8")
        self.pp = pp


Compute = Callable[[list[int]], "tuple[list[str], torch.Tensor]"]


def iter_fill(cache: RecordCache | None, shas: Sequence[str], compute: Compute, *, chunk: int, message: str,
              stop=None, cancelled: str = "stopped"
              ) -> Generator[DataProgress, None, tuple[dict[str, int], dict[str, torch.Tensor], int]]:
    """Make the records ``cache`` lacks for ``shas`` (each distinct hash once), ``chunk`` at a time, yielding
    progress: ``compute(positions)`` returns ``(hashes, records)`` for those of ``shas[positions]`` it could
    make (``records``: a ``(k, *shape)`` tensor). With the cache's lock they are appended; without it
    (another process is filling the cache, or no cache) they are kept in memory. ``stop`` set: raises
    :class:`Cancelled` between chunks, what was appended stays.

    Returns ``(index, fresh, cached)``: record numbers in the cache, records kept in memory only, and how
    many of ``shas`` were in the cache already.
    """
    index = cache.read_index() if cache else {}
    missing: list[int] = []
    seen: set[str] = set()
    for i, sha in enumerate(shas):
        if sha not in index and sha not in seen:
            missing.append(i)
            seen.add(sha)
    cached = len(shas) - len(missing)
    locked = bool(cache and missing and cache.lock())
    if locked:
        index = cache.read_index()  # another process may have added records meanwhile
    fresh: dict[str, torch.Tensor] = {}
    yield DataProgress(0, len(missing), f"{counted(cached, 'picture')} from the cache" if cached else message)
    try:
        for start in range(0, len(missing), chunk):
            if stop is not None and stop.is_set():
                raise Cancelled(cancelled)
            done, records = compute(missing[start:start + chunk])
            if done and locked:
                valid = len(index)
                try:
                    cache.append(done, records, valid)
                    index.update((sha, valid + k) for k, sha in enumerate(done))
                except OSError as e:  # only a cache: go on without it, and say so once
                    cache.forget_after(valid)
                    cache.unlock()
                    locked = False
                    fresh.update((sha, records[k]) for k, sha in enumerate(done))
                    yield DataProgress(min(start + chunk, len(missing)), len(missing),
                                       f"the picture cache cannot be written ({e.strerror or e}): going on "
                                       "without it, slower")
                    continue
            elif done:
                fresh.update((sha, records[k]) for k, sha in enumerate(done))
            yield DataProgress(min(start + chunk, len(missing)), len(missing), message)
    finally:
        if locked:
            cache.unlock()
    return index, fresh, cached

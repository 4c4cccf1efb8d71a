"""Which device trains: CPU, CUDA or Apple MPS, chosen by the user or automatically; thread count; how many pictures
one scoring pass takes on it (:func:`batch_for`: the trainer's validation and ``engine/use/batching.py``'s evaluation
and prediction follow the one rule).

Nothing else in the engine names a device: it asks :func:`pick_device` and moves tensors with
``.to(device)``.
"""

from __future__ import annotations

import os
import platform
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

import torch

from .errors import EngineError

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")
GPU_BATCH = 1024  # pictures per scoring pass on a CUDA card (see batch_for)
CPU_SHARE = 1 / 8  # of the computer's memory for a scoring batch: the app, its caches and other programs keep the rest
GPU_SHARE = 1 / 2  # of the card's free memory a scoring batch may take


class DeviceError(EngineError):
    """The requested device is not available on this computer."""


@dataclass(frozen=True)
class DeviceInfo:
    id: str  # "cpu", "cuda:0", "mps"
    name: str  # what a person reads: "CPU (8 cores)", "NVIDIA GeForce RTX 3060 (12.0 GB)"
    kind: str  # "cpu" | "cuda" | "mps"


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps and mps.is_available())


def physical_cores() -> int:
    """Physical CPU cores this process may use (hyper-threads do not help PyTorch's GEMMs)."""
    logical = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    physical = None
    if platform.system() == "Linux":
        try:
            pairs = set()
            with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
                phys = core = None
                for line in f:
                    if line.startswith("physical id"):
                        phys = line.split(":")[1].strip()
                    elif line.startswith("core id"):
                        core = line.split(":")[1].strip()
                    elif not line.strip():
                        if core is not None:
                            pairs.add((phys, core))
                        phys = core = None
                if core is not None:
                    pairs.add((phys, core))
            physical = len(pairs) or None
        except OSError:
            physical = None
    if physical is None:
        physical = max(1, (os.cpu_count() or 1) // 2) if (os.cpu_count() or 1) >= 4 else (os.cpu_count() or 1)
    return max(1, min(logical, physical))


def list_devices() -> list[DeviceInfo]:
    """Every device this computer can train on, CPU first."""
    out = [DeviceInfo("cpu", f"CPU ({physical_cores()} cores)", "cpu")]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            out.append(DeviceInfo(f"cuda:{i}", f"{props.name} ({props.total_memory / 2**30:.1f} GB)", "cuda"))
    if _mps_available():
        out.append(DeviceInfo("mps", "Apple GPU (Metal)", "mps"))
    return out


def pick_device(choice: str = "auto") -> torch.device:
    """``auto`` prefers CUDA, then MPS, then the CPU; an explicit choice that is missing is an error."""
    choice = (choice or "auto").strip().lower()
    if choice == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    kind = choice.split(":")[0]
    if kind == "cpu":
        return torch.device("cpu")
    if kind == "cuda":
        if not torch.cuda.is_available():
            raise DeviceError("no CUDA graphics card is available on this computer: choose 'auto' or 'cpu'")
        dev = torch.device(choice)
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise DeviceError(f"there is no {choice}: this computer has {torch.cuda.device_count()} CUDA device(s)")
        return dev
    if kind == "mps":
        if not _mps_available():
            raise DeviceError("Apple's Metal GPU (mps) is not available on this computer: choose 'auto' or 'cpu'")
        return torch.device("mps")
    raise DeviceError(f"unknown device {choice!r}: use auto, cpu, cuda or mps")


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return "Apple GPU (Metal)"
    n = torch.get_num_threads()
    return f"CPU ({n} thread{'s' if n != 1 else ''})"


def batch_for(device: torch.device | str, cpu_batch: int, requested: int | None = None) -> int:
    """Pictures per forward pass when scoring without gradients (validation, evaluation, prediction): ``requested``
    when given; else ``cpu_batch`` on the CPU and MPS, and at least :data:`GPU_BATCH` on a CUDA card, where a pass
    costs about the same for 32 pictures as for a thousand (the card waits for Python and kernel launches)."""
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
        from ..project.memory import total_ram

        ram = total_ram()
        return int(ram * CPU_SHARE) if ram else None
    return None


def fitting_batch(batch: int, per_picture_bytes: int, budget: int | None) -> int:
    """``batch``, or fewer pictures when ``batch`` of ``per_picture_bytes`` would pass ``budget`` (at least 1)."""
    if not budget or per_picture_bytes <= 0:
        return batch
    return max(1, min(batch, budget // per_picture_bytes))


def capped_batch(batch: int, per_picture_bytes: Callable[..., int], *args, device: torch.device | str,
                 unmeasured: int | None = None) -> int:
    """``batch`` capped by :func:`fitting_batch` for ``device``'s memory (``per_picture_bytes(*args)``: one picture's
    bytes at the peak of scoring it, measured only when the batch is over 2 pictures). A cap that cannot be measured
    gives ``unmeasured`` (None: the batch as it is): the estimate never stops the scoring."""
    if batch <= 2:
        return batch
    try:
        return fitting_batch(batch, per_picture_bytes(*args), memory_budget(device))
    except Exception:  # noqa: BLE001 - an odd model or device: as before the cap
        return batch if unmeasured is None else unmeasured


def validation_batch(device: torch.device | str, setting: int, per_picture_bytes: Callable[..., int], *args) -> int:
    """Pictures per pass when the trainer scores its validation pictures: :func:`batch_for` with ``setting`` (the
    run's ``eval_batch_size``): the setting on the CPU and MPS, as before; on a CUDA card its larger batch, capped by
    :func:`capped_batch` for the card's free memory, and never fewer than the setting (the setting when the cap
    cannot be measured)."""
    batch = batch_for(device, setting)
    if batch <= setting:
        return setting
    return max(setting, capped_batch(batch, per_picture_bytes, *args, device=device, unmeasured=setting))


def set_threads(threads: int = 0) -> int:
    """Set PyTorch's intra-op threads: ``0`` means the physical core count. Returns the number used.

    Changing inter-op threads after any parallel work raises in PyTorch, so only intra-op is set here.
    """
    n = int(threads) if threads and threads > 0 else physical_cores()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


@contextmanager
def one_thread():
    """PyTorch on one intra-op thread inside the ``with`` for *this* thread only, its count restored after (a
    generator's ``yield`` inside keeps it until the generator ends). For small matrices, where a second thread's
    start-up and spinning cost more than it saves: a frozen head's exact fit (train/head_fit.py: 30x slower on two
    threads on a busy 2-core machine) and the data check's per-fold probe (runs/doctor_folds.py: 9.8 s of CPU on two
    threads, 1.8 s on one, the same findings).

    Beside other threads (the data check runs in a worker thread of the window's process): a thread that already
    ran PyTorch keeps its count, and overlapping uses in several threads, ending in any order, leave every count as
    it was. A thread that first runs PyTorch inside the ``with`` (Predict's model load, an evaluation) starts with
    the process's count (every core unless :func:`set_threads` chose fewer), unless it starts in the short window
    in which :func:`_set_here` changes the process's default and puts it back: then it runs on one thread for good
    (not guaranteed away: see there)."""
    before = _set_here(1)
    try:
        yield
    finally:
        _set_here(before)


def use_one_thread_here() -> None:
    """PyTorch work started from *this* thread runs on one thread from now on, whatever other threads set.

    For a GUI thread that now and then runs a small model (previews, a dropped picture) beside worker
    threads (evaluation, batch prediction). Measured on 2 cores (``benchmarks/bench_gui_training.py``,
    when the GUI still trained in a thread): once a second thread has run a parallel PyTorch operation on
    two threads, its idle OpenMP helper thread stays, libgomp counts more threads than cores and
    switches every team to short spinning, and a training thread ran ~17 % slower (1,374 vs 1,650
    pictures/s) for the rest of the process's life. How: :func:`_set_here`.
    """
    _set_here(1)


_default_lock = threading.Lock()  # one change of a thread's count, and of the default, at a time


def _set_here(threads: int) -> int:
    """This thread's PyTorch count to ``threads``; threads that have not chosen keep starting with the count they
    did. Returns this thread's count before.

    ATen fixes a thread's count at its first use (``torch.get_num_threads`` counts), and OpenMP's and MKL's
    settings are per thread; but ``torch.set_num_threads`` also sets the default that threads which have not
    chosen start with (and keep for good). So the default is read in a short-lived thread first and put back by
    another; the lock keeps two threads doing this at once from reading each other's passing default (with
    ``torch.set_num_threads`` and a restore, two ``with one_thread()`` in two threads ending in the other order
    left the default at 1 for every later thread).

    The lock orders the callers of this function only: it cannot hold back a thread that first runs PyTorch
    between ``torch.set_num_threads(threads)`` here and the other thread's putting back of the default. Such a
    thread starts with ``threads`` (one, from :func:`one_thread`) and keeps it for good: slower, never wrong. That
    window is the time to start and join one thread (about 0.04 ms typical, 0.5 ms the slowest of 200 on a 2-core
    machine; longer only if the process is not scheduled meanwhile); a thread that ran PyTorch before keeps its
    count whatever happens in it."""
    with _default_lock:
        before = torch.get_num_threads()  # fixes this thread's count (ATen initialises it once per thread)
        if before != threads:
            default = _in_new_thread(torch.get_num_threads)
            torch.set_num_threads(threads)
            if default != threads:
                _in_new_thread(lambda: torch.set_num_threads(default))
    return before


def _in_new_thread(work: Callable[[], int | None]) -> int | None:
    out: list = []
    t = threading.Thread(target=lambda: out.append(work()), name="torch-default-threads")
    t.start()
    t.join()
    return out[0] if out else None


_OUT_OF_MEMORY = ("out of memory", "cudnn_status_alloc_failed", "cublas_status_alloc_failed")


def is_out_of_memory(exc: BaseException) -> bool:
    """Did ``exc`` come from running out of memory? PyTorch's own error, the computer's MemoryError, or a
    RuntimeError saying so, cuDNN's and cuBLAS's failed allocations included."""
    oom = getattr(torch.cuda, "OutOfMemoryError", None)
    if oom is not None and isinstance(exc, oom):
        return True
    if isinstance(exc, MemoryError):
        return True
    msg = str(exc).lower()
    return isinstance(exc, RuntimeError) and any(words in msg for words in _OUT_OF_MEMORY)


def uses_conv(model: torch.nn.Module) -> bool:
    return any(isinstance(m, (torch.nn.Conv2d, torch.nn.Conv1d, torch.nn.Conv3d)) for m in model.modules())


def choose_channels_last(setting: str, model: torch.nn.Module, device: torch.device) -> bool:
    """``auto``: on for convolutional models on the CPU (oneDNN's layout). Off on a graphics card until measured
    there: ``benchmarks/bench_gpu.py`` times the trainer with it on (``trainer_cl``) beside the default."""
    if setting == "on":
        return True
    if setting == "off":
        return False
    return device.type == "cpu" and uses_conv(model)

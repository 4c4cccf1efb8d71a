"""Training in several processes (several GPUs, or machines) with PyTorch's DistributedDataParallel.

Nothing here schedules anything: processes are started by PyTorch's own launcher, ``torchrun``
(``python -m torch.distributed.run``), which sets ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``,
``MASTER_ADDR`` and ``MASTER_PORT`` in each process's environment. ``cnnstudio train --nproc N`` is a
shortcut that runs ``torchrun --nproc-per-node N`` on this machine (:func:`launch`).

:func:`init_from_env` joins the process group (NCCL for CUDA tensors, gloo for CPU tensors) and returns
a :class:`DistContext`, which :func:`cnnstudio.engine.train.trainer.fit` and :func:`cnnstudio.engine.runs.lifecycle.run`
accept as ``dist=``. The trainer's loop is the same for one process or several: it calls one object,
:class:`cnnstudio.engine.train.processes.SeveralProcesses` (built on a :class:`DistContext`) here and the
trivial :class:`~cnnstudio.engine.train.processes.OneProcess` without ``dist``. What changes with it:

- the model is wrapped in ``DistributedDataParallel``: gradients are averaged across processes;
- data: every process draws the SAME seeded permutation of the training images each epoch and takes
  its shard ``perm[rank::world]``, padded at the end to equal length (``DistributedSampler``'s
  semantics over the in-memory tensors). ``batch_size`` stays the GLOBAL batch size: each process
  trains on ``batch_size // world`` images per step, so a recipe means the same on 1 or 8 GPUs and one
  global batch is exactly the images one process would have used;
- augmentation and dropout draw from per-process generators seeded from (seed, epoch, rank), so a
  resumed run repeats them exactly without saving every process's random state;
- metrics (loss sums, correct counts, image counts) are summed over the processes (``all_reduce``);
  validation is sharded the same way, so every process sees the same numbers;
- decisions are made together: stop (Ctrl-C, the GUI) and BatchEnd reports happen at sync points
  every few batches, chosen by rank 0; the best epoch and early stopping are decided on rank 0 and
  broadcast;
- only rank 0 writes: checkpoints, metrics, the model and the run's database row. A resumed run needs
  the checkpoint where every process can read it (one machine, or a shared folder);
- BatchNorm statistics are per process (the running averages of rank 0 are broadcast to the others
  every step and before validation); on a GPU a run can use ``SyncBatchNorm`` by its own design only.

Failure: a process that dies or hangs makes the others fail instead of waiting forever. gloo notices a
closed connection at once; anything else hits the process-group timeout, ``CNNSTUDIO_DIST_TIMEOUT``
seconds (default 600).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable, Sequence

import torch

from ..errors import EngineError

TIMEOUT_ENV = "CNNSTUDIO_DIST_TIMEOUT"
DEFAULT_TIMEOUT_S = 600.0
WAIT_ENV = "CNNSTUDIO_DIST_SETUP_TIMEOUT"  # waiting for rank 0 to prepare data: decoding can take long
DEFAULT_WAIT_S = 6 * 3600.0
_ENV_KEYS = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")


class DistributedError(EngineError):
    """Multi-process training cannot start, or a process was lost."""


class FailedInFirstProcess(EngineError):
    """Setup failed in rank 0, which reports it: the other processes need not repeat the message."""


def in_launcher_env(environ: dict | None = None) -> bool:
    """True in a process started by torchrun (or by hand with the same variables)."""
    env = os.environ if environ is None else environ
    return all(k in env for k in _ENV_KEYS)


def timeout_s() -> float:
    raw = os.environ.get(TIMEOUT_ENV, "")
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        raise DistributedError(f"{TIMEOUT_ENV} must be a number of seconds, not {raw!r}") from None


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        raise DistributedError(f"{name} must be a whole number, not {os.environ.get(name)!r}") from None


@dataclass
class DistContext:
    """This process's place in the process group, and the few collective operations training needs."""
    rank: int
    world_size: int
    local_rank: int = 0
    local_world_size: int = 1
    backend: str = "gloo"
    timeout: float = DEFAULT_TIMEOUT_S
    _keys: dict = field(default_factory=dict, repr=False)

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    # ---------------------------------------------------------------- device and model
    def device(self, device: torch.device) -> torch.device:
        """The device THIS process trains on, given the one the settings chose."""
        if device.type == "cuda":
            count = torch.cuda.device_count()
            if max(self.local_world_size, self.local_rank + 1) > count:  # every process sees it: none hangs
                from ..device import DeviceError

                raise DeviceError(
                    f"{self.local_world_size} training processes were started on this machine but it has {count} "
                    f"CUDA graphics card(s): start at most {count} (one per card), or train on the CPU "
                    "(--device cpu)")
            dev = torch.device("cuda", self.local_rank)
            torch.cuda.set_device(dev)
            return dev
        if device.type != "cpu":
            from ..device import DeviceError

            raise DeviceError(f"training in several processes runs on CUDA graphics cards or the CPU, not on "
                              f"{device.type}: use --device cpu")
        return device

    def threads(self, requested: int) -> int:
        """CPU threads per process: the physical cores shared between the processes of this machine."""
        from ..device import physical_cores

        return requested if requested > 0 else max(1, physical_cores() // max(1, self.local_world_size))

    def wrap(self, model: torch.nn.Module, device: torch.device) -> torch.nn.Module:
        from torch.nn.parallel import DistributedDataParallel as DDP

        ids = [device.index] if device.type == "cuda" else None
        return DDP(model, device_ids=ids, output_device=ids[0] if ids else None)

    # ---------------------------------------------------------------- data
    def shard(self, perm: torch.Tensor) -> torch.Tensor:
        """``DistributedSampler`` over a permutation: pad to a multiple of the world size by repeating its
        start, then take every ``world``-th index from ``rank``."""
        n, w = perm.numel(), self.world_size
        total = -(-n // w) * w
        if total > n:
            reps = -(-total // n)
            perm = perm.repeat(reps)[:total]
        return perm[self.rank:total:w]

    def local_count(self, n: int) -> int:
        return -(-n // self.world_size)

    def positions(self, n: int) -> list[int]:
        """This process's share of ``n`` evaluation items (no padding: each counted once)."""
        return list(range(self.rank, n, self.world_size))

    def seed(self, seed: int, epoch: int, salt: int = 0) -> int:
        """A per-process, per-epoch seed (for augmentation and dropout)."""
        return (seed * 1_000_003 + epoch * 10_007 + self.rank * 101 + salt) % (2**63 - 1)

    # ---------------------------------------------------------------- collectives
    def all_reduce(self, t: torch.Tensor, op: str = "sum") -> torch.Tensor:
        import torch.distributed as dist

        ops = {"sum": dist.ReduceOp.SUM, "max": dist.ReduceOp.MAX, "min": dist.ReduceOp.MIN}
        self._call(dist.all_reduce, t, op=ops[op])
        return t

    def broadcast(self, t: torch.Tensor, src: int = 0) -> torch.Tensor:
        import torch.distributed as dist

        self._call(dist.broadcast, t, src=src)
        return t

    def broadcast_buffers(self, model: torch.nn.Module) -> None:
        """Rank 0's BatchNorm running statistics everywhere (before validation and checkpoints)."""
        for b in model.buffers():
            if b.dtype.is_floating_point or b.dtype in (torch.long, torch.int):
                self.broadcast(b.data)

    def barrier(self) -> None:
        import torch.distributed as dist

        self._call(dist.barrier)

    def _call(self, fn: Callable, *args, **kw):
        try:
            return fn(*args, **kw)
        except Exception as e:  # noqa: BLE001 - every backend has its own error types
            raise DistributedError(lost_message(e)) from e

    # ---------------------------------------------------------------- rank 0 first
    def main_first(self, key: str, fn: Callable[[], Any], wait_s: float | None = None) -> Any:
        """Run ``fn`` on rank 0 and hand its JSON-able result to every process (through the launcher's
        key-value store, no collective): for setup that must happen once (creating the run, filling the
        tensor cache). An exception on rank 0 is raised, as an :class:`EngineError` with the same message,
        in every process."""
        import torch.distributed as dist

        n = self._keys[key] = self._keys.get(key, 0) + 1
        full = f"cnnstudio/{key}/{n}"
        store = dist.distributed_c10d._get_default_store()
        if self.is_main:
            try:
                value = fn()
            except BaseException as e:
                store.set(full, json.dumps({"error": str(e) or type(e).__name__, "type": type(e).__name__}))
                raise
            store.set(full, json.dumps({"value": value}))
            return value
        wait = float(os.environ.get(WAIT_ENV) or DEFAULT_WAIT_S) if wait_s is None else wait_s
        try:
            store.wait([full], timedelta(seconds=wait))
            reply = json.loads(store.get(full).decode("utf-8"))
        except Exception as e:  # noqa: BLE001
            raise DistributedError(lost_message(e, waiting="for the first process to " + key.replace("-", " "))) from e
        if "error" in reply:
            raise FailedInFirstProcess(reply["error"])
        return reply["value"]

    def close(self) -> None:
        import torch.distributed as dist

        if dist.is_initialized():
            try:
                dist.destroy_process_group()
            except Exception:  # noqa: BLE001 - closing after a failure must not hide it
                pass


def lost_message(e: BaseException, waiting: str = "") -> str:
    """One sentence for a lost peer, with the backend's own words cut to their core."""
    first = (str(e).strip().splitlines() or [type(e).__name__])[0]
    first = re.sub(r"^\[[^\]]*\]\s*", "", first)  # gloo's "[.../pair.cc:545] " source location
    first = first.split(". ")[0].rstrip(".")[:200] or type(e).__name__
    what = f" while waiting {waiting}" if waiting else ""
    return f"another training process stopped or cannot be reached{what} ({first}): training cannot go on"


def is_comm_error(e: BaseException) -> bool:
    """Does this exception mean a peer process is gone (rather than a bug or bad input)?"""
    if isinstance(e, DistributedError):
        return True
    try:
        import torch.distributed as dist

        kinds = tuple(k for k in (getattr(dist, "DistError", None),) if k is not None)
    except ImportError:
        kinds = ()
    if kinds and isinstance(e, kinds):
        return True
    text = str(e).lower()
    return isinstance(e, RuntimeError) and any(s in text for s in (
        "gloo", "nccl", "connection closed", "connection reset", "broken pipe", "timed out", "timeout",
        "peer", "socket"))


def init_from_env() -> DistContext | None:
    """Join the process group described by the environment (torchrun's variables); None outside it."""
    if not in_launcher_env():
        return None
    import torch.distributed as dist

    rank, world = _env_int("RANK", 0), _env_int("WORLD_SIZE", 1)
    local_rank = _env_int("LOCAL_RANK", rank)
    local_world = _env_int("LOCAL_WORLD_SIZE", world)
    if not dist.is_available():
        raise DistributedError("this PyTorch build cannot train in several processes (torch.distributed is missing)")
    backend = "cpu:gloo,cuda:nccl" if torch.cuda.is_available() and dist.is_nccl_available() else "gloo"
    t = timeout_s()
    if not dist.is_initialized():
        if backend != "gloo" and local_rank < torch.cuda.device_count():
            torch.cuda.set_device(local_rank)
        # The backends' threads inherit the signal mask of the thread that starts them: with SIGINT blocked
        # here, Ctrl-C always reaches the Python main thread (which stops the run at the next sync point)
        # and never interrupts a communication thread in the middle of a read.
        blocked = {signal.SIGINT, signal.SIGTERM} if hasattr(signal, "pthread_sigmask") else set()
        if blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            dist.init_process_group(backend, rank=rank, world_size=world, timeout=timedelta(seconds=t))
        except Exception as e:  # noqa: BLE001
            raise DistributedError(f"cannot join the other training processes ({str(e).splitlines()[0][:300]}): "
                                   "check MASTER_ADDR / MASTER_PORT and that every process was started") from e
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
    return DistContext(rank, world, local_rank, local_world, backend, t)


def launch(cli_args: Sequence[str], nproc: int, *, env: dict | None = None) -> int:
    """Run ``cnnstudio <cli_args>`` in ``nproc`` processes on this machine through torchrun; return its exit
    status. Rendezvous on 127.0.0.1 with a free port."""
    if nproc < 1:
        raise DistributedError("--nproc must be at least 1")
    cmd = [sys.executable, "-m", __name__, "--nnodes", "1", "--nproc-per-node", str(nproc),
           "--rdzv-backend", "c10d", "--rdzv-endpoint", "127.0.0.1:0", "-m", "cnnstudio", *cli_args]
    full_env = dict(os.environ if env is None else env)
    full_env.setdefault("OMP_NUM_THREADS", "1")  # the trainer sets its own thread count per process
    proc = subprocess.Popen(cmd, env=full_env)
    interrupts = 0
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:  # the Ctrl-C reached torchrun and the workers too: let them stop cleanly
            interrupts += 1
            if interrupts == 2:
                proc.terminate()
            elif interrupts > 2:
                proc.kill()
                return 130


def _torchrun(argv: list[str]) -> int:
    """torchrun, minus the traceback it prints when a worker fails (the worker said why already)."""
    import logging

    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.run import main as torchrun_main

    logging.getLogger("torch.distributed.elastic.multiprocessing.api").setLevel(logging.CRITICAL)
    try:
        torchrun_main(argv)
    except ChildFailedError as e:
        failures = getattr(e, "failures", {}) or {}
        codes = [getattr(f, "exitcode", 1) for f in failures.values()]
        return 130 if codes and all(c in (130, -2) for c in codes) else 1
    return 0


if __name__ == "__main__":  # `python -m cnnstudio.engine.train.distributed ARGS`: what `launch` runs
    sys.exit(_torchrun(sys.argv[1:]))


__all__ = ["DistContext", "DistributedError", "FailedInFirstProcess", "TIMEOUT_ENV", "in_launcher_env", "init_from_env",
           "is_comm_error", "launch", "lost_message", "timeout_s"]

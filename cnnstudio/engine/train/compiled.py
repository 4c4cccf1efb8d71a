"""``torch.compile`` for the training step's forward pass: when to, and a clean way back when it fails.

The rule (:func:`choose_compile`, :attr:`TrainSettings.compile`): ``off`` never, ``on`` always, ``auto`` only
on a CUDA card, in one process, for a run whose eager length (from the timed first batches) is at least
:data:`COMPILE_PAYS_S` seconds. Measured on an H200 (issue 21): compiling with CUDA graphs
(``mode="reduce-overhead"``) took 10-15 s and made steps 2.0-2.9x faster, so a run must be long enough
to repay it; on the CPU compiling was erratic for training and is never chosen by ``auto``.

What is compiled: the model (its forward and, through autograd, its backward). The loss (fp32) and the
optimiser step stay eager. :func:`compile_model` compiles and runs one warm-up forward and backward on a
real batch before the run starts, so compilation time is spent (and counted) up front and a failure is
known before the first step: the weights' gradients are cleared and batch-norm statistics put back
afterwards, so the warm-up leaves the model as it was. When compiling raises, the run trains eagerly and
the reason is recorded (:class:`Forward` does the same if a later call fails). Running out of memory there
is no exception: compiled code (CUDA graphs keep their own memory pool) can need more than the eager step that
Auto's batch size was measured with, so the compiled model is dropped, its memory given back, and the run
trains eagerly (:data:`NEEDED_MEMORY`).

Many models in one process (the Tune step's trials): every network shares one ``forward`` code object, and
PyTorch keeps at most ``recompile_limit`` (8) compiled versions of one code object; past it, it runs the
model eagerly without saying so. So :func:`compile_model` clears PyTorch's compile caches first (this app
compiles one model at a time), and a warm-up that made no compiled graph is recorded as such, not as
"compiled".
"""

from __future__ import annotations

import gc
import time
from typing import Callable

import torch

from ..device import is_out_of_memory

COMPILE_SETTINGS = ("auto", "on", "off")
COMPILE_PAYS_S = 60.0


def choose_compile(setting: str, device_type: str, world_size: int, eager_run_s: float | None) -> bool:
    """Compile this run's step? (``eager_run_s``: the run's estimated length without compiling.)"""
    if setting == "on":
        return True
    if setting == "off" or device_type != "cuda" or world_size != 1:
        return False
    return eager_run_s is not None and eager_run_s >= COMPILE_PAYS_S


def default_compile(model: torch.nn.Module, device: torch.device) -> Callable:
    """``torch.compile`` with CUDA graphs on a CUDA card, the default mode elsewhere."""
    return torch.compile(model, mode="reduce-overhead" if device.type == "cuda" else None)


def _reason(e: BaseException) -> str:
    """The error's type and first line, and its root cause's (torch wraps a backend's error)."""
    def line(x: BaseException) -> str:
        first = (str(x).strip().splitlines() or [""])[0][:160]
        return f"{type(x).__name__}: {first}" if first else type(x).__name__
    root = e
    for _ in range(10):
        inner = getattr(root, "inner_exception", None) or root.__cause__
        if inner is None:
            break
        root = inner
    return line(e) if root is e else f"{line(e)} {line(root)}"


def compile_model(model: torch.nn.Module, device: torch.device, warm_up: Callable[[Callable], None],
                  compile_fn: Callable | None = None) -> tuple[Callable | None, str]:
    """(the compiled model or None, what happened in words). ``warm_up(forward)`` runs one forward and
    backward pass through ``forward``; the model's buffers and gradients are restored after it."""
    buffers = {k: v.detach().clone() for k, v in model.named_buffers()}
    t0 = time.perf_counter()
    import torch._dynamo  # heavy: only when a run compiles

    torch._dynamo.reset()  # one model at a time: see "Many models in one process" above
    graphs, failure, compiled = _graphs_made(), "", None
    try:
        compiled = (compile_fn or default_compile)(model, device)
        warm_up(compiled)
    except Exception as e:  # noqa: BLE001 - any failure to compile means: train eagerly
        failure = NEEDED_MEMORY if is_out_of_memory(e) else f"compiling failed ({_reason(e)})"
    finally:
        for p in model.parameters():
            p.grad = None
        with torch.no_grad():
            for k, v in model.named_buffers():
                if k in buffers:
                    v.copy_(buffers[k])
    if failure:
        if failure == NEEDED_MEMORY:
            del compiled
            free_memory(device)  # out of the except block: the error's frames no longer hold the tensors
        return None, f"{failure}: trained without compiling"
    if isinstance(compiled, torch._dynamo.eval_frame.OptimizedModule) and _graphs_made() == graphs:
        return None, "compiling made nothing (PyTorch ran the model as it was): trained without compiling"
    return compiled, f"compiled ({time.perf_counter() - t0:.1f} s)"


def _graphs_made() -> int:
    """How many graphs torch.compile has made in this process (its own counter)."""
    import torch._dynamo.utils

    return torch._dynamo.utils.counters["stats"]["unique_graphs"]


class Forward:
    """The model's forward for training steps: the compiled one for full batches, the eager one for the
    epoch's shorter last batch (no recompilation for one batch) and for every batch after a failure."""

    def __init__(self, eager: Callable, compiled: Callable, batch: int):
        self.eager, self.compiled, self.batch = eager, compiled, batch
        self.failed = ""
        self._mark = getattr(getattr(torch, "compiler", None), "cudagraph_mark_step_begin", None)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if self.compiled is not None and x.shape[0] == self.batch:
            oom = False
            try:
                if self._mark is not None:
                    self._mark()  # a new training step: CUDA graphs may reuse the last step's memory
                return self.compiled(x)
            except Exception as e:  # noqa: BLE001 - fall back for the rest of the run
                self.compiled, oom = None, is_out_of_memory(e)
                self.failed = (f"{NEEDED_MEMORY}: continued without compiling" if oom
                               else f"compiled step failed ({_reason(e)}): continued without")
            if oom:
                free_memory(x.device)  # out of the except block: the error's frames no longer hold the tensors
        return self.eager(x)


NEEDED_MEMORY = "compiling needed more memory than the card had"


def free_memory(device: torch.device) -> None:
    """Give back what a failed compiled model held (its graphs, CUDA graphs' own memory pool) before the run
    goes on eagerly."""
    import torch._dynamo

    torch._dynamo.reset()  # drops the compiled code and CUDA graphs' memory pool
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()

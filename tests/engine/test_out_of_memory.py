"""Running out of memory: which errors say so (cuDNN's and cuBLAS's failed allocations too), and compiling that
runs out of memory (in its warm-up or in a later compiled step) leaving a run that trains eagerly and says why."""

from __future__ import annotations

import dataclasses

import torch

from cnnstudio.engine.device import is_out_of_memory
from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.train.compiled import NEEDED_MEMORY, Forward, compile_model
from cnnstudio.engine.train.trainer import fit
from tests.engine.test_trainer import settings, toy_data, toy_model

TIMING = {"elapsed", "eta", "images_per_second", "train_seconds", "path"}


def oom(*_args):
    raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")


def test_out_of_memory_errors_are_recognised():
    assert is_out_of_memory(torch.OutOfMemoryError("CUDA out of memory"))
    assert is_out_of_memory(MemoryError())
    assert is_out_of_memory(RuntimeError("DefaultCPUAllocator: not enough memory: you tried to allocate; "
                                         "out of memory"))
    assert is_out_of_memory(RuntimeError("cuDNN error: CUDNN_STATUS_ALLOC_FAILED"))
    assert is_out_of_memory(RuntimeError("CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`"))
    assert not is_out_of_memory(RuntimeError("cuDNN error: CUDNN_STATUS_BAD_PARAM"))
    assert not is_out_of_memory(ValueError("out of memory"))  # not an error PyTorch raises for memory


def test_a_warm_up_that_runs_out_of_memory_trains_eagerly():
    net = torch.nn.Linear(3, 2)
    compiled, words = compile_model(net, torch.device("cpu"), oom, lambda m, d: m)
    assert compiled is None and words == f"{NEEDED_MEMORY}: trained without compiling"
    assert net.weight.grad is None
    compiled, words = compile_model(net, torch.device("cpu"), lambda f: None, oom)  # compiling itself
    assert compiled is None and words.startswith(NEEDED_MEMORY)


def test_a_run_whose_compiling_runs_out_of_memory_trains_as_an_eager_run():
    def run(s, **kw):
        model = toy_model()
        events = list(fit(model, toy_data(), s, batch_event_interval=0, **kw))
        return events, [(type(e).__name__, {k: v for k, v in dataclasses.asdict(e).items() if k not in TIMING})
                        for e in events], model.state_dict()

    _, eager, w_eager = run(settings(device="cpu", compile="off"))
    events, tried, w_tried = run(settings(device="cpu", compile="on"), compile_fn=oom)
    assert events[0].speed_notes == f"{NEEDED_MEMORY}: trained without compiling"
    assert isinstance(events[-1], RunFinished) and tried[1:] == eager[1:]
    assert all(torch.equal(w_eager[k], w_tried[k]) for k in w_eager)


def test_a_compiled_step_that_runs_out_of_memory_continues_eagerly():
    net = torch.nn.Linear(3, 2)
    calls = []

    def compiled(x):
        calls.append(x.shape[0])
        oom()

    forward = Forward(net, compiled, batch=4)
    x = torch.randn(4, 3)
    assert torch.equal(forward(x), net(x))
    assert forward.failed == f"{NEEDED_MEMORY}: continued without compiling"
    forward(x)
    assert calls == [4]  # not tried again
    broken = Forward(net, lambda x: (_ for _ in ()).throw(ValueError("a bug")), batch=4)
    assert torch.equal(broken(x), net(x)) and "a bug" in broken.failed

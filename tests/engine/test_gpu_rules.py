"""Issue 21's rules for a graphics card, tested on the CPU: the precision chosen, the CPU's training unchanged
with mixed precision on or off, compiling that fails (a real ``torch.compile`` with a backend that raises)
leaving a run that trains eagerly and says why, the Auto batch size search under a fake memory limit, the
epoch cap on fast devices, and the evaluation/prediction batch by device."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from cnnstudio.engine.data.preprocess import Preprocess, normalize
from cnnstudio.engine.events import RunFinished, RunStarted
from cnnstudio.engine.train.batch_size import auto_batch, batch_limit, largest_batch, scaled_lr
from cnnstudio.engine.train.batches import normalize_cached
from cnnstudio.engine.train.compiled import COMPILE_PAYS_S, Forward, choose_compile
from cnnstudio.engine.train.precision import BF16, FP16, FP32, Precision, choose_precision
from cnnstudio.engine.train.settings import TrainSettings, auto_epochs, default_settings, epoch_cap
from cnnstudio.engine.train.trainer import fit
from cnnstudio.engine.use.batching import GPU_BATCH, batch_for
from tests.engine.test_trainer import settings, toy_data, toy_model

TIMING = {"elapsed", "eta", "images_per_second", "train_seconds", "path"}


def run(s: TrainSettings, **kw):
    """(events without timings, final weights) of a short CPU run."""
    model = toy_model()
    events = list(fit(model, toy_data(), s, batch_event_interval=0, **kw))
    return events, [(type(e).__name__, {k: v for k, v in dataclasses.asdict(e).items() if k not in TIMING})
                    for e in events], model.state_dict()


# ------------------------------------------------------------------ precision
def test_precision_rule():
    for device in ("cpu", "mps"):
        for bf16 in (True, False):
            assert choose_precision(True, device, bf16) == FP32  # never on the CPU or MPS
    assert choose_precision(True, "cuda", True) == BF16
    assert choose_precision(True, "cuda", False) == FP16
    assert choose_precision(False, "cuda", True) == FP32  # the setting turns it off
    cpu = Precision.for_run(True, torch.device("cpu"))
    assert cpu.name == FP32 and cpu.scaler is None and cpu.dtype is None
    with cpu.autocast():  # nothing at all: not even a disabled autocast
        assert not torch.is_autocast_enabled("cpu")
    assert TrainSettings().mixed_precision is True and default_settings().mixed_precision is True
    with pytest.raises(Exception, match="mixed_precision"):
        TrainSettings(mixed_precision="yes")
    with pytest.raises(Exception, match="compile"):
        TrainSettings(compile="sometimes")


def test_cpu_training_is_bit_identical_with_mixed_precision_on_or_off():
    on_events, on, w_on = run(settings(device="cpu", mixed_precision=True))
    _, off, w_off = run(settings(device="cpu", mixed_precision=False))
    assert on == off and isinstance(on_events[-1], RunFinished)
    assert all(torch.equal(w_on[k], w_off[k]) for k in w_on)
    started = on_events[0]
    assert isinstance(started, RunStarted) and started.precision == "fp32" and started.speed_notes == ""


# ------------------------------------------------------------------ compiling
def test_compile_rule():
    assert not choose_compile("auto", "cpu", 1, 10_000)  # never by itself on the CPU
    assert not choose_compile("auto", "cuda", 1, COMPILE_PAYS_S - 1)  # too short to repay compiling
    assert choose_compile("auto", "cuda", 1, COMPILE_PAYS_S)
    assert not choose_compile("auto", "cuda", 2, 10_000) and not choose_compile("auto", "cuda", 1, None)
    assert choose_compile("on", "cpu", 1, None) and not choose_compile("off", "cuda", 1, 10_000)


def failing_backend(gm, example_inputs):
    raise RuntimeError("this backend cannot compile anything")


def test_a_compile_that_fails_leaves_a_run_that_trains_eagerly_and_says_why():
    """A real ``torch.compile`` whose backend raises: the warm-up before the run meets the failure, the run
    trains without compiling, exactly as an eager run, and its record says why."""
    _, eager, w_eager = run(settings(device="cpu", compile="off"))
    events, tried, w_tried = run(settings(device="cpu", compile="on"),
                                 compile_fn=lambda m, d: torch.compile(m, backend=failing_backend))
    notes = events[0].speed_notes
    assert notes.startswith("compiling failed (") and "this backend cannot compile anything" in notes
    assert notes.endswith("trained without compiling")
    assert isinstance(events[-1], RunFinished)
    assert tried[1:] == eager[1:]  # everything after RunStarted: the same numbers
    assert all(torch.equal(w_eager[k], w_tried[k]) for k in w_eager)


def test_the_compile_warm_up_leaves_the_model_as_it_was():
    """A "compiler" that returns the model itself: the warm-up's forward and backward (batch-norm statistics,
    gradients) are undone, so the run equals an eager one."""
    _, eager, w_eager = run(settings(device="cpu", compile="off"))
    events, same, w_same = run(settings(device="cpu", compile="on"), compile_fn=lambda m, d: m)
    assert events[0].speed_notes.startswith("compiled (")
    assert same[1:] == eager[1:] and all(torch.equal(w_eager[k], w_same[k]) for k in w_eager)


def test_a_compiled_step_that_fails_later_falls_back_for_the_rest_of_the_run():
    net = torch.nn.Linear(3, 2)
    calls = []

    def compiled(x):
        calls.append(x.shape[0])
        raise RuntimeError("recompilation failed")

    forward = Forward(net, compiled, batch=4)
    x = torch.randn(4, 3)
    assert torch.equal(forward(x), net(x)) and "recompilation failed" in forward.failed
    forward(x)
    assert calls == [4]  # not tried again
    short = Forward(net, lambda x: pytest.fail("a short batch runs eagerly"), batch=4)
    assert torch.equal(short(torch.ones(2, 3)), net(torch.ones(2, 3)))
    # running out of memory there: tests/engine/test_out_of_memory.py


# ------------------------------------------------------------------ Auto batch size
def fake_card(limit: int):
    """``try_batch`` of a card where batches above ``limit`` pictures run out of memory."""
    tried = []

    def try_batch(b: int) -> None:
        tried.append(b)
        if b > limit:
            raise torch.OutOfMemoryError(f"CUDA out of memory. Tried to allocate {b} MiB")
    return try_batch, tried


def test_auto_batch_is_the_largest_that_fits_bounded_by_the_data():
    try_batch, tried = fake_card(600)
    assert largest_batch(try_batch, 64, 2048) == 512 and tried == [64, 128, 256, 512, 1024]
    try_batch, tried = fake_card(100_000)
    assert largest_batch(try_batch, 64, batch_limit(4000)) == 128 and tried == [64, 128]  # 250 at most
    assert batch_limit(4000) == 250 and batch_limit(10**7) == 2048 and batch_limit(10) == 2
    try_batch, tried = fake_card(20)
    assert largest_batch(try_batch, 64, 2048) == 16 and tried == [64, 32, 16]  # the start is too big: down
    try_batch, tried = fake_card(1)
    assert largest_batch(try_batch, 64, 2048) == 2 and tried == [64, 32, 16, 8, 4, 2]  # the run's own message later

    def broken(b):
        raise ValueError("not a memory problem")
    with pytest.raises(ValueError):
        largest_batch(broken, 64, 2048)


def test_auto_batch_scales_the_learning_rate_and_says_so():
    assert scaled_lr(0.003, 64, 256, "adamw") == (pytest.approx(0.006), "square-root")
    assert scaled_lr(0.1, 64, 256, "sgd") == (pytest.approx(0.4), "linear")
    try_batch, _ = fake_card(600)
    bs, lr, words = auto_batch(try_batch, 64, 0.003, "adamw", 50_000)
    assert (bs, lr) == (512, pytest.approx(0.003 * 8 ** 0.5))
    assert "batch 512" in words and "square-root rule" in words
    try_batch, _ = fake_card(100)
    assert auto_batch(try_batch, 64, 0.003, "adamw", 50_000)[:2] == (64, 0.003)
    try_batch, _ = fake_card(20)  # the settings' batch does not fit: smaller, with the rule scaled down
    bs, lr, words = auto_batch(try_batch, 64, 0.003, "adamw", 50_000)
    assert (bs, lr) == (16, pytest.approx(0.0015))
    assert words.startswith("batch 16 (Auto: 64 did not fit on this card)") and "square-root rule" in words
    bs, lr, _ = auto_batch(try_batch, 64, 0.1, "sgd", 50_000)
    assert (bs, lr) == (16, pytest.approx(0.025))


def test_auto_batch_changes_nothing_on_the_cpu():
    _, plain, w_plain = run(settings(device="cpu"))
    _, auto, w_auto = run(settings(device="cpu", auto_batch_size=True))
    assert plain == auto and all(torch.equal(w_plain[k], w_auto[k]) for k in w_plain)


# ------------------------------------------------------------------ epochs, batches for scoring
def test_the_epoch_cap_rises_on_a_cuda_card_only():
    d = default_settings()
    assert epoch_cap(d, "cpu") == 40 and epoch_cap(d, "mps") == 40 and epoch_cap(d, "cuda") == 200
    fast = 4000 * 40 / 12  # the default recipe on MNIST on an H200: 40 epochs in 12 s
    assert auto_epochs(d, 4000, 1000, fast) == 40 == auto_epochs(d, 4000, 1000, fast, "cpu")
    on_card = auto_epochs(d, 4000, 1000, fast, "cuda")
    assert 40 < on_card <= 200 and on_card == int(d.time_budget_s / (4000 / fast + 1000 / 3 / fast))
    slow = 2000.0  # a laptop: the budget, not the cap, decides, wherever it runs
    assert auto_epochs(d, 4000, 1000, slow, "cuda") == auto_epochs(d, 4000, 1000, slow) == 23


def test_scoring_batches_by_device():
    assert batch_for("cpu", 256) == 256 and batch_for(torch.device("cpu"), 32) == 32
    assert batch_for("cuda", 32) == GPU_BATCH and batch_for("cuda:1", 256) == GPU_BATCH
    assert batch_for("cuda", 32, requested=8) == 8 and batch_for("cpu", 32, requested=8) == 8


def test_normalisation_constants_made_once_give_the_same_numbers():
    pp = Preprocess(height=4, width=4, channels=3, normalization="dataset", mean=(0.2, 0.4, 0.6), std=(0.3, 0.2, 0.1))
    x = torch.randint(0, 256, (5, 3, 4, 4), dtype=torch.uint8)
    assert torch.equal(normalize_cached(x, pp), normalize(x, pp))
    f = x.float() / 255
    assert torch.equal(normalize_cached(f, pp), normalize(f, pp)) and f.equal(x.float() / 255)  # input untouched


def test_the_auto_note_follows_the_device():
    from cnnstudio.engine.train.settings import auto_text

    d = default_settings()
    fast = 4000 * 40 / 12
    assert "about 40 epochs" in auto_text(d, 4000, 1000, fast) and "the most Auto trains" in auto_text(d, 4000, 1000, fast)
    on_card = auto_text(d, 4000, 1000, fast, "cuda")
    assert f"about {auto_epochs(d, 4000, 1000, fast, 'cuda')} epochs" in on_card and "the most" not in on_card
    assert "(3 to 200)" in auto_text(d, 4000, 1000, None, "cuda") and "(3 to 40)" in auto_text(d, 4000, 1000, None)

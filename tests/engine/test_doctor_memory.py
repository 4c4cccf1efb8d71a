"""The data check's cost: its label step forks no processes and fits on one thread, and its memory is given back
(QA: 3,000 pictures took the app from ~155 MB to 1.34 GB and kept it; benchmarks/bench_doctor.py section 5)."""

from __future__ import annotations

import os
import sys

import pytest
import torch

from cnnstudio.engine.runs.doctor_folds import probe_probabilities
from cnnstudio.engine.runs.doctor_labels import suspects
from cnnstudio.engine.runs.doctor_memory import give_back

forks: list[int] = []
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=lambda: forks.append(1))


def _noisy_probabilities(n: int = 600, classes: int = 4):
    g = torch.Generator().manual_seed(0)
    y = torch.arange(n) % classes
    logits = torch.randn((n, classes), generator=g)
    logits[torch.arange(n), y] += 3.0
    wrong = torch.arange(0, n, 20)  # 5 % look like the next class
    logits[wrong, (y[wrong] + 1) % classes] += 6.0
    return y, torch.softmax(logits, 1), wrong


@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="counts forks where Python can")
def test_the_label_check_starts_no_processes():
    y, probs, wrong = _noisy_probabilities()
    forks.clear()
    found = suspects(y, probs)
    assert forks == []  # cleanlab's default forked one process per core: the whole app each time
    planted = set(wrong.tolist())
    caught = [(n, sugg) for n, sugg in found if n in planted]
    assert len(caught) >= 0.8 * len(planted)  # what it finds is unchanged by n_jobs (cleanlab's documentation)
    assert all(sugg == (int(y[n]) + 1) % 4 for n, sugg in caught)


def test_the_linear_classifier_per_fold_gives_the_thread_count_back():
    """It fits on one thread (engine/device.py's one_thread, tested in test_device.py), only while fitting."""
    g = torch.Generator().manual_seed(0)
    y = torch.arange(60) % 3
    feats = torch.randn((60, 8), generator=g) + torch.nn.functional.one_hot(y, 8).float() * 4
    fold = torch.arange(60) // 3 % 3  # every class in every fold
    before = torch.get_num_threads()
    steps = probe_probabilities(feats, y, fold, 3, 3, None)
    counts = []
    try:
        while True:
            next(steps)
            counts.append(torch.get_num_threads())  # between folds, while the check reports its progress
    except StopIteration as done:
        probs = done.value
    assert counts == [before] * 3 and torch.get_num_threads() == before
    assert (probs.argmax(1) == y).float().mean() > 0.9


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim: Linux only")
def test_memory_is_given_back_on_linux():
    """What a check freed but glibc kept in its heap goes back to the system: 190 MB of heap blocks freed below one
    still in use (so glibc's own trimming of its heap's top cannot give it back) leave the process's resident memory
    until give_back."""
    import gc

    def resident() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    blocks = [bytearray(b"x" * 64_000) for _ in range(3_000)]  # under malloc's mmap threshold: from the heap
    pinned = bytearray(b"x" * 64_000)  # above them: the heap's top stays in use
    del blocks
    gc.collect()
    before = resident()
    assert give_back() is True
    assert before - resident() > 100_000_000, (before, resident())
    del pinned

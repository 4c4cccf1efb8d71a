"""One worker base for every background thread (ui/workers.py, superqt's WorkerBase idea): a task and a generator
report the same way, ``errored(message, traceback)`` when their work raises, and end their thread."""

from __future__ import annotations

import threading

from cnnstudio.ui.train.training_thread import TrainingThread
from cnnstudio.ui.workers import GeneratorThread, TaskThread, WorkerThread


def _collect(thread: WorkerThread) -> dict:
    got: dict = {"errored": []}
    thread.errored.connect(lambda message, tb: got["errored"].append((message, tb)))
    return got


def test_a_task_reports_progress_and_its_result(qtbot):
    def work(n, progress, cancel):
        for i in range(n):
            progress(i + 1, n, "counting")
        return n * 2

    thread = TaskThread(work, 3)
    got = _collect(thread)
    progress, results = [], []
    thread.progress.connect(lambda done, total, message: progress.append((done, total, message)))
    thread.succeeded.connect(results.append)
    with qtbot.waitSignal(thread.finished, timeout=10_000):
        thread.start()
    assert thread.wait(10_000)
    assert results == [6] and thread.result == 6 and progress[-1] == (3, 3, "counting")
    assert got["errored"] == []


def test_a_task_that_raises_reports_errored_and_no_result(qtbot):
    def work(progress, cancel):
        raise ValueError("no pictures here")

    thread = TaskThread(work)
    got = _collect(thread)
    results = []
    thread.succeeded.connect(results.append)
    with qtbot.waitSignal(thread.finished, timeout=10_000):
        thread.start()
    assert thread.wait(10_000)
    assert results == [] and len(got["errored"]) == 1
    message, tb = got["errored"][0]
    assert message == "no pictures here" and "ValueError" in tb


def test_cancel_reaches_the_task(qtbot):
    started = threading.Event()

    def work(progress, cancel):
        started.set()
        cancel.wait(10)
        return cancel.is_set()

    thread = TaskThread(work)
    results = []
    thread.succeeded.connect(results.append)
    thread.start()
    assert started.wait(10)
    with qtbot.waitSignal(thread.finished, timeout=10_000):
        assert thread.stop_and_wait()
    assert results == [True]


def test_a_generator_yields_in_order_and_is_closed_however_it_ends(qtbot):
    closed = []

    def numbers(fail: bool):
        try:
            yield 1
            yield 2
            if fail:
                raise RuntimeError("bad input")
            yield 3
        finally:
            closed.append(fail)

    for fail in (False, True):
        thread = GeneratorThread(lambda: numbers(fail))
        got = _collect(thread)
        values = []
        thread.yielded.connect(values.append)
        with qtbot.waitSignal(thread.finished, timeout=10_000):
            thread.start()
        assert thread.wait(10_000)
        assert values == ([1, 2] if fail else [1, 2, 3]) and thread.last == values[-1]
        assert [m for m, _tb in got["errored"]] == (["bad input"] if fail else [])
    assert closed == [False, True]


def test_training_thread_passes_stop_and_pause_to_the_generator(qtbot):
    seen = []

    def make(stop, pause, paused):  # as the trainer: pause waits until Continue or Stop
        seen.append((stop, pause, paused))
        yield "batch"
        assert pause.wait(10)
        paused.set()
        assert stop.wait(10)
        paused.clear()
        yield "stopped"

    thread = TrainingThread(make)
    got = _collect(thread)
    values = []
    thread.yielded.connect(values.append)
    thread.start()
    qtbot.waitUntil(lambda: "batch" in values, timeout=10_000)
    thread.set_paused(True)
    qtbot.waitUntil(thread.paused_event.is_set, timeout=10_000)
    assert seen == [(thread.stop_event, thread.pause_event, thread.paused_event)]
    with qtbot.waitSignal(thread.finished, timeout=10_000):
        thread.request_stop()
    assert thread.wait(10_000)
    assert not thread.pause_event.is_set() and thread.last == "stopped" and got["errored"] == []


def test_an_exception_before_the_first_event_is_errored_with_its_details(qtbot):
    class ChildError(Exception):
        details = "the child's traceback"

    def make(stop, pause, paused):
        raise ChildError("training could not start")

    thread = TrainingThread(make)
    got = _collect(thread)
    with qtbot.waitSignal(thread.finished, timeout=10_000):
        thread.start()
    assert thread.wait(10_000)
    assert got["errored"] == [("training could not start", "the child's traceback")]

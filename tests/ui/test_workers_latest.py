"""The one late-thread guard (ui/workers.py: LatestTask), with real QThreads: only the thread started last is heard, a
thread let go of (a newer start, Cancel, shutdown) says nothing more, and every thread is deleted once it has ended."""

from __future__ import annotations

import threading

from shiboken6 import isValid

from cnnstudio.ui.workers import GeneratorThread, LatestTask


def _heard(task: LatestTask) -> dict:
    heard: dict = {"succeeded": [], "errored": [], "progress": [], "ended": []}
    task.succeeded.connect(heard["succeeded"].append)
    task.errored.connect(lambda message, _tb: heard["errored"].append(message))
    task.progress.connect(lambda done, total, _m: heard["progress"].append((done, total)))
    task.ended.connect(lambda _thread: heard["ended"].append(task.busy))
    return heard


def _held_until(release: threading.Event, answer):
    """Work that returns ``answer`` only once ``release`` is set (whatever its cancel says): a late answer."""

    def work(progress=None, cancel=None):
        progress(1, 2, "half way")
        release.wait(20)
        return answer

    return work


def test_only_the_latest_thread_is_heard_and_a_late_answer_is_dropped(qtbot):
    task = LatestTask()
    heard = _heard(task)
    release_first = threading.Event()
    with qtbot.waitSignal(task.progress, timeout=20_000):  # heard while it is the current one
        first = task.run(_held_until(release_first, "first"))
    assert task.busy and task.thread is first
    with qtbot.waitSignal(task.ended, timeout=20_000):
        second = task.run(lambda progress=None, cancel=None: "second")
    assert first.stop_event.is_set() and second is not first  # the first was asked to stop when let go of
    assert heard["succeeded"] == ["second"] and heard["ended"] == [False]  # not busy when 'ended' comes
    release_first.set()  # the first answers now, late
    qtbot.waitUntil(lambda: not isValid(first), timeout=20_000)  # it ended and was deleted
    assert heard["succeeded"] == ["second"] and heard["ended"] == [False] and not task.busy
    assert heard["progress"] == [(1, 2)] and task.running == []


def test_cancel_drops_what_the_thread_still_says(qtbot):
    task = LatestTask()
    heard = _heard(task)
    release = threading.Event()
    thread = task.run(_held_until(release, "too late"))
    task.cancel()
    assert not task.busy and task.running == [thread] and thread.stop_event.is_set()
    release.set()
    qtbot.waitUntil(lambda: not isValid(thread), timeout=20_000)
    assert heard["succeeded"] == [] and heard["ended"] == [] and task.running == []


def test_stop_keeps_the_thread_heard_so_a_partial_answer_arrives(qtbot):
    def work(progress=None, cancel=None):
        cancel.wait(20)
        return "what was done before Cancel"

    task = LatestTask()
    heard = _heard(task)
    thread = task.run(work)
    with qtbot.waitSignal(task.ended, timeout=20_000):
        task.stop()
    assert heard["succeeded"] == ["what was done before Cancel"] and not task.busy
    qtbot.waitUntil(lambda: not isValid(thread), timeout=20_000)


def test_an_error_of_the_current_thread_is_heard_and_the_next_may_start_from_ended(qtbot):
    def fails(progress=None, cancel=None):
        raise ValueError("no pictures here")

    task = LatestTask()
    heard = _heard(task)
    started = []
    task.ended.connect(lambda _t: started.append(task.run(lambda progress=None, cancel=None: 7)) if not started
                       else None)
    with qtbot.waitSignal(task.succeeded, timeout=20_000):
        task.run(fails)
    assert heard["errored"] == ["no pictures here"] and heard["succeeded"] == [7]
    qtbot.waitUntil(lambda: not task.busy and not isValid(started[0]), timeout=20_000)


def test_a_generator_threads_values_are_heard_while_it_is_current(qtbot):
    task = LatestTask()
    values = []
    task.yielded.connect(values.append)
    with qtbot.waitSignal(task.ended, timeout=20_000):
        thread = task.start(GeneratorThread(lambda: iter((1, 2, 3)), parent=task))
    assert values == [1, 2, 3]
    qtbot.waitUntil(lambda: not isValid(thread), timeout=20_000)


def test_shutdown_leaves_no_thread_running_and_nothing_heard(qtbot):
    def until_cancelled(progress=None, cancel=None):
        cancel.wait(20)
        return "after the close"

    task = LatestTask()
    heard = _heard(task)
    release = threading.Event()
    let_go = task.run(_held_until(release, "let go of"))
    current = task.run(until_cancelled)
    release.set()  # the one let go of may end on its own meanwhile: either way it is waited for
    task.shutdown()
    assert not task.busy and task.running == []
    assert all(not isValid(t) or t.isFinished() for t in (let_go, current))  # none still runs
    qtbot.waitUntil(lambda: not isValid(let_go) and not isValid(current), timeout=20_000)  # and both are deleted
    assert heard["succeeded"] == [] and heard["ended"] == []


def test_a_thread_that_outlives_shutdowns_wait_is_not_deleted_while_it_runs(qtbot):
    """A work that ignores cancel past the wait: not deleted (Qt would abort), parentless so the page's end does not
    take it down, and deleted once it ends on its own."""
    page = LatestTask()
    task = LatestTask(page)
    heard = _heard(task)
    release = threading.Event()
    with qtbot.waitSignal(task.progress, timeout=20_000):
        stubborn = task.run(_held_until(release, "too late"))
    task.shutdown(timeout_ms=50)
    assert stubborn.isRunning() and isValid(stubborn) and stubborn.parent() is None
    assert not task.busy and task.running == [stubborn]  # still let go of, never current again
    page.deleteLater()  # the page closes with the thread still running: it must survive
    qtbot.waitUntil(lambda: not isValid(page), timeout=20_000)
    assert isValid(stubborn) and stubborn.isRunning()
    release.set()
    qtbot.waitUntil(lambda: not isValid(stubborn), timeout=20_000)  # deleted once it ended
    assert heard["succeeded"] == [] and heard["ended"] == []

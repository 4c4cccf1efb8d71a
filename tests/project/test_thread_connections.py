"""A thread's SQLite connection is closed when the thread ends (project/thread_connections.py): a window that starts a
thread per task (the Predict page loads each saved model in a new one) must not pile up open files — macOS allows a
program 256 by default — and the change watch still tells the window's own writes from another program's."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project.changed_elsewhere import CLASSES, PICTURES, ChangeWatch
from tests.conftest import write_dataset

SHORT_THREADS = 60


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def _project(tmp_path):
    p = Project.create(tmp_path / "proj")
    import_paths(p, [write_dataset(tmp_path / "src", ("x",), per_class=3)])
    return p


def _read_in_short_threads(p: Project, n: int) -> list[int]:
    seen: list[int] = []
    for _ in range(n):
        t = threading.Thread(target=lambda: seen.append(p.count()))
        t.start()
        t.join()
    return seen


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
@pytest.mark.parametrize("read_only", [False, True])
def test_short_threads_leave_no_connection_and_no_open_file_behind(tmp_path, read_only):
    _project(tmp_path).close()
    p = Project.open(tmp_path / "proj", read_only=read_only)
    try:
        assert p.count() == 3  # the window's own connection, kept
        _read_in_short_threads(p, 1)  # SQLite keeps one closed connection's file to use again (its locks): once
        before = _open_files()
        assert _read_in_short_threads(p, SHORT_THREADS) == [3] * SHORT_THREADS
        assert p.connections.count() == 1
        assert _open_files() <= before  # was two more files (database and log) per thread ended
    finally:
        p.close()
    assert p.connections.count() == 0


def test_a_thread_pool_s_connections_close_when_the_pool_ends(tmp_path):
    p = _project(tmp_path)
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            assert list(pool.map(lambda _: p.count(), range(20))) == [3] * 20
        assert p.connections.count() == 1
    finally:
        p.close()


def test_a_worker_s_writes_stay_its_own_after_its_thread_ended(tmp_path):
    """A worker that wrote and ended between two looks: its connection is closed, yet its rows still count as this
    program's, so the change watch does not take them for another program's."""
    p = _project(tmp_path)
    try:
        watch = ChangeWatch(p)
        assert watch.poll() == frozenset()
        for n in range(3):
            worker = threading.Thread(target=lambda: p.add_class(f"class {len(p.classes())}"))
            worker.start()
            worker.join()
            assert p.connections.count() == 1  # the worker's connection went with it, its rows still counted
            assert p.connections.changes_except(p._con()) == n + 1
            assert watch.poll() == frozenset()  # this program's own worker: not said
            watch.settle({CLASSES})  # what the worker's signal does once it is done
        worker = threading.Thread(target=lambda: p.delete_images(p.ids()[:1]))
        worker.start()
        worker.join()
        assert watch.poll() == frozenset()
        watch.settle({PICTURES})
        assert watch.poll() == frozenset()
        other = Project.open(p.root)  # another program: still said
        try:
            other.add_class("bird")
            assert watch.poll() == {CLASSES}
        finally:
            other.close()
    finally:
        p.close()

"""A worker thread's connection to the project goes with the thread (project/thread_connections.py): the window
starts a QThread per task — the Predict page one per saved model it loads — and each used to keep its SQLite
connection, two open files, until the project closed."""

from __future__ import annotations

import os

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.workers import GeneratorThread, LatestTask, TaskThread
from tests.conftest import write_dataset

TASKS = 25


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def _count(project, progress, cancel):
    return project.count()


def _fails_after_reading(project, progress, cancel):
    project.count()
    raise ValueError("the model file is damaged")


def _counts(project):
    yield project.count()
    yield len(project.classes())


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "proj")
    import_paths(p, [write_dataset(tmp_path / "src", ("x",), per_class=3)])
    yield p
    p.close()


def _run(qtbot, thread) -> None:
    with qtbot.waitSignal(thread.finished, timeout=10_000):
        thread.start()
    assert thread.wait(10_000)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
def test_a_thread_per_task_leaves_no_connection_open(qtbot, project):
    assert project.count() == 3  # the window's connection, kept
    _run(qtbot, TaskThread(_count, project))  # SQLite keeps one closed connection's file to use again: once
    before = _open_files()
    results = []
    for work in [_count] * TASKS + [_fails_after_reading] * 3:
        thread = TaskThread(work, project)
        thread.succeeded.connect(results.append)
        _run(qtbot, thread)
        assert project.connections.count() == 1
    for _ in range(3):
        thread = GeneratorThread(lambda: _counts(project))
        _run(qtbot, thread)
        assert thread.last == 0 and project.connections.count() == 1
    assert results == [3] * TASKS
    assert _open_files() <= before


def test_latest_task_s_threads_let_go_of_theirs(qtbot, project):
    holder = LatestTask()
    for _ in range(5):
        with qtbot.waitSignal(holder.ended, timeout=10_000):
            holder.run(_count, project)
        assert project.connections.count() == 1  # the window's own, made when the project was
    holder.shutdown()

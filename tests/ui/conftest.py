"""GUI test fixtures: real Qt offscreen, settings in a temp file, and no QThread left running."""

from __future__ import annotations

import sys
import threading
import weakref

import pytest
from PySide6.QtCore import QThread


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNSTUDIO_SETTINGS", str(tmp_path / "settings.ini"))


@pytest.fixture(autouse=True)
def _pages_measured_whole(monkeypatch):
    """The offscreen screen is 800 x 600: the window's pages are measured as on a screen they fit (the size tests ask
    whether a page fits 1024 x 614 by the window's own minimum); test_small_screen.py measures the bound itself."""
    from cnnstudio.ui.workspace import PageScroll

    monkeypatch.setattr(PageScroll, "fit_screen", False)


@pytest.fixture(autouse=True)
def no_dangling_qthreads(monkeypatch):
    """Fail any test that leaves a QThread running (napari's idea): such a thread aborts the process later
    with "QThread: Destroyed while thread is still running"."""
    started: list[weakref.ref] = []
    original = QThread.start

    def recording_start(self, *args, **kwargs):
        started.append(weakref.ref(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QThread, "start", recording_start)
    yield
    running = []
    for ref in started:
        thread = ref()
        try:
            if thread is not None and thread.isRunning():
                running.append(thread)
        except RuntimeError:  # the C++ object is gone: not running
            pass
    for thread in running:
        thread.wait(5000)
    assert not running, f"{len(running)} QThread(s) still running after the test"


@pytest.fixture
def window(qtbot):
    from cnnstudio.ui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def open_data_page(window, tmp_path, classes: tuple[str, ...], per_class: int):
    """``window`` on a new project of ``per_class`` unlabelled pictures and the empty ``classes``, undo history
    clear: the Data page as labelling tests start from it."""
    from cnnstudio.project import import_paths
    from tests.conftest import write_dataset

    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("x",), per_class=per_class)])
    for name in classes:
        window.session.add_class(name)
    window.session.images_changed.emit()
    window.session.undo_stack.clear()
    return window


@pytest.fixture
def reporter(qapp, monkeypatch):
    """The window's error reporter (ui/errors.py) installed for one test, its boxes closed after it: what a user is
    told of an error, as a message (a disk's sentence) or the crash dialog (a bug)."""
    from cnnstudio.ui.errors import install_error_hooks

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    r = install_error_hooks(qapp, save=False)
    yield r
    r.uninstall()
    for box in (r.message_box, r.dialog):
        if box is not None:
            box.close()
    r.deleteLater()

"""PyTorch on the GUI thread runs on one thread; training threads and other threads keep every core."""

from __future__ import annotations

import threading

import pytest
import torch

from cnnstudio.project import Project
from cnnstudio.ui import torch_thread


def _in_new_thread(fn):
    out = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    t.join()
    return out[0]


@pytest.fixture
def fresh_latch(monkeypatch):
    before = torch.get_num_threads()
    monkeypatch.setattr(torch_thread, "_done", False)
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)  # the engine tests that follow train on this (main) thread


def test_building_an_engine_page_makes_torch_single_threaded_on_the_gui_thread_only(window, tmp_path, fresh_latch):
    with Project.create(tmp_path / "p"):
        pass
    assert window.open_project(tmp_path / "p")
    assert torch.get_num_threads() == 2  # the Data page does not touch PyTorch
    window.workspace.model_page  # noqa: B018 - builds the page
    assert torch.get_num_threads() == 1
    assert _in_new_thread(torch.get_num_threads) == 2  # threads that do not choose keep the default
    _in_new_thread(lambda: torch.set_num_threads(3))  # a training thread choosing its own count...
    assert torch.get_num_threads() == 1  # ...leaves the GUI thread alone
    with torch.no_grad():  # and the GUI thread's own work still runs, on one thread
        y = torch.nn.Conv2d(1, 4, 3)(torch.rand(2, 1, 8, 8))
    assert y.shape == (2, 4, 6, 6) and torch.get_num_threads() == 1


def test_prepare_does_nothing_off_the_gui_thread(fresh_latch):
    assert _in_new_thread(lambda: (torch_thread.prepare(), torch.get_num_threads())[1]) == 2
    assert torch_thread._done is False and torch.get_num_threads() == 2

"""The Model page's preview thread: once the page let it go (the project closed), its late end says nothing."""

from __future__ import annotations

from PIL import Image
from PySide6.QtWidgets import QApplication

from cnnstudio.ui.model.inputs import PreviewRunner


def _pictures(tmp_path, n=3):
    paths = []
    for i in range(n):
        p = tmp_path / f"p{i}.png"
        Image.new("RGB", (24, 24), (40 * i, 90, 200)).save(p)
        paths.append(str(p))
    return paths


def test_a_thread_let_go_of_by_shutdown_emits_no_ready(qtbot, tmp_path):
    runner = PreviewRunner()
    qtbot.addWidget(runner)
    said = []
    runner.ready.connect(lambda a, b: said.append((a, b)))
    pp = {"width": 16, "height": 16, "channels": 3}
    runner.request(_pictures(tmp_path), pp, {}, 0)
    runner._timer.stop()
    runner._start()  # the thread runs now, as after the timer
    assert runner.thread is not None
    runner.shutdown()  # the project closes while it runs: the page lets the thread go
    for _ in range(5):  # the thread's queued 'finished' (and its deletion) arrive now
        QApplication.processEvents()
    assert said == [] and runner.thread is None and not runner.busy


def test_previews_still_arrive_when_nothing_let_them_go(qtbot, tmp_path):
    runner = PreviewRunner()
    qtbot.addWidget(runner)
    pp = {"width": 16, "height": 16, "channels": 3}
    with qtbot.waitSignal(runner.ready, timeout=20_000) as got:
        runner.request(_pictures(tmp_path), pp, {}, 0)
    shown, _augmented = got.args
    assert len(shown) == 3 and runner.thread is None

"""Re-QA N3: the Camera tab's probability chart was squeezed to about 110 pixels, and the names of 10 classes ran into
each other with bars 5 pixels tall. The chart takes a share of a taller window, and shows a bar per class only while
their names fit; else the most probable classes and one bar for the rest, still on a 1024x614 screen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cnnstudio.ui.camera.frame_source import VideoFileSource, write_video
from cnnstudio.ui.camera.live_words import AXIS_ROOM, BAR_ROW, bar_rows, shown_bars
from tests.ui.test_camera import plain_frames
from tests.ui.test_training_view import open_trained

TEN = tuple("abcdefghij")


def test_the_bars_shown_every_class_while_they_fit_else_the_top_ones_and_the_rest():
    probs = {c: p for c, p in zip(TEN, (0.02, 0.5, 0.01, 0.2, 0.03, 0.1, 0.04, 0.05, 0.03, 0.02))}
    assert shown_bars(probs, 10) == list(probs.items())
    bars = shown_bars(probs, 5)
    assert [n for n, _ in bars] == ["6 others", "h", "f", "d", "b"]  # the most probable on top
    assert abs(sum(p for _, p in bars) - 1) < 1e-9 and abs(bars[0][1] - 0.15) < 1e-9
    assert shown_bars({"a": 0.3, "b": 0.7}, 3) == [("a", 0.3), ("b", 0.7)]
    assert bar_rows(110) == 5 and bar_rows(0) == 3 and bar_rows(AXIS_ROOM + 10 * BAR_ROW) == 10


def _shown_on(live, qtbot, size) -> tuple[int, int]:
    """The window at ``size``; waits for a prediction drawn at the chart's height there: (bars, chart height)."""
    live.window().resize(*size)
    QApplication.processEvents()
    height = live.bars_plot.height()
    start = len(live.latencies)
    qtbot.waitUntil(lambda: len(live.latencies) >= start + 2, timeout=20_000)
    live.window().grab().save(str(live.window().session.project.root.parent / f"camera_{size[0]}x{size[1]}.png"))
    return len(live.bars.opts["y"]), height


def test_ten_classes_get_room_or_the_top_bars_and_fit_a_small_screen(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path, classes=TEN, per_class=4)
    page = window.workspace.predict_page
    window.workspace.show_step(5)
    page.tabs.setCurrentIndex(2)
    live = page.live
    live.gradcam.setChecked(True)
    live.bar.play(VideoFileSource(write_video(tmp_path / "a.avi", plain_frames(30, (40, 100, 60))), loop=True))
    try:
        qtbot.waitUntil(lambda: live.bars_plot.isVisible() and len(live.latencies) >= 2, timeout=20_000)
        shown, height = _shown_on(live, qtbot, (1024, 614))
        assert window.width() == 1024 and window.height() == 614
        assert (height - AXIS_ROOM) / shown >= BAR_ROW  # the names apart
        if shown < len(TEN):  # the top bars and one for the rest; a screen reader still hears every class
            assert live.bars_plot.getAxis("left")._tickLevels[0][0][1].endswith("others")
        assert len(live.bars.pairs()) == len(TEN)
        shown, height = _shown_on(live, qtbot, (1280, 800))
        assert height >= 150 and (height - AXIS_ROOM) / shown >= BAR_ROW
        shown, height = _shown_on(live, qtbot, (1280, 1000))
        assert shown == len(TEN) and (height - AXIS_ROOM) / shown >= BAR_ROW  # a tall window: every class
        assert live.bars.every_class is None and len(live.bars.pairs()) == len(TEN)
    finally:
        live.bar.stop()

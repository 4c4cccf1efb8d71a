"""Re-QA N6: while a video file played, the camera row said "No camera found" and "Stop camera", and when the video
ended the stream stopped without a word (a burst being recorded stopped with it). The row names the video while it
plays and says when it ended; a file that is no video says that instead."""

from __future__ import annotations

from cnnstudio.ui.camera.frame_source import VideoFileSource, write_video
from cnnstudio.ui.camera.preview import START_TIP, SourceBar
from cnnstudio.ui.camera.source_words import STOP_VIDEO, STOP_VIDEO_TIP, video_ended, video_in_box
from tests.ui.test_camera import plain_frames


def test_the_words():
    assert video_in_box("noisy1.avi") == "Video: noisy1.avi"
    assert video_ended("noisy1.avi") == "The video noisy1.avi ended. Press Video file… to play it again."
    assert STOP_VIDEO_TIP.endswith(".")


def test_the_row_names_the_video_and_says_when_it_ended(qtbot, tmp_path):
    bar = SourceBar()
    qtbot.addWidget(bar)
    bar.show_cameras([])  # no camera on this computer
    video = write_video(tmp_path / "noisy1.avi", plain_frames(6, (40, 100, 60)))
    with qtbot.waitSignal(bar.stopped, timeout=20_000):  # six frames at 30 a second: it ends by itself
        bar.play(VideoFileSource(video))
        assert bar.combo.currentText() == "Video: noisy1.avi" and not bar.combo.isEnabled()
        assert bar.start_button.text() == STOP_VIDEO and bar.start_button.toolTip() == STOP_VIDEO_TIP
        assert bar.message.text() == ""
    assert bar.source is None and bar.message.text() == video_ended("noisy1.avi")
    assert "c0392b" not in bar.message.styleSheet()  # not in the colour of a problem
    assert bar.combo.currentText() == "No camera found" and bar.start_button.text() == "Start camera"
    assert bar.start_button.toolTip() == START_TIP
    assert all(w.toolTip().endswith(".") for w in (bar.combo, bar.refresh_button, bar.video_button))

    text = tmp_path / "notes.avi"  # not a video: why it stopped, not that it ended
    text.write_text("not a video", encoding="utf-8")
    with qtbot.waitSignal(bar.stopped, timeout=20_000):
        bar.play(VideoFileSource(text))
    assert "notes.avi" in bar.message.text() and "ended" not in bar.message.text()

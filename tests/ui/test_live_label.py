"""The Predict step's camera tab writes its live label with the same rounding rule as the list and the detail."""

from __future__ import annotations

from cnnstudio.engine.use.figures import percent
from cnnstudio.project.glossary import explain
from cnnstudio.ui.camera.frame_source import VideoFileSource, write_video
from cnnstudio.ui.predict.looked_words import LIVE_LOOKED
from tests.ui.test_camera import plain_frames
from tests.ui.test_prediction_view import _trained


def test_the_live_label_rounds_as_the_picture_list_does(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    page.tabs.setCurrentIndex(2)
    live = page.live
    # the Predict page's words, plain; the method's name only in the tooltip
    assert live.gradcam.text() == LIVE_LOOKED and live.gradcam.text().startswith(page.gradcam.text())
    assert live.gradcam.toolTip() == page.gradcam.toolTip() and explain("Grad-CAM") in live.gradcam.toolTip()
    video = write_video(tmp_path / "v.avi", plain_frames(20, (190, 30, 90)))
    live.bar.play(VideoFileSource(video, loop=True))
    with qtbot.waitSignal(live.shown, timeout=10_000) as got:
        pass
    pred = got.args[0].prediction
    assert live.preview.caption == f"{pred.label}  {percent(pred.confidence)}"
    live.bar.stop()

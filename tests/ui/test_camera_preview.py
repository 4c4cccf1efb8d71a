"""The live picture both camera panels share (ui/camera/preview.py): the Grad-CAM heat is drawn over the part of
the picture the model looked at, mirrored or not, and what the source bar offers when there is no camera."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from cnnstudio.ui.camera.preview import CameraPreview


def _redness(pix, left: bool) -> float:
    img = pix.toImage()
    w, h = img.width(), img.height()
    xs = range(2, w // 2 - 2) if left else range(w // 2 + 2, w - 2)
    values = [QColor(img.pixel(x, y)).red() for x in xs for y in range(2, h - 2, 3)]
    return sum(values) / len(values)


def test_the_heat_is_mirrored_with_the_picture(qtbot):
    """QA #5: with Mirror preview on, the picture was mirrored and its heat was not."""
    preview = CameraPreview()
    qtbot.addWidget(preview)
    preview.resize(324, 244)
    frame = QImage(160, 120, QImage.Format.Format_RGB888)
    frame.fill(QColor(0, 0, 0))
    heat = QImage(32, 32, QImage.Format.Format_RGB888)  # the model looked at the left of the picture
    heat.fill(QColor(0, 0, 0))
    for x in range(16):
        for y in range(32):
            heat.setPixelColor(x, y, QColor(255, 0, 0))
    for crop in (False, True):
        preview.crop = crop
        preview.overlay = heat
        preview.mirror = False
        preview.show_frame(frame)
        assert _redness(preview.pixmap(), left=True) > 50 > _redness(preview.pixmap(), left=False)
        preview.mirror = True
        preview.show_frame(frame, new=False)
        assert _redness(preview.pixmap(), left=False) > 50 > _redness(preview.pixmap(), left=True)


def test_without_a_camera_a_video_file_can_be_used_and_the_empty_preview_says_what_to_do(window, qtbot, tmp_path):
    """QA #10: with no camera the page gave no way forward: a disabled list, a black box, a Start that did nothing."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    from cnnstudio.ui.camera import preview as preview_module
    from cnnstudio.ui.camera.frame_source import write_video
    from tests.ui.test_camera import split_frames
    from tests.ui.test_training_view import make_project

    assert window.open_project(make_project(tmp_path))
    panel = window.workspace.data.open_camera()
    bar = panel.bar
    bar.show_cameras([])  # this computer has no camera
    assert bar.message.text() == preview_module.NO_CAMERA and not bar.combo.isEnabled()
    assert bar.refresh_button.accessibleName() == "Look for cameras again"
    assert panel.preview.pixmap().isNull()
    shot = panel.preview.grab().toImage()  # the empty preview paints its sentence: light text on black
    assert any(QColor(shot.pixel(x, shot.height() // 2)).lightness() > 150 for x in range(shot.width()))
    if not preview_module.list_cameras():  # Start camera on a computer with none says it looked again
        bar.message.setText("")
        bar.start_button.click()
        assert bar.message.text() == preview_module.STILL_NO_CAMERA and bar.source is None
    video = write_video(tmp_path / "phone.avi", split_frames(30))

    def answer():  # the user picks the video in the file dialog
        box = QApplication.activeModalWidget()
        if isinstance(box, QFileDialog):
            box.selectFile(str(video))
            box.accept()
            return
        QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    bar.video_button.click()
    assert bar.source is not None and bar.source.name == "phone.avi"
    qtbot.waitUntil(lambda: panel.preview.shown > 0, timeout=10_000)
    assert panel.record.isEnabled() and not panel.preview.pixmap().isNull()
    bar.stop()
    assert panel.preview.pixmap().isNull() and not panel.record.isEnabled()  # the empty preview again
    panel.shutdown()

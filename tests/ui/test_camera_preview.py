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

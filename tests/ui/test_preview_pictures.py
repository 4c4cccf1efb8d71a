"""The Data page's large preview shows what the model sees (QA finding 5): a phone photo upright, an AVIF, a
75-megapixel JPEG, transparency on white; a stored file that cannot be read says why where the picture would be."""

from __future__ import annotations

import pytest
from PIL import Image, features
from PySide6.QtGui import QImage

from cnnstudio.project import import_paths
from cnnstudio.ui.data.preview import PreviewDialog, picture_side
from tests.ui.test_picture_image import BLUE, RED, near, rotated_jpeg


@pytest.fixture
def session(window, tmp_path):
    assert window.create_project(tmp_path / "proj")
    return window.session


def preview(session, qtbot, path) -> PreviewDialog:
    p = session.project
    report = import_paths(p, [path])
    assert report.imported, report.skipped
    dialog = PreviewDialog(session, max(p.ids()))
    qtbot.addWidget(dialog)
    return dialog


def shown(dialog) -> QImage:
    return dialog.image.pixmap().toImage()


def test_a_phone_photo_is_previewed_upright(session, qtbot, tmp_path):
    dialog = preview(session, qtbot, rotated_jpeg(tmp_path / "IMG_0000.JPG"))
    img = shown(dialog)
    assert img.height() > img.width()  # 120 x 160 as the caption says, not on its side
    assert near(img.pixelColor(img.width() // 2, 10), RED) and near(img.pixelColor(img.width() // 2,
                                                                                   img.height() - 10), BLUE)
    assert "120 × 160 pixels" in dialog.info.text()


def test_transparency_is_previewed_on_white(session, qtbot, tmp_path):
    im = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    im.paste((10, 200, 10, 255), (0, 0, 100, 100))
    im.save(tmp_path / "alpha.png")
    img = shown(preview(session, qtbot, tmp_path / "alpha.png"))
    assert near(img.pixelColor(img.width() - 5, img.height() // 2), (255, 255, 255), tol=2)


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow has no AVIF")
def test_an_avif_picture_is_previewed(session, qtbot, tmp_path):
    Image.new("RGB", (160, 120), BLUE).save(tmp_path / "IMG_0012.avif")
    dialog = preview(session, qtbot, tmp_path / "IMG_0012.avif")
    img = shown(dialog)
    assert img.width() == picture_side(160, None) and near(img.pixelColor(50, 50), BLUE)


def test_a_75_megapixel_photo_is_previewed(session, qtbot, tmp_path):
    Image.new("RGB", (10000, 7500), (200, 120, 40)).save(tmp_path / "big.jpg", quality=70)
    dialog = preview(session, qtbot, tmp_path / "big.jpg")
    img = shown(dialog)
    screen = dialog.screen().availableGeometry().height()
    assert img.width() == picture_side(10000, screen) and near(img.pixelColor(20, 20), (200, 120, 40))


def test_a_stored_picture_that_cannot_be_read_says_why_in_a_dialog_of_a_useful_size(session, qtbot, tmp_path):
    Image.new("RGB", (160, 120), RED).save(tmp_path / "a.png")
    dialog = preview(session, qtbot, tmp_path / "a.png")
    rec = session.project.image(dialog.image_id)
    (session.project.root / rec.file).write_bytes(b"")  # the stored copy lost its content (a disk error)
    dialog.show_image(dialog.image_id)
    assert dialog.image.text() == "This picture cannot be shown: empty file (0 bytes)."
    assert dialog.image.pixmap().isNull()
    assert dialog.width() >= 360 and dialog.image.height() >= 200  # not a tiny dialog around one line
    (session.project.root / rec.file).unlink()
    dialog.show_image(dialog.image_id)
    assert dialog.image.text() == "This picture cannot be shown: file not found (or a broken link)."

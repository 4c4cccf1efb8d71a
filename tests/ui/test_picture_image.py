"""A picture file as the UI shows it (ui/picture_image.py): what the model sees, through the project's Pillow path,
never Qt's image plugins: upright (EXIF), transparency on white, AVIF, a 75-megapixel phone photo, reduced to the
size asked; a file that cannot be read gets imaging's own reason."""

from __future__ import annotations

import pytest
from PIL import Image, features
from PySide6.QtGui import QColor, QImage, QPixmap

from cnnstudio.project.imaging import ImageRejected
from cnnstudio.ui.picture_image import cannot_show, picture_image
from cnnstudio.ui.predict.images import read_scaled

RED, BLUE = (220, 20, 20), (20, 20, 220)


def rotated_jpeg(path, orientation=6):
    """A 160 x 120 JPEG, left half red, right half blue, whose EXIF says: turn me (6: a quarter turn clockwise)."""
    im = Image.new("RGB", (160, 120), RED)
    im.paste(BLUE, (80, 0, 160, 120))
    exif = Image.Exif()
    exif[0x0112] = orientation
    im.save(path, exif=exif, quality=95)
    return path


def near(colour: QColor, rgb, tol=40) -> bool:
    return all(abs(a - b) <= tol for a, b in zip((colour.red(), colour.green(), colour.blue()), rgb))


def test_a_phone_photo_is_shown_upright(qapp, tmp_path):
    img = picture_image(rotated_jpeg(tmp_path / "IMG_0001.jpg"), 400)
    assert (img.width(), img.height()) == (120, 160)  # turned, as training and the thumbnails see it
    assert near(img.pixelColor(60, 10), RED) and near(img.pixelColor(60, 150), BLUE)
    assert QPixmap(str(tmp_path / "IMG_0001.jpg")).width() == 160  # what Qt's own reader showed: on its side


def test_transparency_is_white_and_grey_stays_grey(qapp, tmp_path):
    im = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
    im.paste((10, 200, 10, 255), (0, 0, 20, 30))
    im.save(tmp_path / "alpha.png")
    img = picture_image(tmp_path / "alpha.png", 100)
    assert near(img.pixelColor(35, 15), (255, 255, 255), tol=0) and near(img.pixelColor(5, 15), (10, 200, 10), 0)
    Image.new("L", (30, 30), 90).save(tmp_path / "grey.png")
    grey = picture_image(tmp_path / "grey.png", 100)
    assert grey.format() == QImage.Format.Format_Grayscale8 and grey.pixelColor(3, 3).red() == 90


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow has no AVIF")
def test_an_avif_picture_is_shown(qapp, tmp_path):
    Image.new("RGB", (64, 48), BLUE).save(tmp_path / "IMG_0012.avif")
    assert QPixmap(str(tmp_path / "IMG_0012.avif")).isNull()  # Qt has no AVIF plugin here
    img = picture_image(tmp_path / "IMG_0012.avif", 56)
    assert (img.width(), img.height()) == (56, 42) and near(img.pixelColor(28, 21), BLUE)
    assert not read_scaled(tmp_path / "IMG_0012.avif", 56).isNull()  # the Predict list's icon


def test_a_75_megapixel_photo_is_shown_reduced(qapp, tmp_path):
    path = tmp_path / "big_10000x7500.jpg"
    Image.new("RGB", (10000, 7500), (200, 120, 40)).save(path, quality=70)
    assert QPixmap(str(path)).isNull()  # over Qt's 256 MB allocation limit
    img = picture_image(path, 700)
    assert (img.width(), img.height()) == (700, 525) and near(img.pixelColor(350, 260), (200, 120, 40))
    icon = picture_image(path, 56)  # the JPEG decoder reduces it (1/8) before it is scaled
    assert (icon.width(), icon.height()) == (56, 42)


def test_a_small_picture_is_not_made_larger(qapp, tmp_path):
    Image.new("RGB", (4, 4), RED).save(tmp_path / "tiny.png")
    assert picture_image(tmp_path / "tiny.png", 512).size().toTuple() == (4, 4)


def test_a_file_that_cannot_be_read_says_why_in_imaging_s_words(qapp, tmp_path):
    good = rotated_jpeg(tmp_path / "good.jpg")
    (tmp_path / "cut.jpg").write_bytes(good.read_bytes()[:-300])
    (tmp_path / "notes.jpg").write_text("shopping list")
    (tmp_path / "empty.jpg").write_bytes(b"")
    reasons = {}
    for name in ("cut.jpg", "notes.jpg", "empty.jpg", "gone.jpg"):
        with pytest.raises(ImageRejected) as e:
            picture_image(tmp_path / name, 100)
        reasons[name] = str(e.value)
    assert reasons == {"cut.jpg": "truncated or damaged file (the picture's data ends too soon)",
                       "notes.jpg": "a text file, not a picture", "empty.jpg": "empty file (0 bytes)",
                       "gone.jpg": "file not found (or a broken link)"}
    assert cannot_show(ImageRejected("empty file (0 bytes)")) == "This picture cannot be shown: empty file (0 bytes)."
    assert read_scaled(tmp_path / "cut.jpg", 56).isNull()

"""imaging: the formats read and refused (AVIF, HEIC, Mac and Windows clutter), 16-bit pictures, big phone photos,
multi-page files: each with real files written here."""

from __future__ import annotations

import io

import pytest
from PIL import Image, features

from cnnstudio.project import Project, import_paths
from cnnstudio.project import imaging
from cnnstudio.project.import_walk import quick_scan
from tests.conftest import write_image


def _rejected(data: bytes) -> str:
    with pytest.raises(imaging.ImageRejected) as e:
        imaging.decode(data)
    return str(e.value)


# ---------------------------------------------------------------------------- AVIF and HEIC (findings 6, 7)
def test_avif_is_accepted_by_name_exactly_when_this_pillow_reads_it(tmp_path):
    assert (".avif" in imaging.IMAGE_EXTENSIONS) == bool(features.check("avif"))
    assert not {".heic", ".heif"} & imaging.IMAGE_EXTENSIONS  # never read: see imaging's docs (GPL x265, patents)
    if not features.check("avif"):
        pytest.skip("this Pillow has no AVIF reader")
    folder = tmp_path / "only_avif"
    write_image(folder / "IMG_0012.avif", fmt="AVIF")
    assert imaging.has_image_extension(folder / "IMG_0012.avif")  # a drop of the file is taken...
    assert quick_scan(folder) is None  # ...and so is a drop of the folder holding only it
    assert imaging.decode((folder / "IMG_0012.avif").read_bytes()).format == "AVIF"


@pytest.mark.parametrize("brand", [b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"mif1", b"msf1"])
def test_an_iphone_heic_photo_gets_one_sentence_that_says_what_to_do(brand):
    head = b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00mif1heic" + b"\x00\x00\x01\x00meta" + bytes(300)
    reason = _rejected(head)
    assert reason == ("an iPhone HEIC photo: CNN Studio cannot read this format; save it as JPEG (on the iPhone: "
                      "Settings > Camera > Formats > Most Compatible)")
    assert not imaging.is_not_a_picture_reason(reason)  # a picture, in a format not read


def test_mac_and_windows_metadata_files_are_not_called_text_files():
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02" + bytes(200) + b"ATTR"
    assert _rejected(apple_double) == imaging.APPLE_DOUBLE_REASON
    thumbs_db = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    assert _rejected(thumbs_db) == imaging.THUMBS_DB_REASON
    assert _rejected(bytes(64) + b"abc") == imaging.UNKNOWN_REASON  # NULs are valid UTF-8, but not text
    assert _rejected("[.ShellClassInfo]\r\nIconResource=x\r\n".encode("utf-16")) == imaging.TEXT_REASON
    assert _rejected(b"shopping list\n") == imaging.TEXT_REASON


# ---------------------------------------------------------------------------- 16-bit (finding 10)
def _sixteen(value_range) -> bytes:
    im = Image.new("I;16", (len(value_range), 1))
    im.putdata(list(value_range))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def test_16_bit_pictures_are_scaled_by_their_depth_not_stretched_each():
    dark = imaging.decode(_sixteen([200] * 8)).image  # almost black stays almost black (was grey 200)
    assert dark.mode == "L" and dark.getextrema() == (1, 1)
    flat = imaging.decode(_sixteen(range(30000, 30020))).image  # a flat mid grey stays flat (was noise 0..255)
    assert flat.getextrema() == (117, 117)
    ends = imaging.decode(_sixteen([0, 65535])).image
    assert ends.getextrema() == (0, 255)


# ---------------------------------------------------------------------------- big phone photos (finding 8)
def _big_jpeg(orientation: int | None = None) -> bytes:
    buf = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    Image.new("L", (12_000, 8_000), 90).save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def test_a_jpeg_over_pillows_size_is_decoded_reduced_and_keeps_its_own_size():
    data = _big_jpeg(orientation=6)  # 96 megapixels: Pillow's guard refused it
    decoded = imaging.decode(data)
    assert (decoded.width, decoded.height) == (8_000, 12_000)  # its own size, upright
    assert decoded.image.size == (4_000, 6_000)  # decoded at half the side: never under MAX_INPUT_SIDE
    assert min(decoded.image.size) >= imaging.MAX_INPUT_SIDE


def test_the_size_rule_is_one_sentence_in_our_words():
    assert imaging.size_refusal(16_320, 12_240, "JPEG") is None  # a 200-megapixel phone photo opens
    assert imaging.size_refusal(12_000, 8_000, "PNG") is None
    assert imaging.size_refusal(20_000, 20_000, "JPEG") == (
        "this picture is 400 megapixels (20,000 x 20,000), more than CNN Studio opens (358 megapixels for a JPEG, "
        "179 for other kinds): save a smaller copy")
    assert "more than CNN Studio opens" in imaging.size_refusal(14_000, 14_000, "PNG")


def test_big_pictures_import_and_their_thumbnails_come_from_the_same_rule(project: Project, tmp_path):
    (tmp_path / "big").mkdir()
    (tmp_path / "big" / "phone.jpg").write_bytes(_big_jpeg())
    Image.new("L", (12_000, 8_000), 40).save(tmp_path / "big" / "scan.png", compress_level=1)
    report = import_paths(project, [tmp_path / "big"])
    assert not report.skipped and len(report.imported) == 2
    for iid in report.imported:
        rec = project.image(iid)
        assert (rec.width, rec.height) == (12_000, 8_000)
        project.thumb_cache_path(rec.sha256).unlink()  # written by the import: made again below, through decode
        assert Image.open(project.thumbnail_path(iid)).size == (128, 85)


# ---------------------------------------------------------------------------- several pages (finding 11)
def test_a_multi_page_tiff_and_an_animation_import_with_a_note(project: Project, tmp_path):
    pages = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 0, 255))]
    src = tmp_path / "scans"
    src.mkdir()
    pages[0].save(src / "letter.tif", save_all=True, append_images=pages[1:])
    pages[0].save(src / "wave.gif", save_all=True, append_images=[pages[1], Image.new("RGB", (20, 20), "green")],
                  duration=100, loop=0)
    write_image(src / "plain.png")
    report = import_paths(project, [src])
    assert len(report.imported) == 3 and not report.skipped
    assert report.notes == [
        {"path": str(src / "letter.tif"), "note": "a 2-page TIFF: only the first page was imported"},
        {"path": str(src / "wave.gif"), "note": "an animated GIF (3 frames): only the first frame was imported"}]
    assert report.to_json()["notes"] == report.notes



def test_a_picture_wanted_small_is_decoded_reduced_with_its_own_upright_size():
    """A thumbnail or a preview asks for ``side`` pixels: a JPEG is decoded at 1/2..1/8 by its decoder (sides
    still ``side`` or more), and the decoded record keeps the picture's own size, upright."""
    im = Image.new("RGB", (1600, 1200), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # a phone held upright: stored on its side
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif)
    whole = imaging.decode(buf.getvalue())
    small = imaging.decode(buf.getvalue(), side=128)
    assert whole.image.size == (1200, 1600) and (whole.width, whole.height) == (1200, 1600)
    assert (small.width, small.height) == (1200, 1600)  # the picture's own size, upright
    assert small.image.size == (150, 200)  # 1/8 of each side, upright, both sides >= 128
    assert small.image.getpixel((75, 100)) == pytest.approx(whole.image.getpixel((600, 800)), abs=6)
    png = io.BytesIO()
    im.save(png, "PNG")
    assert imaging.decode(png.getvalue(), side=128).image.size == (1600, 1200)  # only JPEGs decode reduced

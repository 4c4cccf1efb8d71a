"""Decoding, normalising and thumbnailing images: the one place that knows about awkward files.

The importer, the thumbnail cache, the engine's data pipeline and prediction all read pixels through
:func:`decode` (:func:`open_normalised`), so an image looks the same everywhere (EXIF rotation applied, CMYK and
16-bit converted, transparency composited on white, first frame of an animation) and one size rule
(:func:`size_refusal`) decides what is opened at all; one more (:func:`input_side_problem`) says how large a
network's input picture may be.

Formats: whatever this Pillow reads, and AVIF where its AVIF plugin is there (``PIL.features.check("avif")``).
HEIC/HEIF (iPhone photos) are not read on purpose: the one Pillow plugin for them, pillow-heif, ships wheels that
bundle the GPL x265 encoder, and HEVC (the codec inside HEIC) is patent-encumbered; such a file gets one sentence
that says how to save it as JPEG (:data:`HEIC_REASON`).
"""

from __future__ import annotations

import io
import warnings
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, ImageFile, ImageOps, UnidentifiedImageError, features

ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is refused, never half-read

THUMB_SIZE = 128
#: What a picture can become as a network's input: grey (1 channel) or colour (3), as it is read here (mode "L"
#: or "RGB"), each side from ``MIN_INPUT_SIDE`` to ``MAX_INPUT_SIDE`` pixels. One rule (:func:`input_side_problem`)
#: for the Model page's Input tab, the design check, the CLI and training. 4 px: a picture of 1 to 3 px leaves
#: nothing to see and no room for one 3x3 filter with a 2x2 pooling after it. 2048 px: large pictures are decoded
#: reduced but never below it (:data:`PLAIN_PIXELS`, below), so it is the most detail a network here can get;
#: what a size costs in memory is the design check's estimate, not this rule.
INPUT_CHANNELS = (1, 3)
MIN_INPUT_SIDE = 4
MAX_INPUT_SIDE = 2048


def input_side_problem(name: str, value) -> str | None:
    """None when ``value`` is an allowed input ``name`` ("height" / "width") in pixels; else the end of a sentence
    that gives the range: "the input's height in pixels must be a whole number from 4 to 2048, not 3"."""
    whole = isinstance(value, int) and not isinstance(value, bool)
    if whole and MIN_INPUT_SIDE <= value <= MAX_INPUT_SIDE:
        return None
    return (f"the input's {name} in pixels must be a whole number from {MIN_INPUT_SIDE} to {MAX_INPUT_SIDE}, "
            f"not {value!r}")

#: How many pixels CNN Studio opens (:func:`size_refusal`, the one rule; the thumbnails, import, training and
#: prediction all decode through :func:`decode`). Pillow's own guard (89.5 megapixels: a warning, then a refusal
#: over twice that, in its own English) is replaced by this rule, so it is switched off below; nothing in CNN
#: Studio loads pixels any other way. Up to ``PLAIN_PIXELS`` a picture is decoded in full, as it always was. A
#: JPEG over it (a 108- or 200-megapixel phone photo) is decoded reduced by the JPEG decoder itself
#: (``Image.draft``: 1/2 to 1/8 of the side, never under ``MAX_INPUT_SIDE``, which is all a network ever uses),
#: so it costs little memory: JPEGs open up to 4x Pillow's size (358 megapixels). Other formats cannot be decoded
#: reduced: they open up to 2x (179 megapixels, about 540 MB as colour, decoded in full).
PLAIN_PIXELS = 89_478_485  # Pillow's default MAX_IMAGE_PIXELS
MAX_PIXELS_JPEG = 4 * PLAIN_PIXELS
MAX_PIXELS_OTHER = 2 * PLAIN_PIXELS
_REDUCED_FORMATS = frozenset({"JPEG", "MPO"})  # what Image.draft() can decode at a reduced size
Image.MAX_IMAGE_PIXELS = None  # size_refusal() is the guard (above)
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

#: Extensions the GUI offers in file dialogs and accepts in drops; import itself decides by content, so a file
#: with one of these names and a file found in a folder get the same answer. ``.avif`` only where this Pillow reads
#: it; never ``.heic``/``.heif`` (see the module's docs).
AVIF_READABLE = bool(features.check("avif"))
IMAGE_EXTENSIONS = frozenset(
    ".jpg .jpeg .jpe .jfif .png .gif .bmp .dib .tif .tiff .webp .ppm .pgm .pbm .pnm .tga .ico".split()
    + ([".avif"] if AVIF_READABLE else [])
)
_FORMAT_EXT = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "BMP": "bmp", "TIFF": "tif", "WEBP": "webp",
               "PPM": "ppm", "TGA": "tga", "ICO": "ico", "DIB": "bmp", "MPO": "jpg", "AVIF": "avif"}
_GREY_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "I;16N", "F", "La"}


class ImageRejected(Exception):
    """A file that cannot be imported; ``str(e)`` is the reason shown to the user."""


@dataclass(frozen=True)
class DecodedImage:
    image: Image.Image  # normalised: mode "L" or "RGB"; a JPEG over PLAIN_PIXELS comes reduced (size_refusal)
    format: str  # Pillow's format name, e.g. "JPEG"
    width: int  # the picture's own size, upright (not the reduced image's)
    height: int
    frames: int = 1  # pages of a TIFF, frames of an animation: only the first is kept

    @property
    def extension(self) -> str:
        return _FORMAT_EXT.get(self.format, self.format.lower())

    @property
    def first_frame_note(self) -> str:
        """What was left out of a multi-page or animated file ("a 2-page TIFF: only the first page was imported"),
        or "" (a phone's MPO JPEG holds a second, smaller picture that is not the user's: not said)."""
        if self.frames <= 1 or self.format == "MPO":
            return ""
        if self.format == "TIFF":
            return f"a {self.frames}-page TIFF: only the first page was imported"
        return f"an animated {self.format} ({self.frames} frames): only the first frame was imported"


def has_image_extension(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in IMAGE_EXTENSIONS


def size_refusal(width: int, height: int, fmt: str) -> str | None:
    """The one rule of how large a picture CNN Studio opens (the numbers: :data:`MAX_PIXELS_JPEG`); None when it
    opens, else the sentence that says why not."""
    pixels = width * height
    if pixels <= (MAX_PIXELS_JPEG if fmt in _REDUCED_FORMATS else MAX_PIXELS_OTHER):
        return None
    mp = pixels / 1e6
    return (f"this picture is {mp:,.0f} megapixels ({width:,} x {height:,}), more than CNN Studio opens "
            f"({MAX_PIXELS_JPEG / 1e6:.0f} megapixels for a JPEG, {MAX_PIXELS_OTHER / 1e6:.0f} for other kinds): "
            "save a smaller copy")


#: what the content of a file Pillow could not identify is, when it is not a picture at all (:func:`_sniff_reason`)
SVG_REASON = "SVG drawings are not supported; export it as PNG first"
HTML_REASON = "an HTML page, not a picture"
PDF_REASON = "a PDF document, not a picture"
TEXT_REASON = "a text file, not a picture"
UNKNOWN_REASON = "not a picture file (unknown format)"
APPLE_DOUBLE_REASON = ("Mac file information (a '._' file macOS writes beside a file on a USB stick or network "
                       "disk), not a picture")
THUMBS_DB_REASON = "Windows' thumbnail cache (Thumbs.db) or an old Office document, not a picture"
NOT_A_PICTURE_REASONS = frozenset({SVG_REASON, HTML_REASON, PDF_REASON, TEXT_REASON, UNKNOWN_REASON,
                                   APPLE_DOUBLE_REASON, THUMBS_DB_REASON})
#: a picture, in a format CNN Studio does not read (not counted as "not a picture")
HEIC_REASON = ("an iPhone HEIC photo: CNN Studio cannot read this format; save it as JPEG (on the iPhone: "
               "Settings > Camera > Formats > Most Compatible)")
AVIF_REASON = "an AVIF picture: this installation of CNN Studio cannot read AVIF; save it as JPEG or PNG"
FORMAT_NOT_READ_REASONS = frozenset({HEIC_REASON, AVIF_REASON})
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1",
                          b"msf1"})


def is_not_a_picture_reason(reason: str) -> bool:
    """Whether a rejection's reason says the file's content is not a picture at all (a text file named .png), not a
    picture that is damaged or cannot be read."""
    return reason in NOT_A_PICTURE_REASONS


def _sniff_reason(head: bytes) -> str:
    """A plain reason for bytes Pillow could not identify."""
    text = head.lstrip().lower()
    if not head:
        return "empty file (0 bytes)"
    if head[4:8] == b"ftyp":  # an ISO media file: HEIF/HEIC (iPhone), AVIF, or a video
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return AVIF_REASON
        if brand in _HEIC_BRANDS:
            return HEIC_REASON
    if head.startswith(b"\x00\x05\x16\x07"):  # AppleDouble: a Mac's resource fork and Finder information
        return APPLE_DOUBLE_REASON
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # an OLE compound file
        return THUMBS_DB_REASON
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return SVG_REASON
    if text.startswith(b"<!doctype html") or text.startswith(b"<html"):
        return HTML_REASON
    if text.startswith(b"%pdf"):
        return PDF_REASON
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark (Windows' desktop.ini)
        return TEXT_REASON
    if b"\x00" in head:  # binary, though its bytes may happen to be valid UTF-8
        return UNKNOWN_REASON
    try:
        head.decode("utf-8")
        return TEXT_REASON
    except UnicodeDecodeError:
        return UNKNOWN_REASON


def _to_8bit_grey(im: Image.Image) -> Image.Image:
    """1-bit, 16-bit or float greyscale -> 8-bit "L". Integer pictures are scaled by their bit depth (16-bit: v / 257,
    as viewers show them), so a dark picture stays dark and every picture of a dataset is scaled alike; a float
    picture has no depth to scale by, so its own range is stretched to 0..255."""
    if im.mode in ("1", "L"):
        return im.convert("L")
    if im.mode == "F":
        lo, hi = im.getextrema()
        scale = 255.0 / (hi - lo) if hi > lo else 0.0
        return im.point(lambda v: v * scale + (-lo * scale)).convert("L")
    return im.convert("I").convert("F").point(lambda v: v / 257 + 0.5).convert("L")  # rounded; clipped to 0..255


def normalise(im: Image.Image) -> Image.Image:
    """Return an "L" or "RGB" image: EXIF-rotated, transparency on white, 8 bits per channel."""
    im = ImageOps.exif_transpose(im)
    mode = im.mode
    if mode == "P":
        im = im.convert("RGBA") if "transparency" in im.info else im.convert("RGB")
        mode = im.mode
    if mode in ("RGBA", "LA", "La", "RGBa", "PA"):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        background.alpha_composite(rgba)
        return background.convert("L" if mode in ("LA", "La") else "RGB")
    if mode == "L":
        return im
    if mode in _GREY_MODES:
        return _to_8bit_grey(im)
    if mode == "RGB":
        return im
    # CMYK (Pillow inverts Adobe CMYK JPEGs itself), YCbCr, LAB, HSV, RGBX ...
    return im.convert("RGB")


def decode(data: bytes, side: int | None = None) -> DecodedImage:
    """Fully decode ``data`` (every pixel, not only the header) and normalise it.

    Raises :class:`ImageRejected` with a reason for anything that is not a whole, readable image, or larger than
    :func:`size_refusal` opens. A JPEG over :data:`PLAIN_PIXELS` is decoded reduced (never under
    :data:`MAX_INPUT_SIDE`); one wanted at most ``side`` pixels (a thumbnail, a preview) is decoded reduced too, its
    sides still ``side`` or more (the caller shrinks it the rest of the way). Its width and height are still the
    picture's own, upright.
    """
    if not data:
        raise ImageRejected("empty file (0 bytes)")
    try:
        im = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise ImageRejected(_sniff_reason(data[:512])) from None
    except (OSError, ValueError, SyntaxError) as e:
        if data[4:8] == b"ftyp":  # an AVIF/HEIF container Pillow's AVIF reader took up and could not read
            raise ImageRejected(_sniff_reason(data[:512])) from None
        raise ImageRejected(f"unreadable picture header: {e}") from None
    fmt = im.format or "unknown"
    width, height = im.size
    if width <= 0 or height <= 0:
        raise ImageRejected("picture has no pixels")
    refused = size_refusal(width, height, fmt)
    if refused:
        raise ImageRejected(refused)
    try:
        frames = getattr(im, "n_frames", 1)
        if frames > 1:
            im.seek(0)
        reduced = False
        if fmt in _REDUCED_FORMATS:
            wanted = min(side or MAX_INPUT_SIDE, MAX_INPUT_SIDE) if width * height > PLAIN_PIXELS else side
            if wanted:
                im.draft(None, (wanted, wanted))
                reduced = im.size != (width, height)
            if reduced and im.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8):
                width, height = height, width
        im.load()
        out = normalise(im)
        out.load()
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, ZeroDivisionError) as e:
        msg = str(e) or type(e).__name__
        if "truncated" in msg.lower() or isinstance(e, EOFError):  # Pillow's words say "image": ours, "picture"
            raise ImageRejected("truncated or damaged file (the picture's data ends too soon)") from None
        raise ImageRejected(f"damaged picture data ({msg})") from None
    except MemoryError:
        raise ImageRejected("not enough memory to decode this picture") from None
    if not reduced:
        width, height = out.width, out.height
    return DecodedImage(out, fmt, width, height, frames)


def open_normalised(path: str | os.PathLike, side: int | None = None) -> Image.Image:
    """Read a file and return its normalised ("L" or "RGB") image; raises ImageRejected. With ``side``, a JPEG comes
    decoded reduced, its sides still ``side`` or more (:func:`decode`): for pictures shown small."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ImageRejected("a folder, not a picture file") from None
    except FileNotFoundError:
        raise ImageRejected("file not found (or a broken link)") from None
    except PermissionError:
        raise ImageRejected("permission denied: the file cannot be read") from None
    except OSError as e:
        raise ImageRejected(f"cannot read the file: {e.strerror or e}") from None
    return decode(data, side).image


def make_thumbnail(im: Image.Image, size: int = THUMB_SIZE) -> Image.Image:
    thumb = im.copy()
    thumb.thumbnail((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return thumb


def save_thumbnail(thumb: Image.Image, path: Path) -> None:
    """Write a thumbnail atomically (temp file + rename), so a killed process never leaves half a JPEG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    thumb.save(tmp, "JPEG", quality=85)
    os.replace(tmp, path)

"""Decoding, normalising and thumbnailing images: the one place that knows about awkward files.

The importer, the thumbnail cache, the engine's data pipeline and prediction all read pixels through
:func:`open_normalised`, so an image looks the same everywhere (EXIF rotation applied, CMYK and
16-bit converted, transparency composited on white, first frame of an animation).
"""

from __future__ import annotations

import io
import warnings
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

# Pillow warns (on stderr, in its own words) for a picture over MAX_IMAGE_PIXELS and refuses one over twice that;
# decode() refuses both with its own sentence right after opening, so the warning is only noise.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is refused, never half-read

THUMB_SIZE = 128
#: What a picture can become as a network's input: grey (1 channel) or colour (3), as it is read here (mode "L"
#: or "RGB"), no side longer than this. The data pipeline and the design check both hold a design to them.
INPUT_CHANNELS = (1, 3)
MAX_INPUT_SIDE = 2048
#: Extensions the GUI offers in file dialogs and accepts in drops. Import itself decides by content.
IMAGE_EXTENSIONS = frozenset(
    ".jpg .jpeg .jpe .jfif .png .gif .bmp .dib .tif .tiff .webp .ppm .pgm .pbm .pnm .tga .ico".split()
)
_FORMAT_EXT = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "BMP": "bmp", "TIFF": "tif", "WEBP": "webp",
               "PPM": "ppm", "TGA": "tga", "ICO": "ico", "DIB": "bmp", "MPO": "jpg"}
_GREY_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "I;16N", "F", "La"}


class ImageRejected(Exception):
    """A file that cannot be imported; ``str(e)`` is the reason shown to the user."""


@dataclass(frozen=True)
class DecodedImage:
    image: Image.Image  # normalised: mode "L" or "RGB"
    format: str  # Pillow's format name, e.g. "JPEG"
    width: int
    height: int

    @property
    def extension(self) -> str:
        return _FORMAT_EXT.get(self.format, self.format.lower())


def has_image_extension(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in IMAGE_EXTENSIONS


#: what the content of a file Pillow could not identify is, when it is not a picture at all (:func:`_sniff_reason`)
SVG_REASON = "SVG drawings are not supported; export it as PNG first"
HTML_REASON = "an HTML page, not a picture"
PDF_REASON = "a PDF document, not a picture"
TEXT_REASON = "a text file, not a picture"
UNKNOWN_REASON = "not a picture file (unknown format)"
NOT_A_PICTURE_REASONS = frozenset({SVG_REASON, HTML_REASON, PDF_REASON, TEXT_REASON, UNKNOWN_REASON})


def is_not_a_picture_reason(reason: str) -> bool:
    """Whether a rejection's reason says the file's content is not a picture at all (a text file named .png), not a
    picture that is damaged or cannot be read."""
    return reason in NOT_A_PICTURE_REASONS


def _sniff_reason(head: bytes) -> str:
    """A plain reason for bytes Pillow could not identify."""
    text = head.lstrip().lower()
    if not head:
        return "empty file (0 bytes)"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return SVG_REASON
    if text.startswith(b"<!doctype html") or text.startswith(b"<html"):
        return HTML_REASON
    if text.startswith(b"%pdf"):
        return PDF_REASON
    try:
        head.decode("utf-8")
        return TEXT_REASON
    except UnicodeDecodeError:
        return UNKNOWN_REASON


def _to_8bit_grey(im: Image.Image) -> Image.Image:
    """1-bit, 16-bit or float greyscale -> 8-bit "L", stretching the used range to 0..255."""
    if im.mode in ("1", "L"):
        return im.convert("L")
    f = im if im.mode == "F" else im.convert("I").convert("F")
    lo, hi = f.getextrema()
    if lo >= 0 and hi <= 255 and im.mode != "F":
        return f.convert("L")
    scale = 255.0 / (hi - lo) if hi > lo else 0.0
    return f.point(lambda v: v * scale + (-lo * scale)).convert("L")


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


def decode(data: bytes, max_pixels: int | None = None) -> DecodedImage:
    """Fully decode ``data`` (every pixel, not only the header) and normalise it.

    Raises :class:`ImageRejected` with a reason for anything that is not a whole, readable image.
    """
    if not data:
        raise ImageRejected("empty file (0 bytes)")
    limit = Image.MAX_IMAGE_PIXELS if max_pixels is None else max_pixels
    try:
        im = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise ImageRejected(_sniff_reason(data[:512])) from None
    except Image.DecompressionBombError as e:
        raise ImageRejected(f"too large to be safe to open (decompression bomb guard): {e}") from None
    except (OSError, ValueError, SyntaxError) as e:
        raise ImageRejected(f"unreadable picture header: {e}") from None
    fmt = im.format or "unknown"
    width, height = im.size
    if width <= 0 or height <= 0:
        raise ImageRejected("picture has no pixels")
    if limit and width * height > limit:
        raise ImageRejected(
            f"too large to be safe to open: {width}x{height} = {width * height:,} pixels, "
            f"over the limit of {limit:,} (decompression bomb guard)"
        )
    try:
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
        im.load()
        out = normalise(im)
        out.load()
    except Image.DecompressionBombError as e:
        raise ImageRejected(f"too large to be safe to open (decompression bomb guard): {e}") from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, ZeroDivisionError) as e:
        msg = str(e) or type(e).__name__
        if "truncated" in msg.lower() or isinstance(e, EOFError):  # Pillow's words say "image": ours, "picture"
            raise ImageRejected("truncated or damaged file (the picture's data ends too soon)") from None
        raise ImageRejected(f"damaged picture data ({msg})") from None
    except MemoryError:
        raise ImageRejected("not enough memory to decode this picture") from None
    return DecodedImage(out, fmt, out.width, out.height)


def open_normalised(path: str | os.PathLike, max_pixels: int | None = None) -> Image.Image:
    """Read a file and return its normalised ("L" or "RGB") image; raises ImageRejected."""
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
    return decode(data, max_pixels).image


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

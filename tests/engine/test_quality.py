"""Picture quality statistics and rules (engine/data/quality.py) on real picture files written with Pillow.

"Almost one colour" means one colour, not one brightness: a sharp blue triangle on a purple background of
the same brightness (the QA report F-4) is a picture; a solid colour with noise, a black video frame and an
over-exposed white picture are not. Two pictures have the same colours (near copies) when one is the other
re-encoded, resized or cropped, not when one shape sits on backgrounds of other colours (F-5).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw, ImageFilter

from cnnstudio.engine.data import quality
from cnnstudio.engine.data.preprocess import image_to_uint8
from cnnstudio.engine.use.features import feature_preprocess

RNG = np.random.default_rng(7)


def _noisy(im: Image.Image, noise: int) -> Image.Image:
    a = np.asarray(im.convert("RGB")).astype(np.int16) + RNG.integers(-noise, noise + 1, (im.height, im.width, 3))
    return Image.fromarray(a.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.7))


def triangle(bg: tuple[int, int, int], size=(200, 150), fill=(40, 90, 220)) -> Image.Image:
    """The QA's "bird": a sharp blue triangle on a plain background, with pixel noise."""
    im = Image.new("RGB", size, bg)
    w, h = size
    r = min(w, h) // 3
    ImageDraw.Draw(im).polygon([(w // 2, h // 2 - r), (w // 2 + r, h // 2 + r), (w // 2 - r, h // 2 + r)], fill=fill)
    return _noisy(im, 30)


def square_on(bg: tuple[int, int, int], size=(160, 120), at=(0, 0)) -> Image.Image:
    """The QA's "dog": a brown square on a plain background."""
    im = Image.new("RGB", size, bg)
    w, h = size
    r = min(w, h) // 3
    cx, cy = w // 2 + at[0], h // 2 + at[1]
    ImageDraw.Draw(im).rectangle([cx - r, cy - r, cx + r, cy + r], fill=(110, 70, 30))
    return _noisy(im, 30)


def jpeg(im: Image.Image, q: int = 60) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=q)
    return Image.open(io.BytesIO(buf.getvalue()))


def saved(folder: Path, name: str, im: Image.Image) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    im.save(path, quality=90) if name.endswith(".jpg") else im.save(path)
    return path


def _stats(paths) -> torch.Tensor:
    pp = feature_preprocess(size=160)  # what the data check decodes for the backbone
    return quality.picture_stats(torch.stack([image_to_uint8(p, pp) for p in paths]))


def _flat(paths) -> set[int]:
    return {p.index for p in quality.quality_problems(_stats(paths)) if p.what == "flat"}


# purple and maroon backgrounds about as bright as the blue triangle (luma 90): the QA's flagged pictures
SAME_BRIGHTNESS = [(110, 70, 150), (140, 60, 60), (95, 80, 130), (120, 75, 110)]


def test_a_sharp_shape_of_another_colour_but_the_same_brightness_is_not_flat(tmp_path):
    paths = [saved(tmp_path, f"bird{i}.{'jpg' if i % 2 else 'png'}", triangle(bg))
             for i, bg in enumerate(SAME_BRIGHTNESS)]
    stats = _stats(paths)
    luma = torch.stack([(image_to_uint8(p, feature_preprocess(size=160)).float() / 255 *
                         torch.tensor([0.299, 0.587, 0.114]).view(3, 1, 1)).sum(0).std() for p in paths])
    assert float(luma.max()) < quality.FLAT_CONTRAST  # in grey they are "one colour": the old rule's mistake
    assert float(stats[:, 1].min()) > 2 * quality.FLAT_CONTRAST
    assert _flat(paths) == set()


def test_truly_flat_pictures_are_flagged(tmp_path):
    flat = []
    for i, colour in enumerate([(200, 40, 40), (30, 120, 200), (128, 128, 128)]):  # a solid colour with noise
        a = np.array(colour, float)[None, None] + RNG.normal(0, 15, (150, 200, 3))
        flat.append(saved(tmp_path, f"noise{i}.png", Image.fromarray(a.clip(0, 255).astype(np.uint8))))
    frame = Image.new("RGB", (320, 240), (3, 3, 3))  # a black video frame, its time stamp faint
    ImageDraw.Draw(frame).text((10, 220), "00:01:02", fill=(40, 40, 40))
    flat.append(saved(tmp_path, "frame.jpg", jpeg(frame, 75)))
    white = Image.new("RGB", (320, 240), (252, 252, 250))  # over-exposed: what was there is almost white too
    ImageDraw.Draw(white).ellipse([100, 60, 220, 180], fill=(245, 246, 244))
    flat.append(saved(tmp_path, "white.jpg", jpeg(white, 75)))
    flat.append(saved(tmp_path, "black.png", Image.new("L", (28, 28), 0)))
    pictures = [saved(tmp_path, f"bird{i}.png", triangle(bg)) for i, bg in enumerate(SAME_BRIGHTNESS)]
    found = quality.quality_problems(_stats(flat + pictures))
    assert {p.index for p in found if p.what == "flat"} == set(range(len(flat)))
    assert all(p.reason == "almost one colour: there is next to nothing to learn from" for p in found)


def _palette(path: Path) -> torch.Tensor:
    p = quality.file_palette(path)
    assert p is not None and p.shape == (quality.SIGNATURE_SIDE ** 2, 3)
    return p


def test_copies_have_their_originals_colours_and_other_backgrounds_do_not(tmp_path):
    backgrounds = [(190, 180, 80), (200, 110, 190), (160, 90, 60), (170, 60, 130), (90, 160, 120), (140, 100, 150),
                   (170, 170, 150), (140, 95, 55)]  # the last: the brown one, 20 / 255 less red
    originals = [square_on(bg, at=(4 * i - 12, 3 - i)) for i, bg in enumerate(backgrounds)]
    paths = [saved(tmp_path, f"dog{i}.png", im) for i, im in enumerate(originals)]
    for i in range(len(paths)):
        for j in range(i + 1, len(paths)):
            assert quality.palette_distance(_palette(paths[i]), _palette(paths[j])) > quality.PALETTE_SAME, (i, j)
    im = originals[0]
    w, h = im.size
    copies = {"jpeg.jpg": jpeg(im, 50), "half.png": im.resize((w // 2, h // 2)),
              "double.jpg": im.resize((2 * w, 2 * h)),
              "cropped.png": im.crop((w // 20, h // 20, w - w // 20, h - h // 20)),
              "cut.png": im.crop((w // 10, 0, w, h - h // 10)), "grey.png": im.convert("L")}
    for name, copy in copies.items():
        d = quality.palette_distance(_palette(paths[0]), _palette(saved(tmp_path, name, copy)))
        assert (d > quality.PALETTE_SAME) if name == "grey.png" else (d < 0.5 * quality.PALETTE_SAME), name


def test_same_colours_keeps_the_links_of_copies_only(tmp_path):
    files = [saved(tmp_path, "a.png", square_on((190, 180, 80))), None, None, tmp_path / "missing.png"]
    files[1] = saved(tmp_path, "a-copy.jpg", jpeg(Image.open(files[0]), 70))
    files[2] = saved(tmp_path, "b.png", square_on((90, 160, 120)))
    linked = torch.tensor([[True, True], [True, False], [True, False], [True, False]])
    cand = torch.tensor([[1, 2], [0, 2], [0, 1], [0, 1]])
    assert quality.same_colours(files, linked, cand).tolist() == [[True, False], [True, False], [False, False],
                                                                   [False, False]]
    assert quality.file_palette(tmp_path / "missing.png") is None


@pytest.mark.parametrize("channels", [1, 3])
def test_a_grey_picture_has_three_equal_channels_in_its_palette(channels):
    batch = torch.randint(0, 256, (2, channels, 48, 48), dtype=torch.uint8)
    p = quality.colour_palette(batch)
    assert p.shape == (2, 576, 3)
    if channels == 1:
        assert torch.equal(p[..., 0], p[..., 2])


def _colour_set(folder: Path, n: int) -> list[Path]:
    """``n`` colour pictures: the triangle and the square on backgrounds of many colours and brightnesses."""
    bgs = [(int(c), int(d), int(e)) for c, d, e in RNG.integers(120, 240, (n, 3))]
    return [saved(folder, f"c{i}.png", (triangle if i % 2 else square_on)(bg)) for i, bg in enumerate(bgs)]


def test_every_grey_picture_of_a_colour_project_is_listed_in_one_finding(tmp_path):
    """The QA's F8: 6 black and white pictures among colour ones were 2 (the relative rules' cap, chosen by index).
    Grey in a colour project is a fact about each picture: one finding names all six."""
    colour = _colour_set(tmp_path / "colour", 44)
    grey = [saved(tmp_path / "grey", f"g{i}.png", (triangle if i % 2 else square_on)((200, 180, 150)).convert("L"))
            for i in range(6)]
    found = [p for p in quality.quality_problems(_stats(colour + grey)) if p.what == "grey"]
    assert len(found) == 1
    assert sorted(found[0].indices) == list(range(44, 50))
    assert found[0].reason.startswith("6 pictures are black and white")


def test_a_relative_rule_lists_the_worst_and_says_how_many_more(tmp_path):
    """Dark is relative (a ranking): at most MAX_FLAGGED of the pictures are listed, the darkest first, and the last
    one listed says how many more there are."""
    pictures = _colour_set(tmp_path / "colour", 95)
    dark = [saved(tmp_path / "dark", f"d{i}.png", triangle((200, 160, 140)).point(lambda v, i=i: v // (6 + i // 2)))
            for i in range(5)]
    found = [p for p in quality.quality_problems(_stats(pictures + dark)) if p.what == "dark"]
    assert len(found) == 2  # ceil(0.02 x 100)
    assert {p.index for p in found} <= set(range(95, 100))
    assert "3 more less extreme ones not listed" in found[-1].reason and "more" not in found[0].reason

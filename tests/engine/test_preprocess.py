"""Preprocessing: resize modes, channels, normalisation, JSON round trip, awkward files."""

from __future__ import annotations

import pytest
import torch
from PIL import Image

from cnnstudio.engine.data.preprocess import Preprocess, PreprocessError, image_to_uint8, normalize


def test_json_round_trip_and_validation():
    pp = Preprocess(height=12, width=8, channels=3, resize="letterbox", normalization="dataset",
                    mean=(0.1, 0.2, 0.3), std=(0.5, 0.5, 0.5))
    assert Preprocess.from_json(pp.to_json()) == pp
    with pytest.raises(PreprocessError, match="resize mode"):
        Preprocess(resize="zoom")
    with pytest.raises(PreprocessError, match="channels"):
        Preprocess(channels=2)
    with pytest.raises(PreprocessError, match="unknown preprocessing setting"):
        Preprocess.from_json({"height": 8, "colour": True})


def test_squash_crop_letterbox(tmp_path):
    # 20x10 picture: left half white, right half black
    im = Image.new("L", (20, 10), 0)
    im.paste(255, (0, 0, 10, 10))
    path = tmp_path / "a.png"
    im.save(path)
    sq = image_to_uint8(path, Preprocess(height=8, width=8, resize="squash"))
    assert sq.shape == (1, 8, 8) and sq.dtype == torch.uint8
    assert sq[0, :, 0].min() == 255 and sq[0, :, -1].max() == 0
    crop = image_to_uint8(path, Preprocess(height=8, width=8, resize="center_crop"))
    assert crop[0, :, 0].min() == 255 and crop[0, :, -1].max() == 0  # middle 10x10 of the scaled picture
    box = image_to_uint8(path, Preprocess(height=8, width=8, resize="letterbox"))
    assert box[0, 0].max() == 0 and box[0, -1].max() == 0  # padding rows above and below
    assert box[0, 4, 0] == 255


def test_rgba_and_grey_to_rgb(tmp_path):
    im = Image.new("RGBA", (6, 6), (255, 0, 0, 0))  # fully transparent -> white
    t = image_to_uint8(im, Preprocess(height=6, width=6, channels=3))
    assert t.shape == (3, 6, 6) and int(t.min()) == 255
    g = Image.new("I;16", (6, 6), 1000)
    p = tmp_path / "g.png"
    g.save(p)
    t = image_to_uint8(p, Preprocess(height=6, width=6, channels=3))
    assert t.shape == (3, 6, 6)


def test_normalize_modes():
    batch = torch.full((2, 1, 4, 4), 255, dtype=torch.uint8)
    assert torch.allclose(normalize(batch, Preprocess(height=4, width=4)), torch.ones(2, 1, 4, 4))
    pp = Preprocess(height=4, width=4, normalization="dataset", mean=(0.5,), std=(0.25,))
    assert torch.allclose(normalize(batch, pp), torch.full((2, 1, 4, 4), 2.0))
    rgb = torch.zeros((1, 3, 4, 4), dtype=torch.uint8)
    out = normalize(rgb, Preprocess(height=4, width=4, channels=3, normalization="imagenet"))
    assert torch.allclose(out[0, :, 0, 0], torch.tensor([-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225]))
    # float input in [0, 1] gives the same as uint8
    f = batch.float() / 255
    assert torch.allclose(normalize(f, pp), normalize(batch, pp))
    assert torch.equal(f, batch.float() / 255)  # input not modified
    cl = batch.contiguous(memory_format=torch.channels_last)
    assert normalize(cl, pp).is_contiguous(memory_format=torch.channels_last)

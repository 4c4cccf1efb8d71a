"""Presets: each validates, builds with the reported parameter count, runs (also channels_last)."""

from __future__ import annotations

import json

import pytest
import torch

from cnnstudio.engine.model.build import build_model
from cnnstudio.engine.errors import SpecError
from cnnstudio.engine.model.presets import PRESETS, default, get_preset, list_presets, make_preset
from cnnstudio.engine.model.spec import BackboneSpec, ModelSpec
from cnnstudio.engine.model.validate import validate

REQUIRED = {"classic", "lenet5", "vgg_small", "resnet_small", "default"}


def from_scratch(spec: ModelSpec) -> ModelSpec:
    """Transfer presets without the ImageNet weights, so the test needs no weights file."""
    if spec.backbone is None:
        return spec
    return ModelSpec(spec.input, spec.layers, BackboneSpec(spec.backbone.name, pretrained=False, freeze=False))


def test_presets_are_listed_with_titles_and_descriptions():
    assert REQUIRED <= set(PRESETS)
    listed = list_presets()
    assert [p["name"] for p in listed] == list(PRESETS) and listed[0]["name"] == "default"
    for p in listed:
        assert set(p) == {"name", "title", "description"} and p["title"] and p["description"]
    json.dumps(listed)
    assert PRESETS["classic"].title == "Classic CNN"


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize("size", [(28, 28, 1), (40, 32, 3)])
def test_every_preset_builds_and_runs(name, size):
    torch.manual_seed(0)
    spec = from_scratch(PRESETS[name](*size))
    report = validate(spec, 4)
    assert report.ok, report.errors
    model = build_model(spec, 4)
    assert sum(p.numel() for p in model.parameters()) == report.total_params
    x = torch.rand(2, *spec.input.shape)
    model.eval()
    with torch.no_grad():
        y = model(x)
        y_cl = model.to(memory_format=torch.channels_last)(x.contiguous(memory_format=torch.channels_last))
    assert y.shape == (2, 4)
    torch.testing.assert_close(y_cl, y, rtol=1e-3, atol=1e-4)


def test_classic_is_exactly_the_textbook_stack():
    spec = PRESETS["classic"](28, 28, 1)
    got = [(l.type, l.params.get("out_channels") or l.params.get("out_features"), l.params.get("kernel_size"))
           for l in spec.layers]
    assert got == [("conv2d", 32, 3), ("relu", None, None), ("max_pool2d", None, 2), ("conv2d", 64, 3),
                   ("relu", None, None), ("max_pool2d", None, 2), ("flatten", None, None), ("linear", 128, None),
                   ("relu", None, None)]


def test_default_is_small_fast_and_documents_its_target():
    assert "98.5%" in default.__doc__ and "4,000" in default.__doc__ and "60 s" in default.__doc__
    report = validate(PRESETS["default"](28, 28, 1), 10)
    assert report.ok and report.total_params == 141_418 and report.total_macs < 16_000_000
    types = [l.type for l in PRESETS["default"](28, 28, 1).layers]
    assert types.count("batch_norm2d") == types.count("conv2d") == 4 and "dropout" in types


def test_modern_presets_shrink_large_pictures_first():
    for name in ("default", "vgg_small", "resnet_small"):
        small, large = PRESETS[name](28, 28, 1), PRESETS[name](224, 224, 3)
        assert len(large.layers) == len(small.layers) + 6  # two stride-2 conv-BN-ReLU stems: 224 -> 112 -> 56
        report = validate(large, 10)
        assert report.ok and report.layers[3].out_shape == (32, 56, 56)


def test_transfer_presets_use_rgb_at_224_pixels():
    spec = PRESETS["mobilenet_v2_transfer"](28, 28, 1)  # ImageNet features are poor at 32 px (issue 15)
    assert spec.input.shape == (3, 224, 224) and spec.backbone == BackboneSpec("mobilenet_v2", True, True)
    assert validate(spec, 2).ok


def test_unknown_preset():
    with pytest.raises(SpecError, match="there is no preset called 'lenet'; did you mean 'lenet5'?"):
        get_preset("lenet")
    assert make_preset("lenet5", 32, 32, 1).input.height == 32

"""The design being edited on the Model page (engine/model/design.py), driven without Qt: layer operations,
the backbone rules and the input settings they imply."""

from __future__ import annotations

import subprocess
import sys

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.design import (Design, input_for_preset, input_for_pretrained, input_for_spec,
                                           input_values)
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.model.spec import ModelSpec

GREY12 = {"height": 12, "width": 12, "channels": 1, "resize": "squash", "normalization": "unit"}


def _types(d: Design) -> list[str]:
    return [entry["type"] for entry in d.layers]


def test_loads_without_torch():
    code = "import sys; import cnnstudio.engine.model.design; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_layer_operations_keep_the_selection_where_the_user_looks():
    d = Design()
    d.add_layer("conv2d")
    assert _types(d) == ["conv2d"] and d.selected == 0
    d.add_after_selected("max_pool2d")
    d.add_layer("relu", 1)
    assert _types(d) == ["conv2d", "relu", "max_pool2d"] and d.selected == 1
    d.add_layer("flatten", 99)  # clamped to the end
    assert _types(d)[-1] == "flatten" and d.selected == 3
    d.duplicate_layer(1)
    assert _types(d) == ["conv2d", "relu", "relu", "max_pool2d", "flatten"] and d.selected == 2
    assert d.layers[1] is not d.layers[2]
    assert d.move_layer(3, 1) and _types(d) == ["conv2d", "max_pool2d", "relu", "relu", "flatten"]
    assert d.selected == 1
    assert not d.move_layer(0, -1) and not d.move_layer(4, 5) and not d.move_layer(2, 2)
    d.remove_layer(4)
    assert d.selected == 3 and len(d.layers) == 4
    d.set_param(0, "out_channels", 8)
    assert d.layers[0]["params"]["out_channels"] == 8
    spec = d.spec(GREY12)
    assert (spec.input.height, spec.input.channels) == (12, 1) and spec.layers[0].params["out_channels"] == 8
    spec.layers[0].params["out_channels"] = 3  # the spec is a copy
    assert d.layers[0]["params"]["out_channels"] == 8


def test_set_spec_and_presets():
    d = Design()
    d.selected = 2
    d.set_spec(ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4), layer("relu")]))
    assert _types(d) == ["conv2d", "relu"] and d.backbone is None and d.selected == -1
    values = d.apply_preset("classic", GREY12)
    assert _types(d)[:3] == ["conv2d", "relu", "max_pool2d"] and values == GREY12
    # a ready-made transfer design brings its input: RGB, 224 pixels, ImageNet normalisation
    values = d.apply_preset("resnet18_transfer", GREY12)
    assert d.backbone == {"name": "resnet18", "pretrained": True, "freeze": True}
    assert values == {**GREY12, "height": 224, "width": 224, "channels": 3, "normalization": "imagenet"}


def test_a_design_from_scratch_after_a_pretrained_backbone_brings_back_the_projects_input():
    """QA: "Recommended" after "Transfer learning: MobileNetV2" stayed 224 x 224 colour, ImageNet-normalised (127 M
    multiply-adds instead of 15 M on 28 x 28 digits)."""
    start = Preprocess(height=28, width=28, channels=1, normalization="dataset")  # what suggest_preprocess says
    asked = []

    def suggest():
        asked.append(1)
        return start

    first = {"height": 28, "width": 28, "channels": 1, "resize": "letterbox", "normalization": "dataset"}
    d = Design()
    assert d.apply_preset("default", first, suggest) == first and not asked  # nothing to undo: not asked
    fresh = d.snapshot()
    transfer = d.apply_preset("mobilenet_v2_transfer", first, suggest)
    assert (transfer["height"], transfer["channels"], transfer["normalization"]) == (224, 3, "imagenet")
    assert d.apply_preset("default", transfer, suggest) == first  # the resize mode is the user's: kept
    assert d.snapshot() == fresh and asked  # the very design the project started with, not its 224 px version
    # ImageNet normalisation left on after the backbone was switched off is the backbone's too
    d.choose_backbone("mobilenet_v2", True, True)
    d.choose_backbone(None, True, True)
    assert d.apply_preset("classic", {**first, "normalization": "imagenet"}, suggest) == first
    # a size the user chose for a design from scratch stays
    own = {**first, "height": 64, "width": 48, "channels": 3}
    assert d.apply_preset("vgg_small", own, suggest) == own
    assert d.apply_preset("vgg_small", transfer) == transfer  # no rule given: as before


def test_choosing_a_backbone_swaps_in_the_head_and_switching_it_off_brings_the_layers_back():
    d = Design()
    d.apply_preset("classic", GREY12)
    before = _types(d)
    assert d.choose_backbone("resnet18", False, False)  # newly chosen: pretrained and frozen whatever the switches say
    assert d.backbone == {"name": "resnet18", "pretrained": True, "freeze": True}
    assert d.layers == [layer("dropout", p=0.2)]
    assert not d.choose_backbone("resnet18", True, False)  # a switch changed: the layers stay
    assert d.backbone == {"name": "resnet18", "pretrained": True, "freeze": False}
    assert not d.choose_backbone("resnet18", False, True)  # frozen needs pretrained
    assert d.backbone == {"name": "resnet18", "pretrained": False, "freeze": False}
    assert not d.choose_backbone(None, False, False)
    assert d.backbone is None and _types(d) == before
    assert not d.choose_backbone(None, False, False) and _types(d) == before


def test_input_rules():
    # a pretrained backbone: RGB, raised to 224 x 224, ImageNet normalisation; larger sizes are kept
    assert input_for_pretrained(GREY12) == {**GREY12, "height": 224, "width": 224, "channels": 3,
                                            "normalization": "imagenet"}
    big = {**GREY12, "height": 256, "width": 240, "resize": "letterbox"}
    assert input_for_pretrained(big) == {**big, "channels": 3, "normalization": "imagenet"}
    # a design brings its input size; only a preset with pretrained weights changes the normalisation
    spec = make_preset("classic", 20, 24, 3)
    assert input_for_spec(spec, GREY12) == {**GREY12, "height": 20, "width": 24, "channels": 3}
    assert input_for_preset(spec, GREY12) == input_for_spec(spec, GREY12)
    # stored settings win, what they lack comes from the suggestion (only asked for then)
    asked = []

    def suggest():
        asked.append(1)
        return Preprocess(height=40, width=36, channels=3, normalization="dataset")

    assert input_values(GREY12, suggest) == GREY12 and not asked
    assert input_values({"height": 16, "normalization": "unit"}, suggest) == {
        "height": 16, "width": 36, "channels": 3, "resize": "squash", "normalization": "unit"}
    assert input_values(None, suggest) == {"height": 40, "width": 36, "channels": 3, "resize": "squash",
                                           "normalization": "dataset"}


def test_a_feature_map_layer_added_with_nothing_selected_goes_before_the_flat_part():
    """QA: a convolution added to a ready-made design went after its fully connected layers, and was red at once."""
    from cnnstudio.engine.model.validate import validate

    for preset in ("classic", "default", "lenet5", "resnet_small"):
        d = Design()
        d.apply_preset(preset, dict(GREY12, height=28, width=28))
        assert d.selected == -1
        ends = next(i for i, t in enumerate(_types(d)) if t in ("flatten", "global_avg_pool", "linear"))
        for kind in ("conv2d", "batch_norm2d", "max_pool2d", "residual_block"):
            d.selected = -1
            d.add_after_selected(kind)
            assert _types(d)[ends] == kind and d.selected == ends, (preset, kind)  # selected: the next one follows it
            ends += 1
        assert validate(d.spec(dict(GREY12, height=28, width=28)), 3).ok, preset
    d = Design()
    d.apply_preset("classic", dict(GREY12, height=28, width=28))
    n = len(d.layers)
    d.add_after_selected("dropout")  # a layer that takes anything: at the end, as before
    assert _types(d)[-1] == "dropout" and d.selected == n
    d.selected = 0
    d.add_after_selected("conv2d")  # a selected layer: right after it, whatever the layer
    assert _types(d)[1] == "conv2d" and d.selected == 1
    empty = Design()
    empty.add_after_selected("conv2d")
    assert _types(empty) == ["conv2d"]
    after_backbone = Design()
    after_backbone.choose_backbone("mobilenet_v2", True, True)
    after_backbone.selected = -1
    after_backbone.add_after_selected("conv2d")  # the backbone's features are flat already: nowhere fits, the end
    assert _types(after_backbone) == ["dropout", "conv2d"]

"""ModelSpec JSON and validate(): shapes, counts, and one plain sentence for every kind of mistake."""

from __future__ import annotations

import json

import pytest

from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.errors import SpecError
from cnnstudio.engine.model.presets import PRESETS
from cnnstudio.engine.model.spec import FORMAT, BackboneSpec, InputSpec, LayerSpec, ModelSpec
from cnnstudio.engine.model.validate import validate


def spec_of(layers, h=28, w=28, c=1, backbone=None) -> ModelSpec:
    return ModelSpec(InputSpec(h, w, c), tuple(LayerSpec(d["type"], d.get("params", {})) for d in layers), backbone)


def pool():
    return layer("max_pool2d")


# ------------------------------------------------------------------------------------------------------
# ModelSpec


def test_spec_round_trips_through_json_and_files(tmp_path):
    spec = PRESETS["classic"](28, 28, 1)
    data = spec.to_json()
    assert data["format"] == FORMAT == "cnnstudio.modelspec/1"
    assert data["input"] == {"height": 28, "width": 28, "channels": 1} and data["backbone"] is None
    assert data["layers"][0] == {"type": "conv2d", "params": {"out_channels": 32, "kernel_size": 3, "stride": 1,
                                                              "padding": "same", "bias": True}}
    assert ModelSpec.from_json(json.loads(json.dumps(data))) == spec
    path = tmp_path / "model.json"
    spec.save(path)
    assert ModelSpec.load(path) == spec
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]  # the temporary file is gone

    bb = ModelSpec.from_json({"format": FORMAT, "input": {"height": 96, "width": 96, "channels": 3}, "layers": [],
                              "backbone": {"name": "mobilenet_v2", "pretrained": True, "freeze": False}})
    assert bb.backbone == BackboneSpec("mobilenet_v2", True, False) and bb.layers == ()
    assert ModelSpec.from_json(bb.to_json()) == bb


@pytest.mark.parametrize("data, message", [
    ([], "this is not a design saved by CNN Studio: a design is a JSON object"),
    ({"input": {}, "layers": []}, "this is not a design saved by CNN Studio: it has no \"format\""),
    ({"format": "cnnstudio.modelspec/2", "input": {}, "layers": []}, "cannot read (it reads 'cnnstudio.modelspec/1'): update"),
    ({"format": "keras", "input": {}, "layers": []}, "its format is 'keras'"),
    ({"format": FORMAT, "layers": []}, "the design has no 'input'"),
    ({"format": FORMAT, "input": {"height": 1, "width": 1, "channels": 1}, "layers": [], "layer": []},
     "the design has 'layer', which a design does not use"),
    ({"format": FORMAT, "input": [28, 28], "layers": []}, "\"input\" must be an object"),
    ({"format": FORMAT, "input": {"height": 28, "width": 28}, "layers": []}, "the input has no 'channels'"),
    ({"format": FORMAT, "input": {"height": "28", "width": 28, "channels": 1}, "layers": []},
     "the input's height must be a whole number, not \"28\""),
    ({"format": FORMAT, "input": {"height": 28, "width": 28, "channels": 1}, "layers": {}}, "must be a list"),
    ({"format": FORMAT, "input": {"height": 28, "width": 28, "channels": 1}, "layers": ["relu"]},
     "layer 1 must be an object"),
    ({"format": FORMAT, "input": {"height": 28, "width": 28, "channels": 1}, "layers": [{"params": {}}]},
     "layer 1 has no 'type'"),
    ({"format": FORMAT, "input": {"height": 28, "width": 28, "channels": 1}, "layers": [{"type": 3}]},
     "layer 1: the type must be a name like 'conv2d', not 3"),
    ({"format": FORMAT, "input": {"height": 28, "width": 28, "channels": 1}, "layers": [{"type": "relu", "params": [1]}]},
     "layer 1: \"params\" must be an object"),
    ({"format": FORMAT, "input": {"height": 28, "width": 28, "channels": 1}, "layers": [], "backbone": "resnet18"},
     "\"backbone\" must be null or an object"),
    ({"format": FORMAT, "input": {"height": 28, "width": 28, "channels": 1}, "layers": [],
      "backbone": {"name": "resnet18", "freeze": "yes"}}, "the backbone's freeze must be true or false, not \"yes\""),
])
def test_malformed_specs_raise_a_plain_sentence(data, message):
    with pytest.raises(SpecError) as e:
        ModelSpec.from_json(data)
    assert message in str(e.value)


def test_bad_files_raise_spec_errors(tmp_path):
    with pytest.raises(SpecError, match="there is no file"):
        ModelSpec.load(tmp_path / "missing.json")
    with pytest.raises(SpecError, match="is a folder"):
        ModelSpec.load(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": ')
    with pytest.raises(SpecError, match=r"bad.json is damaged: it stops part-way \(on line 1\)"):
        ModelSpec.load(bad)
    binary = tmp_path / "weights.pth"
    binary.write_bytes(b"\x80\x02\xff\xfe")
    with pytest.raises(SpecError, match="is not a design file: it is not text"):
        ModelSpec.load(binary)


# ------------------------------------------------------------------------------------------------------
# reports of good designs


def test_classic_report_has_shapes_counts_and_the_output_layer():
    report = validate(PRESETS["classic"](28, 28, 1), 10)
    assert report.ok and report.errors == [] and report.notes == ()
    shapes = [e.out_shape for e in report.layers]
    assert shapes == [(32, 28, 28), (32, 28, 28), (32, 14, 14), (64, 14, 14), (64, 14, 14), (64, 7, 7), (3136,),
                      (128,), (128,), (10,)]
    assert [e.index for e in report.layers] == list(range(1, 11))
    out = report.layers[-1]
    assert out.auto and out.type == "linear" and out.params == 128 * 10 + 10 and out.label == "output, 10 classes"
    assert report.layers[0].params == 32 * 9 + 32 and report.layers[0].macs == 32 * 28 * 28 * 9
    assert report.total_params == sum(e.params for e in report.layers) == 421_642
    assert report.total_macs == sum(e.macs for e in report.layers)
    data = json.loads(json.dumps(report.to_json()))
    assert data["ok"] is True and data["layers"][6]["output_shape"] == [3136]
    assert set(data) >= {"ok", "layers", "errors", "total_params", "total_macs", "notes"}


def test_a_flatten_is_added_before_the_output_and_said_so():
    report = validate(spec_of([layer("conv2d", out_channels=4), pool()], 8, 8), 3)
    assert report.ok
    assert report.notes == ("a flatten is added before the output layer: the 4 × 4 × 4 feature map becomes 64 numbers",)
    assert report.layers[-1].params == 64 * 3 + 3


def test_a_flatten_is_added_before_a_fully_connected_layer():
    report = validate(spec_of([layer("conv2d", out_channels=2), layer("linear", out_features=5)], 4, 4), 2)
    assert report.ok and report.layers[1].out_shape == (5,) and report.layers[1].params == 32 * 5 + 5
    assert "a flatten is added before layer 2 (fully connected 5): the 2 × 4 × 4 feature map becomes 32 numbers" in report.notes


def test_an_empty_design_is_a_linear_classifier():
    report = validate(spec_of([], 4, 5, 3), 2)
    assert report.ok and report.total_params == 60 * 2 + 2 and len(report.layers) == 1


def test_big_flatten_gets_advice():
    report = validate(spec_of([layer("conv2d", out_channels=64)], 64, 64), 2)
    assert report.ok and any("global average pool" in n for n in report.notes)


# ------------------------------------------------------------------------------------------------------
# every kind of mistake


def errors_of(layers, num_classes=10, **kw) -> list[str]:
    report = validate(spec_of(layers, **kw), num_classes)
    assert not report.ok
    return report.errors


def test_pooling_a_1x1_map_names_the_layer_and_the_fix():
    layers = [layer("conv2d", out_channels=8), pool(), pool(), pool(), pool()]
    assert errors_of(layers, h=8, w=8) == [
        "layer 5, max-pool 2x2, would shrink the 8 × 1 × 1 feature map to nothing: remove a pooling layer or use a larger input"
    ]


def test_unknown_layer_type_suggests_the_close_one():
    assert errors_of([layer("conv2d"), {"type": "conv3d", "params": {}}]) == [
        "layer 2: there is no layer called 'conv3d'; did you mean 'conv2d'?"
    ]
    assert "the layer types are conv2d" in errors_of([{"type": "transformer"}])[0]


def test_wrong_missing_extra_and_out_of_range_settings():
    errs = errors_of([
        {"type": "conv2d", "params": {"out_channels": "32", "kernel_size": 3, "stride": 0, "padding": "same",
                                      "bias": True, "strid": 1}},
        {"type": "dropout", "params": {}},
        {"type": "relu", "params": {"inplace": True}},
        {"type": "linear", "params": {"out_features": 10.0, "bias": "yes"}},
    ])
    assert errs[0] == ("layer 1, convolution: has no setting 'strid' (did you mean 'stride'?); the out channels must "
                       "be a whole number from 1 to 4096, not '32'; the stride must be a whole number from 1 to 8, not 0")
    assert errs[1] == ("layer 2, dropout: the dropout rate setting is missing: add it (a number from 0 to 0.95; usually 0.5)")
    assert errs[2] == "layer 3, ReLU: has no settings, so remove 'inplace'"
    assert errs[3] == ("layer 4, fully connected: the out features must be a whole number from 1 to 100000, not "
                       "10.0; the bias must be true or false, not 'yes'")


def test_checking_goes_on_after_an_error_with_unknown_shapes():
    report = validate(spec_of([
        {"type": "conv2d", "params": {"out_channels": 0}},
        layer("relu"),
        {"type": "linear", "params": {"out_features": -1, "bias": True}},
        {"type": "sigmoid"},
    ]), 10)
    assert [e.index for e in report.layers if e.error] == [1, 3]
    assert report.layers[1].out_shape is None and report.layers[1].error is None
    assert report.layers[-1].out_shape is None and report.layers[-1].auto
    assert len(report.errors) == 2


@pytest.mark.parametrize("classes", [0, -3, 2.5, True, "10", None])
def test_bad_number_of_classes(classes):
    report = validate(PRESETS["classic"](28, 28, 1), classes)
    assert not report.ok
    assert report.errors == [f"the number of classes must be a whole number of at least 1, not {classes!r}: "
                             "add classes to the project"]
    assert report.layers[-1].index == 10


def test_one_class_is_allowed_with_a_note():
    report = validate(PRESETS["classic"](28, 28, 1), 1)
    assert report.ok and any("one class" in n for n in report.notes)


def test_input_too_small_or_invalid():
    errs = errors_of([layer("conv2d", kernel_size=5, padding=0)], h=4, w=4)
    assert errs == ["layer 1, conv 32 5x5, gets a 1 × 4 × 4 feature map, smaller than its 5 × 5 kernel: use 'same' padding, "
                    "a smaller kernel, fewer pooling layers before it, or a larger input"]
    errs = errors_of([layer("relu")], h=0, w=28, c=1)
    assert errs == ["the input's height in pixels must be a whole number from 4 to 2048, not 0"]
    # what training can feed: 5 channels passed the check once, and then training refused the design
    for c in (2, 5, 100):
        assert errors_of([], c=c)[0] == f"the input's channels must be 1 (grey) or 3 (colour), not {c}"


def test_map_layers_after_flatten_say_where_to_move():
    errs = errors_of([layer("flatten"), layer("conv2d")], h=4, w=4)
    assert errs == ["layer 2, conv 32 3x3, needs a feature map (channels x height x width) but gets a flat list of "
                    "16 numbers: move it before the flatten, global average pooling or fully connected layers"]


def test_even_kernel_with_same_padding():
    assert errors_of([layer("conv2d", kernel_size=2)])[0].startswith(
        "layer 1, conv 32 2x2, 'same' padding needs an odd kernel size: use a kernel size of 1 or 3")


def test_too_many_parameters_is_stopped_before_pytorch():
    errs = errors_of([layer("flatten"), layer("linear", out_features=100_000)], h=1024, w=1024)
    assert errs[0].startswith("the model has 104,858,700,010 parameters") and "more than the 100,000,000 CNN Studio allows" in errs[0]


def test_validate_never_raises_from_torch_for_nonsense():
    for layers in ([{"type": "conv2d", "params": {"out_channels": None, "kernel_size": [3]}}],
                   [{"type": "max_pool2d", "params": {"kernel_size": 2, "stride": 2, "padding": 1.5}}],
                   [{"type": "", "params": {}}]):
        assert not validate(spec_of(layers), 2).ok


# ------------------------------------------------------------------------------------------------------
# backbones in the report


def test_backbone_entry_and_head():
    spec = spec_of([layer("dropout", p=0.2)], 64, 64, 3, BackboneSpec("mobilenet_v2", True, True))
    report = validate(spec, 5)
    assert report.ok
    bb = report.layers[0]
    assert (bb.index, bb.type, bb.out_shape, bb.params, bb.trainable_params) == (0, "mobilenet_v2", (1280,), 2_223_872, 0)
    assert bb.label == "MobileNetV2 (pretrained, frozen)" and bb.macs > 0
    assert report.layers[-1].params == 1280 * 5 + 5
    assert report.trainable_params == 1280 * 5 + 5
    assert any("96 × 96 or more is better" in n for n in report.notes)
    tuned = validate(spec_of([], 32, 32, 1, BackboneSpec("resnet18", False, False)), 2)
    assert tuned.ok and tuned.layers[0].trainable_params == tuned.layers[0].params


def test_backbone_mistakes():
    errs = errors_of([], h=28, w=28, c=1, backbone=BackboneSpec("mobilenet_v2", True, True))
    assert len(errs) == 1
    assert errs[0].startswith("the backbone, MobileNetV2 (pretrained, frozen): use RGB input for a pretrained backbone")
    assert "it needs an input of at least 32 × 32 pixels, not 28 × 28" in errs[0]
    errs = errors_of([], h=64, w=64, c=3, backbone=BackboneSpec("resnet_18", True, True))
    assert errs == ["the backbone, resnet_18 (pretrained, frozen): there is no backbone called 'resnet_18'; "
                    "did you mean 'resnet18'?"]
    errs = errors_of([], h=64, w=64, c=3, backbone=BackboneSpec("resnet18", False, True))
    assert "frozen but not pretrained, so it would never learn" in errs[0]
    errs = errors_of([layer("conv2d")], h=64, w=64, c=3, backbone=BackboneSpec("resnet18", True, True))
    assert errs == ["layer 1, conv 32 3x3, needs a feature map (channels x height x width) but gets a flat list of 512 "
                    "numbers: after a backbone use only fully connected, dropout and activation layers"]

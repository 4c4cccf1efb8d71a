"""The limits of a design, each one rule: the input side, the number of layers, the number of parameters (with
advice for the layer that holds them), and the catalog's defaults for settings a design file leaves out."""

from __future__ import annotations

import json

import pytest

from cnnstudio.engine.data.preprocess import Preprocess, PreprocessError
from cnnstudio.engine.errors import SpecError
from cnnstudio.engine.model.catalog import default_params, layer
from cnnstudio.engine.model.param_entry import SIZE_RANGE, size_problem
from cnnstudio.engine.model.spec import FORMAT, MAX_LAYERS, InputSpec, LayerSpec, ModelSpec
from cnnstudio.engine.model.validate import MAX_PARAMS, validate
from cnnstudio.project.imaging import MAX_INPUT_SIDE, MIN_INPUT_SIDE


def design_json(layers, side=28, channels=1) -> dict:
    return {"format": FORMAT, "input": {"height": side, "width": side, "channels": channels}, "layers": layers}


def spec_of(layers, side=28, channels=1) -> ModelSpec:
    """Made in Python, as a caller of the engine may: no check of the structure on the way."""
    return ModelSpec(InputSpec(side, side, channels), tuple(LayerSpec(d["type"], d.get("params", {})) for d in layers))


# ------------------------------------------------------------------------------------------------------
# the input side: one range for the Input tab, the design check, the CLI and training

def test_one_input_side_range_everywhere():
    assert SIZE_RANGE == (MIN_INPUT_SIDE, MAX_INPUT_SIDE) == (4, 2048)
    for side in (MIN_INPUT_SIDE, MAX_INPUT_SIDE):
        assert size_problem("width", side, 28) is None
        assert Preprocess(height=side, width=side).height == side
    words = "from 4 to 2048"
    for side in (3, 2049):
        assert words in size_problem("height", side, 28)
        with pytest.raises(PreprocessError, match=words):
            Preprocess(height=side, width=28)
        report = validate(spec_of([layer("relu")], side), 2)
        assert report.errors[0] == f"the input's height in pixels must be a whole number {words}, not {side}"


def test_the_input_tab_sentence_gives_the_range_and_a_true_reason():
    small = size_problem("width", 3, 28)
    assert small == ("A width of 3 px is not used: the input picture's width must be from 4 to 2048 px (a smaller "
                     "picture leaves nothing to see). The design keeps 28 px, and training waits until you type an "
                     "allowed size.")
    large = size_problem("height", 4000, 64)
    assert "must be from 4 to 2048 px" in large and "memory" not in large and large.endswith("The design keeps 64 px, and training waits until you type an allowed size.")


def test_a_design_file_at_2048_px_loads_and_validates(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(design_json([layer("conv2d", out_channels=8, stride=4), layer("relu"),
                                            layer("global_avg_pool")], 2048, 3)))
    spec = ModelSpec.load(path)
    report = validate(spec, 2)
    assert report.ok, report.errors
    assert spec.input.shape == (3, 2048, 2048) and report.layers[0].out_shape == (8, 512, 512)
    assert report.memory is not None and report.memory.per_picture > 8 * 512 * 512 * 4


# ------------------------------------------------------------------------------------------------------
# the number of layers

def test_a_design_file_with_too_many_layers_is_refused_in_one_sentence(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(design_json([{"type": "relu"}] * 3000)))
    with pytest.raises(SpecError) as e:
        ModelSpec.load(path)
    message = str(e.value)
    assert message == (f"{path} holds a design CNN Studio cannot use — the design has 3,000 layers, more than the "
                       "200 CNN Studio allows: remove layers (a deep network such as VGG-19 is 60 layers here, "
                       "ResNet-34 with residual blocks 21)")
    assert message.count(". ") == 0 and "\n" not in message
    assert len(ModelSpec.from_json(design_json([{"type": "relu"}] * MAX_LAYERS)).layers) == MAX_LAYERS
    with pytest.raises(SpecError, match=f"has {MAX_LAYERS + 1} layers"):
        ModelSpec.create(28, 28, 1, [layer("relu")] * (MAX_LAYERS + 1))


def test_the_validator_says_so_for_a_spec_made_in_python():
    report = validate(spec_of([layer("relu")] * (MAX_LAYERS + 1)), 2)
    assert not report.ok and report.memory is None
    assert report.problems == (f"the design has {MAX_LAYERS + 1} layers, more than the 200 CNN Studio allows: remove "
                               "layers (a deep network such as VGG-19 is 60 layers here, ResNet-34 with residual "
                               "blocks 21)",)
    assert validate(spec_of([layer("relu")] * MAX_LAYERS), 2).ok


# ------------------------------------------------------------------------------------------------------
# settings a design file leaves out

def test_settings_left_out_get_the_catalogs_defaults():
    spec = ModelSpec.from_json(design_json([{"type": "conv2d", "params": {"out_channels": 8}}, {"type": "relu"},
                                            {"type": "max_pool2d", "params": None}, {"type": "dropout"}]))
    assert spec.layers[0].params == {"out_channels": 8, "kernel_size": 3, "stride": 1, "padding": "same",
                                     "bias": True}
    assert spec.layers[2].params == default_params("max_pool2d") and spec.layers[3].params == {"p": 0.5}
    report = validate(spec, 3)
    assert report.ok and report.layers[0].label == "conv 8 3x3" and report.layers[0].out_shape == (8, 28, 28)
    assert ModelSpec.from_json(spec.to_json()) == spec  # saved whole: the file now lists every setting


def test_wrong_and_unknown_settings_are_kept_for_the_validator():
    spec = ModelSpec.from_json(design_json([{"type": "conv2d", "params": {"out_channels": 0, "strid": 2}},
                                            {"type": "conv3d", "params": {"depth": 3}}]))
    assert spec.layers[0].params["strid"] == 2 and spec.layers[0].params["stride"] == 1
    assert spec.layers[1].params == {"depth": 3}  # no catalog entry: nothing to fill in
    errors = validate(spec, 2).errors
    assert errors[0] == ("layer 1, convolution: has no setting 'strid' (did you mean 'stride'?); the out channels "
                         "must be a whole number from 1 to 4096, not 0")
    assert errors[1] == "layer 2: there is no layer called 'conv3d'; did you mean 'conv2d'?"


# ------------------------------------------------------------------------------------------------------
# too many parameters: the layer that holds them, and advice that fits it

def params_error(layers, side=28, channels=1, classes=2):
    report = validate(spec_of(layers, side, channels), classes)
    assert not report.ok and report.problems == () and report.memory is None
    marked = [e for e in report.layers if e.error]
    assert len(marked) == 1  # the error is on the card of the layer that holds most parameters
    assert marked[0].error.startswith(f"the model has {report.total_params:,} parameters, more than the "
                                      f"{MAX_PARAMS:,} CNN Studio allows")
    return marked[0]


def test_a_fully_connected_layer_after_a_large_map_is_named_with_pooling_advice():
    entry = params_error([layer("conv2d", out_channels=16), layer("linear", out_features=5000)], 64)
    assert entry.index == 2
    assert entry.error.endswith(", and layer 2, fully connected 5000, holds more than 99% of them: it gets 65,536 "
                                "numbers from a feature map, so add pooling or global average pooling before it, or "
                                "give it fewer units")


def test_a_fully_connected_layer_after_a_wide_one_is_told_to_have_fewer_units():
    entry = params_error([layer("global_avg_pool"), layer("linear", out_features=100_000), layer("relu"),
                          layer("dropout"), layer("linear", out_features=2_000)], 8)
    assert entry.index == 5 and entry.error.endswith(
        ", and layer 5, fully connected 2000, holds more than 99% of them: it gets 100,000 numbers, so give it or the "
        "layer before it fewer units")
    entry = params_error([layer("global_avg_pool"), layer("linear", out_features=100_000)], 8, classes=2000)
    assert entry.auto and entry.error.endswith("it gets 100,000 numbers, so give the layer before it fewer units")
    entry = params_error([layer("global_avg_pool"), layer("linear", out_features=2_000),
                          layer("linear", out_features=100_000)], 8)
    assert entry.index == 3 and entry.error.endswith("layer 3, fully connected 100000, holds more than 99% of them: "
                                                     "give it fewer units")


def test_the_output_layer_after_a_large_map():
    entry = params_error([layer("conv2d", out_channels=64)], 1024, classes=3)
    assert entry.auto and entry.error.endswith(", and the output layer holds more than 99% of them: it gets "
                                               "67,108,864 numbers from a feature map, so add pooling or global "
                                               "average pooling before it")


def test_the_note_on_a_large_output_input_fits_where_it_comes_from():
    """QA m8: after a fully connected layer of 100,000 units the note said to put global average pooling before the
    output layer, which cannot follow a fully connected one; it names that layer and says fewer units."""
    report = validate(spec_of([layer("conv2d", out_channels=8), layer("max_pool2d"), layer("flatten"),
                               layer("dropout"), layer("linear", out_features=100_000), layer("relu"),
                               layer("dropout"), layer("flatten")], 8), 2)
    big = [n for n in report.notes if n.startswith("the output layer gets")]
    assert big == ["the output layer gets 100,000 numbers from layer 5, “fully connected 100000”: give that layer "
                   "fewer units to make the model much smaller and faster"]
    assert "pooling" not in big[0]
    for layers in ([layer("conv2d", out_channels=128)], [layer("conv2d", out_channels=128), layer("flatten"),
                                                          layer("relu")]):
        report = validate(spec_of(layers, 28), 2)  # 128 x 28 x 28 = 100,352 numbers from a feature map
        assert report.notes[-1] == ("the output layer gets 100,352 numbers from a feature map; a global average "
                                    "pooling layer (or more pooling) before it would make the model much smaller "
                                    "and faster")


def test_a_wide_convolution_is_told_to_have_fewer_filters():
    entry = params_error([layer("conv2d", out_channels=4096), layer("conv2d", out_channels=4096, kernel_size=7),
                          layer("global_avg_pool")], 8)
    assert entry.error == ("the model has 822,136,834 parameters, more than the 100,000,000 CNN Studio allows, and "
                           "layer 2, conv 4096 7x7, holds more than 99% of them: give it fewer filters or a smaller "
                           "kernel, or the convolution before it fewer filters")


def test_parameters_spread_over_many_layers_name_the_largest():
    entry = params_error([layer("residual_block", out_channels=1024)] * 12 + [layer("global_avg_pool")], 8)
    assert entry.index == 2  # the first block projects 1 channel to 1024: the second is the first of the largest
    assert ", spread over many layers (layers 2, 3 and 4 hold 2" in entry.error
    assert entry.error.endswith("% of them): give them fewer filters")


def test_values_typed_that_the_design_does_not_use_are_why_it_is_not_ready():
    """QA: a red card with an out-of-range value, and Start trained the kept value: what a box shows is what trains."""
    from cnnstudio.engine.model.catalog import CATALOG
    from cnnstudio.engine.model.param_entry import red_side, red_value, unused_reason

    out = next(ps for ps in CATALOG["conv2d"].params if ps.name == "out_channels")
    rate = next(ps for ps in CATALOG["dropout"].params if ps.name == "p")
    conv, drop = red_value(0, "Convolution", out, 0), red_value(3, "Dropout", rate, 2.5)
    assert unused_reason([]) is None
    # QA: "layer 1 shows a value that is not allowed (in red): type an allowed value." named neither the setting
    # nor what it allows, had no capital, and two colons once the Train page put it after its own
    assert unused_reason([(1, conv)]) == "In layer 1 (Convolution), the out channels must be 1 to 4,096, not 0 (in red)"
    assert unused_reason([(1, conv), (4, drop)]) == (
        "In layer 1 (Convolution), the out channels must be 1 to 4,096, not 0; in layer 4 (Dropout), the dropout rate "
        f"must be {rate.min:g} to {rate.max:g}, not 2.5 (both in red)")
    side = red_side("width", 4000)
    assert side == "on the Input tab, the width must be 4 to 2,048 px, not 4000"
    assert unused_reason([(0, side)]).startswith("On the Input tab, the width must be 4 to 2,048 px")
    many = unused_reason([(4, drop), (1, conv), (1, conv), (0, side)])
    assert many == ("Layers 1 and 4 and the Input tab show 4 values in red that are not allowed; for example, in "
                    "layer 4 (Dropout), the dropout rate must be " + f"{rate.min:g} to {rate.max:g}, not 2.5")
    for words in (unused_reason([(1, conv)]), unused_reason([(1, conv), (4, drop)]), many):
        assert ":" not in words  # the pages put it after a colon of their own

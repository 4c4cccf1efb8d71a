"""The design check names a layer's setting and a shape as the Model page does: "dropout rate", never "p";
"4096 × 127 × 127" and "66,064,384 numbers", never "4096x127x127" and "66064384"."""

from __future__ import annotations

from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.model.validate import validate


def design(*layers: dict, side: int = 256) -> ModelSpec:
    return ModelSpec.from_json({"format": "cnnstudio.modelspec/1",
                                "input": {"height": side, "width": side, "channels": 3},
                                "layers": list(layers)})


CONV = {"type": "conv2d", "params": {"out_channels": 4096, "kernel_size": 3, "padding": "same"}}
POOL = {"type": "max_pool2d", "params": {"kernel_size": 2}}


def test_a_bad_dropout_rate_is_named_as_the_model_page_names_it():
    report = validate(design({"type": "dropout", "params": {"p": 1.5}}, side=8), 3)
    assert report.errors == ["layer 1, dropout: the dropout rate must be a number from 0 to 0.95, not 1.5"]
    assert "'p'" not in report.errors[0]


def test_a_key_the_layer_does_not_have_is_still_quoted_as_written_in_the_file():
    report = validate(design({"type": "dropout", "params": {"p": 0.5, "rate": 0.2}}, side=8), 3)
    assert report.errors == ["layer 1, dropout: has no setting 'rate' (its settings are p)"]


def test_a_flatten_note_says_the_shape_in_words_and_groups_big_numbers():
    report = validate(design(CONV, POOL, {"type": "linear", "params": {"out_features": 10}}), 3)
    assert ("a flatten is added before layer 3 (fully connected 10): the 4,096 × 128 × 128 feature map becomes "
            "67,108,864 numbers") in report.notes
    assert not any("4096x" in n for n in report.notes)


def test_the_output_layers_flatten_note_and_a_flat_list_say_it_alike():
    report = validate(design(CONV, POOL), 3)
    assert ("a flatten is added before the output layer: the 4,096 × 128 × 128 feature map becomes "
            "67,108,864 numbers") in report.notes
    wide = {"type": "linear", "params": {"out_features": 20000}}
    errors = validate(design({"type": "flatten"}, wide, {"type": "conv2d", "params": {}}, side=8), 3).errors
    assert errors[0].startswith("layer 3, conv 32 3x3, needs a feature map (channels x height x width) but gets a "
                                "flat list of 20,000 numbers:")

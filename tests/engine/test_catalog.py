"""The layer catalog: every entry's schema, shape rule, parameter count and multiply-adds against real torch modules."""

from __future__ import annotations

import itertools
import json
import math

import pytest
import torch
from torch import nn

from cnnstudio.engine.model.catalog import (
    CATALOG,
    CATEGORIES,
    LayerType,
    ParamSpec,
    ShapeProblem,
    default_params,
    get_layer,
    layer,
    list_layers,
    unknown_layer_message,
)
from cnnstudio.engine.errors import EngineError, SpecError, WeightsNotFound

REQUIRED = {"conv2d", "batch_norm2d", "relu", "leaky_relu", "gelu", "silu", "tanh", "sigmoid", "max_pool2d",
            "avg_pool2d", "global_avg_pool", "dropout", "flatten", "linear", "residual_block"}

# (type, input shape, params overriding the defaults): several settings per entry
CASES = [
    ("conv2d", (3, 9, 7), {}),
    ("conv2d", (2, 9, 7), {"out_channels": 5, "kernel_size": 5, "stride": 2, "padding": 0, "bias": False}),
    ("conv2d", (1, 8, 8), {"out_channels": 4, "kernel_size": 4, "stride": 3, "padding": 2}),
    ("conv2d", (4, 6, 6), {"kernel_size": 1, "padding": "same", "stride": 2}),
    ("batch_norm2d", (6, 5, 4), {}),
    ("relu", (3, 4, 4), {}),
    ("relu", (7,), {}),
    ("leaky_relu", (3, 4, 4), {"negative_slope": 0.2}),
    ("gelu", (5,), {}),
    ("silu", (2, 3, 3), {}),
    ("tanh", (2, 3, 3), {}),
    ("sigmoid", (9,), {}),
    ("max_pool2d", (3, 9, 8), {}),
    ("max_pool2d", (3, 9, 8), {"kernel_size": 3, "stride": 1, "padding": 1}),
    ("avg_pool2d", (2, 7, 7), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("global_avg_pool", (6, 5, 3), {}),
    ("dropout", (4, 3, 3), {"p": 0.3}),
    ("dropout", (12,), {}),
    ("flatten", (4, 3, 2), {}),
    ("flatten", (10,), {}),
    ("linear", (24,), {"out_features": 7}),
    ("linear", (24,), {"out_features": 3, "bias": False}),
    ("residual_block", (8, 6, 6), {"out_channels": 8, "stride": 1}),
    ("residual_block", (4, 7, 7), {"out_channels": 8, "stride": 2}),
    ("residual_block", (4, 6, 6), {"out_channels": 6, "stride": 1}),
]


def macs_by_hooks(module: nn.Module, x: torch.Tensor) -> int:
    """Multiply-adds of one forward pass per picture, counted from the real module's layers."""
    total = 0

    def hook(m, inp, out):
        nonlocal total
        per_picture = out[0].numel()
        if isinstance(m, nn.Conv2d):
            total += per_picture * m.in_channels // m.groups * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.BatchNorm2d):
            total += per_picture
        elif isinstance(m, nn.Linear):
            total += per_picture * m.in_features

    handles = [m.register_forward_hook(hook) for m in module.modules()
               if isinstance(m, (nn.Conv2d, nn.BatchNorm2d, nn.Linear))]
    module(x)
    for h in handles:
        h.remove()
    return total


def test_errors_module_has_the_shared_hierarchy():
    assert issubclass(SpecError, EngineError) and issubclass(WeightsNotFound, EngineError)
    assert issubclass(EngineError, Exception)


def test_catalog_has_every_required_layer_with_a_complete_record():
    assert REQUIRED <= set(CATALOG)
    for lt in list_layers():
        assert lt.type == lt.type.lower() and " " not in lt.type
        assert lt.title and lt.help and "\n" not in lt.help
        assert lt.category in CATEGORIES
        assert lt.accepts in ("map", "vector", "any")
        for p in lt.params:
            assert p.kind in ("int", "float", "bool", "choice") and p.help
            assert p.check(p.default) is None
        json.dumps(lt.to_json())  # the form and `cnnstudio layers --json` read this
    assert get_layer("linear").title == "Fully connected"
    assert get_layer("max_pool2d").title == "Max pooling"
    assert get_layer("conv2d").title == "Convolution"


def test_every_catalog_entry_has_a_test_case():
    assert {c[0] for c in CASES} == set(CATALOG)


@pytest.mark.parametrize("type_, in_shape, overrides", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_entry_matches_the_real_module(type_, in_shape, overrides):
    lt = CATALOG[type_]
    params = {**default_params(type_), **overrides}
    module = lt.factory(in_shape, params).eval()
    out_shape = lt.shape(in_shape, params)
    x = torch.randn(2, *in_shape)
    with torch.no_grad():
        y = module(x)
        assert tuple(y.shape) == (2, *out_shape)
        assert lt.count_params(in_shape, params) == sum(p.numel() for p in module.parameters())
        assert lt.count_macs(in_shape, params) == macs_by_hooks(module, x[:1])
        if len(in_shape) == 3:  # same numbers in channels_last memory format
            y_cl = module.to(memory_format=torch.channels_last)(x.contiguous(memory_format=torch.channels_last))
            torch.testing.assert_close(y_cl, y, rtol=1e-4, atol=1e-5)


def test_param_spec_checks_types_and_ranges():
    k = ParamSpec("kernel_size", "int", 3, "h", 1, 15)
    assert k.check(3) is None
    assert "whole number from 1 to 15, not 2.5" in k.check(2.5)
    assert "not 0" in k.check(0) and "not 16" in k.check(16)
    assert "not true" in k.check(True)  # a bool is not a number here, although Python says it is
    assert "not '3'" in k.check("3")
    assert "not empty" in k.check(None)
    pad = ParamSpec("padding", "int", "same", "h", 0, 15, ("same",))
    assert pad.check("same") is None and pad.check(2) is None
    assert "or 'same', not 'valid'" in pad.check("valid")
    p = ParamSpec("p", "float", 0.5, "h", 0.0, 0.95)
    assert p.check(0) is None and p.check(0.25) is None
    assert p.check(float("nan")) is not None and p.check(1.0) is not None
    b = ParamSpec("bias", "bool", True, "h")
    assert b.check(False) is None and "true or false, not 1" in b.check(1)
    c = ParamSpec("mode", "choice", "a", "h", choices=("a", "b"))
    assert c.check("b") is None and "one of 'a', 'b', not 'c'" in c.check("c")
    with pytest.raises(ValueError):
        ParamSpec("x", "int", 0, "h", 1, 5)  # a default outside its own range is a programming error
    with pytest.raises(ValueError):
        ParamSpec("x", "complex", 0, "h")


def test_shape_rules_explain_impossible_layers():
    pool = CATALOG["max_pool2d"]
    with pytest.raises(ShapeProblem, match="would shrink the 8 × 1 × 1 feature map to nothing: remove a pooling layer"):
        pool.shape((8, 1, 1), default_params("max_pool2d"))
    conv = CATALOG["conv2d"]
    with pytest.raises(ShapeProblem, match="1 × 2 × 2 feature map, smaller than its 5 × 5 kernel"):
        conv.shape((1, 2, 2), {**default_params("conv2d"), "kernel_size": 5, "padding": 0})
    with pytest.raises(ShapeProblem, match="'same' padding needs an odd kernel size: use a kernel size of 3 or 5"):
        conv.shape((1, 8, 8), {**default_params("conv2d"), "kernel_size": 4})
    with pytest.raises(ShapeProblem, match="padding 2, more than half its kernel size 2"):
        pool.shape((1, 8, 8), {"kernel_size": 2, "stride": 2, "padding": 2})


def test_same_padding_keeps_the_size_and_halves_it_at_stride_2():
    conv = CATALOG["conv2d"]
    p = default_params("conv2d")
    assert conv.shape((1, 28, 28), p) == (32, 28, 28)
    assert conv.shape((1, 28, 27), {**p, "stride": 2}) == (32, 14, 14)
    assert conv.shape((1, 28, 28), {**p, "kernel_size": 7}) == (32, 28, 28)


def test_labels_are_short_names_people_read():
    assert CATALOG["conv2d"].describe(default_params("conv2d")) == "conv 32 3x3"
    assert CATALOG["conv2d"].describe({**default_params("conv2d"), "stride": 2}) == "conv 32 3x3 stride 2"
    assert CATALOG["max_pool2d"].describe(default_params("max_pool2d")) == "max-pool 2x2"
    assert CATALOG["linear"].describe({"out_features": 64, "bias": True}) == "fully connected 64"
    assert CATALOG["dropout"].describe({"p": 0.25}) == "dropout 0.25"
    assert CATALOG["conv2d"].describe({}) == "Convolution"  # incomplete settings: the title


def test_unknown_names_get_a_suggestion():
    assert unknown_layer_message("conv3d") == "there is no layer called 'conv3d'; did you mean 'conv2d'?"
    assert unknown_layer_message("softmax").endswith("a softmax when CNN Studio trains and predicts, so remove this layer")
    assert "did you mean 'max_pool2d'?" in unknown_layer_message("maxpool2d")
    assert "the layer types are conv2d, " in unknown_layer_message("transformer")
    with pytest.raises(SpecError, match="did you mean 'linear'"):
        get_layer("lineer")


def test_layer_helper_fills_defaults_and_rejects_unknown_settings():
    assert layer("conv2d", out_channels=8) == {
        "type": "conv2d",
        "params": {"out_channels": 8, "kernel_size": 3, "stride": 1, "padding": "same", "bias": True},
    }
    with pytest.raises(SpecError, match="has no setting kernal"):
        layer("conv2d", kernal=3)


def test_adding_a_layer_type_is_one_entry(monkeypatch):
    """A new record is enough for the validator, the builder and the listing to know the layer."""
    from cnnstudio.engine.model.build import build_model
    from cnnstudio.engine.model.spec import ModelSpec
    from cnnstudio.engine.model.validate import validate

    hardswish = LayerType(
        type="hardswish", title="Hard swish", category="activation", help="A cheap smooth ReLU.", params=(),
        factory=lambda s, p: nn.Hardswish(), shape=lambda s, p: tuple(s),
        count_params=lambda s, p: 0, count_macs=lambda s, p: 0,
    )
    monkeypatch.setitem(CATALOG, "hardswish", hardswish)
    spec = ModelSpec.create(6, 6, 1, [layer("conv2d", out_channels=4), {"type": "hardswish"}])
    report = validate(spec, 3)
    assert report.ok and report.layers[1].title == "Hard swish"
    model = build_model(spec, 3)
    assert isinstance(model.layers[1], nn.Hardswish)
    assert any(d["type"] == "hardswish" for d in (lt.to_json() for lt in list_layers()))


def test_counts_are_plain_integers():
    for type_, in_shape, overrides in CASES:
        params = {**default_params(type_), **overrides}
        lt = CATALOG[type_]
        assert isinstance(lt.count_params(in_shape, params), int)
        assert isinstance(lt.count_macs(in_shape, params), int)
        assert all(isinstance(d, int) and d >= 1 for d in lt.shape(in_shape, params))
    assert math.prod(CATALOG["flatten"].shape((4, 3, 2), {})) == 24
    assert list(itertools.islice(CATALOG, 1)) == ["conv2d"]  # the form lists layers in catalog order

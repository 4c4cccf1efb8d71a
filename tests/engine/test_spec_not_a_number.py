"""A design whose settings are NaN or infinity (Python's json reads and writes them) is refused where it is read, in
the design check's words, so no page or command ever holds one."""

from __future__ import annotations

import json

import pytest

from cnnstudio.engine.errors import SpecError
from cnnstudio.engine.model.catalog import CATALOG
from cnnstudio.engine.model.spec import FORMAT, ModelSpec
from cnnstudio.engine.model.validate import params_sentence, validate

NAN, INF = float("nan"), float("inf")


def _text(*layers) -> str:
    return json.dumps({"format": FORMAT, "input": {"height": 28, "width": 28, "channels": 1}, "layers": list(layers),
                       "backbone": None})


@pytest.mark.parametrize("layers, said", [
    ([{"type": "conv2d", "params": {"out_channels": 8, "kernel_size": NAN}}],
     "layer 1, convolution: the kernel size must be a whole number from 1 to 15, not NaN"),
    ([{"type": "relu"}, {"type": "dropout", "params": {"p": INF}}],
     "layer 2, dropout: the dropout rate must be a number from 0 to 0.95, not Infinity"),
    ([{"type": "conv2d", "params": {"out_channels": [8, -INF]}}],
     "layer 1, convolution: the out channels must be a whole number from 1 to 4096, not [8, -Infinity]"),
    ([{"type": "conv2d", "params": {"out_channels": 8, "kernal_size": NAN}}],
     "layer 1, convolution: the setting 'kernal_size' is NaN, which is not a number: give it a number, or remove it"),
    ([{"type": "bogus", "params": {"x": -INF}}],
     "layer 1: the setting 'x' is -Infinity, which is not a number: give it a number, or remove it"),
])
def test_a_setting_that_is_not_a_number_is_refused_where_the_design_is_read(tmp_path, layers, said):
    text = _text(*layers)
    assert "NaN" in text or "Infinity" in text  # what Python's json writes, and reads back
    with pytest.raises(SpecError) as e:
        ModelSpec.loads(text)
    assert str(e.value) == said
    path = tmp_path / "spec_nan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as e:  # a file (Open… on the Model page, 'cnnstudio train --spec'): its name first
        ModelSpec.load(path)
    assert str(e.value) == f"{path} holds a design CNN Studio cannot use — {said}"
    with pytest.raises(SpecError):  # made in Python: the same rule
        ModelSpec.create(28, 28, 1, layers)


def test_the_refusal_is_the_design_checks_own_sentence():
    conv = CATALOG["conv2d"]
    params = {p.name: p.default for p in conv.params} | {"out_channels": 8, "kernel_size": NAN}
    assert params_sentence(1, conv, params) == ("layer 1, convolution: the kernel size must be a whole number from 1 "
                                                "to 15, not NaN")
    assert params_sentence(1, conv, params | {"kernel_size": 3}) is None
    # a finite wrong value is still read, and shown by the check (the Model page's red card)
    spec = ModelSpec.loads(_text({"type": "conv2d", "params": {"out_channels": 8, "kernel_size": 99}}))
    assert validate(spec, 2).errors == ["layer 1, convolution: the kernel size must be a whole number from 1 to 15, "
                                        "not 99"]

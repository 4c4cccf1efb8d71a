"""Qt-free rules of the Model page: a design's snapshot for undo, which ready-made design it is, what a value typed
out of range means, and which glossary word explains which part of the page."""

from __future__ import annotations

from cnnstudio.engine.model.catalog import CATALOG, layer
from cnnstudio.engine.model.design import Design
from cnnstudio.engine.model.jargon import category_tip, layer_tip, param_tip
from cnnstudio.engine.model.param_entry import entry_problem
from cnnstudio.project.glossary import explain

GREY12 = {"height": 12, "width": 12, "channels": 1, "resize": "squash", "normalization": "unit"}


def _param(kind: str, name: str):
    return next(p for p in CATALOG[kind].params if p.name == name)


def test_a_snapshot_brings_back_layers_backbone_and_the_layers_behind_a_backbone():
    d = Design()
    d.apply_preset("classic", GREY12)
    before = d.snapshot()
    d.choose_backbone("resnet18", True, True)
    d.set_param(0, "p", 0.5)
    after = d.snapshot()
    assert after != before
    d.restore(before)
    assert d.backbone is None and d.layers[0]["type"] == "conv2d"
    d.restore(after)
    assert d.backbone["name"] == "resnet18" and d.layers == [layer("dropout", p=0.5)]
    d.choose_backbone(None, False, False)  # the layers from before the backbone come back after a restore too
    assert d.layers[0]["type"] == "conv2d"
    after["layers"].append("not shared")  # a snapshot is a copy
    assert "not shared" not in d.layers


def test_the_ready_made_design_a_design_is_unchanged():
    d = Design()
    d.apply_preset("lenet5", GREY12)
    assert d.matching_preset(GREY12) == "lenet5"
    d.set_param(0, "out_channels", 7)
    assert d.matching_preset(GREY12) is None
    assert Design().matching_preset(GREY12) is None  # no layers: not a preset


def test_a_value_out_of_range_is_named_with_the_range_the_reason_and_what_is_kept():
    ks = _param("max_pool2d", "kernel_size")
    assert entry_problem("Max pooling", ks, 3, 2) is None
    words = entry_problem("Max pooling", ks, 40, 2)
    assert words.startswith("Kernel size 40 is not used")
    assert "from 1 to 16" in words and ks.help in words and "keeps 2" in words
    words = entry_problem("Dropout", _param("dropout", "p"), 1.5, 0.2)
    assert words.startswith("Dropout rate 1.5 is not used: in Dropout, dropout rate must be ")  # never "P 1.5"
    assert "keeps 0.2" in words


def test_the_glossary_explains_the_pages_words():
    assert explain("convolution") in layer_tip(CATALOG["conv2d"]) and CATALOG["conv2d"].help in layer_tip(CATALOG["conv2d"])
    assert explain("pooling") in category_tip("pooling") and category_tip("activation") == ""
    assert explain("kernel size") in param_tip(CATALOG["conv2d"], _param("conv2d", "kernel_size"))
    assert explain("dropout") in param_tip(CATALOG["dropout"], _param("dropout", "p"))
    assert explain("dropout") not in param_tip(CATALOG["conv2d"], _param("conv2d", "stride"))
    for name, term in (("stride", "stride"), ("padding", "padding"), ("out_channels", "out channels")):
        assert explain(term) in param_tip(CATALOG["conv2d"], _param("conv2d", name))  # in the Guide and the tooltip
    assert explain("ready-trained network") == explain("pretrained")  # the end-of-run sentence's word

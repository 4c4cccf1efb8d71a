"""A run's design in words and back (engine/runs/design_words.py, run_design.py, run_naming.run_design_words), the
Model page's words for a setting (engine/model/param_words.py) and its rule for the input when a backbone is
switched off (engine/model/design.Design.backbone_chosen). QA: runs of different own designs were all called "your
own design", none showed its layers or gave its design back; the undo history said "Change p of layer 3"; Backbone
-> None kept the backbone's 224 px colour ImageNet input."""

from __future__ import annotations

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.errors import SpecError
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.design import Design
from cnnstudio.engine.model.param_words import change_words, setting_name
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.design_words import (design_layers, layers_text, name_says_design, own_design_words,
                                                your_design)
from cnnstudio.engine.runs.run_design import design_used_sentence, has_design, run_design, run_spec
from cnnstudio.engine.runs.run_naming import run_design_words
from cnnstudio.engine.runs.settings_words import design_text
from cnnstudio.project import run_records
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings

GREY8 = {"height": 8, "width": 8, "channels": 1, "resize": "squash", "normalization": "unit"}


def two_dense() -> ModelSpec:
    return ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4), layer("relu"), layer("conv2d", out_channels=8),
                                      layer("flatten"), layer("linear", out_features=16), layer("dropout", p=0.3),
                                      layer("linear", out_features=8)])


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj", per_class=6)
    yield p
    p.close()


def test_an_own_design_is_said_by_the_layers_that_learn():
    assert own_design_words(two_dense().to_json()) == "your design (2 convolutions, 2 fully connected layers)"
    assert own_design_words(tiny_spec().to_json()) == "your design (1 convolution)"
    blocks = ModelSpec.create(32, 32, 3, [layer("residual_block", out_channels=8, stride=1),
                                          layer("global_avg_pool"), layer("linear", out_features=4)])
    assert own_design_words(blocks.to_json()) == "your design (1 residual block, 1 fully connected layer)"
    only_flat = ModelSpec.create(8, 8, 1, [layer("flatten")]).to_json()
    assert own_design_words(only_flat) == "your design (only the output layer learns)"
    assert own_design_words({"layers": "broken"}) == "your design (only the output layer learns)"
    # in a sentence about the design the Model page holds (the data check's)
    assert your_design("your design (1 convolution)") == "your design (1 convolution)"
    assert your_design("Small VGG") == "your design (Small VGG)"


def test_runs_of_different_own_designs_have_different_names(proj):
    one = runs.create_run(proj, settings(epochs=1), tiny_spec())
    two = runs.create_run(proj, settings(epochs=1), two_dense())
    again = runs.create_run(proj, settings(epochs=1), tiny_spec())
    names = {rid: run_records.get_run(proj, rid).name for rid in (one, two, again)}
    assert names == {one: "Your design (1 convolution) · 1 epoch",
                     two: "Your design (2 convolutions, 2 fully connected layers) · 1 epoch",
                     again: "Your design (1 convolution) · 1 epoch (2)"}
    assert run_records.get_run(proj, two).config["design"] == "your design (2 convolutions, 2 fully connected layers)"


def test_an_older_runs_design_is_said_from_its_spec_and_a_preset_keeps_its_stored_words():
    old = {"design": "your own design", "spec": two_dense().to_json(), "preset": ""}
    assert run_design_words(old) == "your design (2 convolutions, 2 fully connected layers)"
    assert design_text({"spec": tiny_spec().to_json()}) == "Your design (1 convolution)"  # no "design" stored
    assert run_design_words({"design": "Small VGG", "spec": tiny_spec().to_json()}) == "Small VGG"  # stored: kept
    assert run_design_words({"spec": make_preset("vgg_small", 8, 8, 1).to_json()}) == "Small VGG"
    assert design_text({}) == "Your design (only the output layer learns)"


def test_a_designs_layers_as_the_model_page_lists_them():
    rows = design_layers(tiny_spec().to_json(), 3)
    assert [(r.number, r.label, r.shape) for r in rows] == [
        (1, "conv 4 3x3", "4 × 8 × 8"), (2, "batch norm", "4 × 8 × 8"), (3, "ReLU", "4 × 8 × 8"),
        (4, "max-pool 2x2", "4 × 4 × 4"), (5, "flatten", "64 numbers"), (6, "output, 3 classes", "3 numbers")]
    assert layers_text(rows[:2]) == "1 conv 4 3x3 → 4 × 8 × 8 · 2 batch norm → 4 × 8 × 8"
    # no number of classes, or a spec that does not read: the labels alone
    assert [(r.label, r.shape) for r in design_layers(tiny_spec().to_json())][:2] == [("conv 4 3x3", ""),
                                                                                    ("batch norm", "")]
    broken = {"layers": [{"type": "conv2d", "params": {}}, {"type": "no_such"}]}
    assert [r.label for r in design_layers(broken, 2)] == ["Convolution", "no_such"]
    assert rows[0].to_json() == {"number": 1, "label": "conv 4 3x3", "output": "4 × 8 × 8"}


def test_a_list_says_the_design_only_where_the_name_does_not():
    assert name_says_design("Small VGG · 40 epochs", "Small VGG")
    assert name_says_design("MobileNetV2 transfer · frozen", "MobileNetV2 transfer, frozen")
    assert name_says_design("Your design (1 convolution) · 1 epoch", "your design (1 convolution)")
    assert not name_says_design("Your design · 1 epoch", "your design (1 convolution)")  # an older run's name
    assert not name_says_design("My best", "Small VGG")


def test_a_runs_design_comes_back_with_its_input_and_augmentation(proj):
    aug = settings().augment.to_json() | {"hflip": True, "rotation": 10.0}
    st = settings(epochs=1).replace(augment=type(settings().augment).from_json(aug),
                                    preprocess=Preprocess(height=8, width=8, channels=1, resize="letterbox",
                                                          normalization="dataset"))
    rid = runs.create_run(proj, st, two_dense())
    cfg = run_records.get_run(proj, rid).config
    page_input = {"height": 32, "width": 32, "channels": 3, "resize": "squash", "normalization": "unit"}
    page_aug = {**aug, "hflip": False, "rotation": 0.0, "vflip": True}
    got = run_design(cfg, page_input, page_aug)
    assert got.spec == two_dense()
    assert got.input == {"height": 8, "width": 8, "channels": 1, "resize": "letterbox", "normalization": "dataset"}
    assert got.augment == {**page_aug, "hflip": True, "rotation": 10.0, "vflip": False}
    assert has_design(cfg) and not has_design({}) and not has_design({"spec": {"format": "other"}})
    with pytest.raises(SpecError, match="keeps no network design"):
        run_spec({"settings": {}})
    # an older record without preprocessing or augmentation: the page keeps its own
    bare = run_design({"spec": tiny_spec().to_json()}, page_input, page_aug)
    assert bare.input == {**page_input, "height": 8, "width": 8, "channels": 1} and bare.augment == page_aug
    assert design_used_sentence("A", True) == ("The design of run “A” is on the Model page; Ctrl+Z brings back the "
                                               "one before.")
    assert design_used_sentence("A", False) == "The Model page already holds the design of run “A”."


def test_the_undo_history_names_a_setting_in_words():
    assert setting_name("p") == "dropout rate" and setting_name("kernel_size") == "kernel size"
    assert change_words(2, "p") == "Change the dropout rate of layer 3"
    assert change_words(0, "out_channels") == "Change the out channels of layer 1"


def test_switching_the_backbone_off_brings_back_the_projects_starting_input():
    start = Preprocess(height=28, width=28, channels=1, normalization="dataset")
    first = {"height": 28, "width": 28, "channels": 1, "resize": "letterbox", "normalization": "dataset"}
    asked = []

    def suggest():
        asked.append(1)
        return start

    d = Design()
    d.apply_preset("classic", first)
    on = d.backbone_chosen("mobilenet_v2", True, True, first, suggest)
    assert (on["height"], on["width"], on["channels"], on["normalization"]) == (224, 224, 3, "imagenet")
    assert d.backbone_chosen("mobilenet_v2", True, False, on, suggest) == on and not asked  # a switch: input kept
    off = d.backbone_chosen(None, True, True, on, suggest)
    assert off == first and asked and d.backbone is None  # the resize mode is the user's: kept
    assert d.layers[0]["type"] == "conv2d"
    assert d.backbone_chosen(None, False, False, off, suggest) == off  # nothing switched off: nothing asked
    assert len(asked) == 1
    # the same rule as a preset from scratch after a backbone
    d.backbone_chosen("resnet18", True, True, first, suggest)
    assert d.apply_preset("classic", on, suggest) == first


def test_a_runs_design_put_back_forgets_the_layers_from_before_a_backbone():
    d = Design()
    d.apply_preset("classic", GREY8)
    d.choose_backbone("resnet18", True, True)
    d.use_spec(make_preset("resnet18_transfer", 224, 224, 3))
    d.choose_backbone(None, False, False)
    assert [ls["type"] for ls in d.layers] == ["dropout"]  # not the classic layers of the design replaced


PAGE_INPUT = {"height": 28, "width": 28, "channels": 1, "resize": "squash", "normalization": "unit"}
PAGE_AUGMENT = {"hflip": False, "rotation": 0.0, "translate": 0.0}


@pytest.mark.parametrize("change, words", [
    (lambda c: c["settings"]["augment"].update(rotation="a lot"), "its rotation is 'a lot'"),
    (lambda c: c["settings"]["augment"].update(hflip=1), "its hflip is 1"),
    (lambda c: c["preprocess"].update(resize="pad"), "its resize is 'pad'"),
    (lambda c: c["spec"]["input"].update(height=3), "from 4 to 2048, not 3"),
    (lambda c: c["spec"]["input"].update(channels=2), "must be 1 (grey) or 3 (colour), not 2"),
])
def test_a_damaged_record_is_refused_whole_before_the_page_changes(change, words):
    """QA: a run whose record held a word for a number changed the page half-way, then raised a TypeError."""
    cfg = {"spec": tiny_spec(side=8).to_json(), "preprocess": {"resize": "letterbox", "normalization": "dataset"},
           "settings": {"augment": {"hflip": True, "rotation": 10.0}}}
    got = run_design(cfg, PAGE_INPUT, PAGE_AUGMENT)
    assert got.augment == {"hflip": True, "rotation": 10.0, "translate": 0.0} and got.input["resize"] == "letterbox"
    change(cfg)
    with pytest.raises(SpecError) as e:
        run_design(cfg, PAGE_INPUT, PAGE_AUGMENT)
    assert words in str(e.value)

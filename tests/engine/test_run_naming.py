"""A run given no name is called what it is (engine/runs/run_naming.py with project/run_names.py)."""

from __future__ import annotations

import pytest

from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.run_naming import describe_design, matching_preset
from cnnstudio.project import run_records
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj", per_class=6)
    yield p
    p.close()


def test_runs_are_named_after_their_design_and_epochs(proj):
    own = runs.create_run(proj, settings(epochs=0), tiny_spec())
    assert run_records.get_run(proj, own).name == "Your design (1 convolution) · Auto epochs"
    vgg = runs.create_run(proj, settings(epochs=40), preset="vgg_small")
    assert run_records.get_run(proj, vgg).name == "Small VGG · 40 epochs"
    # the Model page hands a preset over as a spec: it is still named (and described) after the preset
    same = runs.create_run(proj, settings(epochs=40), make_preset("vgg_small", 8, 8, 1))
    info = run_records.get_run(proj, same)
    assert info.name == "Small VGG · 40 epochs (2)" and info.config["design"] == "Small VGG"
    assert run_records.get_run(proj, own).config["design"] == "your design (1 convolution)"
    named = runs.create_run(proj, settings(), tiny_spec(), name="  Mine ")
    assert run_records.get_run(proj, named).name == "Mine"  # a given name is kept


def test_a_pretrained_backbone_names_the_run_after_it():
    spec = make_preset("mobilenet_v2_transfer", 160, 160, 3).to_json()
    assert matching_preset(spec) == "mobilenet_v2_transfer"
    assert describe_design(spec) == "MobileNetV2 transfer, frozen"
    assert matching_preset(tiny_spec().to_json()) == ""
    assert describe_design(tiny_spec().to_json()) == "your design (1 convolution)"


def test_a_design_a_search_made_is_said_as_the_searchs(proj):
    from cnnstudio.engine.runs.run_naming import run_design_words

    made = "Search 2 Dec 13:48:06, trial 7"
    assert describe_design(tiny_spec().to_json(), search=made) == "Search 2 Dec 13:48:06, trial 7: 1 convolution"
    # a preset or a backbone is named as ever: the search did not make it
    assert describe_design(make_preset("default", 8, 8, 1).to_json(), search=made) == "Recommended design"
    assert describe_design(make_preset("mobilenet_v2_transfer", 160, 160, 3).to_json(),
                           search=made) == "MobileNetV2 transfer, frozen"
    # create_run keeps the words it is given (a search's trial and final run), and the run's details read them
    run_id = runs.create_run(proj, settings(), tiny_spec(), name="Trial", design=f"{made}: 1 convolution")
    cfg = run_records.get_run(proj, run_id).config
    assert cfg["design"] == run_design_words(cfg) == "Search 2 Dec 13:48:06, trial 7: 1 convolution"


def test_the_cli_names_its_runs_the_same_way(proj, capsys):
    from cnnstudio.cli import main

    root = proj.root
    proj.close()
    assert main(["train", str(root), "--epochs", "1", "--batch-size", "8"]) == 0
    from cnnstudio.project import Project

    with Project.open(root) as p:
        assert [r.name for r in run_records.list_runs(p)] == ["Recommended design · 1 epoch"]


def _transfer_spec(layers, freeze=True):
    from cnnstudio.engine.model.spec import ModelSpec

    return ModelSpec.create(48, 48, 3, layers, backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": freeze})


def test_a_backbone_with_the_users_own_head_says_the_head(proj):
    # QA: two runs of one backbone with different layers after it were both "MobileNetV2 transfer, frozen"
    from cnnstudio.engine.model.catalog import layer
    from cnnstudio.engine.model.design import backbone_head

    mine = [layer("linear", out_features=16), layer("relu"), layer("dropout", p=0.2)]
    assert describe_design(_transfer_spec(backbone_head()).to_json()) == "MobileNetV2 transfer, frozen"
    assert (describe_design(_transfer_spec(mine).to_json())
            == "MobileNetV2 transfer, frozen, your head (1 fully connected layer)")
    assert (describe_design(_transfer_spec([layer("dropout", p=0.5)], freeze=False).to_json())
            == "MobileNetV2 transfer, fine-tuned, your head (only the output layer learns)")  # only the rate changed
    # a spec written without the settings it leaves at their defaults is still the preset's head
    bare = _transfer_spec(backbone_head()).to_json() | {"layers": [{"type": "dropout", "params": {"p": 0.2}}]}
    assert describe_design(bare) == "MobileNetV2 transfer, frozen"

    # the run's name says the same head; its details need not say the design again
    from cnnstudio.engine.runs.design_words import name_says_design

    preset_run = runs.create_run(proj, settings(), _transfer_spec(backbone_head()))
    own = runs.create_run(proj, settings(), _transfer_spec(mine))
    tuned = runs.create_run(proj, settings(epochs=3), _transfer_spec(mine, freeze=False))
    assert run_records.get_run(proj, preset_run).name == "MobileNetV2 transfer · frozen"
    info = run_records.get_run(proj, own)
    assert info.name == "MobileNetV2 transfer · frozen · your head (1 fully connected layer) · 2 epochs"  # it trains 2
    assert info.config["design"] == "MobileNetV2 transfer, frozen, your head (1 fully connected layer)"
    assert name_says_design(info.name, info.config["design"])
    tuned_info = run_records.get_run(proj, tuned)
    assert tuned_info.name == "MobileNetV2 transfer · fine-tuned · your head (1 fully connected layer) · 3 epochs"
    assert name_says_design(tuned_info.name, tuned_info.config["design"])


def test_a_frozen_heads_run_is_named_by_what_it_trains_not_by_its_epochs_setting(proj):
    """QA qa1: "MobileNetV2 transfer, frozen · 2 epochs" trained 7 "epochs": a head fitted exactly tries 7 strengths
    of regularisation whatever Epochs says. Its name says no epochs; a head of one's own layers trains for Epochs
    (Auto: 30), and its name says so; a design from scratch by its Epochs setting."""
    from cnnstudio.engine.model.catalog import layer
    from cnnstudio.engine.runs.run_naming import run_length_words
    from cnnstudio.engine.train.head_fit import HEAD_EPOCHS, L2_PATH
    from tests.engine.test_frozen_run import PP, frozen_spec

    two = settings(epochs=2, preprocess=PP)
    events = list(runs.train(proj, two, frozen_spec()))
    info = run_records.get_run(proj, events[-1].run_id)
    assert info.summary["epochs"] == len(L2_PATH) != 2  # why the runs list said 7
    assert info.name == "MobileNetV2 transfer · frozen" and "epoch" not in info.name
    assert run_length_words(frozen_spec().to_json(), two) == ""
    assert run_length_words(frozen_spec().to_json(), two.replace(fine_tune_epochs=3)) == " + fine-tune 3 epochs"
    mine = _transfer_spec([layer("linear", out_features=8), layer("relu")]).to_json()
    assert run_length_words(mine, two) == " · 2 epochs"
    assert run_length_words(mine, two.replace(epochs=0)) == f" · {HEAD_EPOCHS} epochs"
    assert run_length_words(_transfer_spec([layer("dropout", p=0.2)], freeze=False).to_json(), two) == " · 2 epochs"
    assert run_length_words(tiny_spec().to_json(), two.replace(epochs=0)) == " · Auto epochs"

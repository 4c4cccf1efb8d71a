"""A search of a frozen pretrained design tries only what its training uses: nothing for a linear head (fitted
exactly: refused with one sentence saying what to do), the learning rate, batch size and weight decay for a head of
the user's layers, everything once it is fine-tuned after. Real project, real prepare (window and CLI alike)."""

from __future__ import annotations

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.engine.tune.space import FROZEN_NOTHING_TO_SEARCH, SpaceError, default_space, used_space
from cnnstudio.engine.tune.study import prepare
from tests.engine.test_data import make_project

PP = Preprocess(height=48, width=48, channels=3, normalization="imagenet")


def _settings(**kw) -> TrainSettings:
    return TrainSettings(**{**dict(epochs=1, batch_size=8, lr=0.01, preprocess=PP, threads=1), **kw})


def _spec(layers, freeze=True) -> dict:
    return ModelSpec.create(48, 48, 3, layers, backbone={"name": "mobilenet_v2", "pretrained": True,
                                                         "freeze": freeze}).to_json()


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj", per_class=12, side=12)
    yield p
    p.close()


def test_a_frozen_linear_head_has_nothing_to_search_and_says_what_to_do(proj):
    with pytest.raises(SpaceError) as e:
        prepare(proj, settings=_settings(), spec=_spec([layer("dropout", p=0.2)]), study="frozen")
    assert str(e.value) == FROZEN_NOTHING_TO_SEARCH
    assert "Frozen" in str(e.value) and "fine-tune" in str(e.value)
    assert not (proj.root / "tune").exists() or not any((proj.root / "tune").iterdir())  # nothing written


def test_a_frozen_head_of_the_users_layers_searches_only_what_it_trains_with(proj):
    head = [layer("linear", out_features=16), layer("relu"), layer("dropout", p=0.2)]
    setup = prepare(proj, settings=_settings(), spec=_spec(head), study="head")
    assert sorted(setup.space.searched) == ["batch_size", "lr", "weight_decay"]


def test_fine_tuned_or_unfrozen_searches_every_training_setting(proj):
    everything = sorted(n for n in default_space(False)["params"])
    tuned = prepare(proj, settings=_settings(fine_tune_epochs=1), spec=_spec([layer("dropout", p=0.2)]), study="ft")
    unfrozen = prepare(proj, settings=_settings(), spec=_spec([layer("dropout", p=0.2)], freeze=False), study="un")
    assert sorted(tuned.space.searched) == everything and sorted(unfrozen.space.searched) == everything
    space = {"epochs": 1, "params": {"lr": {"low": 1e-3, "high": 1e-1}}}
    assert used_space(space, None, _settings()) is space  # the built-in design: as it is

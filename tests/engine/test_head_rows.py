"""A frozen backbone's last layer fitted exactly has no epochs: its rows are strengths of regularisation (QA transfer
#7: "7 of 7 epochs trained", "★ best epoch (7)"). Real runs on a real project: which rows are strengths and which the
fine-tuning's epochs (the advice's rule, advice_reading.training_rows), the words of the Train page and the report's
curves."""

from __future__ import annotations

import dataclasses

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.head_rows import MIXED_AXIS, STRENGTH_AXIS, HeadRows, fitted_words, head_rows, \
    progress_words
from cnnstudio.engine.runs.report import build_report, curves_figure
from cnnstudio.engine.train.head_fit import L2_PATH
from cnnstudio.engine.train.settings import default_settings

from .test_data import make_project

SIDE = 32
PP = Preprocess(height=SIDE, width=SIDE, channels=3, normalization="imagenet")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One project with three real runs: a frozen head fitted exactly, the same fine-tuned for 1 epoch, and a
    network trained from scratch for 2 epochs."""
    proj = make_project(tmp_path_factory.mktemp("h") / "proj", per_class=12, side=12)
    frozen = ModelSpec.create(SIDE, SIDE, 3, [layer("dropout", p=0.2)],
                              backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": True})
    scratch = ModelSpec.create(SIDE, SIDE, 3, [layer("conv2d", out_channels=2), layer("relu"),
                                               layer("global_avg_pool")])
    out = {}
    for key, settings, spec in (
            ("head", default_settings(PP).replace(epochs=3), frozen),
            ("fine", default_settings(PP).replace(fine_tune_epochs=1, batch_size=16), frozen),
            ("scratch", dataclasses.replace(default_settings(PP), epochs=2, batch_size=8), scratch)):
        end = list(runs.train(proj, settings, spec))[-1]
        assert isinstance(end, RunFinished), end
        cfg, _ = runs.read_config(proj, end.run_id)
        out[key] = (end, cfg, runs.read_metrics(proj, end.run_id))
    yield proj, out
    proj.close()


def test_which_rows_are_strengths(trained):
    _, runs_ = trained
    end, cfg, metrics = runs_["head"]
    n = len(L2_PATH)
    assert end.epochs == len(metrics) == n  # Epochs 3 fitted 7 strengths
    assert head_rows(cfg, metrics) == head_rows(cfg, [], planned=n) == HeadRows(n, False)
    end, cfg, metrics = runs_["fine"]
    assert len(metrics) == n + 1
    assert head_rows(cfg, metrics) == head_rows(cfg, metrics[:3], planned=n + 1) == HeadRows(n, True)
    assert head_rows(cfg, [], planned=n + 1) == HeadRows(n, True)  # before its first row: the planned strengths
    _, cfg, metrics = runs_["scratch"]
    assert head_rows(cfg, metrics) is None and head_rows(None) is None


def test_the_words_never_call_strengths_epochs():
    head, fine = HeadRows(7, False), HeadRows(7, True)
    assert fitted_words(head, 7, 3) == ("the last layer fitted at 7 strengths of regularisation, the best on "
                                        "validation kept")
    assert fitted_words(fine, 9, 8) == ("the last layer fitted at 7 strengths of regularisation, then 2 fine-tuning "
                                        "epochs; the best on validation kept: fine-tuning epoch 1")
    assert fitted_words(fine, 9, 7) == ("the last layer fitted at 7 strengths of regularisation, then 2 fine-tuning "
                                        "epochs; the last layer alone kept: fine-tuning did not do better on "
                                        "validation")
    assert progress_words(head, 7, 3, 4) == "fitting the last layer: 3 of 7 strengths of regularisation"
    assert progress_words(head, 7, 7, 7, ended=True) == "last layer fitted at 7 strengths of regularisation"
    assert progress_words(fine, 9, 7, 8, 3, 9) == ("last layer fitted; 0 of 2 fine-tuning epochs trained, epoch 1 at "
                                                   "batch 3 of 9")
    assert progress_words(fine, 9, 9, 9, ended=True) == "last layer fitted; 2 of 2 fine-tuning epochs trained"
    assert (head.row(3), fine.row(8)) == ("strength 3", "fine-tuning epoch 1")


def _words(fig) -> tuple[set, set]:
    axes = fig.get_axes()
    return ({a.get_xlabel() for a in axes},
            {t.get_text() for a in axes if a.get_legend() for t in a.get_legend().get_texts()})


def test_the_reports_curves_say_strengths(trained):
    proj, runs_ = trained
    end, cfg, metrics = runs_["head"]
    labels, legend = _words(curves_figure(metrics, end.best_epoch, head_rows(cfg, metrics)))
    assert labels == {STRENGTH_AXIS} and f"★ kept: strength {end.best_epoch}" in legend
    assert not any("epoch" in w for w in labels | legend)
    end, cfg, metrics = runs_["fine"]
    labels, legend = _words(curves_figure(metrics, end.best_epoch, head_rows(cfg, metrics)))
    assert labels == {MIXED_AXIS} and "fine-tuning begins" in legend
    end, cfg, metrics = runs_["scratch"]
    labels, legend = _words(curves_figure(metrics, end.best_epoch, head_rows(cfg, metrics)))
    assert labels == {"epoch"} and f"★ best epoch ({end.best_epoch})" in legend
    assert build_report(proj, runs_["head"][0].run_id).curves_png.startswith("data:image/png;base64,")

"""Transfer learning with a frozen backbone: features computed once (cached), the head trained on them, the
bundle equal to the head on the features; fine-tuning as a second stage; the default recipe's choice."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
import torch
from PIL import Image

from cnnstudio.engine.events import DataProgress, EpochEnd, RunFinished, RunStarted
from cnnstudio.engine.model.backbones import BACKBONES, find_weights
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.frozen_run import FEATURES_MESSAGE, device_words, frozen_head_words, head_logits
from cnnstudio.engine.runs.recipe import NO_WEIGHTS_WHY, plan_choice, run_with_choice
from cnnstudio.engine.train.head_fit import L2_PATH
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.engine.use.evaluate import predict_logits
from cnnstudio.engine.use.features import feature_cache, iter_features
from cnnstudio.engine.data.prepare import drive, iter_load_pixels
from cnnstudio.project import run_records

from .test_data import make_project

SIDE = 48  # small pictures for speed; the presets use 224 (tested below without training)
PP = Preprocess(height=SIDE, width=SIDE, channels=3, normalization="imagenet")


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj", per_class=12, side=12)
    yield p
    p.close()


def frozen_spec(freeze=True, side=SIDE) -> ModelSpec:
    return ModelSpec.create(side, side, 3, [layer("dropout", p=0.2)],
                            backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": freeze})


def tiny_from_scratch() -> ModelSpec:
    return ModelSpec.create(SIDE, SIDE, 3, [layer("conv2d", out_channels=4), layer("relu"), layer("flatten")])


def test_transfer_presets_use_224_pixels_rgb():
    spec = make_preset("mobilenet_v2_transfer", 28, 28, 1)
    assert (spec.input.height, spec.input.width, spec.input.channels) == (224, 224, 3)


def test_feature_cache_is_keyed_by_picture_size_and_weights(proj, tmp_path):
    pics = [(r.sha256, r.file) for r in proj.records(proj.ids())][:6]
    first = drive(iter_features(proj.root, pics, size=SIDE))
    assert first.cached == 0 and first.vectors.shape == (6, 1280)
    again = drive(iter_features(proj.root, pics, size=SIDE))
    assert again.cached == 6 and torch.equal(again.vectors, first.vectors)
    # a changed picture has another hash: it alone is computed
    src = proj.root / pics[0][1]
    changed = proj.root / "images" / "changed.png"
    Image.open(src).convert("RGB").rotate(90).save(changed)
    third = drive(iter_features(proj.root, [("f" * 64, "images/changed.png")] + pics[1:], size=SIDE))
    assert third.cached == 5 and not torch.equal(third.vectors[0], first.vectors[0])
    # another size, or other weights, is another cache
    assert drive(iter_features(proj.root, pics, size=SIDE + 8)).cached == 0
    weights, _ = find_weights("mobilenet_v2")
    mine = tmp_path / "my_mobilenet.pth"
    shutil.copy(weights, mine)
    assert drive(iter_features(proj.root, pics, size=SIDE, weights_file=mine)).cached == 0
    other = feature_cache(proj.root, "resnet18", weights, PP)
    assert other.dir != feature_cache(proj.root, "mobilenet_v2", weights, PP).dir
    # a deleted cache is rebuilt
    shutil.rmtree(proj.root / "cache" / "features")
    rebuilt = drive(iter_features(proj.root, pics, size=SIDE))
    assert rebuilt.cached == 0 and torch.allclose(rebuilt.vectors.float(), first.vectors.float(), atol=1e-2)


def test_frozen_run_trains_the_head_on_cached_features_and_the_bundle_agrees(proj):
    settings = default_settings(PP)
    events = list(runs.train(proj, settings, frozen_spec()))
    kinds = [type(e).__name__ for e in events]
    assert kinds.count("RunStarted") == 1 and kinds[-1] == "RunFinished" and "EpochEnd" in kinds
    assert any(getattr(e, "message", "") == FEATURES_MESSAGE for e in events)
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.epochs == sum(isinstance(e, EpochEnd) for e in events)
    if not torch.cuda.is_available():
        assert started.device == "CPU (head only)"
    else:  # the card that computed the features is named in the run's record (QA GPU #13)
        assert started.device == f"{torch.cuda.get_device_name()} (features), CPU (head)"
    assert run_records.get_run(proj, events[-1].run_id).summary["device"] == started.device
    end = events[-1]
    assert end.test_accuracy == end.test_accuracy  # evaluated with the whole network
    # QA: "Epochs 1" trained "7 of 7 epochs" and said nothing; then "epoch 7 of 7, 100 %" sat silent while the test
    # pictures were scored, and the live speed (one epoch's) was not the finished run's
    said = ("the last layer fitted exactly at 7 strengths of regularisation (the best on the validation pictures "
            "kept); Epochs and learning rate are not used for a frozen backbone's head")
    assert said in started.speed_notes and started.epochs == len(L2_PATH) != settings.epochs
    assert said in run_records.get_run(proj, end.run_id).summary["speed_notes"]  # the run's record
    cfg, _ = runs.read_config(proj, end.run_id)
    assert frozen_head_words(cfg) == started.speed_notes  # the run's details: the same words from its config
    last = max(i for i, e in enumerate(events) if isinstance(e, EpochEnd))
    scoring = events[last + 1:-1]
    assert [type(e) for e in scoring] == [DataProgress] and scoring[0].total == 0
    assert scoring[0].message.startswith(f"trained in {end.train_seconds:.1f} s; now scoring the ")
    assert "validation and test pictures with the whole network" in scoring[0].message
    assert events[last].images_per_second == pytest.approx(end.images_per_second)
    assert frozen_head_words({**cfg, "spec": tiny_from_scratch().to_json()}) is None
    # the bundle (backbone + head) predicts what the head predicts on the cached features
    bundle = runs.load_run_bundle(proj, end.run_id)
    _, entries = runs.read_dataset(proj, end.run_id)
    pics = [(e.sha256, e.file) for e in entries]
    feats = drive(iter_features(proj.root, pics, preprocess=bundle.preprocess))
    assert feats.cached == len(pics) - sum(e.split == "test" for e in entries)  # train + val were cached by the run
    pixels, rows, _, _ = drive(iter_load_pixels(proj.root, entries, bundle.preprocess))
    pixels = pixels[rows] if rows is not None else pixels
    full = predict_logits(bundle.model, pixels, bundle.preprocess)
    head = head_logits(bundle.model, feats.vectors)
    assert torch.equal(full.argmax(1), head.argmax(1))
    assert torch.allclose(full, head, atol=0.05, rtol=0.02)


def test_fine_tuning_is_a_second_stage_numbered_after_the_head(proj):
    settings = default_settings(dataclasses.replace(PP, height=32, width=32)).replace(fine_tune_epochs=1,
                                                                                         batch_size=16)
    events = list(runs.train(proj, settings, frozen_spec(side=32)))
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert isinstance(events[-1], RunFinished) and events[-1].epochs == len(epochs)
    assert [e.epoch for e in epochs] == list(range(1, len(epochs) + 1))
    assert all(e.epochs == len(epochs) for e in epochs)
    assert isinstance(events[-2], DataProgress) and "now scoring" in events[-2].message  # after the fine-tuning
    cfg, saved = runs.read_config(proj, events[-1].run_id)
    assert saved.fine_tune_epochs == 1 and saved.fine_tune_lr_factor == 0.1


def test_default_recipe_records_its_choice(proj):
    run_id = runs.create_run(proj, default_settings(Preprocess(height=12, width=12, channels=1)).replace(
        epochs=1, time_budget_s=1.0))
    plan = plan_choice(proj, run_id)
    assert plan.compare and plan.per_class < 100
    events = list(run_with_choice(proj, run_id))
    assert isinstance(events[-1], RunFinished)
    kept = events[-1].run_id
    recipe = run_records.get_run(proj, run_id).summary["recipe"]
    assert recipe["run"] == kept and recipe["picked"] in ("transfer", "from scratch") and recipe["why"]
    assert len(run_records.list_runs(proj)) == 2
    assert all(r.summary["recipe"] == recipe for r in run_records.list_runs(proj))
    # each run named for what it is: the two could not be told apart ("Recommended design · Auto epochs" and
    # the same with " (transfer)", which is not the recommended design at all)
    names = {r.id: r.name for r in run_records.list_runs(proj)}
    other = next(i for i in names if i != run_id)
    assert names[other].startswith("MobileNetV2 transfer · frozen") and "Recommended" not in names[other]


def test_no_weights_trains_from_scratch_and_says_where_to_get_them(proj, tmp_path, monkeypatch):
    import socket

    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    monkeypatch.setitem(BACKBONES, "mobilenet_v2", dataclasses.replace(BACKBONES["mobilenet_v2"], packages=()))

    def no_network(*a, **k):
        raise AssertionError("no code path may try a download")
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    run_id = runs.create_run(proj, default_settings(Preprocess(height=12, width=12, channels=1)).replace(epochs=1))
    events = list(run_with_choice(proj, run_id))
    assert isinstance(events[-1], RunFinished) and events[-1].run_id == run_id
    recipe = run_records.get_run(proj, run_id).summary["recipe"]
    assert recipe["picked"] == "from scratch" and recipe["why"] == NO_WEIGHTS_WHY
    assert recipe["weights"] == "mobilenet_v2"  # each surface says its own way to get them (the window, the terminal)
    assert "not on this computer" in recipe["why"] and "Choose" not in recipe["why"] and "package" not in recipe["why"]
    assert len(run_records.list_runs(proj)) == 1


def test_the_default_recipe_is_recognised_whatever_the_device_but_not_after_a_change():
    from cnnstudio.engine.data.preprocess import Preprocess
    from cnnstudio.engine.model.presets import make_preset
    from cnnstudio.engine.runs.recipe import is_default_recipe
    from cnnstudio.engine.train.settings import default_settings

    pp = Preprocess(height=28, width=28, channels=1, normalization="dataset")
    spec = make_preset("default", 28, 28, 1)
    recipe = default_settings(pp)
    assert is_default_recipe(recipe, spec) and is_default_recipe(recipe, spec.to_json())
    assert is_default_recipe(recipe.replace(device="cpu", threads=1, seed=3), spec)  # how, not what
    assert not is_default_recipe(recipe.replace(lr=0.01), spec)
    assert not is_default_recipe(recipe.replace(validation=False), spec)
    assert not is_default_recipe(recipe, make_preset("classic", 28, 28, 1))
    assert not is_default_recipe(recipe, make_preset("default", 32, 32, 1))


def test_feature_batch_follows_the_memory_rule_and_does_not_change_the_features(proj):
    from cnnstudio.engine.use.features import BATCH, _picture_bytes, feature_batch

    shape = (3, SIDE, SIDE)
    assert feature_batch("mobilenet_v2", shape, "cpu", budget=None) == BATCH  # no budget known: as before
    assert feature_batch("mobilenet_v2", shape, "cpu", budget=10**15) == BATCH  # never more than the CPU's batch
    one = feature_batch("mobilenet_v2", (3, 224, 224), "cpu", budget=1)
    assert one == 1  # a tiny budget: one picture a pass, never none
    per_picture = _picture_bytes("mobilenet_v2", (3, 224, 224))
    assert 5_000_000 < per_picture < 30_000_000  # measured 13.8 MB for MobileNetV2 at 224 px
    half = feature_batch("mobilenet_v2", (3, 224, 224), "cpu", budget=20 * per_picture + 1)
    assert half == 20
    pics = [(r.sha256, r.file) for r in proj.records(proj.ids())][:5]
    small = drive(iter_features(proj.root, pics, size=SIDE, batch=2))
    shutil.rmtree(proj.root / "cache" / "features")
    whole = drive(iter_features(proj.root, pics, size=SIDE))
    assert small.cached == whole.cached == 0
    assert torch.allclose(small.vectors.float(), whole.vectors.float(), atol=1e-2)


def test_a_frozen_runs_device_names_the_card_that_computed_its_features():
    assert device_words(None) == "CPU (head only)"
    assert device_words("NVIDIA H200") == "NVIDIA H200 (features), CPU (head)"
    assert device_words("NVIDIA H200", fine_tune=True) == "NVIDIA H200 (features and fine-tuning), CPU (head)"
    assert device_words(None, fine_tune=True) == "CPU (head and fine-tuning)"  # QA: "CPU (head only)" while it ran



def test_a_fine_tuning_that_diverges_names_the_epoch_as_the_page_numbers_it():
    """The fine-tuning's epochs come after the head's (7 strengths of regularisation): a loss that stops being a
    number in its first epoch is said to in epoch 8, the epoch the Train page showed, not in "epoch 1"
    (frozen_run._fine_tune passes the trainer's RunFailed through run_failure.shifted). A loss that no step makes
    NaN on purpose: the real trainer's failure event, from its real exception."""
    from cnnstudio.engine.train.run_failure import TrainingDiverged, diverged_epoch, diverged_words, failed_event, \
        shifted

    try:
        raise TrainingDiverged(diverged_words(float("nan"), 1, 3))
    except TrainingDiverged as e:
        failed = failed_event(e, "r", 1, None)  # a diverged loss asks no process anything
    moved = shifted(failed, 7)
    assert moved.epoch == 8 and diverged_epoch(moved.reason) == 8
    assert moved.reason == "the loss became NaN (not a number) in epoch 8, batch 3: training diverged"
    assert moved.advice == failed.advice


def fine_tune_settings(**kw):
    """32 px, the head then ``kw``'s fine-tuning; no augmentation, so the fine-tuning's training pictures are the
    head's (what its epochs' training accuracy is compared on)."""
    from cnnstudio.engine.data.augment import AugmentSettings

    return default_settings(dataclasses.replace(PP, height=32, width=32)).replace(augment=AugmentSettings(), **kw)


def test_fine_tuning_keeps_the_backbones_batch_norm_in_inference_mode(proj):
    """QA: right after the head's loss 0.0000 the first fine-tuned epoch's loss jumped (37.5 here) and its training
    accuracy fell from 100% to 50%: the backbone's batch norm switched to each small batch's own statistics, so the
    features the head was fitted on changed under it. Kept in inference mode (Network.unfreeze_backbone), the first
    fine-tuned epoch starts where the head ended."""
    settings = fine_tune_settings(fine_tune_epochs=1, batch_size=16)
    events = list(runs.train(proj, settings, frozen_spec(side=32)))
    assert isinstance(events[-1], RunFinished)
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    head, tuned = epochs[events[-1].epochs - 2], epochs[-1]  # the head's last strength, the fine-tuned epoch
    assert head.train_accuracy == 1.0
    assert tuned.train_accuracy >= 0.9 and tuned.train_loss < 1.0, (head, tuned)


def test_unfreezing_a_backbone_keeps_its_batch_norm_statistics():
    from cnnstudio.engine.model.build import build_model

    model = build_model(frozen_spec(side=32), 2)
    bns = [m for m in model.backbone.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    before = [m.running_mean.clone() for m in bns]
    model.unfreeze_backbone()
    model.train()
    assert all(p.requires_grad for p in model.parameters())
    assert not any(m.training for m in bns) and model.layers.training
    model(torch.randn(8, 3, 32, 32)).sum().backward()
    assert all(torch.equal(m.running_mean, b) for m, b in zip(bns, before))
    assert bns[0].weight.grad is not None  # their scale and shift still learn


def test_a_fine_tuning_that_does_not_beat_the_head_marks_no_best_epoch_and_says_so(proj):
    """QA: the live star and "*best" sat on the first fine-tuned epoch (the inner trainer's best), the end said
    "best epoch 7 of 9" and nothing said the fine-tuned weights were thrown away. A fine-tuning at a learning rate
    that moves nothing cannot beat the head: no fine-tuned epoch is marked best, in the events or the run's metrics,
    and the end says in one sentence that the head's weights are kept."""
    import json

    from cnnstudio.engine.runs.frozen_run import kept_head_words

    settings = fine_tune_settings(fine_tune_epochs=2, fine_tune_lr_factor=1e-6, batch_size=16)
    events = list(runs.train(proj, settings, frozen_spec(side=32)))
    end = events[-1]
    assert isinstance(end, RunFinished) and end.best_epoch <= end.epochs - 2  # one of the head's epochs
    marked = [e.epoch for e in events if isinstance(e, EpochEnd) and e.is_best]
    assert marked[-1] == end.best_epoch
    rows = [json.loads(line) for line in (runs.run_dir(proj, end.run_id) / "metrics.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows if r["is_best"]][-1] == end.best_epoch
    assert end.note == kept_head_words(end.best_epoch)
    assert end.note == (f"Fine-tuning the whole network did not beat the head alone on the validation pictures, so "
                        f"the weights from before fine-tuning (epoch {end.best_epoch}) are kept.")
    summary = run_records.get_run(proj, end.run_id).summary
    assert summary["end_note"] == end.note and summary["best_epoch"] == end.best_epoch


def test_fine_tuning_is_said_and_counted_as_it_runs(proj):
    """QA: "Training on CPU (head only)" while the whole network was fine-tuned, and the bar at 100% while "epoch 8
    at batch 3 of 9" ran (the head's one batch an epoch was the run's unit). The device says the fine-tuning, and
    the head's epochs count as many batches as the fine-tuning's: the page's clock (engine/train/clock.py) stays
    below 100% until the last batch."""
    from cnnstudio.engine.events import BatchEnd
    from cnnstudio.engine.train.clock import RunClock
    from cnnstudio.engine.train.step_rules import batches_per_epoch

    settings = fine_tune_settings(fine_tune_epochs=1, batch_size=4)
    events = list(runs.train(proj, settings, frozen_spec(side=32), batch_event_interval=0))
    started = next(e for e in events if isinstance(e, RunStarted))
    if not torch.cuda.is_available():
        assert started.device == "CPU (head and fine-tuning)"
    assert started.batches_per_epoch == batches_per_epoch(started.train_images, 4) > 1  # the fine-tuning's
    clock = RunClock(now=lambda: 0.0)
    clock.run_started(started.start_epoch, started.epochs, started.batches_per_epoch)
    seen = []
    for ev in events:
        if isinstance(ev, BatchEnd):
            assert ev.batches == started.batches_per_epoch
            clock.batch_end(ev.epoch, ev.batch, ev.batches)
            seen.append((ev.epoch, ev.batch, clock.percent()))
    tuned = [s for s in seen if s[0] == started.epochs]
    assert [b for _, b, _ in tuned] == list(range(1, started.batches_per_epoch + 1))
    assert all(p < 100 for _, _, p in seen[:-1]) and seen[-1][2] == 100
    assert [p for _, _, p in seen] == sorted(p for _, _, p in seen)


def test_fine_tuning_is_refused_in_words_wherever_the_frozen_path_is_not_taken():
    """The one rule the CLI (and the Train page) asks before a run with fine-tuning epochs: the frozen path
    (uses_frozen_path), the only one that fine-tunes; a group of processes (torchrun) never takes it."""
    from cnnstudio.engine.runs.frozen_run import fine_tune_refusal, uses_frozen_path
    from cnnstudio.engine.train.distributed import DistContext

    pp = Preprocess(height=32, width=32, channels=3, normalization="imagenet")
    assert uses_frozen_path(frozen_spec(side=32), pp) and fine_tune_refusal(frozen_spec(side=32), pp) == ""
    assert fine_tune_refusal(frozen_spec(freeze=False, side=32), pp).endswith("and this design has none")
    two = fine_tune_refusal(frozen_spec(side=32), pp, DistContext(0, 2))
    assert two.startswith("fine-tunes only outside torchrun, and this run trains under it (2 processes)")
    grey = fine_tune_refusal(frozen_spec(side=32), Preprocess(height=32, width=32, channels=1,
                                                             normalization="imagenet"))
    assert grey == ("fine-tunes only a pretrained backbone that reads colour pictures (3 channels), and this design "
                    "reads 1")

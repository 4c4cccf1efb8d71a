"""The "unlike the training pictures" hint (engine/use/novelty.py): a real model trained on real sample digits, real
picture files. Pictures like the validation ones are mostly not flagged, noise and flat colours are; the result is
kept in the run's folder and read back, a damaged one is computed again, a disk that refuses it is no obstacle; a
run with too few validation pictures gets no hint, never a guess; the CSV says it in its own column."""

from __future__ import annotations

import csv
import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.run_novelty import attach_novelty
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.engine.use import novelty as nv
from cnnstudio.engine.use.predict import Predictor, predict_folder
from cnnstudio.project import Project
from cnnstudio.project.importer import import_paths
from cnnstudio.project.run_records import run_dir
from cnnstudio.resources import resource_path

DIGITS = ("0", "1", "7")
PER_CLASS = 60
PP = Preprocess(height=16, width=16, channels=1, normalization="dataset")


def digits_spec() -> ModelSpec:
    return ModelSpec.create(16, 16, 1, [
        layer("conv2d", out_channels=8, kernel_size=3, padding="same"), layer("relu"),
        layer("max_pool2d", kernel_size=2, stride=2), layer("flatten"),
    ])


def trained_digits(folder: Path, spec: ModelSpec | None = None, pp: Preprocess = PP, **settings) -> tuple[Path, str]:
    """A project of three sample digits (60 each, split 60/20/20: 36 validation pictures) and a run trained on it
    (``spec``: :func:`digits_spec`'s by default)."""
    src = folder / "src"
    for digit in DIGITS:
        files = sorted((resource_path("sample") / digit).glob("*.png"))[:PER_CLASS]
        (src / digit).mkdir(parents=True)
        for f in files:
            (src / digit / f.name).write_bytes(f.read_bytes())
    with Project.create(folder / "digits") as project:
        import_paths(project, [src], labels_from_folders=True)
        project.assign_splits((60, 20, 20), seed=0)
        torch.manual_seed(0)
        settings = TrainSettings(**{**dict(epochs=6, batch_size=16, lr=0.01, preprocess=pp, threads=1), **settings})
        run_id = runs.create_run(project, settings, spec or digits_spec())
        events = list(runs.run(project, run_id))
        assert isinstance(events[-1], RunFinished), events[-1]
    return folder / "digits", run_id


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return trained_digits(tmp_path_factory.mktemp("novelty"))


@pytest.fixture
def project(trained):
    with Project.open(trained[0]) as p:
        yield p, trained[1]


def predictor_of(project, run_id) -> Predictor:
    return Predictor(runs.load_run_bundle(project, run_id))


def noise_pictures(folder: Path, n: int = 20) -> list[Path]:
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        path = folder / f"noise_{i}.png"
        Image.fromarray(rng.integers(0, 256, (28, 28, 3), dtype=np.uint8), "RGB").save(path)
        out.append(path)
    return out


def flat_pictures(folder: Path, n: int = 10) -> list[Path]:
    rng = random.Random(0)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        path = folder / f"flat_{i}.png"
        Image.new("RGB", (28, 28), (255, 105 + 10 * i, 180) if i % 2 else tuple(rng.randrange(256) for _ in "rgb")
                  ).save(path)
        out.append(path)
    return out


# ---------------------------------------------------------------------------- the rule
def test_the_threshold_is_the_conformal_quantile_and_needs_enough_validation_pictures():
    scores = torch.arange(1, 20, dtype=torch.float32)  # 19 scores: the 19th smallest, ceil(0.95 * 20) = 19
    assert nv.MIN_VALIDATION == 19 and nv.threshold_for(scores) == 19.0
    assert nv.threshold_for(torch.arange(1, 19, dtype=torch.float32)) is None  # 18: past the largest
    assert nv.threshold_for(torch.arange(1, 101, dtype=torch.float32)) == 96.0  # ceil(0.95 * 101) = 96
    assert nv.threshold_for(torch.empty(0)) is None


def test_the_training_sample_keeps_every_class_and_its_share():
    from cnnstudio.engine.data.entries import Entry

    entries = [Entry(i, f"{i:064x}", f"f{i}", 0 if i < 900 else 1, "a" if i < 900 else "b", "train")
               for i in range(1000)]
    sample = nv.stratified_sample(entries, cap=100)
    assert len(sample) == 100 and sum(e.label == 1 for e in sample) == 10
    assert sample == nv.stratified_sample(entries, cap=100)  # seeded: the same sample, the same kept result
    assert nv.stratified_sample(entries[:50], cap=100) == entries[:50]
    rare = entries[:997] + [dataclasses.replace(e, label=2 + i, label_name=f"c{i}") for i, e in enumerate(entries[997:])]
    sample = nv.stratified_sample(rare, cap=10)  # the rounding up of 3 rare classes does not push past the cap
    assert len(sample) == 10 and {e.label for e in sample} == {0, 1, 2, 3, 4}


def test_k_th_similarity_is_chunked_and_never_the_full_matrix():
    sample = nv.normalised(torch.eye(4))
    queries = nv.normalised(torch.tensor([[1.0, 0, 0, 0], [1.0, 1.0, 0, 0]]))
    assert nv.kth_similarity(queries, sample, 1, chunk=1).tolist() == pytest.approx([1.0, 2 ** -0.5])
    assert nv.kth_similarity(queries, sample, 3, chunk=1).tolist() == pytest.approx([0.0, 0.0])


# ---------------------------------------------------------------------------- a real model, real pictures
def test_pictures_like_the_validation_ones_are_mostly_not_flagged_noise_and_flat_colours_are(project, tmp_path):
    p, run_id = project
    predictor = predictor_of(p, run_id)
    assert attach_novelty(predictor, p, run_id) == ""
    novelty = predictor.novelty
    assert novelty.sample.shape[0] == sum(1 for e in runs.read_dataset(p, run_id)[1] if e.split == "train")
    assert novelty.validation.numel() >= nv.MIN_VALIDATION and novelty.threshold > 0
    assert nv.output_layer(predictor.model) is predictor.model.layers[-1]
    # the validation pictures themselves: at most the flag rate above the threshold, by its construction
    assert float((novelty.validation > novelty.threshold).float().mean()) <= nv.FLAG_RATE
    _names, entries = runs.read_dataset(p, run_id)
    test = [p.root / e.file for e in entries if e.split == "test"]
    held_out = predictor.predict_many(test).predictions
    assert len(held_out) == len(test) >= 30
    assert all(pr.unlike_training in (True, False) and pr.novelty is not None for pr in held_out)
    assert sum(pr.unlike_training for pr in held_out) / len(held_out) <= 0.15  # new digits: mostly not flagged
    strange = predictor.predict_many(noise_pictures(tmp_path / "noise") + flat_pictures(tmp_path / "flat"))
    flagged = [pr.unlike_training for pr in strange.predictions]
    assert len(flagged) == 30 and sum(flagged) / len(flagged) >= 0.9
    # one picture at a time says the same as a batch
    one = predictor.predict(test[0])
    assert one.unlike_training == held_out[0].unlike_training and one.novelty == pytest.approx(held_out[0].novelty,
                                                                                                abs=1e-4)


def test_the_result_is_kept_in_the_run_folder_and_read_back(project):
    p, run_id = project
    path = run_dir(p, run_id) / nv.CACHE_NAME
    path.unlink(missing_ok=True)
    first = predictor_of(p, run_id)
    attach_novelty(first, p, run_id)
    assert not first.novelty.cached and path.is_file()
    assert not list(path.parent.glob(f".{nv.CACHE_NAME}*"))  # written under a temporary name, renamed
    again = predictor_of(p, run_id)
    attach_novelty(again, p, run_id)
    assert again.novelty.cached and again.novelty.threshold == first.novelty.threshold
    assert torch.allclose(again.novelty.sample, first.novelty.sample, atol=1e-3)  # kept as float16
    # another model (the run trained on, another run) does not read it: its weights' checksum differs
    other = predictor_of(p, run_id)
    other.bundle.manifest = {**other.bundle.manifest, "weights": {"sha256": "0" * 64}}
    attach_novelty(other, p, run_id)
    assert not other.novelty.cached


@pytest.mark.parametrize("damage", [b"", b"not safetensors at all", b"\xff" * 64])
def test_a_damaged_result_is_computed_again(project, damage):
    p, run_id = project
    path = run_dir(p, run_id) / nv.CACHE_NAME
    attach_novelty(predictor_of(p, run_id), p, run_id)
    good = path.read_bytes()
    path.write_bytes(damage if damage else good[:len(good) // 2])
    predictor = predictor_of(p, run_id)
    assert attach_novelty(predictor, p, run_id) == ""
    assert not predictor.novelty.cached and path.read_bytes() != (damage or good[:len(good) // 2])
    fresh = predictor_of(p, run_id)
    attach_novelty(fresh, p, run_id)
    assert fresh.novelty.cached  # whole again


def test_a_disk_that_refuses_the_result_is_no_obstacle(project, tmp_path):
    """A read-only project (here: the result's name taken by a folder, which no rename can replace) computes it in
    memory and goes on."""
    p, run_id = project
    path = run_dir(p, run_id) / nv.CACHE_NAME
    path.unlink(missing_ok=True)
    path.mkdir()
    try:
        predictor = predictor_of(p, run_id)
        assert attach_novelty(predictor, p, run_id) == ""
        assert predictor.novelty is not None and not predictor.novelty.cached and path.is_dir()
        assert not list(path.parent.glob(f".{nv.CACHE_NAME}*"))
        assert predictor.predict_many(noise_pictures(tmp_path, 3)).predictions[0].unlike_training is True
    finally:
        path.rmdir()


def test_too_few_validation_pictures_give_no_hint_and_no_guess(project, tmp_path):
    p, run_id = project
    _names, entries = runs.read_dataset(p, run_id)
    predictor = predictor_of(p, run_id)
    none = [dataclasses.replace(e, split="train") if e.split == "val" else e for e in entries]
    assert nv.load_or_fit(predictor, p.root, tmp_path, none) == (None, nv.NO_VALIDATION)
    val = [e for e in entries if e.split == "val"]
    few = [e for e in entries if e.split != "val"] + val[:nv.MIN_VALIDATION - 1]
    assert nv.load_or_fit(predictor, p.root, tmp_path, few) == (None, nv.NO_VALIDATION)
    assert not (tmp_path / nv.CACHE_NAME).exists()
    assert nv.NO_VALIDATION == ("there is no hint about pictures unlike the training pictures: the run has fewer than "
                                "19 validation pictures to measure it on")
    out = predict_folder(predictor, noise_pictures(tmp_path / "noise", 2), csv_path=tmp_path / "p.csv")
    assert [pr.unlike_training for pr in out.predictions] == [None, None]
    with open(tmp_path / "p.csv", newline="", encoding="utf-8-sig") as f:
        assert [r["unlike_training"] for r in csv.DictReader(f)] == ["", ""]


def test_the_csv_says_which_pictures_look_unlike_the_training_ones(project, tmp_path):
    p, run_id = project
    predictor = predictor_of(p, run_id)
    attach_novelty(predictor, p, run_id)
    _names, entries = runs.read_dataset(p, run_id)
    digit = next(p.root / e.file for e in entries if e.split == "test")
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "digit.png").write_bytes(digit.read_bytes())
    noise_pictures(folder, 2)
    (folder / "notes.txt").write_text("not a picture")
    result = predict_folder(predictor, folder, csv_path=tmp_path / "out.csv")
    with open(tmp_path / "out.csv", newline="", encoding="utf-8-sig") as f:
        rows = {Path(r["path"]).name: r for r in csv.DictReader(f)}
    assert list(next(iter(rows.values())))[-2:] == ["unsure", "unlike_training"]
    assert rows["noise_0.png"]["unlike_training"] == rows["noise_1.png"]["unlike_training"] == "true"
    assert rows["digit.png"]["unlike_training"] == str(
        next(pr for pr in result.predictions if pr.path.endswith("digit.png")).unlike_training).lower()
    assert rows["notes.txt"]["unlike_training"] == ""
    assert result.to_json()["predictions"][0]["unlike_training"] in (True, False)


def test_a_frozen_backbones_run_reads_the_features_it_kept_instead_of_computing_them_again(tmp_path):
    """MobileNetV2 frozen, its head one fully connected layer: the output layer's inputs are the backbone's features the
    run computed once and kept (318 s through the model for the sample's 1,528 training and validation digits at
    224 px on the loaded 2-core build machine, 0.3 s read back); the same features as the model's."""
    from cnnstudio.engine.model.backbones import find_weights
    from cnnstudio.engine.runs.run_novelty import MESSAGE, frozen_features
    from cnnstudio.engine.errors import WeightsNotFound

    try:
        find_weights("mobilenet_v2")
    except WeightsNotFound:
        pytest.skip("MobileNetV2's pretrained weights are not on this computer")
    pp = Preprocess(height=48, width=48, channels=3, normalization="imagenet")
    spec = ModelSpec.create(48, 48, 3, [layer("dropout", p=0.2)],
                            backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": True})
    root, run_id = trained_digits(tmp_path, spec, pp, epochs=1)
    with Project.open(root) as p:
        predictor = predictor_of(p, run_id)
        said = []
        features = frozen_features(predictor, p, run_id, progress=lambda d, t, m: said.append(m))
        assert features is not None
        _names, entries = runs.read_dataset(p, run_id)
        val = [e for e in entries if e.split == "val"]
        kept = features(val)
        assert said == [f"{len(val)} pictures from the cache"] and MESSAGE not in said  # read, none computed
        by_model = nv.model_features(predictor, p.root)(val)
        assert kept.shape == by_model.shape and float((nv.normalised(kept) * nv.normalised(by_model)).sum(1).min()) > 0.999
        assert attach_novelty(predictor, p, run_id) == ""
        flagged = predictor.predict_many(noise_pictures(tmp_path / "noise", 10)).predictions
        assert sum(pr.unlike_training for pr in flagged) >= 9
        # fine-tuned, the backbone may have changed: its features come from the model
        import json

        config = run_dir(p, run_id) / "config.json"
        cfg = json.loads(config.read_text(encoding="utf-8"))
        cfg["settings"]["fine_tune_epochs"] = 1
        config.write_text(json.dumps(cfg), encoding="utf-8")
        assert frozen_features(predictor, p, run_id) is None

"""The data pipeline: which images a run uses, decode once into a reusable cache, batched augmentation."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch
from PIL import Image

from cnnstudio.engine.data.augment import AugmentError, Augmenter, AugmentSettings
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.errors import DataError
from cnnstudio.engine.events import DataProgress
from cnnstudio.engine.data.prepare import drive, iter_prepare, prepare
from cnnstudio.engine.data.cache import TensorCache
from cnnstudio.engine.data.entries import dataset_entries, fingerprint
from cnnstudio.engine.data.preprocess import Preprocess, image_to_uint8
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.project import Project, import_paths

PP8 = Preprocess(height=8, width=8, channels=1, normalization="dataset")


def tiny_spec(side: int = 8, channels: int = 1) -> ModelSpec:
    """A tiny real design from the catalog: fast enough for many short runs in tests."""
    return ModelSpec.create(side, side, channels, [
        layer("conv2d", out_channels=4, kernel_size=3, padding="same"), layer("batch_norm2d"), layer("relu"),
        layer("max_pool2d", kernel_size=2, stride=2), layer("flatten"),
    ])


def write_pattern_images(root: Path, classes=("top", "bottom"), per_class: int = 20, side: int = 12,
                         seed: int = 0) -> Path:
    """Learnable tiny grey PNGs: the bright half of the picture tells the class; noise makes each unique."""
    rng = random.Random(seed)
    for ci, name in enumerate(classes):
        (root / name).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            px = []
            for y in range(side):
                for x in range(side):
                    band = (y * len(classes)) // side
                    px.append(min(255, (190 if band == ci else 20) + rng.randrange(50)))
            im = Image.new("L", (side, side))
            im.putdata(px)
            im.save(root / name / f"{name}_{i}.png")
    return root


def make_project(path: Path, classes=("top", "bottom"), per_class: int = 20, side: int = 12) -> Project:
    project = Project.create(path)
    write_pattern_images(path.parent / f"{path.name}-src", classes, per_class, side)
    report = import_paths(project, [path.parent / f"{path.name}-src"], labels_from_folders=True)
    assert len(report.imported) == len(classes) * per_class
    project.assign_splits((60, 20, 20), seed=0)
    return project


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj")
    yield p
    p.close()


def test_entries_and_fingerprint(proj):
    names, entries = dataset_entries(proj)
    assert names == [c.name for c in proj.classes()] == ["bottom", "top"]
    assert {e.split for e in entries} == {"train", "val", "test"} and len(entries) == 40
    assert all(names[e.label] == e.label_name for e in entries)
    fp = fingerprint(entries)
    assert fp == fingerprint(list(reversed(entries)))  # order does not matter
    one = entries[0]
    other = proj.class_by_name("bottom" if one.label_name == "top" else "top")
    proj.set_labels([one.id], other.id)
    assert fingerprint(dataset_entries(proj)[1]) != fp


def test_decode_once_then_cache(proj):
    events = []
    first = drive(iter_prepare(proj, PP8), lambda d, t, m: events.append((d, t)))
    assert first.decoded == 40 and first.cached == 0 and events[-1] == (40, 40)
    assert first.train.pixels.dtype == torch.uint8 and first.train.pixels.shape[1:] == (1, 8, 8)
    n = len(first.train) + len(first.val) + len(first.test)
    assert n == 40
    # the same pixels as decoding one file by hand
    rec = proj.records([first.train.ids[0]])[0]
    assert torch.equal(first.train.pixels[0], image_to_uint8(proj.root / rec.file, PP8))
    # a second run decodes nothing
    gen = iter_prepare(proj, PP8)
    progress, said = [], []
    second = drive(gen, lambda d, t, m: (progress.append(t), said.append(m)))
    assert second.cached == 40 and second.decoded == 0 and progress == [0]
    assert said == ["40 pictures from the cache"]  # counted by project/counting.py, not "40 picture(s)"
    assert torch.equal(second.train.pixels, first.train.pixels)
    # dataset normalisation measured on the train split
    x = first.train.pixels.double() / 255
    assert first.preprocess.mean[0] == pytest.approx(float(x.mean()), abs=1e-6)
    assert first.preprocess.std[0] == pytest.approx(float(x.std(unbiased=False)), abs=1e-6)


def test_memory_mapped_when_large(proj):
    in_mem = prepare(proj, PP8)
    mapped = prepare(proj, PP8, memory_limit=0)
    assert not mapped.train.in_memory and mapped.train.rows is not None
    idx = torch.tensor([0, 3, 1])
    assert torch.equal(mapped.train.gather(idx), in_mem.train.gather(idx))


def test_cache_survives_a_torn_write(proj):
    prepare(proj, PP8)
    cache = TensorCache(proj.root, PP8)
    with open(cache.data_path, "ab") as f:
        f.write(b"\x01" * 30)  # half a record
    with open(cache.index_path, "ab") as f:
        f.write(b"abc")  # half a line
    assert len(cache.read_index()) == 40
    # new images get appended after the valid part
    src = proj.root.parent / "more"
    (src / "top").mkdir(parents=True)
    Image.new("L", (12, 12), 77).save(src / "top" / "new.png")
    import_paths(proj, [src], labels_from_folders=True)
    proj.set_split(proj.ids()[-1:], "train")
    data = prepare(proj, PP8)
    assert data.decoded == 1 and data.cached == 40
    assert len(TensorCache(proj.root, PP8).read_index()) == 41
    assert not cache.lock_path.exists()


def test_not_trainable(tmp_path):
    p = make_project(tmp_path / "one", classes=("only",), per_class=4)
    with pytest.raises(DataError, match="two classes"):
        prepare(p, PP8)
    p.close()


def test_stop_while_decoding(proj):
    import threading

    from cnnstudio.engine.errors import Cancelled
    stop = threading.Event()
    gen = iter_prepare(proj, PP8, stop=stop)
    assert isinstance(next(gen), DataProgress)
    stop.set()
    with pytest.raises(Cancelled):
        next(gen)


def test_augment_per_image_and_repeatable():
    batch = torch.zeros((6, 1, 12, 12))
    batch[:, :, 2:10, 5:7] = 1.0  # the same vertical bar in every image
    s = AugmentSettings(rotation=30, translate=0.2, scale_min=0.8, scale_max=1.2, brightness=0.3, contrast=0.3,
                        erasing=0.5)
    out = Augmenter(s, torch.Generator().manual_seed(1))(batch)
    assert out.shape == batch.shape and out.min() >= 0 and out.max() <= 1
    assert not torch.allclose(out[0], out[1])  # different random values per image
    again = Augmenter(s, torch.Generator().manual_seed(1))(batch)
    assert torch.equal(out, again)
    # nothing on by default; flips off by default (they change digits and letters)
    assert not AugmentSettings().enabled and not AugmentSettings().hflip
    assert Augmenter(AugmentSettings())(batch) is batch
    flipped = Augmenter(AugmentSettings(hflip=True), torch.Generator().manual_seed(0))(batch[:, :, :, :])
    assert all(torch.equal(f, b) or torch.equal(f, b.flip(-1)) for f, b in zip(flipped, batch))
    rgb = torch.rand((4, 3, 8, 8))
    assert Augmenter(AugmentSettings(saturation=0.5, hflip=True, vflip=True))(rgb).shape == rgb.shape
    with pytest.raises(AugmentError):
        AugmentSettings(rotation=-1)
    assert AugmentSettings.from_json(s.to_json()) == s

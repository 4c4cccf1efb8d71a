"""Check my data (engine/runs/doctor.py): real digit pictures, real MobileNetV2 features, real cleanlab.

Planted problems: changed labels, a JPEG re-encoded copy in the test split (a leak), a black picture and a
blurred one. The module-scoped project is checked once (features cached), then looked at from each test.
"""

from __future__ import annotations

import dataclasses
import io
import random
import shutil
import threading
from pathlib import Path

import pytest
import torch
from PIL import Image, ImageFilter

from cnnstudio.engine.errors import Cancelled
from cnnstudio.engine.model.backbones import BACKBONES
from cnnstudio.engine.runs import doctor
from cnnstudio.engine.use.neighbours import aligned_similarity, groups, nearest
from cnnstudio.project import Project, import_paths
from cnnstudio.resources import sample_dataset_dir

CLASSES = ("0", "1", "7")
PER_CLASS = 40


def _write_dataset(src: Path) -> None:
    for c in CLASSES:
        (src / c).mkdir(parents=True)
        for f in sorted((sample_dataset_dir() / c).glob("*.png"))[:PER_CLASS]:
            shutil.copy(f, src / c / f.name)
    first = sorted((src / "7").glob("*.png"))[0]
    buf = io.BytesIO()
    Image.open(first).convert("RGB").save(buf, "JPEG", quality=70)
    (src / "7" / "copy.jpg").write_bytes(buf.getvalue())
    Image.new("L", (28, 28), 0).save(src / "0" / "black.png")
    Image.open(sorted((src / "1").glob("*.png"))[5]).filter(ImageFilter.GaussianBlur(4)).save(src / "1" / "blurred.png")


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = tmp_path_factory.mktemp("doctor")
    _write_dataset(root / "src")
    p = Project.create(root / "project")
    import_paths(p, [root / "src"], labels_from_folders=True)
    p.assign_splits((70, 15, 15), seed=0)
    recs = {r.original_name: r for r in p.records(p.ids())}
    original = recs[sorted(n for n in recs if n.endswith(".png") and n.startswith("7_"))[0]]
    p.set_split([original.id], "train")
    p.set_split([recs["copy.jpg"].id], "test")
    names = {c.name: c.id for c in p.classes()}
    rng = random.Random(3)
    truth = {}
    candidates = [r for n, r in recs.items() if n.endswith(".png") and r.split == "train" and n[0] in "17"]
    for r in rng.sample(candidates, 4):
        truth[r.id] = p.image(r.id).class_id
        p.set_labels([r.id], names["0"])
    report = doctor.check_data(p)
    return p, report, truth, recs, original


def test_planted_wrong_labels_are_found_with_the_right_suggestion(checked):
    p, report, truth, _, _ = checked
    assert report.method.startswith("MobileNetV2 features")
    class_name = {c.id: c.name for c in p.classes()}
    found = {f.images[0]: f for f in report.of_kind("label")}
    hits = [i for i in truth if i in found]
    assert len(hits) >= 3, f"found {len(hits)} of {len(truth)} changed labels"
    for i in hits:
        assert found[i].given == "0" and found[i].suggested == class_name[truth[i]]
        assert "may be wrong" in found[i].reason
    assert len(found) <= 3 * len(truth)  # a handful to look at, not the whole dataset


def test_a_copy_in_the_test_split_is_a_leak(checked):
    _, report, _, recs, original = checked
    leaks = [f for f in report.of_kind("leak") if recs["copy.jpg"].id in f.images]
    assert len(leaks) == 1 and original.id in leaks[0].images
    assert set(leaks[0].splits) == {"train", "test"} and "Move them to the same split" in leaks[0].reason
    assert leaks[0].reason.startswith("2 almost identical pictures in train and test")  # a JPEG copy: not exact
    everyone = [i for f in report.of_kind("leak") + report.of_kind("near_duplicate") for i in f.images]
    assert len(everyone) <= 0.1 * report.images


def test_a_black_and_a_blurred_picture_are_flagged(checked):
    _, report, _, recs, _ = checked
    quality = {f.images[0]: f.what for f in report.of_kind("quality")}
    assert quality.get(recs["black.png"].id) == "flat"
    assert not [f for f in report.findings if recs["black.png"].id in f.images and f.kind != "quality"]  # trash it:
    #   an unusable picture is not also "labelled '0', looks like '1'" (QA: "Relabel as ...")
    assert quality.get(recs["blurred.png"].id) == "blurred"


def test_json_report_shape(checked):
    _, report, _, _, _ = checked
    d = report.to_json()
    assert d["images"] == report.images and d["method"] == report.method
    shape = {"kind", "score", "reason", "images", "paths", "given", "suggested", "what", "splits", "labels", "key"}
    assert {frozenset(f) for f in d["findings"]} == {frozenset(shape)}  # one shape for every kind
    label = next(f for f in d["findings"] if f["kind"] == "label")
    assert len(label["images"]) == len(label["paths"]) == 1 and label["given"] and label["suggested"]
    leak = next(f for f in d["findings"] if f["kind"] == "leak")
    assert len(leak["images"]) == len(leak["paths"]) == len(leak["splits"]) >= 2
    assert {"skipped", "notes", "kept_hidden"} <= set(d)


def test_keep_hides_a_finding_until_its_picture_changes(checked):
    p, report, _, recs, _ = checked
    leak = next(f for f in report.of_kind("leak") if recs["copy.jpg"].id in f.images)
    doctor.keep(p, [leak.key])
    again = doctor.check_data(p, kinds=("duplicates", "leaks"))
    assert all(f.key != leak.key for f in again.findings) and again.hidden >= 1
    p.set_split([recs["copy.jpg"].id], "val")  # the pictures changed: the finding is new again
    moved = doctor.check_data(p, kinds=("duplicates", "leaks"))
    assert any(recs["copy.jpg"].id in f.images and f.kind == "leak" for f in moved.findings)
    p.set_split([recs["copy.jpg"].id], "test")
    doctor.unkeep(p, [leak.key])
    assert leak.key not in doctor.kept_keys(p)


def test_cancel_stops_and_leaves_a_usable_cache(tmp_path):
    _write_dataset(tmp_path / "src")
    p = Project.create(tmp_path / "p")
    import_paths(p, [tmp_path / "src"], labels_from_folders=True)
    stop = threading.Event()
    seen = []

    def progress(done, total, message):
        seen.append(done)
        if done > 0:
            stop.set()  # after the first batch of features

    with pytest.raises(Cancelled):
        doctor.check_data(p, kinds=("quality",), progress=progress, stop=stop)
    report = doctor.check_data(p, kinds=("quality",))  # goes on from what the cache holds
    assert report.images == p.count() and any(f.what == "flat" for f in report.findings)


def test_too_little_data_is_one_sentence(tmp_path):
    p = Project.create(tmp_path / "empty")
    with pytest.raises(doctor.DoctorError, match="no pictures"):
        doctor.check_data(p)
    (tmp_path / "src" / "a").mkdir(parents=True)
    for i in range(3):
        Image.new("L", (8, 8), 40 * i).save(tmp_path / "src" / "a" / f"{i}.png")
    import_paths(p, [tmp_path / "src"], labels_from_folders=True)
    with pytest.raises(doctor.LabelsUnchecked, match="label at least 2 pictures in each of 2 classes$"):
        doctor.check_data(p)
    report = doctor.check_data(p, labels_if_possible=True)  # the app: the other checks, and why not the labels
    assert "labels" not in report.kinds
    assert report.skipped[0] == "labels: label at least 2 pictures in each of 2 classes"
    with pytest.raises(doctor.DoctorError, match="unknown kind"):
        doctor.check_data(p, kinds=("spelling",))


def test_without_weights_the_pixels_are_used_and_said(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))  # no weights anywhere: nothing downloaded
    monkeypatch.setitem(BACKBONES, "mobilenet_v2", dataclasses.replace(BACKBONES["mobilenet_v2"], packages=()))
    _write_dataset(tmp_path / "src")
    p = Project.create(tmp_path / "p")
    import_paths(p, [tmp_path / "src"], labels_from_folders=True)
    report = doctor.check_data(p, kinds=("duplicates", "leaks", "quality"))
    assert "weights are not installed" in report.method and report.images == p.count()
    assert any(f.kind == "quality" and f.what == "flat" for f in report.findings)
    assert not (tmp_path / "p" / "cache" / "features").exists()


def test_feature_size_follows_the_pictures():
    from cnnstudio.engine.use.features import DEFAULT_SIZE, SMALL_SIZE, feature_size_for

    assert feature_size_for([28] * 10 + [640]) == SMALL_SIZE
    assert feature_size_for([640, 480, 28]) == DEFAULT_SIZE


def test_neighbours_in_chunks_and_aligned_copies():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(300, 16, generator=g)
    x[299] = x[7] * 1.01  # a near copy
    sims, idx = nearest(x, k=3, chunk=64)
    full = torch.nn.functional.normalize(x) @ torch.nn.functional.normalize(x).T
    full.fill_diagonal_(-2)
    assert torch.allclose(sims, full.topk(3, 1).values, atol=1e-5)
    assert [7, 299] in groups(sims >= 0.999, idx)
    pics = torch.rand(4, 24, 24, generator=g)
    pics[1] = torch.roll(pics[0], shifts=(1, 2), dims=(0, 1))  # a shifted copy
    score = aligned_similarity(pics, torch.tensor([[1, 2], [0, 3], [3, 0], [2, 1]]))
    assert score[0, 0] > 0.8 > score[0, 1] and score[1, 0] > 0.8


def test_the_fixes_each_finding_offers():
    label = doctor.Finding("label", (5,), 0.9, "r", given="dog", suggested="cat", splits=("train",), key="k")
    assert [(f.action, f.value, f.images) for f in doctor.fixes_for(label)] == [
        ("relabel", "cat", (5,)), ("keep", "", (5,)), ("trash", "", (5,))]
    dup = doctor.Finding("near_duplicate", (3, 8, 9), 0.99, "r", splits=("val", "val", "val"))
    assert [(f.action, f.text, f.images) for f in doctor.fixes_for(dup)] == [
        ("trash", "Trash the other 2", (8, 9)), ("keep", "Keep them all", (3, 8, 9))]  # never "Keep one" / "Keep"
    assert "move the other 2 to the project's trash" in doctor.fixes_for(dup)[0].tip
    pair = doctor.Finding("near_duplicate", (3, 8), 0.99, "r")
    assert [f.text for f in doctor.fixes_for(pair)] == ["Trash the other one", "Keep them all"]
    assert [f.text for f in doctor.fixes_for(label)] == ["Relabel as “cat”", "Keep the label", "Trash it"]
    leak = doctor.Finding("leak", (3, 8, 9), 0.99, "r", splits=("test", "train", "val"))
    move = doctor.fixes_for(leak)[0]
    assert (move.action, move.value, move.images, move.text) == ("same_split", "train", (3, 9),
                                                                  "Move to the training split")
    assert [(f.action, f.text) for f in doctor.fixes_for(doctor.Finding("quality", (1,), 1.0, "r"))] == [
        ("trash", "Trash it"), ("keep", "Keep it")]
    assert doctor.fixes_for(leak)[1].text == "Leave them where they are"
    assert [f.text for f in doctor.fixes_for(doctor.Finding("class", (), 0.5, "r"))] == ["Dismiss"]


def test_a_fix_closes_its_finding_and_its_undo_opens_it_again(checked):
    """What the Check data panel lists after each fix and each Ctrl+Z (doctor_review.still_open)."""
    from cnnstudio.engine.runs.doctor_review import still_open

    p, report, _, recs, _ = checked
    assert still_open(p, report) == report.findings
    label = report.of_kind("label")[0]
    leak = next(f for f in report.of_kind("leak") if recs["copy.jpg"].id in f.images)
    flat = next(f for f in report.of_kind("quality") if f.images == (recs["black.png"].id,))
    # Relabel as the suggestion, then undo it
    before = p.set_labels(label.images, p.class_by_name(label.suggested).id)
    assert label not in still_open(p, report) and len(still_open(p, report)) == len(report.findings) - 1
    p.restore_labels(before)
    assert label in still_open(p, report)
    # Move to one split, then undo: relabelling a leak's copy does not close the leak, moving it does
    moved = p.set_split([recs["copy.jpg"].id], "train")
    assert leak not in still_open(p, report)
    p.restore_splits(moved)
    assert leak in still_open(p, report)
    labels = p.set_labels([recs["copy.jpg"].id], p.class_by_name("0").id)
    assert leak in still_open(p, report)
    p.restore_labels(labels)
    # Trash, then bring back
    p.delete_images(flat.images)
    assert flat not in still_open(p, report)
    p.restore_images(flat.images)
    assert flat in still_open(p, report)
    # Keep, then undo
    doctor.keep(p, [flat.key])
    assert flat not in still_open(p, report)
    doctor.unkeep(p, [flat.key])
    assert still_open(p, report) == report.findings

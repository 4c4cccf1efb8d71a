"""Prediction: real bundles, real files (JPEG, CMYK JPEG, RGBA PNG, corrupt), folders, CSV, MODEL paths."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest
import torch
from PIL import Image

from cnnstudio.engine.model.build import build_model
from cnnstudio.engine.use.bundle import load_bundle, save_bundle
from cnnstudio.engine.use.predict import (
    PredictError,
    Predictor,
    csv_header,
    predict_folder,
    resolve_model,
    resolve_model_path,
)
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.presets import PRESETS
from cnnstudio.project.imaging import ImageRejected
from tests.conftest import write_image

CLASSES = ["cat", "dog", "bird"]
PP = Preprocess(height=16, width=16, channels=3, normalization="dataset", mean=(0.5,), std=(0.25,))


def make_bundle(path: Path, classes=CLASSES, pp: Preprocess = PP, preset: str = "classic", **kw) -> Path:
    """A real (untrained, seeded) model from a preset, saved as a real bundle."""
    torch.manual_seed(0)
    spec = PRESETS[preset](pp.height, pp.width, pp.channels)
    model = build_model(spec, len(classes))
    return save_bundle(path, model, spec, list(classes), pp, **kw)


def write_pictures(folder: Path) -> dict[str, Path]:
    """One of each awkward kind the importer accepts, plus a corrupt one and a text file."""
    files = {
        "jpeg": write_image(folder / "a.jpg", (200, 40, 40), size=(40, 30)),
        "cmyk": write_image(folder / "sub" / "cmyk.jpg", (0, 200, 10, 10), size=(24, 24), mode="CMYK"),
        "rgba": write_image(folder / "sub" / "deeper" / "alpha.png", (10, 200, 10, 90), size=(20, 32), mode="RGBA"),
        "grey": write_image(folder / "grey.png", (90,), size=(16, 16), mode="L"),
    }
    cut = io.BytesIO()
    Image.effect_noise((64, 64), 60).save(cut, "JPEG")
    (folder / "broken.jpg").write_bytes(cut.getvalue()[:len(cut.getvalue()) // 2])  # cut short: it cannot be read
    (folder / "notes.txt").write_text("not a picture")
    (folder / "disguised.png").write_text("a text file with a picture's name")  # not a picture, whatever its name
    return files


@pytest.fixture(scope="module")
def bundle_path(tmp_path_factory):
    return make_bundle(tmp_path_factory.mktemp("model") / "model")


@pytest.fixture(scope="module")
def predictor(bundle_path):
    return Predictor(load_bundle(bundle_path))


def test_single_pictures_of_every_kind(predictor, tmp_path):
    files = write_pictures(tmp_path)
    for kind, path in files.items():
        p = predictor.predict(path)
        assert p.path == str(path)
        assert set(p.probabilities) == set(CLASSES)
        assert sum(p.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
        assert p.label == max(p.probabilities, key=p.probabilities.get) and p.label == CLASSES[p.index]
        assert p.confidence == p.probabilities[p.label]
    # a PIL image gives what its file gives; the model is not rebuilt per call
    model = predictor.model
    from_file = predictor.predict(files["rgba"])
    from_pil = predictor.predict(Image.open(files["rgba"]))
    assert from_pil.path is None and from_pil.probabilities == pytest.approx(from_file.probabilities)
    assert predictor.model is model and not model.training
    assert [name for name, _ in from_file.top(2)] == sorted(CLASSES, key=lambda c: -from_file.probabilities[c])[:2]
    with pytest.raises(ImageRejected, match="a text file, not a picture"):
        predictor.predict(tmp_path / "notes.txt")


def test_batch_matches_single_and_reports_bad_files(predictor, tmp_path):
    files = write_pictures(tmp_path)
    items = [files["jpeg"], tmp_path / "broken.jpg", files["cmyk"], tmp_path / "missing.png", files["rgba"]]
    progress = []
    predictor.batch_size = 2  # several batches, a bad file in the middle of one
    try:
        res = predictor.predict_many(items, progress=lambda d, t, m: progress.append((d, t)))
    finally:
        predictor.batch_size = 32
    assert [p.path for p in res.predictions] == [str(files[k]) for k in ("jpeg", "cmyk", "rgba")]
    assert {s["path"] for s in res.skipped} == {str(tmp_path / "broken.jpg"), str(tmp_path / "missing.png")}
    assert all(s["reason"] for s in res.skipped)
    assert progress[0] == (0, 5) and progress[-1] == (5, 5)
    single = predictor.predict(files["cmyk"])
    assert res.predictions[1].probabilities == pytest.approx(single.probabilities, abs=1e-6)


def test_predict_folder_writes_csv(bundle_path, tmp_path):
    folder = tmp_path / "pics"
    files = write_pictures(folder)
    out = tmp_path / "out" / "predictions.csv"
    res = predict_folder(bundle_path, folder, csv_path=out)
    assert sorted(p.path for p in res.predictions) == sorted(str(p) for p in files.values())
    reasons = {Path(s["path"]).name: s["reason"] for s in res.skipped}
    assert set(reasons) == {"broken.jpg", "notes.txt", "disguised.png"}
    assert reasons["notes.txt"] == reasons["disguised.png"] == "a text file, not a picture"
    assert reasons["broken.jpg"] == "truncated or damaged file (the picture's data ends too soon)"
    # notes.txt is not a picture by its name, disguised.png by its content; broken.jpg is a picture that could not
    # be read
    assert sorted(Path(s["path"]).name for s in res.not_pictures()) == ["disguised.png", "notes.txt"]
    assert [Path(s["path"]).name for s in res.unreadable()] == ["broken.jpg"]
    with open(out, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    # unsure and unlike_training: after the old columns; a bundle alone has no novelty rule: the last column empty
    assert rows[0] == ["path", "label", "confidence", *CLASSES, "error", "unsure", "unlike_training"]
    body = rows[1:]
    assert len(body) == 7
    for row, pred in zip(body[:4], res.predictions):
        assert row[1] in CLASSES and row[-3] == "" and row[-2] == ("true" if pred.unsure else "false")
        assert row[-1] == "" and pred.unlike_training is None
        probs = [float(v) for v in row[3:6]]
        assert sum(probs) == pytest.approx(1.0, abs=1e-4) and float(row[2]) == max(probs)
    assert {Path(r[0]).name for r in body[4:]} == {"broken.jpg", "notes.txt", "disguised.png"}
    assert all(r[-3] and r[-2] == r[-1] == "" for r in body[4:])
    # a cancelled run stops early and still says so
    stop = threading.Event()
    stop.set()
    assert predict_folder(bundle_path, folder, cancel=stop).cancelled


def test_a_csv_that_is_not_ours_is_refused_before_predicting_unless_the_user_said_replace(bundle_path, tmp_path):
    from cnnstudio.engine.use.predict import PredictError

    folder = tmp_path / "pics"
    write_pictures(folder)
    theirs = tmp_path / "scores.csv"
    theirs.write_text("name,score\n")
    seen = []
    with pytest.raises(PredictError, match="does not hold predictions CNN Studio wrote"):
        predict_folder(bundle_path, folder, csv_path=theirs, progress=lambda *a: seen.append(a))
    assert seen == [] and theirs.read_text() == "name,score\n"  # refused first: nothing was predicted
    predict_folder(bundle_path, folder, csv_path=theirs, replace_csv=True)  # a save dialog asked: replaced
    assert theirs.read_text(encoding="utf-8-sig").startswith("path,label,confidence,")
    edited = tmp_path / "edited.csv"  # our predictions, saved again by a spreadsheet with a BOM: still ours
    edited.write_text(theirs.read_text(encoding="utf-8-sig"), encoding="utf-8-sig")
    assert predict_folder(bundle_path, folder, csv_path=edited).csv_path == str(edited)
    with pytest.raises(PredictError, match="does not hold predictions"):  # never a picture, even when asked
        predict_folder(bundle_path, folder, csv_path=next(folder.rglob("*.png")), replace_csv=True)


def test_csv_header_avoids_clashes():
    assert csv_header(["label", "cat", "p_label"]) == ["path", "label", "confidence", "p_label", "cat",
                                                      "p_p_label", "error", "unsure", "unlike_training"]
    assert csv_header(["unsure", "unlike_training"]) == ["path", "label", "confidence", "p_unsure",
                                                         "p_unlike_training", "error", "unsure", "unlike_training"]


def test_grey_model_and_zip_bundle(tmp_path):
    pp = Preprocess(height=12, width=12, channels=1, resize="letterbox")
    path = make_bundle(tmp_path / "grey.zip", ["0", "1"], pp)
    pred = Predictor(path, threads=1)
    p = pred.predict(write_image(tmp_path / "c.jpg", (10, 200, 30), size=(30, 20)))
    assert set(p.probabilities) == {"0", "1"} and sum(p.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
    u8 = pred.to_uint8(tmp_path / "c.jpg")
    assert u8.shape == (1, 12, 12) and u8.dtype == torch.uint8
    assert pred.predict(u8).probabilities == pytest.approx(p.probabilities)


def test_resolve_model_errors(tmp_path, project):
    with pytest.raises(PredictError, match="does not exist"):
        resolve_model(tmp_path / "nope")
    (tmp_path / "weights.pt").write_bytes(b"\x80\x04junk")
    with pytest.raises(Exception, match="pickle"):
        resolve_model(tmp_path / "weights.pt")
    with pytest.raises(PredictError, match="no finished"):
        resolve_model(project.root)
    with pytest.raises(PredictError, match="not a CNN Studio project"):
        resolve_model_path(make_bundle(tmp_path / "b"), run_id="r1")


def add_finished_run(project, run_id: str, val_accuracy: float, classes=CLASSES, status="finished") -> Path:
    """A run as the trainer leaves it: an index row and runs/<id>/model/ (a real bundle)."""
    from cnnstudio.project.run_records import add_run, run_dir

    add_run(project, run_id, status=status, summary={"val_accuracy": val_accuracy})
    return make_bundle(run_dir(project, run_id) / "model", classes)


def test_project_means_its_best_finished_run(project):
    add_finished_run(project, "r-good", 0.9, ["good", "x"])
    add_finished_run(project, "r-bad", 0.4, ["bad", "x"])
    add_finished_run(project, "r-stopped", 0.99, ["stopped", "x"], status="stopped")
    assert resolve_model(project.root).class_names == ["good", "x"]
    assert resolve_model(project.root, run_id="r-bad").class_names == ["bad", "x"]
    with pytest.raises(PredictError, match="no run “nope”"):
        resolve_model(project.root, run_id="nope")


def test_what_is_not_a_picture_goes_by_the_name(tmp_path):
    from cnnstudio.engine.use.predict import is_not_a_picture

    def skipped(path, reason="cannot be read"):
        return {"path": str(path), "reason": reason}

    assert is_not_a_picture(skipped(tmp_path / "notes.txt")) and is_not_a_picture(skipped(tmp_path / "README"))
    assert not is_not_a_picture(skipped(tmp_path / "broken.JPG"))  # a picture's name, in any case
    assert not is_not_a_picture(skipped(tmp_path, "cannot list the folder: Permission denied"))
    assert not is_not_a_picture(skipped(tmp_path))  # a folder
    assert not is_not_a_picture(skipped("<image>"))  # a picture given in memory


def test_a_folders_results_are_offered_beside_it_not_among_its_pictures(tmp_path):
    from cnnstudio.engine.use.predict import results_path

    pictures = tmp_path / "holiday"
    pictures.mkdir()
    assert results_path(pictures) == tmp_path / "holiday predictions.csv"
    assert results_path(str(pictures), tmp_path / "results") == tmp_path / "holiday predictions.csv"  # gone
    (tmp_path / "results").mkdir()
    assert results_path(pictures, tmp_path / "results") == tmp_path / "results" / "holiday predictions.csv"

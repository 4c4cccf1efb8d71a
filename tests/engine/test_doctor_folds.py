"""The data check without the MobileNetV2 weights (engine/runs/doctor_folds.py): the project's own design, trained
briefly per fold by the real trainer on real digit pictures, finds planted wrong labels; real cleanlab.

The weights are made unfindable the way a computer without them is: an empty torch hub folder (``TORCH_HOME``) and
no weights package for the backbone.
"""

from __future__ import annotations

import dataclasses
import random
import threading

import pytest

from cnnstudio.engine.errors import Cancelled
from cnnstudio.engine.model.backbones import BACKBONES
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.runs import doctor
from cnnstudio.engine.model.design import META_PREPROCESS, META_SPEC
from cnnstudio.engine.runs.doctor_folds import project_design
from cnnstudio.project import Project, import_paths

from .test_doctor import _write_dataset


@pytest.fixture(scope="module")
def no_weights(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TORCH_HOME", str(tmp_path_factory.mktemp("torch_home")))  # nothing there, nothing downloaded
        mp.setitem(BACKBONES, "mobilenet_v2", dataclasses.replace(BACKBONES["mobilenet_v2"], packages=()))
        yield


def _project(root, design: str | None = "lenet5"):
    _write_dataset(root / "src")
    p = Project.create(root / "project")
    import_paths(p, [root / "src"], labels_from_folders=True)
    if design:  # what the Model page stores when the user picks a design (a fast one: the test stays quick)
        p.set_meta(META_SPEC, make_preset(design, 28, 28, 1).dumps())
    return p


@pytest.fixture(scope="module")
def checked(tmp_path_factory, no_weights):
    p = _project(tmp_path_factory.mktemp("folds"))
    recs = {r.original_name: r for r in p.records(p.ids())}
    names = {c.name: c.id for c in p.classes()}
    truth = {}
    candidates = [r for n, r in recs.items() if n.endswith(".png") and n[0] in "17"]
    for r in random.Random(3).sample(candidates, 4):
        truth[r.id] = p.image(r.id).class_id
        p.set_labels([r.id], names["0"])
    return p, doctor.check_data(p, progress=lambda done, total, message: (PROGRESS.append((done, total)),
                                                                          MESSAGES.append(message))), truth


PROGRESS: list[tuple[int, int]] = []
MESSAGES: list[str] = []


def test_progress_is_one_total_through_the_folds(checked):
    """Decoding, comparing, then each fold's batches: one total, never going back (QA F15: "0/1" then "1/5")."""
    assert {t for _, t in PROGRESS} == {100}
    done = [d for d, _ in PROGRESS]
    assert done == sorted(done) and done[-1] == 100 and len(set(done)) > 10
    timing = MESSAGES.index("checking each label against your design trained without it: round 1 of 5, timing a few "
                            "batches to choose the epochs")  # the trainer's Auto times batches before its first event
    assert "round 1 of 5, epoch 1 of" in MESSAGES[timing + 1]
    assert not any("cross-validat" in m or "fold" in m for m in MESSAGES)  # plain words on the Data page


def test_the_method_names_the_users_design(checked):
    _, report, _ = checked
    assert report.method.startswith("your design (LeNet-5) trained for ")
    assert "epochs per fold for the labels" in report.method
    assert "weights are not installed" in report.method and not report.skipped


def test_planted_wrong_labels_are_found_by_the_design(checked):
    p, report, truth = checked
    class_name = {c.id: c.name for c in p.classes()}
    found = {f.images[0]: f for f in report.of_kind("label")}
    hits = [i for i in truth if i in found]
    assert len(hits) >= 3, f"found {len(hits)} of {len(truth)} changed labels"
    for i in hits:
        assert found[i].given == "0" and found[i].suggested == class_name[truth[i]]
    assert len(found) <= 3 * len(truth)


def test_duplicates_and_quality_still_use_the_pixels(checked):
    _, report, _ = checked
    assert any(f.kind == "quality" and f.what == "flat" for f in report.findings)
    assert report.of_kind("near_duplicate") or report.of_kind("leak")  # the JPEG copy of a 7


def test_no_stored_design_is_the_recommended_one(tmp_path, no_weights):
    p = _project(tmp_path, design=None)
    d = project_design(p)
    assert d.title == "Recommended design" and (d.preprocess.height, d.preprocess.width) == (28, 28)
    p.set_meta(META_PREPROCESS, '{"height": 32, "width": 32, "channels": 1, "resize": "squash", '
                                '"normalization": "unit"}')
    assert project_design(p).spec_json["input"]["height"] == 32


def test_a_design_that_cannot_be_built_falls_back_to_the_pixels(tmp_path, no_weights):
    p = _project(tmp_path, design=None)
    p.set_meta(META_SPEC, make_preset("mobilenet_v2_transfer", 28, 28, 1).dumps())  # its weights are missing
    report = doctor.check_data(p, kinds=("labels",))
    assert report.method.startswith("the pictures' pixels") and report.method.endswith("linear classifier per fold")
    assert not report.skipped and len(report.notes) == 1 and "cannot be built" in report.notes[0]  # checked, so a note
    assert report.notes[0].startswith("Labels were checked by a linear classifier on the pixels instead of your design")


def test_cancel_stops_in_the_middle_of_a_fold(tmp_path, no_weights):
    p = _project(tmp_path)
    stop = threading.Event()
    seen = []

    def progress(done, total, message):
        seen.append((done, total, message))
        if "round 2 of" in message and "epoch 2 of" in message:
            stop.set()

    with pytest.raises(Cancelled):
        doctor.check_data(p, kinds=("labels",), progress=progress, stop=stop)
    done, total, message = seen[-1]
    assert "round 2 of" in message and 0 < done < total  # stopped mid-fold, before its last epoch
    assert not any("round 3 of" in m for _, _, m in seen)

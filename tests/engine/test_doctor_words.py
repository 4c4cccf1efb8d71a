"""The data check's words for single cases the QA report named: a tiny picture is too small (not blurred), a copy in
validation and test is not a train/test leak, a probability below 1 is never "100%". Real pictures, real check."""

from __future__ import annotations

import random

from PIL import Image

from cnnstudio.engine.runs import doctor
from cnnstudio.engine.runs.doctor_labels import label_reason
from cnnstudio.project import Project, import_paths


def test_a_tiny_picture_is_too_small_not_blurred(tmp_path):
    rng = random.Random(0)
    src = tmp_path / "src"
    src.mkdir()
    for i in range(24):
        Image.frombytes("L", (32, 32), bytes(rng.randrange(256) for _ in range(32 * 32))).save(src / f"{i}.png")
    Image.frombytes("L", (5, 5), bytes(rng.randrange(256) for _ in range(25))).save(src / "tiny.png")
    p = Project.create(tmp_path / "p")
    import_paths(p, [src])
    tiny = next(r.id for r in p.records(p.ids()) if r.original_name == "tiny.png")
    report = doctor.check_data(p, kinds=("quality",), use_backbone=False)
    said = [(f.what, f.reason) for f in report.of_kind("quality") if tiny in f.images]
    assert said == [("small", "5x5 pixels: too small, the model sees pictures of 32x32, so this one is mostly blur")]
    assert [x.text for x in doctor.fixes_for(report.of_kind("quality")[0])] == ["Trash it", "Keep it"]


def test_each_pair_of_splits_has_its_own_reason():
    assert "tested on pictures it trained on" in doctor.leak_words({"train", "test"})
    assert "validated on pictures it trained on" in doctor.leak_words({"train", "val"})
    val_test = doctor.leak_words({"val", "test"})
    assert "trained on" not in val_test and "validation already used to pick the model" in val_test
    assert "tested on pictures it trained on" in doctor.leak_words({"train", "val", "test"})


def test_a_label_findings_probability_follows_the_one_rounding_rule():
    assert label_reason("cat", "dog", 0.9996) == "labelled 'cat', looks like 'dog' (> 99.9%): may be wrong, please look"
    assert "(97.3%)" in label_reason("cat", "dog", 0.973)

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
    assert label_reason("cat", "dog", 0.9996) == "labelled “cat”, looks like “dog” (> 99.9%): may be wrong, please look"
    assert "(97.3%)" in label_reason("cat", "dog", 0.973)
    assert label_reason("apples", "bananas", 1.0) == ("labelled “apples”, looks like “bananas” (> 99.9%): may be wrong, "
                                                      "please look")  # float32 reads 1.0; a softmax is never sure


def _evidence(how: str):
    from types import SimpleNamespace
    records = [SimpleNamespace(id=i + 1, class_id=0) for i in range(3)]
    ev = doctor._Evidence(records, [0, 1, 2], {}, {1: {"circle": 0.2, "square": 0.8}, 2: {"circle": 0.4}}, None,
                          None)
    if how == "model":
        assert ev.agreed([0, 1], ["circle", "square"]) == "square" and ev.how == "model"
    ev.how = how
    return ev


def test_every_wording_of_near_copies_with_two_labels_reads_as_english():
    """QA data2 #1: "(it the pictures most like it are mostly 'square')". Each branch, word for word."""
    two, three = ["circle", "square"], ["circle", "square", "square"]
    tail = ": give them one label, or keep one picture, unless they really are different"
    said = {(how, len(labels), also): _evidence(how).words(labels, "square", also=also)
            for how in ("model", "neighbours", "") for labels in (two, three) for also in (False, True)}
    assert said == {
        ("model", 2, False): "2 almost identical pictures with two labels: “circle” and “square” (they look most "
                             "like “square”)" + tail,
        ("model", 3, False): "3 almost identical pictures with two labels: “circle” and “square” (they look most "
                             "like “square”)" + tail,
        ("model", 2, True): ". They also have two labels: “circle” and “square” (they look most like “square”)",
        ("model", 3, True): ". They also have two labels: “circle” and “square” (they look most like “square”)",
        ("neighbours", 2, False): "2 almost identical pictures with two labels: “circle” and “square” (the pictures "
                                  "most like them are mostly “square”)" + tail,
        ("neighbours", 3, False): "3 almost identical pictures with two labels: “circle” and “square” (the pictures "
                                  "most like them are mostly “square”)" + tail,
        ("neighbours", 2, True): ". They also have two labels: “circle” and “square” (the pictures most like them "
                                 "are mostly “square”)",
        ("neighbours", 3, True): ". They also have two labels: “circle” and “square” (the pictures most like them "
                                 "are mostly “square”)",
        ("", 2, False): "2 almost identical pictures with two labels: “circle” and “square”" + tail,
        ("", 3, False): "3 almost identical pictures with two labels: “circle” and “square”" + tail,
        ("", 2, True): ". They also have two labels: “circle” and “square”",
        ("", 3, True): ". They also have two labels: “circle” and “square”",
    }
    # exact copies (near_copies.identical): one picture, "it"
    twice = "the same picture twice"
    assert _evidence("model").words(two, "square", what=twice) == (
        "the same picture twice with two labels: “circle” and “square” (it looks most like “square”)" + tail)
    assert _evidence("neighbours").words(two, "square", what=twice) == (
        "the same picture twice with two labels: “circle” and “square” (the pictures most like it are mostly "
        "“square”)" + tail)
    assert _evidence("model").words(["circle"], "circle") == ""  # one label: nothing to say
    ev = _evidence("")
    assert ev.words(["a", "b", "c"], "", also=False).startswith("3 almost identical pictures with three labels: "
                                                                "“a”, “b” and “c”:")

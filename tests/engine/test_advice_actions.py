"""An advice is about one run: its buttons set up that run again with their change (QA: "Train 20 more epochs" kept
the Model page's other design), "Look at the mistakes" names the run, the split and the two classes, and the numbers
the data findings quote come from the validation pictures, never inviting a fix of test labels."""

from __future__ import annotations

import pytest

from cnnstudio.engine.runs.advice import MORE_EPOCHS, advise, advise_from, judged_on
from cnnstudio.engine.runs.advice_actions import (NEXT_RUN, action, apply_action, for_run, next_settings,
                                                  set_up_words)
from cnnstudio.engine.train.settings import SAFE_AUGMENT
from cnnstudio.project.seen_scores import mark_test_seen
from tests.engine.test_advice import kinds, trained
from tests.engine.test_data import make_project
from tests.engine.test_runs import settings

NAMES = ["1", "2", "8"]


def matrix_eval(split: str, cm: list[list[int]], recall_1: float | None = None) -> dict:
    n = sum(map(sum, cm))
    right = sum(cm[i][i] for i in range(len(cm)))
    per_class = {c: {"recall": cm[i][i] / max(1, sum(cm[i]))} for i, c in enumerate(NAMES)}
    if recall_1 is not None:
        per_class["1"]["recall"] = recall_1
    return {"split": split, "images": n, "accuracy": right / n, "classes": NAMES, "confusion_matrix": cm,
            "per_class": per_class}


ROWS = [{"epoch": e, "train_loss": 1.0 / e, "train_accuracy": 0.9, "val_loss": 1.0 / e, "val_accuracy": 0.9}
        for e in (1, 2, 3, 4)]
# the test pictures mix up 1 and 8 (8 of 53), the validation ones 1 and 2 (6 of 60)
TEST = matrix_eval("test", [[20, 0, 6], [0, 27, 0], [2, 0, 25]])
VAL = matrix_eval("val", [[25, 3, 1], [3, 28, 0], [0, 0, 30]])


def counts(train=(40, 40, 40)):
    return {"train": dict(zip(NAMES, train)), "val": {n: 30 for n in NAMES}, "test": {n: 27 for n in NAMES}}


def test_a_next_run_is_the_advised_run_again_with_its_change():
    # a tuning trial's run: its own learning rate, batch size, optimizer, augmentation, trained on a graphics card
    st = settings(epochs=4, lr=0.02, batch_size=16, optimizer="sgd", weight_decay=0.003, label_smoothing=0.1,
                  device="cuda", augment=SAFE_AUGMENT)
    more = for_run(action("train_more", st, trained=4), "r1")
    assert more["run"] == "r1" and more["label"] == f"Train a new run for {4 + MORE_EPOCHS} epochs (this one had 4)"
    assert apply_action(st, more) == st.replace(epochs=4 + MORE_EPOCHS, max_epochs=max(st.max_epochs, 24))
    shown = next_settings(st.to_json(), more)
    assert shown["epochs"] == 24 and shown["lr"] == 0.02 and shown["batch_size"] == 16
    assert shown["optimizer"] == "sgd" and shown["weight_decay"] == 0.003 and shown["label_smoothing"] == 0.1
    # where it trained stays the user's choice; the augmentation and input come back with the design (Model page)
    assert not {"device", "threads", "augment", "preprocess"} & set(shown)
    lower = next_settings(st.to_json(), for_run(action("lower_lr", st), "r1"))
    assert lower["lr"] == pytest.approx(0.002) and lower["epochs"] == 4
    assert next_settings(st.to_json(), action("augment", st))["augment"]["rotation"] == 15.0  # stronger, on Model

    assert set_up_words("LeNet-5 · 4 epochs", more) == (
        "Set up from run “LeNet-5 · 4 epochs”: its design and settings, for 24 epochs. Press Start to train it.")
    assert set_up_words("A", for_run(action("lower_lr", st), "r1"), design=False) == (
        "Set up from run “A”: its settings, with the learning rate at 0.002. Press Start to train it.")
    assert "Press Start" not in set_up_words("A", action("lr_find", st))  # the finder opens first
    for kind in NEXT_RUN:
        assert for_run(action(kind, st), "r1")["run"] == "r1"
    for other in (action("predict", st), action("transfer", st), action("add_pictures", st, split="validation")):
        assert "run" not in for_run(other, "r1")  # a page to go to, a design to try: nothing of the run's


def test_the_data_findings_quote_the_validation_pictures():
    st = settings(epochs=4)
    items = advise_from(ROWS, {"val": VAL, "test": TEST}, st, NAMES, counts(), run="r1")
    confused = next(a for a in items if a.kind == "confused")
    assert confused.evidence == {"classes": ["1", "2"], "mixed_up": 6, "pictures": 60, "split": "val"}
    assert "(6 of their 60 validation pictures). Look at those pictures: maybe some are labelled wrong" in confused.text
    assert confused.action == {"id": "look_at_mistakes", "label": "Look at the mistakes", "page": "Evaluate",
                               "classes": ["1", "2"], "split": "val", "run": "r1"}
    good = next(a for a in items if a.kind == "good")
    assert good.evidence["split"] == "val" and "validation pictures right" in good.text
    assert judged_on({"val": VAL, "test": TEST}) == ("val", VAL)

    # a run trained without validation (--no-val) still never trained on the project's validation pictures: judged on
    # them, its test score looked at or not (QA: "7 of their 12 test pictures" once it was)
    no_val = settings(epochs=4, validation=False)
    for seen in (False, True):
        confused = next(a for a in advise_from(ROWS, {"val": VAL, "test": TEST}, no_val, NAMES, counts(),
                                               test_seen=seen) if a.kind == "confused")
        assert confused.evidence["classes"] == ["1", "2"] and confused.evidence["split"] == "val"
        assert "6 of their 60 validation pictures" in confused.text

    # an unbalanced class: its recall on the validation pictures, said so
    unbalanced = advise_from(ROWS, {"val": matrix_eval("val", VAL["confusion_matrix"], recall_1=0.5), "test": TEST},
                             st, NAMES, counts(train=(10, 40, 40)))
    imbalance = next(a for a in unbalanced if a.kind == "imbalance")
    assert "It finds only 50.0% of the “1” validation pictures." in imbalance.text
    assert imbalance.evidence["split"] == "val"


def test_a_runs_advice_names_the_run_in_its_actions(tmp_path):
    proj = make_project(tmp_path / "proj")
    rid = trained(proj, settings(epochs=1, lr=1e-6))  # learns nothing: "train longer"
    items = advise(proj, rid)
    proj.close()
    more = next(a.action for a in items if a.action and a.action["id"] == "train_more")
    assert more["run"] == rid
    assert all(a.action.get("run") == rid for a in items if a.action and a.action["id"] in NEXT_RUN)


def test_look_at_the_mistakes_in_a_terminal_names_the_pictures_the_advice_counted():
    """The advice counts validation pictures where there are any; its command looks at those, not at the test
    pictures, which are looked at once, at the end."""
    from cnnstudio.engine.runs.advice import action_command

    act = action("look_at_mistakes", {}, classes=["cat", "dog"], split="val")
    assert action_command({**act, "run": "r1"}, "P") == "cnnstudio evaluate P --run r1 --split val"
    on_test = action("look_at_mistakes", {}, classes=["cat", "dog"], split="test")  # a project with no validation
    assert action_command(on_test, "P") == "cnnstudio evaluate P --split test"  # a plain evaluate refuses that run


def test_a_run_without_validation_pictures_is_never_judged_on_its_test_pictures(tmp_path):
    """QA: a --no-val run, its test score looked at, was advised on it ("Only 18 test pictures… 33.3%", "7 of their
    12 test pictures"): the next run shaped by the test score. Test pictures are for the end (project/seen_scores.py):
    without validation pictures the advice rests on the training pictures alone, and says so."""
    from cnnstudio.project import ImageFilter

    no_val = settings(epochs=4, validation=False)
    ev = {"test": TEST}
    assert judged_on(ev) == ("val", None)
    for seen in (False, True):
        items = advise_from(ROWS, ev, no_val, NAMES, counts(train=(10, 40, 40)), test_seen=seen)
        assert not any("test" in a.text for a in items if a.kind != "no_validation")
        assert not any(a.evidence.get("split") == "test" for a in items)
        assert {"confused", "at_chance", "small_validation"}.isdisjoint(kinds(items))
        imbalance = next(a for a in items if a.kind == "imbalance")
        assert "It finds only" not in imbalance.text and imbalance.evidence["small_class_recall"] is None
        (note,) = [a for a in items if a.kind == "no_validation"]
        assert note.text.startswith("This run has no validation pictures, so these notes judge it on its training "
                                    "pictures only") and note.evidence == {"test_seen": seen}
        if seen:  # looked at: the check at the end, not what the next run follows
            assert "not a guide to what to change next" in note.text and "--split test" not in note.text
        else:
            assert "the Evaluate page with “Test pictures”" in note.text
            assert "cnnstudio evaluate --split test" in note.text

    # real runs: without validation pictures, judged on training alone before and after the look at its test score
    proj = make_project(tmp_path / "proj")
    proj.set_split(proj.ids(ImageFilter(split="val")), "train")
    try:
        run_id = trained(proj, settings(epochs=2, validation=False))
        from cnnstudio.engine.runs.report import build_report

        report = build_report(proj, run_id)  # it shows the test pictures' score (and marks it looked at)
        assert any(s["split"] == "test" for s in report.scores)
        for items in (advise(proj, run_id), advise(proj, run_id, looking_at_test=True), report.advice):
            assert not any(a.evidence.get("split") == "test" for a in items) and "no_validation" in kinds(items)
            assert not any("test pictures" in a.text for a in items if a.kind != "no_validation")
        mark_test_seen(proj, run_id)
        assert "no_validation" in kinds(advise(proj, run_id))
    finally:
        proj.close()


def test_a_no_val_run_is_judged_on_the_validation_pictures_it_held_out(tmp_path):
    """--no-val trains on the training pictures alone, keeps the last epoch and chooses nothing on the project's
    validation pictures: their score (evaluation.json) is the honest one to judge it on, never its test pictures."""
    proj = make_project(tmp_path / "proj")  # 8 validation pictures, 8 test ones
    try:
        run_id = trained(proj, settings(epochs=2, validation=False))
        mark_test_seen(proj, run_id)
        for items in (advise(proj, run_id), advise(proj, run_id, looking_at_test=True)):
            small = next(a for a in items if a.kind == "small_validation")
            assert small.evidence["split"] == "val" and small.text.startswith("Only 8 validation pictures")
            assert not any(a.evidence.get("split") == "test" for a in items) and "no_validation" not in kinds(items)
    finally:
        proj.close()

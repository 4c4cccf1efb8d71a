"""QA: "augmentation or transfer learning help meanwhile" of a MobileNetV2 run with augmentation on. Every advice
sentence and button that suggests augmentation, transfer learning, weighing the classes or early stopping names only
what the run does not do already (engine/runs/advice_remedies.py: one rule). Plain values drive the findings here;
tests/engine/test_advice_fine_tuned_head.py reads a real MobileNetV2 run's own files."""

from __future__ import annotations

from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs.advice import advise_from
from cnnstudio.engine.runs.advice_remedies import RunUses, help_words, overfitting_remedy, run_uses, uses_of_config
from cnnstudio.engine.train.settings import SAFE_AUGMENT
from tests.engine.test_advice_curves import QA_TRAIN, QA_VAL, history
from tests.engine.test_runs import settings

NAMES = ["a", "b"]
FEW = {"train": {"a": 10, "b": 10}, "val": {"a": 100, "b": 100}, "test": {}}
UNEVEN = {"train": {"a": 300, "b": 60}, "val": {"a": 100, "b": 100}, "test": {}}
EVEN = {s: {n: 100 for n in NAMES} for s in ("train", "val", "test")}


def finding(kind, counts, rows=None, uses=None, **kw):
    rows = rows or history([0.9, 0.95], [0.9, 0.9])
    items = advise_from(rows, {}, settings(epochs=len(rows), **kw), NAMES, counts, uses=uses)
    return next(a for a in items if a.kind == kind)


def test_few_pictures_names_only_the_help_the_run_does_not_use():
    assert finding("few_pictures", FEW).text.endswith("; augmentation or transfer learning help meanwhile.")
    on = finding("few_pictures", FEW, augment=SAFE_AUGMENT)
    assert on.text.endswith("good start; transfer learning helps meanwhile.") and "augmentation" not in on.text
    pretrained = RunUses(transfer=True, augments=True)
    assert finding("few_pictures", FEW, uses=pretrained).text.endswith("50 to 100 per class is a good start.")
    assert help_words(RunUses(transfer=True)) == "; augmentation helps meanwhile."
    assert help_words(RunUses(transfer=True, can_augment=False)) == "."  # a frozen backbone's features: none reaches


def test_unbalanced_classes_never_say_weigh_them_when_they_are():
    plain = finding("imbalance", UNEVEN)
    assert "Weigh the classes equally or add “b” pictures." in plain.text and plain.action["id"] == "balance"
    weighed = finding("imbalance", UNEVEN, class_weights="balanced")
    assert "Weigh" not in weighed.text and weighed.text.endswith("Add “b” pictures.")
    assert weighed.action["id"] == "add_pictures"


def test_overfitting_names_and_sets_only_what_the_run_does_not_do():
    rows = history(QA_TRAIN, QA_VAL)
    plain = finding("overfitting", EVEN, rows)
    assert plain.text.endswith("More pictures, augmentation (each picture changed a little every time it is shown), "
                               "a smaller model, stopping earlier (early stopping) or transfer learning (a network "
                               "pretrained on many pictures) help.")
    assert plain.action["id"] == "augment" and plain.action["label"] == "Turn on augmentation"
    both = finding("overfitting", EVEN, rows, augment=SAFE_AUGMENT, early_stopping_patience=5)
    assert both.action["id"] == "transfer"
    assert "augmentation (each" not in both.text and "early stopping" not in both.text
    # QA: a MobileNetV2 run with augmentation and early stopping on was told to try transfer learning
    tuned = finding("overfitting", EVEN, rows, uses=RunUses(transfer=True, augments=True, early_stopping=True),
                    augment=SAFE_AUGMENT, early_stopping_patience=5)
    assert tuned.text.endswith("More pictures, stronger augmentation or a smaller model help.")
    assert tuned.action["id"] == "augment" and tuned.action["label"] == "Make augmentation stronger"
    assert overfitting_remedy(RunUses(transfer=True, can_augment=False, early_stopping=True)) == (
        "More pictures or a smaller model help.", None)


def test_what_a_run_uses_is_read_from_its_design_and_settings():
    frozen = ModelSpec.create(32, 32, 3, [layer("dropout", p=0.2)],
                              backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": True})
    st = settings(augment=SAFE_AUGMENT).replace(preprocess=settings().preprocess.__class__(
        height=32, width=32, channels=3, normalization="imagenet"))
    cfg = {"spec": frozen.to_json(), "settings": st.to_json(), "preprocess": st.preprocess.to_json()}
    # a frozen backbone's head fitted exactly: transfer learning, no augmentation reaches it, no classes weighed
    assert uses_of_config(cfg, st) == RunUses(transfer=True, augments=False, can_augment=False, can_weigh=False)
    tuned = st.replace(fine_tune_epochs=2)  # fine-tuned: its pictures are augmented then
    assert uses_of_config({**cfg, "settings": tuned.to_json()}, tuned) == RunUses(transfer=True, augments=True)
    assert uses_of_config({}, st) == run_uses(st) == RunUses(augments=True)  # a design that cannot be read

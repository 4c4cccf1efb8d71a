"""QA: "Important: overfitting" of a 15-epoch run whose model "got 89.3% of its training pictures right but only 91.7%
of the validation pictures" (training behind, called "learning its training pictures by heart"), three lines above
"the 12 validation pictures could be anywhere in 76–100%"; and "In the 6 epochs after it" with "Turn on early
stopping" of a frozen MobileNetV2 run, whose 7 "epochs" are strengths of regularisation. Overfitting needs evidence
(a gap clear of the validation pictures' likely range, or a validation loss up over several epochs), its severity
follows it, its words say the training pictures are ahead only where they are; a head fitted exactly gets no finding
about curves (advice.trains_by_epochs)."""

from __future__ import annotations

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.advice import advice_text, advise, advise_from, trains_by_epochs
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.engine.use.figures import percent
from tests.engine.test_advice_curves import history
from tests.engine.test_data import make_project
from tests.engine.test_runs import settings

NAMES = ["a", "b"]
# what curves say: none of it of a head fitted exactly
CURVE_KINDS = {"diverged", "lr_spikes", "overfitting", "underfitting", "lr_low", "still_improving", "few_steps"}
CURVE_ACTIONS = {"augment", "early_stopping", "transfer", "train_more", "resume", "lower_lr", "raise_lr", "lr_find",
                 "smaller_batch"}


def kinds(items):
    return [a.kind for a in items]


def counts(val_per_class: int, train_per_class: int = 60) -> dict:
    return {"train": {n: train_per_class for n in NAMES}, "val": {n: val_per_class for n in NAMES},
            "test": {n: val_per_class for n in NAMES}}


# QA's run: 15 epochs on 12 validation pictures, the training pictures behind them at the end (89.3 % to 91.7 %),
# the validation loss lowest at epoch 13 and up at the last epoch alone
QA_TRAIN = [0.55, 0.65, 0.72, 0.76, 0.79, 0.81, 0.83, 0.85, 0.86, 0.87, 0.88, 0.885, 0.89, 0.89, 0.893]
QA_VAL = [v / 12 for v in (6, 7, 8, 9, 9, 10, 10, 10, 11, 10, 11, 11, 11, 11, 11)]
QA_VAL_LOSS = [0.68, 0.6, 0.52, 0.45, 0.42, 0.36, 0.34, 0.33, 0.28, 0.3, 0.27, 0.26, 0.25, 0.27, 0.36]
QA_TRAIN_LOSS = [0.7 - 0.03 * e for e in range(15)]


def test_a_blip_of_the_validation_loss_with_training_behind_is_no_overfitting():
    rows = history(QA_TRAIN, QA_VAL, QA_VAL_LOSS, QA_TRAIN_LOSS)
    items = advise_from(rows, {"val": {"accuracy": 11 / 12, "images": 12}}, settings(epochs=15), NAMES, counts(6))
    assert "overfitting" not in kinds(items)
    assert not any("by heart" in a.text or "but only" in a.text for a in items)
    assert kinds(items).count("small_validation") == 1  # the few validation pictures said once, by their finding
    assert "Important" not in advice_text(items)


def test_a_validation_loss_up_over_several_epochs_with_training_behind_is_a_first_sign_not_a_gap():
    vl = QA_VAL_LOSS[:11] + [0.25, 0.33, 0.36, 0.4]  # lowest at epoch 12, clearly up at epochs 14 and 15
    rows = history(QA_TRAIN, QA_VAL, vl, QA_TRAIN_LOSS)
    (over,) = [a for a in advise_from(rows, {"val": {"accuracy": 11 / 12, "images": 12}}, settings(epochs=15),
                                      NAMES, counts(6)) if a.kind == "overfitting"]
    assert over.severity == "medium" and over.evidence["val_loss_rising"] and not over.evidence["train_ahead"]
    assert over.text.startswith("The model shows a first sign of overfitting") and "but only" not in over.text
    assert (f"by epoch 15 it got {percent(0.893)} of its training pictures right and {percent(11 / 12)} of the "
            "validation pictures, and it was less sure of their right answers (their loss rose)") in over.text


def test_a_gap_must_clear_the_validation_pictures_likely_range():
    train, val = [0.6, 0.75, 0.85], [0.5, 0.6, 8 / 12]  # 18.3 points apart at the end, the last the best
    few = advise_from(history(train, val), {"val": {"accuracy": 8 / 12, "images": 12}}, settings(epochs=3),
                      NAMES, counts(6))
    assert "overfitting" not in kinds(few)  # 8 of 12 could be 39–86%: 85.0% is inside it
    many = advise_from(history(train, val), {"val": {"accuracy": 8 / 12, "images": 240}}, settings(epochs=3),
                       NAMES, counts(120))
    (over,) = [a for a in many if a.kind == "overfitting"]
    assert over.severity == "medium" and over.evidence["train_ahead"]
    assert (f"it gets {percent(0.85)} of its training pictures right but only {percent(8 / 12)} of the validation "
            "pictures") in over.text and "by heart" in over.text
    # more than 25 points apart, and clear of the range: high
    wide = history([0.6, 0.8, 0.98], [0.5, 0.6, 0.7])
    (high,) = [a for a in advise_from(wide, {}, settings(epochs=3), NAMES, counts(120)) if a.kind == "overfitting"]
    assert high.severity == "high"


def test_both_signs_make_overfitting_high():
    train = [0.6, 0.75, 0.85, 0.9, 0.95, 0.99]
    val = [0.55, 0.65, 0.7, 0.7, 0.7, 0.7]
    vl = [0.7, 0.6, 0.5, 0.7, 0.8, 0.9]
    items = advise_from(history(train, val, vl), {}, settings(epochs=6), NAMES, counts(120))
    (over,) = [a for a in items if a.kind == "overfitting"]
    assert over.severity == "high" and over.evidence["train_ahead"] and over.evidence["val_loss_rising"]


# ---------------------------------------------------------------- a frozen backbone's head fitted exactly
PP = Preprocess(height=32, width=32, channels=3, normalization="imagenet")


def transfer_config(spec: ModelSpec | None = None, **changes) -> dict:
    """A config.json as create_run writes it for the transfer recipe (MobileNetV2, frozen, its head fitted exactly)."""
    st = default_settings(PP).replace(**changes)
    spec = spec or make_preset("mobilenet_v2_transfer", 32, 32, 3)
    return {"settings": st.to_json(), "spec": spec.to_json(), "preprocess": st.preprocess.to_json()}


def test_a_frozen_backbones_head_fitted_exactly_does_not_train_by_epochs():
    assert trains_by_epochs(transfer_config()) is False
    assert trains_by_epochs(transfer_config(fine_tune_epochs=3)) is True  # then the whole network trains by epochs
    own = make_preset("mobilenet_v2_transfer", 32, 32, 3)
    own = ModelSpec.create(32, 32, 3, [layer("flatten"), layer("linear", out_features=16), layer("relu")],
                           backbone=own.to_json()["backbone"])
    assert trains_by_epochs(transfer_config(own)) is True  # the user's own layers train for epochs with AdamW
    scratch = ModelSpec.create(32, 32, 3, [layer("conv2d", out_channels=4), layer("relu"), layer("flatten")])
    assert trains_by_epochs(transfer_config(scratch)) is True
    assert trains_by_epochs({"settings": []}) is True and trains_by_epochs([]) is True  # damaged: as any run


# QA's frozen run: the strongest regularisation the best on validation, the 6 weaker ones fitting the training
# pictures more and the validation ones less
FROZEN_TRAIN = [0.8, 0.86, 0.92, 0.96, 0.99, 1.0, 1.0]
FROZEN_VAL = [0.85, 0.8, 0.78, 0.75, 0.75, 0.72, 0.7]
FROZEN_VAL_LOSS = [0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9]


def test_a_head_fitted_exactly_gets_no_finding_about_curves():
    st = default_settings(PP).replace(early_stopping_patience=0, batch_size=64)
    few = {"train": {"a": 15, "b": 5}, "val": {"a": 100, "b": 100}, "test": {"a": 100, "b": 100}}
    rows = history(FROZEN_TRAIN, FROZEN_VAL, FROZEN_VAL_LOSS)
    ev = {"val": {"accuracy": 0.85, "images": 200, "per_class": {"b": {"recall": 0.6}}}}
    items = advise_from(rows, ev, st, NAMES, few, by_epochs=False)
    assert not CURVE_KINDS & set(kinds(items))
    assert not {a.action["id"] for a in items if a.action} & CURVE_ACTIONS
    assert not any("epoch" in a.text for a in items), [a.text for a in items]
    # what the data says still holds, in words that fit: no augmentation (its features are computed once), it is
    # transfer learning already, and its exact fit weighs no classes
    few_pics = next(a for a in items if a.kind == "few_pictures")
    assert few_pics.text.endswith("50 to 100 per class is a good start.") and few_pics.action["id"] == "add_pictures"
    unbalanced = next(a for a in items if a.kind == "imbalance")
    # no weighing: its "Add pictures" of “b”, which few_pictures offers already (offered once: one_action_each)
    assert unbalanced.action is None and few_pics.action["label_name"] == "b" and "Weigh" not in unbalanced.text
    assert "Add “b” pictures" in unbalanced.text
    # the same curves of a run by epochs: overfitting from the epoch after the kept one
    assert "overfitting" in kinds(advise_from(rows, ev, st, NAMES, few))
    # its verdict from its kept fit (no evaluation at its end) names no epoch
    good = next(a for a in advise_from(rows, {}, st, NAMES, counts(100), by_epochs=False) if a.kind == "good")
    assert f"{percent(0.85)} of the validation pictures right, " in good.text and "epoch" not in good.text


def test_a_head_fitted_exactly_at_guessing_is_told_to_check_the_labels_in_words_that_fit():
    st = default_settings(PP)
    rows = history([0.55, 0.56, 0.58, 0.6, 0.6, 0.61, 0.62], [0.52, 0.5, 0.5, 0.49, 0.5, 0.5, 0.5])
    items = advise_from(rows, {"val": {"accuracy": 0.52, "images": 200}}, st, NAMES, counts(100), by_epochs=False)
    top = items[0]
    assert top.kind == "at_chance" and "underfitting" not in kinds(items) and "lr_low" not in kinds(items)
    assert (f"It gets only {percent(0.55)} of its training pictures right too: it found nothing that tells the "
            "classes apart.") in top.text and "carry over" not in top.text


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj", per_class=12, side=12)
    yield p
    p.close()


def test_a_frozen_runs_own_advice_reads_its_config(proj):
    """A real frozen MobileNetV2 run (48 px): its advice, from its files, says nothing of epochs."""
    pp = Preprocess(height=48, width=48, channels=3, normalization="imagenet")
    spec = ModelSpec.create(48, 48, 3, [layer("dropout", p=0.2)],
                            backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": True})
    st = default_settings(pp).replace(early_stopping_patience=0)
    rid = list(runs.train(proj, st, spec))[-1].run_id
    cfg, _ = runs.read_config(proj, rid)
    assert trains_by_epochs(cfg) is False
    items = advise(proj, rid)
    assert items and not CURVE_KINDS & set(kinds(items))
    assert not any("epoch" in a.text for a in items), [a.text for a in items]

"""A frozen backbone's head fitted exactly and then fine-tuned: its metrics.jsonl holds the head's strengths of
regularisation first (no learning rate: an exact fit uses none), then the fine-tuning's epochs, numbered after them.
The advice reads only the fine-tuning's rows as epochs (advice_reading.training_rows): a stronger regularisation
scoring better on the validation pictures than a weaker one is no overfitting, and no rate is called too high from
the head's rows; what the fine-tuning's own epochs show is still said. One real run (MobileNetV2 at 32 px, fine-tuned
for 5 epochs); each test writes its rows' numbers into that run's own metrics.jsonl, the rows otherwise as written."""

from __future__ import annotations

import json

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.advice import advise, advise_from
from cnnstudio.engine.runs.advice_actions import raised_lr
from cnnstudio.engine.runs.advice_reading import (class_counts, fine_tune_factor, too_high_rate, training_rows,
                                                  trains_by_epochs)
from cnnstudio.engine.runs.lr_find import find_lr, finder_refusal
from cnnstudio.engine.runs.run_create import RunError
from cnnstudio.engine.train.head_fit import L2_PATH
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.project import run_records
from cnnstudio.project.run_records import METRICS, run_dir
from tests.engine.test_data import make_project

PP = Preprocess(height=32, width=32, channels=3, normalization="imagenet")
TUNE = 5
HEAD = len(L2_PATH)  # with validation pictures: one row per strength

# QA's frozen run: the strongest regularisation the best on validation, the 6 weaker ones fitting the training
# pictures more and the validation ones less (read as epochs: overfitting from epoch 2)
HEAD_TRAIN = [0.8, 0.86, 0.92, 0.96, 0.99, 1.0, 1.0]
HEAD_VAL = [0.85, 0.8, 0.78, 0.75, 0.75, 0.72, 0.7]
HEAD_VAL_LOSS = [0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9]
HEAD_LOSS = [0.5, 0.4, 0.3, 0.2, 0.12, 0.08, 0.05]


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("tuned") / "proj", per_class=12, side=12)
    spec = ModelSpec.create(32, 32, 3, [layer("dropout", p=0.2)],
                            backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": True})
    st = default_settings(PP).replace(fine_tune_epochs=TUNE, batch_size=16, early_stopping_patience=0)
    rid = list(runs.train(proj, st, spec))[-1].run_id
    written = runs.read_metrics(proj, rid)
    yield proj, rid, written
    proj.close()


def rewrite(proj, rid, written, train, val, val_loss, loss):
    """The run's rows as frozen_run wrote them, with these numbers (fewer numbers: its first rows alone); each stage
    marks its own best epoch, as head_fit and the trainer do."""
    rows, best = [], {}
    for m, ta, va, vl, tl in zip(written, train, val, val_loss, loss):
        stage = m["lr"] is None
        is_best = stage not in best or va > best[stage]
        best[stage] = max(va, best.get(stage, va))
        rows.append({**m, "train_accuracy": ta, "val_accuracy": va, "val_loss": vl, "train_loss": tl,
                     "is_best": is_best})
    (run_dir(proj, rid) / METRICS).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def kinds(items):
    return [a.kind for a in items]


def test_the_heads_rows_have_no_learning_rate_and_the_fine_tunings_do(tuned):
    proj, rid, written = tuned
    assert [m["epoch"] for m in written] == list(range(1, HEAD + TUNE + 1))
    assert [m["lr"] for m in written[:HEAD]] == [None] * HEAD
    assert all(isinstance(m["lr"], float) and m["lr"] > 0 for m in written[HEAD:])
    cfg, _ = runs.read_config(proj, rid)
    assert trains_by_epochs(cfg) is True
    assert training_rows(cfg, written) == (written[HEAD:], True)
    # before its first fine-tuning epoch ended: a head fitted exactly; a loss not a number there: failed in epoch 1
    assert training_rows(cfg, written[:HEAD]) == (written[:HEAD], False)
    assert training_rows(cfg, written[:HEAD], not_a_number=1) == ([], True)
    head_only = {**cfg, "settings": {**cfg["settings"], "fine_tune_epochs": 0}}
    assert training_rows(head_only, written) == (written, False)


def test_a_heads_strengths_are_not_overfitting_and_the_fine_tunings_progress_is_said(tuned):
    proj, rid, written = tuned
    rows = rewrite(proj, rid, written, HEAD_TRAIN + [0.7, 0.74, 0.78, 0.82, 0.86],
                   HEAD_VAL + [0.68, 0.72, 0.76, 0.8, 0.84], HEAD_VAL_LOSS + [0.65, 0.6, 0.55, 0.5, 0.45], HEAD_LOSS + [0.6, 0.55, 0.5, 0.45, 0.4])
    items = advise(proj, rid, fresh={"val": {"accuracy": 0.84, "images": 10}})
    # nor a loss that "jumped up" from the head's exact fit (0.05) to the fine-tuning's first epoch (0.6)
    assert not {"overfitting", "lr_spikes", "diverged"} & set(kinds(items))
    (rose,) = [a for a in items if a.kind == "still_improving"]
    assert rose.evidence["last_epoch"] == HEAD + TUNE == rows[-1]["epoch"]
    # over the fine-tuning's epochs, never from a head's strength, named as the Train page names them (head_rows)
    assert ("right at fine-tuning epoch 2 and 84.0% at fine-tuning epoch 5, the last and its best" in rose.text)
    assert f"epoch {HEAD + 2}" not in rose.text


def test_a_fine_tuning_stopped_before_its_first_epoch_gets_no_finding_about_curves(tuned):
    proj, rid, written = tuned
    rewrite(proj, rid, written[:HEAD], HEAD_TRAIN, HEAD_VAL, HEAD_VAL_LOSS, HEAD_LOSS)
    items = advise(proj, rid, fresh={"val": {"accuracy": 0.85, "images": 10}})
    assert not {"overfitting", "still_improving", "underfitting", "lr_low", "diverged", "lr_spikes"} & set(kinds(items))


def test_the_fine_tunings_own_overfitting_is_found_on_its_own_epochs(tuned):
    proj, rid, written = tuned
    # the fine-tuning's validation loss up by half while its training loss falls; read across both stages, its
    # lowest is the head's weakest strength, whose exact fit's training loss (0.05) no epoch goes below
    rewrite(proj, rid, written, HEAD_TRAIN + [0.8, 0.82, 0.83, 0.84, 0.85], HEAD_VAL + [0.8, 0.8, 0.8, 0.79, 0.79],
            [0.32, 0.3, 0.28, 0.26, 0.24, 0.22, 0.2] + [0.4, 0.45, 0.55, 0.6, 0.65],
            HEAD_LOSS + [0.5, 0.45, 0.4, 0.35, 0.3])
    items = advise(proj, rid, fresh={"val": {"accuracy": 0.8, "images": 10}})
    (over,) = [a for a in items if a.kind == "overfitting"]
    assert over.evidence["val_loss_rising"] and over.evidence["kept_epoch"] == HEAD + 1
    assert over.evidence["began_epoch"] == HEAD + 2  # the numbers for machines stay metrics.jsonl's
    # the words name the fine-tuning's epochs as the Train page and the CLI do ("fine-tuning epoch 1"), never "epoch 8"
    assert "from about fine-tuning epoch 2" in over.text and "the one from fine-tuning epoch 1," in over.text
    assert "by fine-tuning epoch 5 " in over.text
    assert not any(f"epoch {n}" in over.text.replace("fine-tuning epoch", "") for n in range(1, HEAD + TUNE + 1))


def test_no_rate_is_called_too_high_from_a_heads_rows(tuned):
    proj, rid, written = tuned
    # the fine-tuning's loss (0.68, with dropout and augmentation) above the head's exact fit (0.05), learning little:
    # read across both, a loss that jumped up while guessing (went_wrong: a rate too high)
    rewrite(proj, rid, written, HEAD_TRAIN + [0.55, 0.56, 0.57, 0.58, 0.58], HEAD_VAL + [0.55, 0.56, 0.57, 0.58, 0.58],
            HEAD_VAL_LOSS + [0.69, 0.68, 0.68, 0.67, 0.67], HEAD_LOSS + [0.68, 0.67, 0.66, 0.66, 0.65])
    _, st = runs.read_config(proj, rid)
    lower = st.replace(lr=st.lr * st.fine_tune_lr_factor / 10)  # below the rate the fine-tuning trained at
    assert too_high_rate(proj, "another", lower, 2) is None
    assert "diverged" not in kinds(advise(proj, rid, fresh={"val": {"accuracy": 0.58, "images": 10}}))
    # the fine-tuning's own loss going up while guessing does show its rate too high
    rewrite(proj, rid, written, HEAD_TRAIN + [0.5] * TUNE, HEAD_VAL + [0.5] * TUNE, HEAD_VAL_LOSS + [0.7] * TUNE,
            HEAD_LOSS + [0.6, 0.62, 0.66, 0.7, 0.72])
    assert too_high_rate(proj, "another", lower, 2) == {"lr": pytest.approx(st.lr * st.fine_tune_lr_factor),
                                                        "run": run_records.get_run(proj, rid).name}


# ---------------------------------------------------------------- the rate a fine-tuning trained at (QA finding 8)
def test_the_fine_tunings_rate_is_read_and_named_not_the_settings(tuned):
    """QA: "the learning rate (0.003) may be a little high" of a fine-tuning that ran at 0.0003 (lr times
    fine_tune_lr_factor), then "Find a learning rate", which measured the frozen head and suggested 0.07."""
    proj, rid, written = tuned
    _, st = runs.read_config(proj, rid)
    ran = st.lr * st.fine_tune_lr_factor
    assert all(m["lr"] <= ran * (1 + 1e-9) for m in written[HEAD:])  # the trainer's own record of the rate
    cfg, _ = runs.read_config(proj, rid)
    assert fine_tune_factor(cfg) == st.fine_tune_lr_factor
    assert fine_tune_factor({**cfg, "settings": {**cfg["settings"], "fine_tune_epochs": 0}}) is None
    # the fine-tuning's own loss jumps up at its 3rd epoch, its accuracy high (no more than a little high)
    rewrite(proj, rid, written, HEAD_TRAIN + [0.8, 0.85, 0.8, 0.85, 0.88], HEAD_VAL + [0.8, 0.82, 0.8, 0.82, 0.84],
            HEAD_VAL_LOSS + [0.5, 0.45, 0.5, 0.45, 0.42], HEAD_LOSS + [0.3, 0.25, 0.6, 0.55, 0.5])
    (spike,) = [a for a in advise(proj, rid, fresh={"val": {"accuracy": 0.84, "images": 10}}) if a.kind == "lr_spikes"]
    assert spike.evidence["learning_rate"] == pytest.approx(ran)
    assert spike.evidence["jump_epochs"] == [HEAD + 3]
    assert spike.text.startswith("The training loss jumped up at fine-tuning epoch 3: ")
    assert (f"the fine-tuning's learning rate ({ran:.3g}: {st.fine_tune_lr_factor:g} × the learning rate "
            f"{st.lr:.3g}) may be a little high" in spike.text)
    assert "finder" not in spike.text  # it cannot measure a fine-tuning (lr_find.finder_refusal)
    assert spike.action["id"] == "lower_lr" and spike.action["settings"]["lr"] == pytest.approx(st.lr / 10)
    assert spike.action["label"] == f"Lower the learning rate to {st.lr / 10:.3g} (fine-tuning at {ran / 10:.3g})"


def test_a_fine_tuning_gone_wrong_names_its_rate_and_a_raise_reads_it(tuned):
    proj, rid, written = tuned
    _, st = runs.read_config(proj, rid)
    ran = st.lr * st.fine_tune_lr_factor
    rewrite(proj, rid, written, HEAD_TRAIN + [0.5] * TUNE, HEAD_VAL + [0.5] * TUNE, HEAD_VAL_LOSS + [0.7] * TUNE,
            HEAD_LOSS + [0.6, 0.62, 0.66, 0.7, 0.72])
    (wrong,) = [a for a in advise(proj, rid, fresh={"val": {"accuracy": 0.5, "images": 10}}) if a.kind == "diverged"]
    assert wrong.evidence["learning_rate"] == pytest.approx(ran)
    # QA: "the loss grew huge … from epoch 8" where the Train page says "fine-tuning epoch 1"
    assert wrong.evidence["from_epoch"] > HEAD
    assert f" from fine-tuning epoch {wrong.evidence['from_epoch'] - HEAD} and " in wrong.text
    assert f"epoch {wrong.evidence['from_epoch']}" not in wrong.text.replace("fine-tuning epoch", "")
    assert f"The fine-tuning's learning rate ({ran:.3g}: " in wrong.text and "finder" not in wrong.text
    # another run's raise stays below the rate this fine-tuning showed too high, as rates trained at, not the field's
    other = st.replace(lr=st.lr / 100)
    assert too_high_rate(proj, "another", other, 2, st.fine_tune_lr_factor) == {
        "lr": pytest.approx(ran), "run": run_records.get_run(proj, rid).name}
    # a run trained at a rate above the fine-tuning's, below the field's: never capped by it
    assert too_high_rate(proj, "another", st.replace(lr=ran * 3), 2) is None
    # a fine-tuning at a tenth of the field's rate raised: its own rate ten times, but 3 times below the rate shown
    # too high; the field's rate is what gives that
    slow = st.replace(lr=st.lr / 10)
    assert raised_lr(slow, ran, st.fine_tune_lr_factor) == pytest.approx(ran / 3 / st.fine_tune_lr_factor)
    assert raised_lr(slow) == pytest.approx(slow.lr * 10)  # a run trained at its settings' rate


def test_the_finder_refuses_a_fine_tuning_in_one_sentence(tuned):
    proj, rid, _ = tuned
    cfg, st = runs.read_config(proj, rid)
    refusal = finder_refusal(cfg["spec"], st)
    assert refusal.startswith("“") and refusal.count(". ") == 0 and refusal.endswith(".")
    assert f"only to fine-tune the whole network (at {st.fine_tune_lr_factor:g} × it)" in refusal
    with pytest.raises(RunError, match="only to fine-tune"):
        find_lr(proj, st, cfg["spec"])


# ---------------------------------------------------------------- what the run already does (QA finding 9)
def test_the_advice_never_recommends_what_the_run_already_uses(tuned):
    """QA (rep_ft_0.png): "augmentation or transfer learning help meanwhile" of a MobileNetV2 run with augmentation
    on; an overfitting fine-tuning was offered "Try transfer learning"."""
    proj, rid, written = tuned
    _, st = runs.read_config(proj, rid)
    assert st.augment.enabled and st.early_stopping_patience == 0
    rewrite(proj, rid, written, HEAD_TRAIN + [0.8, 0.82, 0.83, 0.84, 0.85], HEAD_VAL + [0.8, 0.8, 0.8, 0.79, 0.79],
            [0.32, 0.3, 0.28, 0.26, 0.24, 0.22, 0.2] + [0.4, 0.45, 0.55, 0.6, 0.65],
            HEAD_LOSS + [0.5, 0.45, 0.4, 0.35, 0.3])
    items = advise(proj, rid, fresh={"val": {"accuracy": 0.8, "images": 10}})
    (few,) = [a for a in items if a.kind == "few_pictures"]
    assert few.text.endswith("50 to 100 per class is a good start.")
    assert "augmentation" not in few.text and "transfer learning" not in few.text
    (over,) = [a for a in items if a.kind == "overfitting"]
    assert "transfer learning" not in over.text and "augmentation (each picture" not in over.text
    assert "stopping earlier (early stopping)" in over.text and over.action["id"] == "early_stopping"


def test_a_stopped_fine_tuning_is_resumed_in_the_train_pages_words(tuned):
    proj, rid, written = tuned
    rows = rewrite(proj, rid, written, HEAD_TRAIN + [0.55, 0.56, 0.57], HEAD_VAL + [0.55, 0.56, 0.57],
                   HEAD_VAL_LOSS + [0.69, 0.68, 0.68], HEAD_LOSS + [0.69, 0.68, 0.675])
    cfg, st = runs.read_config(proj, rid)
    names, counts = class_counts(proj, rid)
    tuning, _ = training_rows(cfg, rows)
    items = advise_from(tuning, {}, st, names, counts, {"run": rid, "planned": HEAD + TUNE}, run=rid, head=HEAD,
                        fine_tune=fine_tune_factor(cfg))
    (under,) = [a for a in items if a.kind == "underfitting"]
    assert "It stopped after fine-tuning epoch 3 of 5: Resume trains the other 2 epochs." in under.text
    assert under.evidence["epochs"] == 3
    assert under.action == {"id": "resume", "label": "Resume: train fine-tuning epochs 4 to 5", "page": "Train",
                            "resume": rid}

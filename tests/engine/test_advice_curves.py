"""QA: the overfitting finding quoted the last epoch's accuracies beside a Train page and a report showing the kept
(best on validation) epoch, and said "from about epoch 3" of a run whose best epoch was 10 of 14; "still improving"
counted a tie with an earlier epoch as the last being the best and was said beside "overfitting". Made-up histories
hold the rules (engine/runs/advice_curves.py) and the words that quote them."""

from __future__ import annotations

import random

from cnnstudio.engine.runs.advice import advise_from
from cnnstudio.engine.runs.advice_curves import kept_index, overfitting, still_improving
from cnnstudio.engine.use.figures import percent
from tests.engine.test_runs import settings

NAMES = ["a", "b"]
COUNTS = {s: {n: 100 for n in NAMES} for s in ("train", "val", "test")}


def history(train_acc, val_acc, val_loss=None, train_loss=None, marks=True) -> list[dict]:
    """metrics.jsonl rows for these curves, ``is_best`` marked by the trainer's rule (as a run writes them)."""
    n = len(train_acc)
    val_loss = val_loss or [0.5] * n
    train_loss = train_loss or [1.0 / (e + 1) for e in range(n)]
    rows = [{"epoch": e + 1, "train_loss": train_loss[e], "train_accuracy": train_acc[e], "val_loss": val_loss[e],
             "val_accuracy": val_acc[e]} for e in range(n)]
    if marks:
        va = [r["val_accuracy"] for r in rows]
        kept = [kept_index(rows[:i + 1], va[:i + 1], val_loss[:i + 1]) for i in range(n)]
        for i, r in enumerate(rows):
            r["is_best"] = kept[i] == i
    return rows


def advise(rows, ev=None, **kw):
    return advise_from(rows, ev or {}, settings(epochs=len(rows), **kw), NAMES, COUNTS)


def kinds(items):
    return [a.kind for a in items]


# QA's run: 14 epochs, the training pictures 10 points ahead from epoch 3, the validation pictures best at epoch 10
QA_TRAIN = [0.55, 0.7, 0.82, 0.86, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.0]
QA_VAL = [0.5, 0.62, 0.7, 0.72, 0.74, 0.75, 0.76, 0.77, 0.78, 0.80, 0.78, 0.77, 0.76, 0.75]


def test_overfitting_quotes_the_kept_epoch_and_began_after_it():
    rows = history(QA_TRAIN, QA_VAL)
    (over,) = [a for a in advise(rows) if a.kind == "overfitting"]
    ev = over.evidence
    assert ev["kept_epoch"] == 10 and ev["began_epoch"] == 11 and ev["last_epoch"] == 14
    assert (ev["train_accuracy"], ev["val_accuracy"]) == (0.97, 0.80)  # the kept epoch's, as the Train page shows
    assert (ev["last_train_accuracy"], ev["last_val_accuracy"]) == (1.0, 0.75)
    assert "from about epoch 11" in over.text and "from about epoch 3" not in over.text
    assert (f"The model kept is the one from epoch 10, the best on the validation pictures: it gets {percent(0.97)} of "
            f"its training pictures right and {percent(0.80)} of the validation pictures.") in over.text
    assert (f"by epoch 14 it got {percent(1.0)} of its training pictures right but only {percent(0.75)} of the "
            "validation pictures") in over.text
    assert "dropout" not in over.text and over.severity == "medium"  # 25 points apart by the end: "high" above 25


def test_the_kept_epoch_follows_the_trainers_marks_and_rule():
    va, vl = [0.5, 0.8, 0.8, 0.7], [0.9, 0.6, 0.5, 0.4]
    rows = [{"epoch": e + 1, "val_accuracy": va[e], "val_loss": vl[e]} for e in range(4)]
    assert kept_index(rows, va, vl) == 2  # equal accuracy, a lower loss: the later one (train.epoch_loop.better)
    assert kept_index(rows, va, [0.9, 0.6, 0.5999, 0.4]) == 1  # a loss lower by noise only: the earlier one
    rows[1]["is_best"] = True  # what the run marked is what it kept
    assert kept_index(rows, va, vl) == 1
    assert kept_index(rows, [None] * 4, vl) is None  # no validation pictures: nothing kept on them


def test_a_wide_gap_while_the_last_epoch_is_still_the_best_began_where_the_gap_opened_for_good():
    train = [0.6, 0.75, 0.8, 0.9, 0.95, 1.0]
    val = [0.55, 0.7, 0.68, 0.72, 0.74, 0.76]  # gaps: 5, 5, 12, 18, 21, 24 points: open from epoch 3
    rows = history(train, val)
    (over,) = [a for a in advise(rows) if a.kind == "overfitting"]
    assert over.evidence["kept_epoch"] == 6 and over.evidence["began_epoch"] == 3
    assert (f"at epoch 6, the last and the one kept, it gets {percent(1.0)} of its training pictures right but only "
            f"{percent(0.76)} of the validation pictures") in over.text
    assert "still_improving" not in kinds(advise(rows))  # the same run: "more epochs" would contradict it
    # a gap that opened and closed again does not count: it opened for good at epoch 5
    ta, va = [0.6, 0.85, 0.7, 0.75, 0.9, 0.99], [0.45, 0.8, 0.55, 0.7, 0.72, 0.82]  # gaps 15, 5, 15, 5, 18, 17
    info = overfitting([1, 2, 3, 4, 5, 6], [0.3] * 6, ta, [0.5] * 6, va, kept_index(history(ta, va), va, [0.5] * 6))
    assert info["kept"] == 5 and info["began"] == 5


def test_the_validation_loss_rising_began_after_its_lowest_epoch():
    train = [0.7, 0.8, 0.85, 0.88, 0.89, 0.9]
    val = [0.7, 0.78, 0.8, 0.8, 0.8, 0.8]  # a tie at the end: the trainer keeps epoch 3
    vl = [0.6, 0.45, 0.4, 0.55, 0.6, 0.8]  # up over the 3 epochs after its lowest (several: not a blip)
    rows = history(train, val, vl, [0.8, 0.6, 0.5, 0.4, 0.35, 0.3])
    (over,) = [a for a in advise(rows) if a.kind == "overfitting"]
    assert over.evidence["val_loss_rising"] and over.evidence["kept_epoch"] == 3 and over.evidence["began_epoch"] == 4
    assert "their loss rose" in over.text
    # the training pictures 10 points ahead only: one sign, said as a first sign, and never "but only"
    assert over.severity == "medium" and not over.evidence["train_ahead"]
    assert over.text.startswith("The model shows a first sign of overfitting") and "but only" not in over.text


def test_a_tie_with_an_earlier_epoch_is_not_still_improving():
    assert still_improving([0.7, 0.75, 0.8, 0.8], [1, 2, 3, 4], True) is None  # tied with epoch 3
    assert still_improving([0.7, 0.75, 0.8, 0.83], [1, 2, 3, 4], True) == {
        "from_epoch": 1, "from": 0.7, "to": 0.83, "gain": 0.83 - 0.7}
    assert still_improving([0.7, 0.9, 0.8, 0.85], [1, 2, 3, 4], True) is None  # below epoch 2's best
    assert still_improving([0.80, 0.805, 0.81, 0.815], [1, 2, 3, 4], True) is None  # 1.5 points: not enough
    tie = history([0.8, 0.85, 0.9, 0.92, 0.93], [0.7, 0.75, 0.8, 0.82, 0.82])
    assert "still_improving" not in kinds(advise(tie))
    rising = history([0.8, 0.85, 0.9, 0.92, 0.93], [0.7, 0.75, 0.8, 0.82, 0.84])
    (still,) = [a for a in advise(rising) if a.kind == "still_improving"]
    assert still.text.startswith(f"Still improving at the end: it got {percent(0.75)} of the validation pictures "
                                 f"right at epoch 2 and {percent(0.84)} at epoch 5, the last and its best.")


def test_overfitting_and_still_improving_are_never_said_of_the_same_run():
    """The shape that had both (QA): the gap wide, the validation accuracy tied at the end; and random histories."""
    both = history([0.7, 0.85, 0.95, 1.0, 1.0], [0.6, 0.7, 0.75, 0.78, 0.78])
    found = kinds(advise(both))
    assert "overfitting" in found and "still_improving" not in found
    rng = random.Random(7)
    shapes = set()
    for _ in range(400):
        n = rng.randint(2, 12)
        ta = [min(1.0, 0.5 + rng.random() * 0.1 * (e + 1)) for e in range(n)]
        va = [round(min(1.0, 0.5 + rng.random() * 0.06 * (e + 1)), 2) for e in range(n)]
        vl = [0.3 + rng.random() for _ in range(n)]
        found = set(kinds(advise(history(ta, va, vl))))
        assert not {"overfitting", "still_improving"} <= found
        shapes |= found & {"overfitting", "still_improving"}
    assert shapes == {"overfitting", "still_improving"}  # both shapes came up, never together


def test_a_run_its_end_did_not_evaluate_is_judged_on_its_kept_epoch():
    rows = history([0.8, 0.9, 0.95], [0.7, 0.9, 0.85])  # the training pictures 10 points ahead at the end: fine
    verdict = next(a for a in advise(rows) if a.kind in ("good", "overfitting"))
    assert verdict.kind == "good" and f"{percent(0.9)} of the validation pictures right at epoch 2" in verdict.text


# ---------------------------------------------------------------- no better than guessing
def scored(acc: float, n: int = 200) -> dict:
    return {"val": {"accuracy": acc, "images": n}}


def test_a_model_no_better_than_guessing_on_validation_is_told_to_check_the_labels():
    """Random labels: the training pictures learned by heart, the validation ones at one in two."""
    from cnnstudio.engine.runs.advice import action_command, advice_text

    rows = history([0.7, 0.9, 1.0, 1.0], [0.52, 0.5, 0.49, 0.51])
    items = advise(rows, scored(0.52))
    top = items[0]
    assert top.kind == "at_chance" and top.severity == "high" and "good" not in kinds(items)
    assert top.text.startswith(f"The model does no better than guessing on the validation pictures: it gets "
                               f"{percent(0.52)} of them right, and guessing gives {percent(0.5)}. It gets "
                               f"{percent(0.7)} of its training pictures right, but what it learned does not carry "
                               "over to other pictures.")  # epoch 1's, the kept one
    assert top.action == {"id": "check_data", "label": "Check the labels", "page": "Data", "tool": "check_data"}
    assert action_command(top.action, "my proj") == "cnnstudio doctor 'my proj'"
    assert "-> Check the labels: cnnstudio doctor DIR" in advice_text(items)
    assert "overfitting" in kinds(items)  # both true; the labels first


def test_guessing_is_the_commonest_class_share_on_unbalanced_pictures():
    counts = {"train": {"a": 100, "b": 100}, "val": {"a": 160, "b": 40}, "test": {}}
    rows = history([0.8, 0.95, 0.99], [0.78, 0.8, 0.81])
    st = settings(epochs=3)
    items = advise_from(rows, scored(0.81), st, NAMES, counts)
    (guess,) = [a for a in items if a.kind == "at_chance"]
    assert f"always answering “a” gets {percent(0.8)}" in guess.text and guess.evidence["chance"] == 0.8
    assert "at_chance" not in kinds(advise_from(rows, scored(0.9), st, NAMES, counts))  # half way from 80 to 100


def test_the_line_of_guessing_is_a_tenth_of_the_way_to_all_right():
    names = [str(d) for d in range(10)]
    counts = {s: {n: 20 for n in names} for s in ("train", "val", "test")}
    rows = history([0.5, 0.8, 0.9], [0.12, 0.15, 0.18])
    st = settings(epochs=3)
    assert "at_chance" in kinds(advise_from(rows, scored(0.19), st, names, counts))  # guessing 10 %, the line 19 %
    assert "at_chance" not in kinds(advise_from(rows, scored(0.25), st, names, counts))
    # never the test pictures, even looked at on purpose: a run without validation ones is judged on training alone
    no_val = advise_from(history([0.5, 0.8, 0.9], [None] * 3), {"test": {"accuracy": 0.1, "images": 200}},
                         settings(epochs=3, validation=False), names, counts, test_seen=True)
    assert "at_chance" not in kinds(no_val) and "no_validation" in kinds(no_val)


def test_a_model_that_learned_nothing_is_underfitting_not_said_twice():
    rows = history([0.5, 0.52, 0.51], [0.5, 0.5, 0.5])
    found = kinds(advise(rows, scored(0.5)))
    assert "underfitting" in found and "at_chance" not in found
    assert "at_chance" not in kinds(advise(history([0.8, 0.9, 0.95], [0.8, 0.88, 0.9]), scored(0.9)))


def test_a_damaged_history_gives_no_overfitting_rather_than_a_sentence_without_its_numbers():
    rows = history(QA_TRAIN, QA_VAL)
    rows[-1]["train_accuracy"] = None  # a line of metrics.jsonl damaged
    assert "overfitting" not in kinds(advise(rows))
    assert overfitting([], [], [], [], [], None) is None


def test_underfitting_says_its_numbers_are_the_last_epochs_when_the_run_kept_another():
    kept_last = next(a for a in advise(history([0.5, 0.55, 0.6], [0.5, 0.52, 0.56])) if a.kind == "underfitting")
    assert "epoch" not in kept_last.text.split(".")[0]  # the kept epoch's numbers: nothing to add
    other = next(a for a in advise(history([0.5, 0.55, 0.6], [0.5, 0.58, 0.56])) if a.kind == "underfitting")
    assert (f"it gets {percent(0.6)} of its training pictures right and {percent(0.56)} of the validation pictures "
            "at its last epoch (3), and guessing gives") in other.text


def test_underfitting_outranks_overfitting_never_both():
    """QA: a tiny 2-class run of 3 epochs was told both "learning its training pictures by heart (overfitting)" with
    "Turn on early stopping" and "has not learned much yet (underfitting)" with "Train a new run for 23 epochs". A
    model that gets most of its own training pictures wrong has learned nothing by heart: underfitting alone."""
    names, counts = NAMES, {"train": {"a": 10, "b": 10}, "val": {"a": 3, "b": 3}, "test": {"a": 3, "b": 3}}
    # the validation loss rising while the training loss falls, and the training pictures ahead of the validation ones
    rows = history([0.45, 0.55, 0.62], [0.5, 0.5, 0.5], val_loss=[0.69, 0.72, 0.95], train_loss=[0.75, 0.7, 0.66])
    st = settings(epochs=3, early_stopping_patience=0)
    items = advise_from(rows, {"val": {"accuracy": 0.5, "images": 6}}, st, names, counts)
    assert "underfitting" in kinds(items) and "overfitting" not in kinds(items)
    under = next(a for a in items if a.kind == "underfitting")
    # on 6 validation pictures a 12-point gap and a loss up over 2 epochs are noise, not signs (advice_curves)
    assert under.action["id"] == "train_more" and under.evidence["overfitting_signs"] is False
    assert "did worse" not in under.text
    # clear signs (22 points apart on 200 validation pictures) of a model that learned little: underfitting alone
    many = {**counts, "val": {"a": 100, "b": 100}}
    clear = history([0.45, 0.6, 0.72], [0.5, 0.5, 0.5], train_loss=[0.75, 0.7, 0.66])
    items = advise_from(clear, {"val": {"accuracy": 0.5, "images": 200}}, st, names, many)
    assert "underfitting" in kinds(items) and "overfitting" not in kinds(items)
    under = next(a for a in items if a.kind == "underfitting")
    assert under.action["id"] == "train_more" and under.evidence["overfitting_signs"] is True
    assert "Its validation pictures did worse, but a model that gets so many of its own pictures wrong" in under.text
    # the same validation curve beside training pictures it did learn: overfitting, and no underfitting
    learned = history([0.7, 0.85, 0.95], [0.5, 0.5, 0.5], val_loss=[0.69, 0.72, 0.95], train_loss=[0.75, 0.5, 0.2])
    found = kinds(advise_from(learned, {"val": {"accuracy": 0.5, "images": 6}}, st, names, counts))
    assert "overfitting" in found and "underfitting" not in found

"""The rules of :mod:`.advice` that read a run's curves against the epoch it kept, each on plain lists (one value
per epoch, ``None`` where there is none) so the tests can drive them with made-up histories.

- The kept epoch (:func:`kept_index`): the model a run keeps is its best epoch on the validation pictures, the one
  the trainer marks ``is_best`` in metrics.jsonl (higher validation accuracy; at equal accuracy, a lower validation
  loss: :func:`~cnnstudio.engine.train.epoch_loop.better`). The Train page, the report and the run's summary
  (``best_epoch``) show that epoch, so a finding that quotes numbers quotes that epoch's, or says which epoch each
  number is from.
- Overfitting and the epoch it began (:func:`overfitting`), on evidence, not noise: the training pictures clearly
  ahead of the validation pictures (at the kept or the last epoch, the training accuracy more than 15 points above
  the validation accuracy AND above the top of the validation accuracy's likely range for the number of validation
  pictures, :func:`~cnnstudio.engine.use.intervals.accuracy_interval`: with 12 validation pictures a gap of a few
  points is one picture), or the validation loss rising clearly over several epochs (the last :data:`RISE_LAST`
  epochs all more than a quarter above its lowest, at least :data:`RISE_EPOCHS` epochs after it) while the
  training loss kept falling: one epoch's blip is not a rise (QA: "Important: overfitting" of a 15-epoch run whose
  training pictures, 89.3 %, were behind its 12 validation ones, 91.7 %). Its severity follows the evidence: "high"
  with both signs, or a gap of more than 25 points clear of the likely range; "medium" with one. Its words say the
  training pictures are ahead only where they clearly are (:func:`overfitting_words`). "From about epoch N" is what
  the curves show: when epochs came after the kept one, N is the first of them (from there on, training went on
  without the validation pictures getting any better); when the kept epoch is the last, N is the first epoch of the
  wide gap that lasted to the end (the training accuracy more than 10 points above the validation accuracy at every
  epoch from N on).
- Still improving (:func:`still_improving`): the last epoch strictly better than every earlier one (a tie with an
  earlier epoch is not improving) and the score up over the last epochs. Never said beside overfitting
  (:mod:`.advice` checks): "more epochs" and "it is learning its pictures by heart" would contradict each other.
- Went wrong (:func:`loss_jumps`, :func:`went_wrong`): the training loss stopped being a number, ended above where
  it started, jumped up by half between epochs or blew up far above what guessing gives while the training
  accuracy stayed near a guess (then sat there for :data:`STUCK_EPOCHS` epochs), or stayed far above guessing over
  more than one epoch without coming down to half of where it started: a learning rate too high. Only real
  evidence: one epoch's average loss above guessing is a cold start (the first batches guess wildly), never
  "went wrong" alone (QA: a 1-epoch run at 0.003 "grew huge", the same recipe reaching 100 % with more epochs);
  the batches' losses are not kept, so a single epoch goes wrong only with a loss that is not a number (in its
  curve, or the run failed on one: :func:`not_a_number_epoch`). The advised run's curves and the project's other runs'
  (:func:`~.advice.too_high_rate`: a rate shown too high is never advised again) are read by this one rule.
- Learned little (:func:`learned_little`): the training accuracy at the last epoch less than half of the way from
  guessing to all right (underfitting). It outranks overfitting (:mod:`.advice` checks): a model that gets most of
  its own training pictures wrong has learned nothing by heart, and a gap to the validation pictures or their loss
  rising over a few epochs of such a run is the noise of few pictures, not a model that learned them by heart
  (QA: "learning its pictures by heart" and "has not learned much yet" were both said of a 3-epoch run).
- The loss barely moved (:func:`barely_moved`): it ended near what guessing gives (ln of the number of classes)
  having fallen by less than a fifth of where it started, or it fell by less than 5 % over 3 epochs or more; never
  judged from one epoch (QA: a run stopped after epoch 1 "barely moved from 1.786 to 1.786"). A loss
  that fell far (QA: 2.024 to 0.718, 65 %) did move, whatever it ended at.
- At guessing level (:func:`guessing`, :func:`at_guessing`): the validation accuracy no better than guessing, or
  barely (within a tenth of the way from guessing to all right): guessing is the larger of one in the number of
  classes and the share of the commonest class (always answering it scores that).
"""

from __future__ import annotations

import math
from typing import Any, Callable

from ...project.counting import counted
from ..train.epoch_loop import better
from ..train.run_failure import diverged_epoch
from ..use.figures import percent
from ..use.intervals import accuracy_interval

GAP_WIDE = 0.15  # training accuracy this far above the validation accuracy: overfitting
GAP_OPEN = 0.10  # the gap counted as open when finding where it began
GAP_HIGH = 0.25  # a gap this wide (and clear of the validation accuracy's likely range) makes overfitting "high"
RISE_SHARE = 1.25  # the validation loss this many times its lowest (and 0.02 more): clearly up
RISE_EPOCHS = 3  # epochs after its lowest a validation loss must have risen over: several, not a blip
RISE_LAST = 2  # the last epochs that must all be clearly up: the rise lasted, not one epoch's jump
NEAR_GUESSING = 0.1  # of the way from guessing to all right: at or below it, no better than guessing


def finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def kept_index(rows: list[dict], va: list, vl: list) -> int | None:
    """The index (in ``rows``) of the epoch whose model the run keeps: the last one marked ``is_best`` with a
    validation accuracy; else the trainer's rule over the curves (:func:`better`); None without validation."""
    marked = [i for i, r in enumerate(rows) if r.get("is_best") and finite(va[i])]
    if marked:
        return marked[-1]
    best, best_key = None, None
    for i, v in enumerate(va):
        if finite(v):
            key = (float(v), -float(vl[i]) if finite(vl[i]) else -math.inf)
            if better(key, best_key):
                best, best_key = i, key
    return best


def _gap(ta: list, va: list, i: int) -> float | None:
    return ta[i] - va[i] if finite(ta[i]) and finite(va[i]) else None


def _ahead(ta: list, va: list, i: int, n_val: int | None) -> bool:
    """Whether the training pictures are clearly ahead of the validation pictures at index ``i``: more than
    :data:`GAP_WIDE` apart, and the training accuracy above the top of the validation accuracy's likely range on
    ``n_val`` pictures (:func:`~cnnstudio.engine.use.intervals.accuracy_interval`; None: not known, the gap alone)."""
    gap = _gap(ta, va, i)
    if gap is None or gap <= GAP_WIDE:
        return False
    return not n_val or ta[i] > accuracy_interval(va[i], int(n_val))[1] + 1e-9


def _rise(tl: list, vl: list, last: int) -> tuple[bool, int | None]:
    """``(rising, low)``: whether the validation loss rose clearly over several epochs while the training loss fell
    (see the module doc), and the index of its lowest (None with fewer than 3 validation losses)."""
    fin_vl = [(i, v) for i, v in enumerate(vl) if finite(v)]
    if len(fin_vl) < 3:
        return False, None
    low, low_v = min(fin_vl, key=lambda t: t[1])
    after = [v for i, v in fin_vl if i > low]
    clear = low_v * RISE_SHARE + 0.02
    rising = (len(after) >= RISE_EPOCHS and all(v > clear for v in after[-RISE_LAST:])
              and finite(tl[last]) and finite(tl[low]) and tl[last] < tl[low])
    return rising, low


def overfitting(epochs: list[int], tl: list, ta: list, vl: list, va: list, kept: int | None,
                n_val: int | None = None) -> dict | None:
    """The overfitting finding's numbers (see the module doc), or None when the curves do not show it: ``kept`` and
    ``last`` (indices), ``gap`` (at the kept epoch), ``last_gap``, ``ahead`` and ``last_ahead`` (the training pictures
    clearly ahead at each), ``rising`` (the validation loss), ``began`` (the epoch it began) and ``severity``.
    ``n_val``: the number of validation pictures, whose likely range a gap must clear (None: the gap alone)."""
    last = len(epochs) - 1
    if kept is None or not epochs or not all(finite(v) for v in (ta[kept], va[kept], ta[last], va[last])):
        return None  # the numbers it would quote are not all there (a damaged metrics file)
    gap_kept, gap_last = _gap(ta, va, kept) or 0.0, _gap(ta, va, last) or 0.0
    ahead_kept, ahead_last = _ahead(ta, va, kept, n_val), _ahead(ta, va, last, n_val)
    rising, low = _rise(tl, vl, last)
    wide = ahead_kept or ahead_last
    if not (wide or rising):
        return None
    if kept < last:  # after the kept epoch: training went on, the validation pictures got no better
        began = epochs[kept + 1]
    elif wide:  # the kept epoch is the last: where the gap that lasted to the end opened
        i = last
        while i > 0 and (_gap(ta, va, i - 1) or 0.0) > GAP_OPEN:
            i -= 1
        began = epochs[i]
    else:  # the last epoch still the best on accuracy, but less sure of its answers since the lowest loss
        began = epochs[low + 1]
    widest = max([g for g, clear in ((gap_kept, ahead_kept), (gap_last, ahead_last)) if clear], default=0.0)
    severe = (wide and rising) or widest > GAP_HIGH
    return {"kept": kept, "last": last, "gap": gap_kept, "last_gap": gap_last, "ahead": ahead_kept,
            "last_ahead": ahead_last, "rising": rising, "began": began, "severity": "high" if severe else "medium"}


REMEDY = ("More pictures, augmentation (each picture changed a little every time it is shown), a smaller model or "
          "stopping earlier (early stopping) help.")


def _scores(ta: list, va: list, i: int, ahead: bool, past: bool = False) -> str:
    """ "it gets 97.0% of its training pictures right but only 75.0% of the validation pictures": "but only" where
    the training pictures are clearly ahead (``ahead``), "and" otherwise; ``past``: "got"."""
    verb = "got" if past else "gets"
    join = "but only" if ahead else "and"
    return (f"it {verb} {percent(ta[i])} of its training pictures right {join} {percent(va[i])} of the validation "
            "pictures")


def epoch_words(n: int) -> str:
    """Epoch ``n`` in words, as a finding names it: "epoch 8" (a fine-tuning's rows are said otherwise:
    :meth:`~.head_rows.HeadRows.row`, "fine-tuning epoch 1")."""
    return f"epoch {n}"


def overfitting_words(over: dict, epochs: list[int], ta: list, va: list, remedy: str = REMEDY,
                      said: Callable[[int], str] = epoch_words) -> str:
    """The overfitting finding's sentence: the kept epoch's numbers, and the last epoch's when it is another, each
    said with its epoch (:func:`overfitting`); the training pictures said ahead ("but only") only where they clearly
    are, and "by heart" only when they are at one of the two. ``remedy``: its last sentence, what helps (the
    advice's names only what the run does not do: :func:`~.advice_remedies.overfitting_remedy`). ``said``: an epoch
    in words (:func:`epoch_words`; a fine-tuning's as the Train page says it)."""
    bare = lambda n: said(n).removeprefix("epoch ")  # noqa: E731 - "(8)", a fine-tuning's "(fine-tuning epoch 1)"
    k, last = over["kept"], over["last"]
    ahead_k, ahead_l = over.get("ahead", True), over.get("last_ahead", True)
    unsure = ("it grew less sure of the right answers on the validation pictures (their loss rose) while it kept "
              "getting better on its training pictures")
    if ahead_k or ahead_l:
        head = (f"The model is learning its training pictures by heart instead of what tells the classes apart "
                f"(overfitting), from about {said(over['began'])}")
    else:  # the validation loss alone: a first sign, said as such
        head = (f"The model shows a first sign of overfitting (learning its training pictures by heart instead of "
                f"what tells the classes apart) from about {said(over['began'])}")
    if k == last:
        if ahead_l:
            why = f"at {said(epochs[k])}, the last and the one kept, {_scores(ta, va, k, True)}"
            why += ", and it grew less sure of their right answers (their loss rose)" if over["rising"] else ""
        else:
            why = (f"from there on {unsure}. The model kept is the last epoch's ({bare(epochs[k])}): "
                   f"{percent(ta[k])} of its "
                   f"training pictures right and {percent(va[k])} of the validation pictures")
        return f"{head}: {why}. {remedy}"
    after = counted(last - k, "epoch")
    then = (f"by {said(epochs[last])} {_scores(ta, va, last, ahead_l, past=True)}"
            + (", and it was less sure of their right answers (their loss rose)" if over["rising"] else ""))
    return (f"{head}. The model kept is the one from {said(epochs[k])}, the best on the validation pictures: "
            f"{_scores(ta, va, k, False)}. In the {after} after it, it did no better on the validation pictures: "
            f"{then}. {remedy}")


def still_improving(series: list, epochs: list[int], on_validation: bool) -> dict | None:
    """``{"from_epoch", "from", "to", "gain"}`` when the run was still improving at its end: its last epoch strictly
    better than every earlier one on ``series`` (one value per epoch, higher is better; a tie is not improving) and
    the gain since 3 epochs before the last (``from_epoch``, or the first) above 2 points of validation accuracy
    (``on_validation``), else above 5 % of the training loss (``series`` is minus the loss then); None otherwise."""
    fin = [(e, v) for e, v in zip(epochs, series) if finite(v)]
    if len(fin) < 2 or fin[-1][1] <= max(v for _, v in fin[:-1]) + 1e-9:
        return None
    back_e, back = fin[max(0, len(fin) - 4)]
    gain = fin[-1][1] - back
    if gain <= (0.02 if on_validation else 0.05 * abs(back)):
        return None
    return {"from_epoch": back_e, "from": back, "to": fin[-1][1], "gain": gain}


JUMP = 1.5  # a training loss above this many times its lowest so far (and up by 0.1 at least): a jump
STUCK_EPOCHS = 2  # epochs after its peak a loss that exploded must have sat at guessing: stuck, not a cold start
BARELY_FELL = 0.2  # a loss near guessing that fell by less than this share of where it started barely moved


def loss_jumps(epochs: list[int], tl: list) -> list[int]:
    """The epochs where the training loss jumped up: above :data:`JUMP` times its lowest so far, and up by more
    than 0.1 since the epoch before."""
    return [epochs[i] for i in range(1, len(tl)) if finite(tl[i]) and finite(tl[i - 1])
            and tl[i] > JUMP * min(v for v in tl[:i] if finite(v)) and tl[i] - tl[i - 1] > 0.1]




def not_a_number_epoch(error: Any) -> int | None:
    """The epoch in whose batches a failed run's loss stopped being a number, read from its record's ``error`` (the
    trainer's words, :class:`~cnnstudio.engine.train.run_failure.TrainingDiverged`: "the loss became NaN (not a
    number) in epoch 2, batch 3: training diverged"); None for any other failure or none. That epoch never reaches
    metrics.jsonl, yet it is the surest evidence that training went wrong."""
    return diverged_epoch(error)


def went_wrong(epochs: list[int], tl: list, ta: list, k: int, not_a_number: int | None = None) -> dict | None:
    """``{"where", "what", "last_acc", "jumps"}`` when training went wrong (a learning rate too high, see the module
    doc): the epoch it began, what the loss did in words, the last training accuracy; None otherwise. ``k``: the
    number of classes; ``not_a_number``: the epoch whose batches' loss stopped being a number, which the run failed
    on (:func:`not_a_number_epoch`). A run whose loss stopped being a number in its first epoch has no epochs (none
    reached metrics.jsonl), yet went wrong: ``last_acc`` is then None (no epoch measured one)."""
    if not epochs:
        return None if not_a_number is None else {"where": not_a_number, "what": "stopped being a number",
                                                  "last_acc": None, "jumps": []}
    k = max(k, 2)
    chance = 1 / k
    fin = [v for v in tl if finite(v)]
    last_acc = ta[-1] if finite(ta[-1]) else chance
    jumps = loss_jumps(epochs, tl)
    bad_number = len(fin) < len(tl) or not_a_number is not None
    rose = len(fin) >= 2 and fin[-1] > fin[0] * 1.1
    near_guess = last_acc < chance + 0.25 * (1 - chance)
    # one epoch's average loss above guessing is a cold start, not evidence (QA: a 1-epoch run at 0.003 "grew huge",
    # the same recipe then reaching 100 %): only a loss that is not a number says so from one epoch
    peak = fin.index(max(fin)) if fin else 0
    # exploded: far above guessing at some epoch (a first epoch at 9 where guessing gives 2.3), then stuck at
    # guessing for STUCK_EPOCHS epochs or more: the weights were blown apart, the loss only fell back to what a
    # dead network gives
    exploded = bool(fin) and max(fin) > 2 * math.log(k) and near_guess and len(fin) - 1 - peak >= STUCK_EPOCHS
    # huge: far above guessing at the end, over more than one epoch, and not come down to half of where it started
    huge = len(fin) >= 2 and fin[-1] > 3 * math.log(k) and fin[-1] > fin[0] / 2
    if not (bad_number or (rose and near_guess) or (jumps and near_guess) or exploded or huge):
        return None
    where = next((epochs[i] for i, v in enumerate(tl) if not finite(v)), not_a_number or (
        jumps[0] if jumps else epochs[tl.index(max(fin))] if exploded else epochs[0]))
    what = ("stopped being a number" if bad_number else
            f"grew huge (up to {max(fin):.3g})" if huge
            else f"exploded (up to {max(fin):.3g}; guessing gives {math.log(k):.3g})" if exploded
            else "went up instead of down")
    return {"where": where, "what": what, "last_acc": last_acc, "jumps": jumps}


def learned_little(last_acc: float, k: int) -> bool:
    """Whether a training accuracy of ``last_acc`` (at the last epoch) on ``k`` classes is underfitting: less than
    half of the way from guessing to all right (see the module doc: it outranks overfitting)."""
    chance = 1 / max(k, 2)
    return last_acc < chance + 0.5 * (1 - chance)


def barely_moved(tl: list, k: int) -> bool:
    """Whether the training loss barely moved (see the module doc); never a loss that went up or jumped on the way
    (a rate too high, never one too low)."""
    fin = [v for v in tl if finite(v)]
    if len(fin) < 2 or fin[-1] > fin[0] or loss_jumps(list(range(len(tl))), tl):
        return False  # one epoch's loss is nothing to compare: it cannot have barely moved
    fell = fin[0] - fin[-1]
    near_guessing = fin[-1] > 0.9 * math.log(max(k, 2)) and fell < BARELY_FELL * fin[0]
    return near_guessing or (len(fin) >= 3 and fell < 0.05 * fin[0])


def guessing(class_names: list[str], per_class: dict[str, int]) -> tuple[float, str | None]:
    """What guessing scores on pictures with these counts per class: ``(share, class)``, the class when always
    answering the commonest class scores more than one in the number of classes (None otherwise)."""
    k = max(len(class_names), 2)
    total = sum(per_class.get(c, 0) for c in class_names)
    if total:
        big = max(class_names, key=lambda c: (per_class.get(c, 0), c))
        share = per_class.get(big, 0) / total
        if share > 1 / k + 1e-9:
            return share, big
    return 1 / k, None


def at_guessing(accuracy: float, guess: float) -> bool:
    """Whether ``accuracy`` is no better than guessing, or barely (a tenth of the way from guessing to all right)."""
    return finite(accuracy) and accuracy <= guess + NEAR_GUESSING * (1 - guess) + 1e-9


__all__ = ["BARELY_FELL", "GAP_WIDE", "REMEDY", "RISE_EPOCHS", "STUCK_EPOCHS", "at_guessing", "barely_moved", "finite",
           "epoch_words", "guessing", "kept_index", "learned_little", "loss_jumps", "not_a_number_epoch", "overfitting",
           "overfitting_words", "still_improving", "went_wrong"]

"""What a finished or stopped run means, in plain words, and what to do next.

:func:`advise` reads a run's own files (metrics.jsonl, evaluation.json, config.json, dataset.json), and of the
project's other runs only their learning rates and training curves (:func:`too_high_rate`), and returns a short
list of :class:`Advice`, most important first: each a finding (``kind``), how much it matters (``severity``:
high, medium, low, or ``good``), a sentence for people (``text``), the numbers it rests on (``evidence``) and one
concrete thing to do (``action``, or None). :func:`advise_from` is the same rules on
plain values (what the tests drive). It assembles and ranks the findings: those about the curves are here and in
:mod:`.advice_curves`, those about the data and the split the numbers come from in :mod:`.advice_data`, and a
finding's form (:class:`Advice`) and its printing in :mod:`.advice_output`.

An action is a dict ``{"id", "label", "page", ...}`` (:mod:`.advice_actions`: what each button sets). A button
that sets up a next run sets up this run again with its change (its design and settings first), and "Look at the
mistakes" names the run, the split and the two classes. Nothing else starts by itself: the GUI sets the settings and
shows the page, the user presses Train.

The numbers the findings about the data quote (the classes mixed up, a small class's recall, the verdict's score)
come from one split: the validation pictures the run held out, which are there for choosing what to do next, a run
trained with validation off (``--no-val``) included: it never trained on the project's validation pictures nor chose
on them (:func:`judged_on`). Never the test pictures, looked at or not (:mod:`cnnstudio.project.seen_scores`: test
pictures are for the end, and a test score that shapes the next run is no longer honest): a run without validation
pictures is judged on its training pictures alone, and says so (``no_validation``). Each such finding names its
split in its words and in its evidence (``"split"``: ``"val"``), so a page showing the test pictures can say so.

A run whose frozen backbone's head is fitted exactly (:func:`trains_by_epochs`) has no epochs: its "epochs" are the
strengths of regularisation it tried. The findings about curves (``diverged``, ``lr_spikes``, ``overfitting``,
``underfitting``, ``lr_low``, ``still_improving``, ``few_steps``) are left out for it; the findings about its data say
what helps it (more pictures: it is transfer learning already, sees no augmentation and weighs no classes). Fine-tuned
after it, only the fine-tuning's epochs are read (:func:`~.advice_reading.training_rows`), by every finding, and the
learning-rate findings read and name the rate they trained at, ``lr * fine_tune_lr_factor`` (:func:`trained_rate`,
:func:`rate_words`), offering no finder (it cannot measure a fine-tuning: :func:`~.lr_find.finder_refusal`). Their
words name its epochs as the Train page does, "fine-tuning epoch 1" (:meth:`~.head_rows.HeadRows.row`), their evidence
by the numbers of metrics.jsonl.

The rules, in the order they rank when equally severe:

- ``diverged`` (learning rate too high): a loss that is not a number, that ends above where it started, or
  that jumps up by half between epochs while accuracy stays near a guess, or that stays far above guessing over
  more than one epoch (:func:`.advice_curves.went_wrong`; one epoch's average above guessing is a cold start) ->
  lower the learning rate ten times; the learning-rate finder.
- ``at_chance``: the validation pictures (else the test pictures) scored no better than guessing, or barely, by a
  model that did learn its training pictures (one that did not is ``underfitting``) -> check the labels (the Data
  page's "Check data"): what it learned does not carry over, often because labels are wrong.
- ``overfitting``: training accuracy clearly above validation accuracy (more than 15 points, and above the
  validation accuracy's likely range for the number of validation pictures), or validation loss rising clearly over
  several epochs while the training loss falls (:func:`.advice_curves.overfitting`: "high" with both, or a clear gap
  over 25 points; its words never call the training pictures ahead where they are not); the epoch where it began
  -> augmentation, early stopping, transfer learning: only what the run does not do already
  (:func:`.advice_remedies.overfitting_remedy`; every finding's remedies follow :func:`.advice_remedies.unused`).
  Its numbers are
  the kept epoch's (the best on the validation pictures, which the Train page and the report show), and the last
  epoch's when that is another, each said with its epoch; "from about epoch N" is the first epoch after the kept one
  (:mod:`.advice_curves` defines both). Never beside ``underfitting``, which outranks it: a model that gets most
  of its own training pictures wrong has learned nothing by heart (the underfitting finding says its validation
  pictures did worse, and why that is chance then).
- ``underfitting``: training accuracy low (less than half of the way from guessing to all right) at the last epoch
  (:func:`.advice_curves.learned_little`) -> train longer, a larger model.
- ``lr_low``: the loss barely moved from a guess (:func:`.advice_curves.barely_moved`: a loss that fell far, 65 %,
  did move) -> raise the learning rate (:func:`.advice_actions.raised_lr`: ten times up to a usual rate, three
  times above it, and never up to a rate another run of the project with the same optimizer showed too high:
  :func:`too_high_rate`); the finder when there is no room left.
- ``still_improving``: the last epoch better than every earlier one (a tie is not) and the score still rose ->
  train 20 more epochs; never beside ``overfitting``, and never when every validation picture is right (100 %:
  nothing left to gain there). Of a frozen head fine-tuned after it: 20 more fine-tuning epochs than it trained
  (its strengths never counted), its ``fine_tune_epochs`` raised; of a head fitted exactly alone: never (it has no
  epochs, nor a checkpoint to resume: a run of it that ended without a model is trained again).
  A run stopped before its planned epochs is resumed instead ("Resume: train epochs 4 to 5"): "train longer"
  and "more epochs" are then the epochs it has still to train.
- ``few_steps``: fewer than 4 steps an epoch with a batch larger than the default recipe's for the run's training
  pictures (a batch of 64 on 33 pictures: one) -> batches of the recipe's size (:func:`.recipe.recipe_batch_size`).
- ``few_pictures`` / ``imbalance`` (with the small class's recall) / ``confused`` (the two classes most
  mixed up, from the confusion matrix). On validation pictures: "look at those pictures, maybe some are labelled
  wrong"; never so of test pictures (fixing labels only where the model erred would flatter later test scores):
  there it points to the data check, which looks at every picture alike.
- ``small_validation``: few validation (or test) pictures: each one is worth many points of accuracy; the
  Wilson interval says how far the score can be trusted.
- ``no_validation``: a run without validation pictures: judged on its training pictures only, said so; its test
  score is for the end (-> how to look at it once, on purpose, until it was), never a guide to the next run.
- ``good``: nothing above of high or medium severity -> try it on new pictures, export it; judged on the
  validation pictures when the run has them (its evaluation, else its kept epoch's validation score), never on its
  training pictures then.
- ``no_model``: the same verdict for a run that has no model to use (it failed, or was killed, before one was
  saved): never "ready to export" (prediction and export refuse it), but resume it from its last checkpoint.
"""

from __future__ import annotations

import math
from dataclasses import replace

from ...project import run_records
from ...project.counting import counted
from ...project.names import quoted
from ...project.run_checkpoint import saved_metrics
from ...project.seen_scores import score_seen
from ...project.store import Project
from ..train.settings import TrainSettings
from ..use.figures import percent, range_text
from ..use.intervals import accuracy_interval
from .advice_actions import MORE_EPOCHS, action, apply_action, for_run, raised_lr
from .advice_curves import (barely_moved, epoch_words, guessing, kept_index, learned_little, loss_jumps,
                            not_a_number_epoch, overfitting, overfitting_words, still_improving, went_wrong)
from .advice_curves import finite as _finite  # one rule for a usable number
from .advice_data import (SPLIT_WORDS, all_val_right, at_chance, best_epoch_score, data_findings, few_words,
                          has_images, judged_on, no_validation_words, small_validation)
from .advice_output import Advice, action_command, advice_json, advice_text, one_action_each
from .advice_reading import (class_counts, fine_tune_factor, read_evaluation, too_high_rate, training_rows,
                             trains_by_epochs, unfinished_run)
from .advice_remedies import RunUses, overfitting_remedy, run_uses, uses_of_config
from .head_rows import HeadRows, head_rows
from .lifecycle import read_config, read_metrics

SEVERITIES = ("high", "medium", "low", "good")
FEW_STEPS = 4  # steps an epoch below which a batch smaller than the run's is suggested
# findings about how training went (ranked before "good"); the others are about the data
MODEL_KINDS = ("diverged", "lr_spikes", "at_chance", "overfitting", "underfitting", "lr_low", "still_improving",
               "few_steps")


LR_HIGH = (0.1, 1.0)  # (Adam/AdamW, SGD): at or above this a loss stuck at guessing is not a rate too low

# ------------------------------------------------------------------ the rules
def advise_from(metrics: list[dict], evaluation: dict, settings: TrainSettings, class_names: list[str],
                counts: dict[str, dict[str, int]], unfinished: dict | None = None, *,
                model: bool = True, run: str | None = None, too_high: dict | None = None,
                by_epochs: bool = True, not_a_number: int | None = None, test_seen: bool = False,
                fine_tune: float | None = None, uses: RunUses | None = None, head: int = 0) -> list[Advice]:
    """The findings for a run from its values: ``metrics`` (metrics.jsonl rows), ``evaluation``
    (evaluation.json: ``{"val": {...}, "test": {...}}``), its ``settings``, its classes and the pictures per
    class and split (``counts[split][class]``); ``unfinished``: ``{"run", "planned"}`` for a run stopped before
    its planned epochs (:func:`unfinished_run`), whose "train longer" is to resume it; ``model``: whether the run
    has a model to use (False: it failed or was killed before saving one; never "ready to export" then); ``run``:
    its id, which the actions about it carry (:func:`~.advice_actions.for_run`); ``too_high``: ``{"lr", "run"}``,
    the lowest learning rate the project's other runs showed too high (:func:`too_high_rate`), which a raise stays
    below; ``by_epochs``: whether the run trained by epochs (:func:`trains_by_epochs`: False for a frozen backbone's
    head fitted exactly, whose findings about its curves are left out); ``not_a_number``: the epoch whose loss
    stopped being a number, which the run failed on (:func:`.advice_curves.not_a_number_epoch`: not in ``metrics``);
    ``test_seen``: whether the run's test score was looked at on purpose (:func:`~cnnstudio.project.seen_scores.
    score_seen`): no finding quotes the test pictures either way (:func:`judged_on`), only the words of
    ``no_validation`` follow it; ``fine_tune``: for a run whose
    ``metrics`` are a fine-tuning's (:func:`~.advice_reading.fine_tune_factor`), the factor its rate is the settings'
    times: the learning-rate findings read and name that rate, and offer no finder (:func:`~.lr_find.finder_refusal`
    cannot measure a fine-tuning); ``uses``: what the run does among the remedies the findings name
    (:func:`~.advice_remedies.uses_of_config`; None: read from ``settings``, a pretrained backbone only when not
    ``by_epochs``), which they never suggest (:func:`~.advice_remedies.unused`); ``head``: the rows before
    ``metrics`` (a frozen head's strengths of regularisation, before its fine-tuning: :func:`~.head_rows.head_rows`),
    whose epochs the words then name as the Train page does ("fine-tuning epoch 1": :meth:`~.head_rows.HeadRows.row`)
    and the evidence by their numbers in metrics.jsonl; "more epochs" of such a run are more fine-tuning epochs,
    counted without its strengths (``fine_tune_epochs``). A head fitted exactly and not by epochs is never offered
    more epochs nor a Resume (``unfinished`` is not read: it has no checkpoint, and is fitted again whole). Most
    important first."""
    out: list[Advice] = []
    k = max(len(class_names), 2)
    chance = 1 / k
    rows = [m for m in metrics if isinstance(m, dict) and "epoch" in m]
    tl = [m.get("train_loss") for m in rows]
    ta = [m.get("train_accuracy") for m in rows]
    vl = [m.get("val_loss") if settings.validation else None for m in rows]
    va = [m.get("val_accuracy") if settings.validation else None for m in rows]
    epochs = [int(m["epoch"]) for m in rows]
    has_val = any(_finite(v) for v in va)
    diverged = False
    frozen = not by_epochs  # a head fitted exactly: transfer learning already, no augmentation, no classes weighed
    uses = uses or run_uses(settings, transfer=frozen, features_only=frozen, exact=frozen)
    rate, named = trained_rate(settings, fine_tune), rate_words(settings, fine_tune)  # a fine-tuning's: its own
    # an epoch in words: a fine-tuning's as the Train page says it; a head fitted exactly has strengths, no epochs
    said = HeadRows(head, True).row if head else epoch_words if by_epochs else HeadRows(len(metrics), False).row
    if not by_epochs:  # nor a checkpoint to go on from: it is fitted again whole (seconds), never "resumed"
        unfinished = None
    tuning = bool(head or fine_tune)  # the epochs read are a frozen head's fine-tuning's: "more" of them is of those

    def more() -> tuple[str, dict]:
        """What "train longer" is for this run, and the words that go with it: the epochs a stopped run has left
        (Resume), else a new run with more epochs."""
        if unfinished and epochs and epochs[-1] < unfinished["planned"]:
            left = unfinished["planned"] - epochs[-1]
            rest = f"the other {left} epochs" if left > 1 else "the last one"
            return (f" It stopped after {said(epochs[-1])} of {unfinished['planned'] - head}: Resume trains {rest}.",
                    action("resume", settings, trained=epochs[-1], head=head, **unfinished))
        # a fine-tuned head: its fine-tuning's epochs alone, counted after its strengths (QA: "for 32 epochs (this one
        # had 12)" of 5 fine-tuning epochs after 7 strengths), and its fine-tuning's setting raised
        return "", action("train_more", settings, trained=epochs[-1], head=head, fine_tuning=tuning)

    # a head fitted exactly: its "epochs" are strengths of regularisation, its curves no training's (trains_by_epochs)
    curves = rows if by_epochs else []
    jumps = loss_jumps(epochs, tl) if curves else []
    # a loss that stopped being a number in the first epoch leaves no rows, yet is the surest sign (went_wrong)
    wrong = went_wrong(epochs, tl, ta, k, not_a_number) if curves or (by_epochs and not_a_number) else None
    if wrong is not None:
        diverged = True
        learned = (f"the model learned nothing ({percent(wrong['last_acc'])} right on its training pictures, guessing "
                   f"gives {percent(chance)})" if wrong["last_acc"] is not None else
                   "the run failed before its first epoch ended")
        finder = "" if fine_tune else ", or let the learning-rate finder pick one"
        out.append(Advice("diverged", "high",
                          f"Training went wrong: the loss {wrong['what']} from {said(wrong['where'])} and {learned}. "
                          f"{named[0].upper()}{named[1:]} is too high: lower it{finder}.",
                          {"train_loss": tl, "from_epoch": wrong["where"], "learning_rate": rate,
                           "train_accuracy": wrong["last_acc"]},
                          action("lower_lr", settings, fine_tune=fine_tune)))
    elif jumps:
        then = ("Lower it a little." if fine_tune else "The learning-rate finder can suggest one.")
        out.append(Advice("lr_spikes", "medium",
                          f"The training loss jumped up at {said(jumps[0])}: {named} may be a little high. {then}",
                          {"jump_epochs": jumps, "learning_rate": rate},
                          action("lower_lr", settings, fine_tune=fine_tune) if fine_tune else
                          action("lr_find", settings)))

    kept = kept_index(rows, va, vl) if has_val else None
    split, scored = judged_on(evaluation)
    if scored is None:  # validation not evaluated (stopped, failed): its kept epoch's score
        best = best_epoch_score(rows, va, counts, kept) if kept is not None else None
        split, scored = ("val", best) if best is not None else (split, scored)
    last_acc = ta[-1] if rows and _finite(ta[-1]) else 0.0
    # underfitting outranks overfitting (advice_curves.learned_little): one finding, never both
    under = bool(curves) and not diverged and learned_little(last_acc, k)
    n_val = sum((counts.get("val") or {}).values()) or None  # the likely range a gap must clear
    over = overfitting(epochs, tl, ta, vl, va, kept, n_val) if curves and has_val and not diverged else None
    noisy, over = (over is not None and under), (None if under else over)
    if over is not None:
        remedy, fix = overfitting_remedy(uses)  # only what the run does not do already
        act = action(fix, settings) if fix else None
        out.append(Advice("overfitting", over["severity"], overfitting_words(over, epochs, ta, va, remedy, said),
                          {"kept_epoch": epochs[over["kept"]], "train_accuracy": ta[over["kept"]],
                           "val_accuracy": va[over["kept"]], "gap": over["gap"],
                           "last_epoch": epochs[over["last"]], "last_train_accuracy": ta[over["last"]],
                           "last_val_accuracy": va[over["last"]], "last_gap": over["last_gap"],
                           "train_ahead": over["ahead"] or over["last_ahead"], "val_loss_rising": over["rising"],
                           "began_epoch": over["began"]}, act))

    if rows and not diverged:
        if under:
            val_part = f" and {percent(va[-1])} of the validation pictures" if has_val and _finite(va[-1]) else ""
            # the last epoch's numbers: said so when the run kept another (the one its pages show)
            last = said(epochs[-1]).removeprefix("epoch ")  # "(12)", a fine-tuning's "(fine-tuning epoch 5)"
            when = f" at its last epoch ({last})" if kept is not None and kept != len(rows) - 1 else ""
            note, act = more()
            # the validation pictures did worse than its training ones: too early, on too few, to be learning by heart
            aside = (" Its validation pictures did worse, but a model that gets so many of its own pictures wrong has "
                     "not learned them by heart: that is chance." if noisy else "")
            out.append(Advice("underfitting", "high",
                              f"The model has not learned much yet (underfitting): it gets {percent(last_acc)} of its "
                              f"training pictures right{val_part}{when}, and guessing gives {percent(chance)}. Train "
                              f"longer, use a larger model or a higher learning rate.{aside}{note}",
                              {"train_accuracy": last_acc, "val_accuracy": va[-1] if has_val else None,
                               "chance": chance, "epochs": len(rows), "overfitting_signs": noisy}, act))
        elif scored is not None:
            guess = at_chance(scored, split, ta, kept, class_names, counts, settings)
            out += [guess] if guess else []
        if curves and barely_moved(tl, k) and last_acc < 0.9 and rate < LR_HIGH[settings.optimizer == "sgd"]:
            out.append(_lr_low(tl, k, settings, too_high, fine_tune))

    # never beside overfitting: "more epochs" and "learning its pictures by heart" would contradict each other
    if len(curves) >= 2 and not diverged and over is None:
        series = va if has_val else [-v if _finite(v) else None for v in tl]
        rose = still_improving(series, epochs, has_val)
        # every validation picture right: nothing left to gain on them, whatever the curve did on the way
        all_right = has_val and rose is not None and (rose["to"] >= 1 - 1e-9 or all_val_right(evaluation))
        if rose is not None and not all_right:
            what = (f"it got {percent(rose['from'])} of the validation pictures right at {said(rose['from_epoch'])} "
                    f"and {percent(rose['to'])} at {said(epochs[-1])}, the last and its best" if has_val else
                    "the training loss was still falling at the last epoch")
            note, act = more()
            out.append(Advice("still_improving", "medium",
                              f"Still improving at the end: {what}. More {'fine-tuning ' if tuning else ''}epochs will "
                              f"probably help.{note}",
                              {"last_epoch": epochs[-1], "recent_gain": rose["gain"]}, act))

    steps = _few_steps(settings, counts) if curves else None  # a head fitted exactly takes no steps of a batch
    out += [steps] if steps else []

    data = data_findings(evaluation, settings, class_names, counts, by_epochs, uses)
    # a model that learned nothing mixes up every class: which two it mixes most says nothing about the data
    out += [a for a in data if not (diverged and a.kind == "confused")]
    if scored is None and not has_val and rows:  # judged on its training pictures alone: said so (never on test)
        out.append(Advice("no_validation", "low", no_validation_words(test_seen, has_images(evaluation.get("test"))),
                          {"test_seen": test_seen}, None))
    small = small_validation(scored, split, settings) if scored is not None else None
    out += [small] if small else []

    model_ok = not any(a.kind in MODEL_KINDS and a.severity in ("high", "medium") for a in out) and not any(
        a.kind == "imbalance" and a.severity == "medium" for a in out)
    if rows and model_ok:
        acc = scored["accuracy"] if scored else (ta[-1] if _finite(ta[-1]) else None)
        words = ""
        if scored is not None:
            lo, hi = accuracy_interval(scored["accuracy"], int(scored["images"]))
            at = f" at {said(scored['epoch'])}" if "epoch" in scored and by_epochs else ""
            words = (f" ({percent(scored['accuracy'])} of the {SPLIT_WORDS[split]} pictures "
                     f"right{at}, {range_text(lo, hi)} likely)")
        elif acc is not None:
            words = f" ({percent(acc)} of the training pictures right)"
        # too few pictures to tell it from guessing: no "went well" while its likely range reaches a guess
        guess = guessing(class_names, counts.get(split) or {})[0] if scored is not None else None
        unproven = guess is not None and lo <= guess
        verdict = (f"No warning signs in the training{words}, but too few {SPLIT_WORDS[split]} pictures to show it "
                   f"does better than guessing ({percent(guess)}): try it on new pictures, and add {SPLIT_WORDS[split]} "
                   "pictures before relying on it." if unproven else
                   f"Training went well{words}: this model is ready to try on new pictures and to export.")
        if model:
            out.append(Advice("good", "good", verdict
                              + (" The notes below say how to make it more reliable." if out else ""),
                              {"accuracy": acc, **({"split": split} if scored is not None else {})},
                              action("predict", settings)))
        else:
            out.append(_no_model(words, acc, epochs[-1], settings, unfinished, said, head))
    # the verdict on the training first (worst first), then "good", then what the data says (worst first)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out = [replace(a, action=for_run(a.action, run)) for a in out]
    ranked = sorted(out, key=lambda a: (0 if a.kind in MODEL_KINDS else 1 if a.kind in ("good", "no_model") else 2,
                                        order.get(a.severity, 9),
                                        MODEL_KINDS.index(a.kind) if a.kind in MODEL_KINDS else 0))
    # each action offered once, by the most important finding that asks for it (underfitting and still improving
    # both ask for more epochs)
    return one_action_each(ranked)


def trained_rate(settings: TrainSettings, fine_tune: float | None = None) -> float:
    """The learning rate the epochs the advice reads trained at: a fine-tuning's ``lr * fine_tune``
    (:func:`~.advice_reading.fine_tune_factor`), else the settings' own."""
    return settings.lr * (fine_tune or 1.0)


def rate_words(settings: TrainSettings, fine_tune: float | None = None) -> str:
    """The rate of :func:`trained_rate` named: "the learning rate (0.003)", or a fine-tuning's "the fine-tuning's
    learning rate (0.0003: 0.1 × the learning rate 0.003)"."""
    if not fine_tune:
        return f"the learning rate ({settings.lr:.3g})"
    tuned = trained_rate(settings, fine_tune)
    return f"the fine-tuning's learning rate ({tuned:.3g}: {fine_tune:g} × the learning rate {settings.lr:.3g})"


def _lr_low(tl: list, k: int, settings: TrainSettings, too_high: dict | None,
            fine_tune: float | None = None) -> Advice:
    """The finding "the learning rate may be too low": raise it (:func:`~.advice_actions.raised_lr`: modestly, and
    never up to a rate the project's runs showed too high), or the learning-rate finder when there is no room (none
    for a fine-tuning, which it cannot measure: ``fine_tune``, as :func:`advise_from`)."""
    fin = [v for v in tl if _finite(v)]
    cap = too_high["lr"] if too_high else None
    up = raised_lr(settings, cap, fine_tune or 1.0)
    seen = (f" Run {quoted(too_high['run'])} showed that {cap:.3g} is too high." if too_high else "")
    if up is not None:
        then = "Raise it a little." if fine_tune else "Raise it a little, or let the learning-rate finder pick one."
        act = action("raise_lr", settings, too_high=cap, fine_tune=fine_tune)
    else:
        then = ("There is little room to raise it." if fine_tune else
                "There is little room to raise it: let the learning-rate finder pick one.")
        act = None if fine_tune else action("lr_find", settings)
    return Advice("lr_low", "medium",
                  f"The loss barely moved (from {fin[0]:.3f} to {fin[-1]:.3f}; guessing gives {math.log(k):.3f}): "
                  f"{rate_words(settings, fine_tune)} may be too low.{seen} {then}",
                  {"train_loss": tl, "learning_rate": trained_rate(settings, fine_tune), "too_high": cap}, act)


def _few_steps(settings: TrainSettings, counts: dict[str, dict[str, int]]) -> Advice | None:
    """The finding "few steps an epoch": a batch larger than the default recipe's for the run's training pictures
    (:func:`~.recipe.recipe_batch_size`) that gave fewer than :data:`FEW_STEPS` steps an epoch (QA: a batch of 64 on
    33 pictures, one step); None otherwise, and for a batch Auto chose on a graphics card."""
    from ..train.step_rules import batches_per_epoch
    from .recipe import recipe_batch_size

    n = sum((counts.get("train") or {}).values())
    if not n or settings.auto_batch_size:
        return None
    steps, better = batches_per_epoch(n, min(settings.batch_size, n)), recipe_batch_size(n)
    if steps >= FEW_STEPS or better >= settings.batch_size:
        return None
    return Advice("few_steps", "low",
                  f"The model learned in only {counted(steps, 'step')} an epoch: each step looks at a batch of "
                  f"{min(settings.batch_size, n)} pictures, and it has {counted(n, 'training picture')}. Batches of "
                  f"{better} give it {batches_per_epoch(n, better)} steps an epoch: a small set of pictures learns "
                  "better in many small steps.",
                  {"batch_size": settings.batch_size, "train_pictures": n, "steps": steps, "suggested": better},
                  action("smaller_batch", settings, batch_size=better))


def _no_model(words: str, acc, trained: int, settings: TrainSettings, unfinished: dict | None,
              said=epoch_words, head: int = 0) -> Advice:
    """The verdict "good" for a run without a model (failed or killed before one was saved): it cannot be tried or
    exported, but resumed from its last checkpoint, which saves the model when it ends."""
    if unfinished:
        act = action("resume", settings, trained=trained, head=head, **unfinished)
        todo = ("Resume it from its last checkpoint to finish it: it saves the model when it ends, and then it can "
                "be tried on new pictures and exported.")
    else:
        act, todo = None, "Train it again to get a model that can be tried on new pictures and exported."
    return Advice("no_model", "medium",
                  f"Training was going well{words}, but this run has no model to use: it ended (failed, or was "
                  f"stopped by force) before one was saved, after {said(trained)}. {todo}",
                  {"accuracy": acc, "last_epoch": trained}, act)


# ------------------------------------------------------------------ a run in a project
def advise(project: Project, run_id: str, fresh: dict | None = None, looking_at_test: bool = False) -> list[Advice]:
    """The findings for a run of ``project`` (see the module doc); [] for a run that never trained.
    ``fresh``: evaluations just made and not (yet) in the run's evaluation.json, ``{split: Evaluation JSON}``
    (a read-only copy of a project could not keep them), laid over the saved ones: a fresh test one is a look on
    purpose, as ``looking_at_test`` (the Evaluate page on the test pictures) is, and as a test score seen before is
    (:func:`~cnnstudio.project.seen_scores.score_seen`): no finding quotes the test pictures even then
    (:func:`judged_on`), only ``no_validation`` says the look is the check at the end."""
    cfg, settings = read_config(project, run_id)
    metrics = read_metrics(project, run_id)
    info = run_records.get_run(project, run_id)
    not_a_number = not_a_number_epoch(info.summary.get("error"))
    if not metrics and not_a_number is None:  # a loss not a number in epoch 1 leaves no metrics, yet says much
        return []
    names, counts = class_counts(project, run_id)
    training = info.status in ("running", "created")  # its model comes at its end
    if not training:  # a run cut off between checkpoints: the epochs it kept, as its plots show (run_checkpoint)
        metrics = saved_metrics(info, metrics)
    rows = head_rows(cfg, metrics)  # a fine-tuned head: its epochs named after its strengths, as the Train page does
    metrics, by_epochs = training_rows(cfg, metrics, not_a_number)  # a fine-tuned head: the fine-tuning's epochs
    tune = fine_tune_factor(cfg)  # ... trained at lr times it
    return advise_from(metrics, {**read_evaluation(project, run_id), **(fresh or {})}, settings, names, counts,
                       unfinished_run(project, run_id, settings),
                       model=training or run_records.has_model(project, run_id), run=run_id,
                       too_high=too_high_rate(project, run_id, settings, len(names), tune), by_epochs=by_epochs,
                       not_a_number=not_a_number, fine_tune=tune, uses=uses_of_config(cfg, settings),
                       test_seen=looking_at_test or "test" in (fresh or {}) or score_seen(info.summary),
                       head=rows.head if rows is not None and rows.fine_tuned and by_epochs else 0)


__all__ = ["MORE_EPOCHS", "Advice", "action", "action_command", "advice_json", "advice_text", "advise", "advise_from",
           "apply_action", "class_counts", "few_words", "judged_on", "rate_words", "read_evaluation", "too_high_rate",
           "trained_rate", "trains_by_epochs", "unfinished_run"]

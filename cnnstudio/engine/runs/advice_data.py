"""The findings of :mod:`.advice` about a run's data and the pictures its numbers come from, on plain values: the split
they are judged on (:func:`judged_on`: the validation pictures the run held out, never its test pictures),
the kept epoch's validation score for a run its end never evaluated (:func:`best_epoch_score`), "no better than
guessing" (:func:`at_chance`), few pictures, unbalanced classes and two classes mixed up (:func:`data_findings`,
:func:`few_words`), and too few validation pictures to trust the score (:func:`small_validation`). The module doc of
:mod:`.advice` says each rule; :func:`.advice.advise_from` assembles them with the findings about the curves."""

from __future__ import annotations

from ...project.counting import counted
from ...project.names import quoted
from ..train.settings import TrainSettings
from ..use.figures import percent, range_text
from ..use.intervals import accuracy_interval
from .advice_actions import action
from .advice_curves import at_guessing, guessing, learned_little
from .advice_curves import finite as _finite  # one rule for a usable number
from .advice_output import Advice
from .advice_remedies import WEIGH, RunUses, help_words, run_uses, unused

SPLIT_WORDS = {"val": "validation", "test": "test"}
FEW_PICTURES = 30  # training pictures per class below which more pictures is the first thing to do
SMALL_VALIDATION = 100


def no_validation_words(test_seen: bool, has_test: bool = True) -> str:
    """What the advice says of a run with no validation pictures held out (the finding ``no_validation``): its
    findings rest on its training pictures only, and its test score (``has_test``: it has test pictures) is not what
    to judge it on: kept for the end before it is looked at (how to look, once), the check at the end after
    (``test_seen``), never a guide to the next run."""
    first = ("This run has no validation pictures, so these notes judge it on its training pictures only, which say "
             "little about new pictures.")
    if has_test and not test_seen:
        return (f"{first} Its test score is kept for the end: look at it once, on purpose, when you have chosen this "
                "run (the Evaluate page with “Test pictures”, or cnnstudio evaluate --split test).")
    end = " Its test score is the check at the end, not a guide to what to change next:" if has_test else ""
    return (f"{first}{end} To compare changes, train with validation on (the default): it holds pictures back to "
            "choose by.")


def has_images(ev) -> bool:
    return isinstance(ev, dict) and bool(ev.get("images"))


def judged_on(evaluation: dict) -> tuple[str, dict | None]:
    """The split the findings' numbers come from and its evaluation: the validation pictures the run held out,
    evaluated at its end; ``("val", None)`` without them: the findings then rest on the training pictures alone.
    Never the test pictures, looked at or not (QA: a run trained with validation off, its test score looked at, was
    advised on it, "7 of their 12 test pictures", and its next run shaped by it): they are looked at once, at the
    end, and a test score that chooses what to change next is no longer honest.

    A run trained with validation off (``--no-val``) holds out the project's validation pictures all the same: it
    never trains on them and nothing chose its epoch on them (the last one is kept), so their score, evaluated at its
    end (lifecycle), is an honest one to judge it on."""
    val = evaluation.get("val")
    return ("val", val) if has_images(val) else ("val", None)


def all_val_right(evaluation: dict) -> bool:
    """Whether the run's evaluation on its validation pictures got every one right."""
    split, scored = judged_on(evaluation)
    return split == "val" and scored is not None and _finite(scored.get("accuracy")) and scored["accuracy"] >= 1 - 1e-9


def best_epoch_score(rows: list[dict], va: list, counts: dict[str, dict[str, int]], kept: int) -> dict | None:
    """``{"images", "accuracy", "epoch"}``: the validation score of the run's kept epoch (``kept``, an index of
    ``rows``: :func:`~.advice_curves.kept_index`), for a run its end never evaluated; None without validation
    pictures."""
    n = sum((counts.get("val") or {}).values())
    if not n:
        return None
    return {"images": n, "accuracy": float(va[kept]), "epoch": int(rows[kept]["epoch"])}


def at_chance(scored: dict, split: str, ta: list, kept: int | None, class_names: list[str],
               counts: dict[str, dict[str, int]], settings: TrainSettings) -> Advice | None:
    """The finding "no better than guessing" (:func:`~.advice_curves.at_guessing`) on the split the findings are
    judged on, or None: the model learned its training pictures (underfitting says so when it did not) but nothing
    that carries over to other pictures: often labels that are wrong, or classes the pictures cannot tell apart."""
    guess, big = guessing(class_names, counts.get(split) or {})
    if not at_guessing(scored.get("accuracy"), guess):
        return None
    name = SPLIT_WORDS[split]
    how = f"always answering {quoted(big)} gets {percent(guess)}" if big else f"guessing gives {percent(guess)}"
    i = kept if kept is not None else len(ta) - 1
    train = f"It gets {percent(ta[i])} of its training pictures right, but what" if _finite(ta[i]) else "What"
    learned = f"{train} it learned does not carry over to other pictures."
    # learned little at its last epoch too: never said of a run by epochs (underfitting is); a head fitted exactly
    if all(_finite(v) and learned_little(v, len(class_names)) for v in (ta[i], ta[-1])):
        learned = (f"It gets only {percent(ta[i])} of its training pictures right too: it found nothing that tells the "
                   "classes apart.")
    return Advice("at_chance", "high",
                  f"The model does no better than guessing on the {name} pictures: it gets {percent(scored['accuracy'])} "
                  f"of them right, and {how}. {learned} Often some "
                  f"labels are wrong, or the pictures do not show what tells the classes apart: check the labels "
                  f"first.",
                  {"split": split, "accuracy": scored["accuracy"], "chance": guess, "images": scored["images"]},
                  action("check_data", settings))


def few_words(train: dict[str, int], small: str) -> str:
    """Which classes have fewer than :data:`FEW_PICTURES` training pictures, in one sentence that names none of
    them alone when all are short ("Every class has only 14 training pictures.", "“0” and 9 other classes have
    fewer than 30 training pictures (“0” has only 14)."). ``small``: the class with the fewest."""
    short = [c for c in train if train[c] < FEW_PICTURES]
    n = train[small]
    only = f"only {counted(n, 'training picture')}"
    if len(short) == len(train) > 1:
        if len(set(train.values())) == 1:
            return f"Every class has {only}."
        return f"Every class has fewer than {FEW_PICTURES} training pictures ({quoted(small)} has {only})."
    if len(short) == 1:
        return f"{quoted(small)} has {only}."
    return (f"{quoted(small)} and {counted(len(short) - 1, 'other class', 'other classes')} have fewer than "
            f"{FEW_PICTURES} training pictures ({quoted(small)} has {only}).")


def data_findings(evaluation: dict, settings: TrainSettings, class_names: list[str],
                  counts: dict[str, dict[str, int]], by_epochs: bool = True,
                  uses: RunUses | None = None) -> list[Advice]:
    """The findings about the data (few pictures, unbalanced classes, two classes mixed up). ``by_epochs``: False
    for a frozen backbone's head fitted exactly (:func:`~.advice_reading.trains_by_epochs`), which already is
    transfer learning, sees no augmentation and weighs no classes: more pictures is then what helps.
    ``uses``: what the run does (:class:`~.advice_remedies.RunUses`): the
    remedies named are the others."""
    out: list[Advice] = []
    uses = uses or run_uses(settings, transfer=not by_epochs, features_only=not by_epochs, exact=not by_epochs)
    split, ev = judged_on(evaluation)
    ev = ev or {}
    train = {c: counts.get("train", {}).get(c, 0) for c in class_names}
    if train:
        small = min(train, key=lambda c: (train[c], c))
        if train[small] < FEW_PICTURES:
            out.append(Advice("few_pictures", "medium",
                              f"{few_words(train, small)} 50 to 100 per class is a good start" + help_words(uses),
                              {"train_per_class": train}, action("add_pictures", settings, label_name=small)))
        big = max(train, key=lambda c: (train[c], c))
        if train[small] and train[big] >= 3 * train[small]:
            recall = (ev.get("per_class") or {}).get(small, {}).get("recall")
            eff = (f" It finds only {percent(recall)} of the {quoted(small)} {SPLIT_WORDS[split]} pictures."
                   if _finite(recall) else "")
            weigh = bool(unused(uses, (WEIGH,)))  # not weighed yet, and weighing would reach its training
            act = action("balance", settings) if weigh else action("add_pictures", settings, label_name=small)
            todo = (f"Weigh the classes equally or add {quoted(small)} pictures." if weigh else
                    f"Add {quoted(small)} pictures." if uses.can_weigh else
                    f"Add {quoted(small)} pictures: weighing the classes does not change a frozen backbone's last "
                    "layer, fitted exactly.")
            out.append(Advice("imbalance", "medium" if (_finite(recall) and recall < 0.8) else "low",
                              f"The classes are unbalanced ({quoted(big)} has {train[big]} training pictures, "
                              f"{quoted(small)} only {train[small]}).{eff} {todo}",
                              {"train_per_class": train, "small_class": small, "small_class_recall": recall,
                               **({"split": split} if _finite(recall) else {})}, act))
    cm = ev.get("confusion_matrix") or []
    names = ev.get("classes") or class_names
    best = None
    for a in range(len(cm)):
        for b in range(a + 1, len(cm)):
            mixed = cm[a][b] + cm[b][a]
            total = sum(cm[a]) + sum(cm[b])
            if mixed >= 2 and total and mixed / total >= 0.1 and (best is None or mixed > best[0]):
                best = (mixed, a, b, total)
    if best is not None:
        mixed, a, b, total = best
        then = ("Look at those pictures: maybe some are labelled wrong, or more examples of the difference are "
                "needed.")  # validation pictures (judged_on): never the test ones, whose labels are not for fixing
        out.append(Advice("confused", "low",
                          f"{quoted(names[a])} and {quoted(names[b])} are mixed up most often ({mixed} of their "
                          f"{total} {SPLIT_WORDS[split]} pictures). {then}",
                          {"classes": [names[a], names[b]], "mixed_up": mixed, "pictures": total, "split": split},
                          action("look_at_mistakes", settings, classes=[names[a], names[b]], split=split)))
    return out


def small_validation(scored: dict, split: str, settings: TrainSettings) -> Advice | None:
    """The finding "few validation (or test) pictures" on the split the findings are judged on (:func:`judged_on`):
    each one is worth many points of accuracy, and the Wilson interval says how far the score can be trusted; None
    from :data:`SMALL_VALIDATION` pictures on."""
    if scored["images"] >= SMALL_VALIDATION:
        return None
    n = int(scored["images"])
    lo, hi = accuracy_interval(scored["accuracy"], n)
    name = SPLIT_WORDS[split]
    return Advice("small_validation", "medium" if n < 30 else "low",
                  f"Only {n} {name} pictures: each one is worth {100 / n:.1f} points of accuracy, so the "
                  f"{percent(scored['accuracy'])} measured could really be anywhere in {range_text(lo, hi)}. "
                  f"More {name} pictures make the score trustworthy.",
                  {"split": split, "images": n, "accuracy": scored["accuracy"], "interval": [lo, hi]},
                  action("add_pictures", settings, split=name))


__all__ = ["FEW_PICTURES", "SMALL_VALIDATION", "SPLIT_WORDS", "all_val_right", "at_chance", "best_epoch_score",
           "data_findings", "few_words", "has_images", "judged_on", "no_validation_words", "small_validation"]

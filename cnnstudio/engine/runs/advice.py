"""What a finished or stopped run means, in plain words, and what to do next.

:func:`advise` reads a run's own files only (metrics.jsonl, evaluation.json, config.json, dataset.json) and
returns a short list of :class:`Advice`, most important first: each a finding (``kind``), how much it matters
(``severity``: high, medium, low, or ``good``), a sentence for people (``text``), the numbers it rests on
(``evidence``) and one concrete thing to do (``action``, or None). :func:`advise_from` is the same rules on
plain values (what the tests drive).

An action is a dict ``{"id", "label", "page", ...}`` (:mod:`.advice_actions`: what each button sets). A button
that sets up a next run sets up this run again with its change (its design and settings first), and "Look at the
mistakes" names the run, the split and the two classes. Nothing else starts by itself: the GUI sets the settings and
shows the page, the user presses Train.

The numbers the findings about the data quote (the classes mixed up, a small class's recall, the verdict's score)
come from one split: the validation pictures, which are there for choosing what to do next; the test pictures only
for a run that has none (:func:`judged_on`). Each such finding names its split in its words and in its evidence
(``"split"``: ``"val"`` or ``"test"``), so a page showing the other split can say so.

The rules, in the order they rank when equally severe:

- ``diverged`` (learning rate too high): a loss that is not a number, that ends above where it started, or
  that jumps up by half between epochs while accuracy stays near a guess -> lower the learning rate ten
  times; the learning-rate finder.
- ``overfitting``: training accuracy far above validation accuracy, or validation loss rising while the
  training loss falls; the epoch where it began -> augmentation, early stopping, transfer learning.
- ``underfitting``: training accuracy low (not far from guessing) -> train longer, a larger model.
- ``lr_low``: the loss barely moved from a guess -> raise the learning rate; the finder.
- ``still_improving``: the best epoch is the last and the score still rose -> train 20 more epochs; never when
  every validation picture is right (100 %: nothing left to gain there).
  A run stopped before its planned epochs is resumed instead ("Resume: train epochs 4 to 5"): "train longer"
  and "more epochs" are then the epochs it has still to train.
- ``few_pictures`` / ``imbalance`` (with the small class's recall) / ``confused`` (the two classes most
  mixed up, from the confusion matrix). On validation pictures: "look at those pictures, maybe some are labelled
  wrong"; never so of test pictures (fixing labels only where the model erred would flatter later test scores):
  there it points to the data check, which looks at every picture alike.
- ``small_validation``: few validation (or test) pictures: each one is worth many points of accuracy; the
  Wilson interval says how far the score can be trusted.
- ``good``: nothing above of high or medium severity -> try it on new pictures, export it; judged on the
  validation pictures when the run has them (its evaluation, else its best epoch's validation score), never on its
  training pictures then.
- ``no_model``: the same verdict for a run that has no model to use (it failed, or was killed, before one was
  saved): never "ready to export" (prediction and export refuse it), but resume it from its last checkpoint.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from ...project import run_records
from ...project.counting import counted
from ...project.run_records import EVALUATION, run_dir
from ...project.store import Project
from ..train.settings import TrainSettings
from ..use.figures import percent, range_text
from ..use.intervals import accuracy_interval
from .advice_actions import MORE_EPOCHS, action, apply_action, for_run
from .lifecycle import read_config, read_dataset, read_json, read_metrics

SEVERITIES = ("high", "medium", "low", "good")
SPLIT_WORDS = {"val": "validation", "test": "test"}
FEW_PICTURES = 30  # training pictures per class below which more pictures is the first thing to do
SMALL_VALIDATION = 100
# findings about how training went (ranked before "good"); the others are about the data
MODEL_KINDS = ("diverged", "lr_spikes", "overfitting", "underfitting", "lr_low", "still_improving")


@dataclass(frozen=True)
class Advice:
    kind: str
    severity: str  # high | medium | low | good
    text: str
    evidence: dict
    action: dict | None = None

    def to_json(self) -> dict:
        return asdict(self)


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _pct(v: float) -> str:
    """A share as every number of the app is written (figures.percent: "96.7%", never "97%" beside it)."""
    return percent(v)


LR_HIGH = (0.1, 1.0)  # (Adam/AdamW, SGD): at or above this a loss stuck at guessing is not a rate too low

# ------------------------------------------------------------------ the rules
def advise_from(metrics: list[dict], evaluation: dict, settings: TrainSettings, class_names: list[str],
                counts: dict[str, dict[str, int]], unfinished: dict | None = None, *,
                model: bool = True, run: str | None = None) -> list[Advice]:
    """The findings for a run from its values: ``metrics`` (metrics.jsonl rows), ``evaluation``
    (evaluation.json: ``{"val": {...}, "test": {...}}``), its ``settings``, its classes and the pictures per
    class and split (``counts[split][class]``); ``unfinished``: ``{"run", "planned"}`` for a run stopped before
    its planned epochs (:func:`unfinished_run`), whose "train longer" is to resume it; ``model``: whether the run
    has a model to use (False: it failed or was killed before saving one; never "ready to export" then); ``run``:
    its id, which the actions about it carry (:func:`~.advice_actions.for_run`). Most important first."""
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

    def more() -> tuple[str, dict]:
        """What "train longer" is for this run, and the words that go with it: the epochs a stopped run has left
        (Resume), else a new run with more epochs."""
        if unfinished and epochs and epochs[-1] < unfinished["planned"]:
            left = unfinished["planned"] - epochs[-1]
            rest = f"the other {left} epochs" if left > 1 else "the last one"
            return (f" It stopped after epoch {epochs[-1]} of {unfinished['planned']}: Resume trains {rest}.",
                    action("resume", settings, trained=epochs[-1], **unfinished))
        return "", action("train_more", settings, trained=epochs[-1])

    if rows:
        finite = [v for v in tl if _finite(v)]
        last_acc = ta[-1] if _finite(ta[-1]) else chance
        jumps = [epochs[i] for i in range(1, len(tl)) if _finite(tl[i]) and _finite(tl[i - 1])
                 and tl[i] > 1.5 * min(v for v in tl[:i] if _finite(v)) and tl[i] - tl[i - 1] > 0.1]
        bad_number = len(finite) < len(tl)
        rose = len(finite) >= 2 and finite[-1] > finite[0] * 1.1
        near_guess = last_acc < chance + 0.25 * (1 - chance)
        # exploded: far above guessing at some epoch (a first epoch at 9 where guessing gives 2.3), then stuck at
        # guessing: the weights were blown apart, the loss only fell back to what a dead network gives
        exploded = bool(finite) and max(finite) > 2 * math.log(k) and near_guess
        if bad_number or (rose and near_guess) or (jumps and near_guess) or exploded \
                or (finite and finite[-1] > 3 * math.log(k)):
            diverged = True
            where = next((epochs[i] for i, v in enumerate(tl) if not _finite(v)),
                         jumps[0] if jumps else epochs[tl.index(max(finite))] if exploded else epochs[0])
            what = ("stopped being a number" if bad_number else
                    f"grew huge (up to {max(finite):.3g})" if finite and finite[-1] > 3 * math.log(k)
                    else f"exploded (up to {max(finite):.3g}; guessing gives {math.log(k):.3g})" if exploded
                    else "went up instead of down")
            out.append(Advice("diverged", "high",
                              f"Training went wrong: the loss {what} from epoch {where} and the model learned "
                              f"nothing ({_pct(last_acc)} right on its training pictures, guessing gives "
                              f"{_pct(chance)}). The learning rate ({settings.lr:.3g}) is too high: lower it, or let "
                              f"the learning-rate finder pick one.",
                              {"train_loss": tl, "from_epoch": where, "learning_rate": settings.lr,
                               "train_accuracy": last_acc},
                              action("lower_lr", settings)))
        elif jumps:
            out.append(Advice("lr_spikes", "medium",
                              f"The training loss jumped up at epoch {jumps[0]}: the learning rate "
                              f"({settings.lr:.3g}) may be a little high. The learning-rate finder can suggest one.",
                              {"jump_epochs": jumps, "learning_rate": settings.lr}, action("lr_find", settings)))

    if rows and has_val and not diverged:
        gaps = [(a - v) if _finite(a) and _finite(v) else None for a, v in zip(ta, va)]
        gap = gaps[-1] if gaps[-1] is not None else 0.0
        fin_vl = [(e, v) for e, v in zip(epochs, vl) if _finite(v)]
        rising = False
        began = None
        if len(fin_vl) >= 3:
            best_e, best_v = min(fin_vl, key=lambda t: t[1])
            i_best = epochs.index(best_e)
            if fin_vl[-1][1] > best_v * 1.25 + 0.02 and _finite(tl[-1]) and _finite(tl[i_best]) \
                    and tl[-1] < tl[i_best] and best_e < epochs[-1]:
                rising, began = True, best_e + 1
        if gap > 0.15 or rising:
            if began is None:
                began = next((e for e, g in zip(epochs, gaps) if g is not None and g > 0.1), epochs[-1])
            if not settings.augment.enabled:
                act = action("augment", settings)
            elif settings.early_stopping_patience == 0:
                act = action("early_stopping", settings)
            else:
                act = action("transfer", settings)
            why = (f"it gets {_pct(ta[-1])} of its training pictures right but only {_pct(va[-1])} of the "
                   f"validation pictures" if gap > 0.15 else
                   "the validation loss has been rising while the training loss kept falling")
            out.append(Advice("overfitting", "high" if gap > 0.25 or rising else "medium",
                              f"The model is learning its training pictures by heart (overfitting) from about "
                              f"epoch {began}: {why}. More pictures, augmentation, a smaller model or more dropout, "
                              f"or early stopping help.",
                              {"train_accuracy": ta[-1], "val_accuracy": va[-1], "gap": gap,
                               "val_loss_rising": rising, "began_epoch": began}, act))

    if rows and not diverged:
        last_acc = ta[-1] if _finite(ta[-1]) else 0.0
        if last_acc < chance + 0.5 * (1 - chance):
            val_part = f" and {_pct(va[-1])} of the validation pictures" if has_val and _finite(va[-1]) else ""
            note, act = more()
            out.append(Advice("underfitting", "high",
                              f"The model has not learned much yet (underfitting): it gets {_pct(last_acc)} of its "
                              f"training pictures right{val_part}, and guessing gives {_pct(chance)}. Train longer, "
                              f"use a larger model or a higher learning rate.{note}",
                              {"train_accuracy": last_acc, "val_accuracy": va[-1] if has_val else None,
                               "chance": chance, "epochs": len(rows)}, act))
        finite = [v for v in tl if _finite(v)]
        # a loss that went up, or jumped on the way, is a rate too high (lr_spikes), never one too low
        barely = finite and not jumps and finite[-1] <= finite[0] and \
            (finite[-1] > 0.9 * math.log(k) or (len(finite) >= 3 and abs(finite[0] - finite[-1]) < 0.05 * finite[0]))
        if barely and last_acc < 0.9 and settings.lr < LR_HIGH[settings.optimizer == "sgd"]:
            out.append(Advice("lr_low", "medium",
                              f"The loss barely moved (from {finite[0]:.3f} to {finite[-1]:.3f}; guessing gives "
                              f"{math.log(k):.3f}): the learning rate ({settings.lr:.3g}) may be too low. Raise it, "
                              f"or let the learning-rate finder pick one.",
                              {"train_loss": tl, "learning_rate": settings.lr}, action("raise_lr", settings)))

    if len(rows) >= 2 and not diverged:
        series = va if has_val else [-v if _finite(v) else None for v in tl]
        fin = [(e, v) for e, v in zip(epochs, series) if _finite(v)]
        if len(fin) >= 2:
            best = max(v for _, v in fin)
            back = fin[max(0, len(fin) - 4)][1]
            gain = fin[-1][1] - back
            # every validation picture right: nothing left to gain on them, whatever the curve did on the way
            all_right = has_val and (fin[-1][1] >= 1 - 1e-9 or _all_right(evaluation, settings))
            if fin[-1][1] >= best - 1e-9 and gain > (0.02 if has_val else 0.05 * abs(back)) and not all_right:
                what = (f"validation accuracy rose from {_pct(back)} to {_pct(fin[-1][1])} in the last epochs"
                        if has_val else "training loss was still falling")
                note, act = more()
                out.append(Advice("still_improving", "medium",
                                  f"Still improving at the end: the {what}, and the last epoch was the best. "
                                  f"More epochs will probably help.{note}",
                                  {"last_epoch": epochs[-1], "recent_gain": gain}, act))

    data = _data_findings(evaluation, settings, class_names, counts)
    # a model that learned nothing mixes up every class: which two it mixes most says nothing about the data
    out += [a for a in data if not (diverged and a.kind == "confused")]
    split, scored = judged_on(evaluation, settings)
    if split != "val" or scored is None:  # validation not evaluated (stopped, failed): its best epoch's score
        best = _best_epoch_score(rows, va, counts) if has_val else None
        split, scored = ("val", best) if best is not None else (split, scored)
    if scored is not None and scored["images"] < SMALL_VALIDATION:
        n = int(scored["images"])
        lo, hi = accuracy_interval(scored["accuracy"], n)
        name = SPLIT_WORDS[split]
        out.append(Advice("small_validation", "medium" if n < 30 else "low",
                          f"Only {n} {name} pictures: each one is worth {100 / n:.1f} points of accuracy, so the "
                          f"{_pct(scored['accuracy'])} measured could really be anywhere in {range_text(lo, hi)}. "
                          f"More {name} pictures make the score trustworthy.",
                          {"split": split, "images": n, "accuracy": scored["accuracy"], "interval": [lo, hi]},
                          action("add_pictures", settings, split=name)))

    model_ok = not any(a.kind in MODEL_KINDS and a.severity in ("high", "medium") for a in out) and not any(
        a.kind == "imbalance" and a.severity == "medium" for a in out)
    if rows and model_ok:
        acc = scored["accuracy"] if scored else (ta[-1] if _finite(ta[-1]) else None)
        words = ""
        if scored is not None:
            lo, hi = accuracy_interval(scored["accuracy"], int(scored["images"]))
            at = f" at epoch {scored['epoch']}" if "epoch" in scored else ""
            words = (f" ({percent(scored['accuracy'])} of the {SPLIT_WORDS[split]} pictures "
                     f"right{at}, {range_text(lo, hi)} likely)")
        elif acc is not None:
            words = f" ({_pct(acc)} of the training pictures right)"
        if model:
            out.append(Advice("good", "good",
                              f"Training went well{words}: this model is ready to try on new pictures and to export."
                              + (" The notes below say how to make it more reliable." if out else ""),
                              {"accuracy": acc, **({"split": split} if scored is not None else {})},
                              action("predict", settings)))
        else:
            out.append(_no_model(words, acc, epochs[-1], settings, unfinished))
    # the verdict on the training first (worst first), then "good", then what the data says (worst first)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out = [replace(a, action=for_run(a.action, run)) for a in out]
    return sorted(out, key=lambda a: (0 if a.kind in MODEL_KINDS else 1 if a.kind in ("good", "no_model") else 2,
                                      order.get(a.severity, 9)))


def judged_on(evaluation: dict, settings: TrainSettings) -> tuple[str, dict | None]:
    """The split the findings' numbers come from and its evaluation: the validation pictures (a run trained with
    validation, evaluated on them), else the test pictures; ``("val", None)`` when neither was evaluated."""
    val = evaluation.get("val") if settings.validation else None
    if isinstance(val, dict) and val.get("images"):
        return "val", val
    test = evaluation.get("test")
    if isinstance(test, dict) and test.get("images"):
        return "test", test
    return "val", None


def _all_right(evaluation: dict, settings: TrainSettings) -> bool:
    """Whether the run's evaluation on its validation pictures got every one right."""
    split, scored = judged_on(evaluation, settings)
    return split == "val" and scored is not None and _finite(scored.get("accuracy")) and scored["accuracy"] >= 1 - 1e-9


def _best_epoch_score(rows: list[dict], va: list, counts: dict[str, dict[str, int]]) -> dict | None:
    """``{"images", "accuracy", "epoch"}``: the validation score of the run's best epoch (the last one marked best,
    else the highest), for a run its end never evaluated; None without validation pictures."""
    n = sum((counts.get("val") or {}).values())
    fin = [(r, v) for r, v in zip(rows, va) if _finite(v)]
    if not n or not fin:
        return None
    marked = [(r, v) for r, v in fin if r.get("is_best")]
    row, acc = marked[-1] if marked else max(fin, key=lambda t: t[1])
    return {"images": n, "accuracy": float(acc), "epoch": int(row["epoch"])}


def _no_model(words: str, acc, trained: int, settings: TrainSettings, unfinished: dict | None) -> Advice:
    """The verdict "good" for a run without a model (failed or killed before one was saved): it cannot be tried or
    exported, but resumed from its last checkpoint, which saves the model when it ends."""
    if unfinished:
        act = action("resume", settings, trained=trained, **unfinished)
        todo = ("Resume it from its last checkpoint to finish it: it saves the model when it ends, and then it can "
                "be tried on new pictures and exported.")
    else:
        act, todo = None, "Train it again to get a model that can be tried on new pictures and exported."
    return Advice("no_model", "medium",
                  f"Training was going well{words}, but this run has no model to use: it ended (failed, or was "
                  f"stopped by force) before one was saved, after epoch {trained}. {todo}",
                  {"accuracy": acc, "last_epoch": trained}, act)


def few_words(train: dict[str, int], small: str) -> str:
    """Which classes have fewer than :data:`FEW_PICTURES` training pictures, in one sentence that names none of
    them alone when all are short ("Every class has only 14 training pictures.", "'0' and 9 other classes have
    fewer than 30 training pictures ('0' has only 14)."). ``small``: the class with the fewest."""
    short = [c for c in train if train[c] < FEW_PICTURES]
    n = train[small]
    only = f"only {counted(n, 'training picture')}"
    if len(short) == len(train) > 1:
        if len(set(train.values())) == 1:
            return f"Every class has {only}."
        return f"Every class has fewer than {FEW_PICTURES} training pictures ('{small}' has {only})."
    if len(short) == 1:
        return f"'{small}' has {only}."
    return (f"'{small}' and {counted(len(short) - 1, 'other class', 'other classes')} have fewer than "
            f"{FEW_PICTURES} training pictures ('{small}' has {only}).")


def _data_findings(evaluation: dict, settings: TrainSettings, class_names: list[str],
                   counts: dict[str, dict[str, int]]) -> list[Advice]:
    out: list[Advice] = []
    split, ev = judged_on(evaluation, settings)
    ev = ev or {}
    train = {c: counts.get("train", {}).get(c, 0) for c in class_names}
    if train:
        small = min(train, key=lambda c: (train[c], c))
        if train[small] < FEW_PICTURES:
            out.append(Advice("few_pictures", "medium",
                              f"{few_words(train, small)} 50 to 100 per class is a good start; augmentation or "
                              "transfer learning help meanwhile.",
                              {"train_per_class": train}, action("add_pictures", settings, label_name=small)))
        big = max(train, key=lambda c: (train[c], c))
        if train[small] and train[big] >= 3 * train[small]:
            recall = (ev.get("per_class") or {}).get(small, {}).get("recall")
            eff = (f" It finds only {_pct(recall)} of the '{small}' {SPLIT_WORDS[split]} pictures."
                   if _finite(recall) else "")
            act = action("balance", settings) if settings.class_weights == "none" else \
                action("add_pictures", settings, label_name=small)
            out.append(Advice("imbalance", "medium" if (_finite(recall) and recall < 0.8) else "low",
                              f"The classes are unbalanced ('{big}' has {train[big]} training pictures, '{small}' "
                              f"only {train[small]}).{eff} Weigh the classes equally or add '{small}' pictures.",
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
        # test pictures are looked at, never corrected where the model erred: that would flatter later test scores
        then = ("Look at those pictures: maybe some are labelled wrong, or more examples of the difference are "
                "needed." if split == "val" else "More examples of the difference may be needed; to look for wrong "
                "labels, Check data on the Data page looks at every picture alike.")
        out.append(Advice("confused", "low",
                          f"'{names[a]}' and '{names[b]}' are mixed up most often ({mixed} of their {total} "
                          f"{SPLIT_WORDS[split]} pictures). {then}",
                          {"classes": [names[a], names[b]], "mixed_up": mixed, "pictures": total, "split": split},
                          action("look_at_mistakes", settings, classes=[names[a], names[b]], split=split)))
    return out


# ------------------------------------------------------------------ a run in a project
def class_counts(project: Project, run_id: str) -> tuple[list[str], dict[str, dict[str, int]]]:
    """A run's classes and its pictures per split and class (from dataset.json; held-out ones in val)."""
    names, entries = read_dataset(project, run_id)
    counts: dict[str, dict[str, int]] = {s: {c: 0 for c in names} for s in ("train", "val", "test")}
    for e in entries:
        counts.setdefault(e.split, {c: 0 for c in names})[e.label_name] += 1
    return names, counts


def read_evaluation(project: Project, run_id: str) -> dict:
    path = run_dir(project, run_id) / EVALUATION
    try:
        data = read_json(path) if path.exists() else {}
    except Exception:  # noqa: BLE001 - a damaged report gives advice from the curves alone
        return {}
    return data if isinstance(data, dict) else {}


def advise(project: Project, run_id: str, fresh: dict | None = None) -> list[Advice]:
    """The findings for a run of ``project`` (see the module doc); [] for a run that never trained.
    ``fresh``: evaluations just made and not (yet) in the run's evaluation.json, ``{split: Evaluation JSON}``
    (a read-only copy of a project could not keep them), laid over the saved ones."""
    _, settings = read_config(project, run_id)
    metrics = read_metrics(project, run_id)
    if not metrics:
        return []
    names, counts = class_counts(project, run_id)
    training = run_records.get_run(project, run_id).status in ("running", "created")  # its model comes at its end
    return advise_from(metrics, {**read_evaluation(project, run_id), **(fresh or {})}, settings, names, counts,
                       unfinished_run(project, run_id, settings),
                       model=training or run_records.has_model(project, run_id), run=run_id)


def unfinished_run(project: Project, run_id: str, settings: TrainSettings) -> dict | None:
    """``{"run", "planned"}`` for a run stopped (or failed, or killed) before the epochs it planned, which Resume
    finishes; None for a finished run (early stopping ends a run before its epochs too, and it cannot go on)."""
    info = run_records.get_run(project, run_id)
    if info.status not in ("stopped", "failed"):
        return None
    planned = info.summary.get("epochs_planned") or settings.epochs  # Auto epochs: the number it chose
    if not (isinstance(planned, int) and not isinstance(planned, bool) and planned > 0):
        return None
    return {"run": run_id, "planned": planned}


def advice_text(items: list[Advice], folder: str | None = None) -> str:
    """The findings as text for a terminal, one numbered paragraph each, each action as the command that does it
    where there is one (never a page or a button of the window). ``folder``: the project folder as the user wrote it
    (shell-quoted, to paste)."""
    if not items:
        return "No advice: this run has not trained an epoch yet."
    lines = []
    for i, a in enumerate(items, 1):
        lines.append(f"{i}. [{a.severity}] {a.text}")
        if a.action:
            command = action_command(a.action, folder)
            lines.append(f"   -> {a.action['label']}" + (f": {command}" if command else ""))
    return "\n".join(lines)


def action_command(act: dict, folder: str | None = None) -> str:
    """The command that does what an action's button does, or "" where none does it alone (e.g. "Weigh the classes
    equally": a setting of a --settings file)."""
    import shlex

    f = shlex.quote(str(folder)) if folder is not None else "DIR"
    kind, changes, run = act.get("id"), act.get("settings") or {}, act.get("run") or act.get("resume")
    if act.get("resume"):
        return f"cnnstudio train {f} --resume {act['resume']}"
    if kind == "train_more" and "epochs" in changes:
        return f"cnnstudio train {f} --epochs {changes['epochs']}"
    if kind in ("lower_lr", "raise_lr") and "lr" in changes:
        return f"cnnstudio train {f} --lr {changes['lr']:.3g}"
    if kind == "transfer" and act.get("preset"):
        return f"cnnstudio train {f} --preset {act['preset']}"
    if kind == "lr_find":
        return f"cnnstudio lr-find {f}"
    if kind == "add_pictures":
        return f"cnnstudio import {f} PICTURES"
    if kind == "look_at_mistakes":
        split = act.get("split")  # the pictures the advice counted: validation ones where there are any
        return (f"cnnstudio evaluate {f}" + (f" --run {run}" if run else "")
                + (f" --split {split}" if split in ("val", "train") else ""))
    if kind == "predict":
        return f"cnnstudio predict {f} PICTURES"
    return ""


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


def advice_json(items: list[Advice]) -> list[dict]:
    """The findings as JSON-able dicts (a loss that is not a number becomes null)."""
    return [_clean(a.to_json()) for a in items]


__all__ = ["MORE_EPOCHS", "Advice", "action", "action_command", "advice_json", "advice_text", "advise", "advise_from",
           "apply_action", "class_counts", "judged_on", "read_evaluation", "unfinished_run"]

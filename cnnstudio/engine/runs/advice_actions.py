"""What an advice button does (:mod:`.advice`): the action of each finding, the settings it sets, and the words the
Train page says once it has set them.

An action is a dict ``{"id", "label", "page", ...}``: the button's words, the workflow page it leads to (Data, Model,
Train, Evaluate, Predict), and what it sets: ``"settings"`` (the TrainSettings fields it changes, applied by
:func:`apply_action`), ``"preset"`` (a design for the Model page), ``"tool": "lr_find"`` or ``"resume"`` (a stopped
run's id: the Train page resumes it with its own settings, as its Resume button does); ``"tool": "check_data"``: the
Data page's "Check data", which looks for wrong labels among every picture alike ("Check the labels", the action of
a model no better than guessing).

An advice is about one run, so a button that sets up a next run ("Train a new run for 22 epochs (this one had 2)",
"Lower the learning rate", "Turn on augmentation", ...; :data:`NEXT_RUN`) sets up *that* run again with its change,
whatever the Model and Train pages held before: the action carries ``"run"`` (:func:`for_run`), the GUI puts the
run's design back (the runs list's "Use this design") and shows the run's own settings (:func:`next_settings`), then
the change, and says so (:func:`set_up_words`). "Look at the mistakes" carries the run and the split its numbers
come from, and the two classes: the Evaluate page lists those mistakes. Nothing starts by itself: the user presses
Start.

On the command line every action is a command (:func:`~.advice_output.action_command`): a next run's is
``cnnstudio train DIR --like RUN`` (the run's design and settings again) with the one option of its change
(``--epochs``, a fine-tuned frozen head's ``--fine-tune-epochs``, ``--lr``, ``--batch-size``, ``--augment`` of
:func:`augment_level`, ``--early-stopping``, ``--class-weights``).
"""

from __future__ import annotations

from ...project.names import quoted
from ..data.augment import AugmentSettings
from ..train.settings import SAFE_AUGMENT, TrainSettings

MORE_EPOCHS = 20
STRONGER_AUGMENT = {"rotation": 15.0, "translate": 0.15, "scale_min": 0.85, "scale_max": 1.15, "erasing": 0.25}
# the buttons that set up the advised run again with a change (its design and its settings first)
NEXT_RUN = ("train_more", "augment", "early_stopping", "lower_lr", "raise_lr", "balance", "lr_find", "smaller_batch")
FOR_A_RUN = NEXT_RUN + ("look_at_mistakes",)  # the actions that name their run
# where a run trained: never carried to a next run (the user's machine stays the user's choice)
WHERE_IT_TRAINED = ("device", "threads")
# not carried from the run to the Train page: where it trained, and what the design brings back on the Model page
# (augmentation, the input)
NOT_CARRIED = WHERE_IT_TRAINED + ("augment", "preprocess")
EARLY_STOPPING = 5  # "Turn on early stopping": epochs without a better model before it stops
# how much augmentation: none, a little (SAFE_AUGMENT), or stronger than the run's own (augment_level);
# `cnnstudio train --augment LEVEL` and the "augment" button's
AUGMENT_LEVELS = ("off", "safe", "strong")


def augment_level(current: AugmentSettings, level: str) -> AugmentSettings:
    """The augmentation of ``level`` (:data:`AUGMENT_LEVELS`) for settings whose augmentation is ``current``: "off"
    none, "safe" a little (SAFE_AUGMENT), "strong" the current one (a little where it is off) with larger turns,
    shifts and zooms and parts blanked out (:data:`STRONGER_AUGMENT`). Padding stays as it was."""
    if level == "off":
        return AugmentSettings(padding=current.padding)
    if level == "safe":
        return SAFE_AUGMENT
    if level == "strong":
        base = current if current.enabled else SAFE_AUGMENT
        return AugmentSettings.from_json({**base.to_json(), **STRONGER_AUGMENT})
    raise ValueError(f"unknown augmentation level {level!r}: use {', '.join(AUGMENT_LEVELS)}")


# every action a finding offers; each has a command too (advice_output.action_command), a test holds them to it
ACTION_KINDS = ("train_more", "resume", "augment", "early_stopping", "transfer", "lower_lr", "raise_lr", "lr_find",
                "smaller_batch", "balance", "add_pictures", "check_data", "look_at_mistakes", "predict")


def action(kind: str, settings: TrainSettings, **extra) -> dict:
    """The button for ``kind`` (one of :data:`ACTION_KINDS`) with what it sets, given the run's ``settings``."""
    if kind not in ACTION_KINDS:
        raise ValueError(f"unknown advice action {kind!r}")
    if kind == "train_more":  # a finished run cannot go on: a new run with more epochs than this one trained
        # ``head``: a frozen head's strengths before the epochs read (:func:`~.head_rows.head_rows`), never counted
        # as epochs; ``fine_tuning``: the epochs read are a fine-tuning's, so its setting is the one raised
        trained = int(extra.get("trained", 0)) - int(extra.get("head", 0))
        if extra.get("fine_tuning"):
            had = max(settings.fine_tune_epochs, trained, 1)
            epochs = had + MORE_EPOCHS
            return {"id": kind, "label": train_more_words(epochs, had, fine_tuning=True), "page": "Train",
                    "settings": {"fine_tune_epochs": epochs}}
        had = max(settings.epochs, trained, 1)
        epochs = had + MORE_EPOCHS
        return {"id": kind, "label": train_more_words(epochs, had), "page": "Train",
                "settings": {"epochs": epochs, "min_epochs": min(settings.min_epochs, epochs),
                             "max_epochs": max(settings.max_epochs, epochs)}}
    if kind == "resume":  # a run stopped before its planned epochs: it goes on where it stopped
        # ``head``: a frozen head's strengths before its fine-tuning, whose epochs are said as the Train page does
        head = int(extra.get("head", 0))
        first, last = int(extra["trained"]) + 1, int(extra["planned"])
        what = "fine-tuning epoch" if head else "epoch"
        epochs = f"{what} {last - head}" if first == last else f"{what}s {first - head} to {last - head}"
        label = f"Resume: train {epochs}" if first <= last else "Resume: finish it and save its model"
        return {"id": kind, "label": label, "page": "Train", "resume": extra["run"]}
    if kind == "augment":
        on = settings.augment.enabled
        level = "strong" if on else "safe"
        return {"id": kind, "label": "Make augmentation stronger" if on else "Turn on augmentation",
                "page": "Train", "settings": {"augment": augment_level(settings.augment, level).to_json()},
                "level": level}
    if kind == "early_stopping":
        return {"id": kind, "label": "Turn on early stopping", "page": "Train",
                "settings": {"early_stopping_patience": EARLY_STOPPING}}
    if kind == "transfer":
        return {"id": kind, "label": "Try transfer learning", "page": "Model", "preset": "mobilenet_v2_transfer"}
    if kind in ("lower_lr", "raise_lr"):
        # the rate its epochs trained at (a fine-tuning's: lr * fine_tune: advice_reading.fine_tune_factor), lowered
        # ten times and no higher than a rate that usually works (the default recipe's for Adam/AdamW), or raised;
        # the field's rate is the one that gives it
        factor = extra.get("fine_tune") or 1.0
        lr = min(settings.lr * factor / 10, usual_lr(settings.optimizer)) / factor if kind == "lower_lr" else \
            raised_lr(settings, extra.get("too_high"), factor) or settings.lr
        tuned = f" (fine-tuning at {lr * factor:.3g})" if extra.get("fine_tune") else ""
        return {"id": kind, "label": f"{'Lower' if kind == 'lower_lr' else 'Raise'} the learning rate to "
                f"{lr:.3g}{tuned}", "page": "Train", "settings": {"lr": lr}}
    if kind == "lr_find":
        return {"id": kind, "label": "Find a learning rate", "page": "Train", "tool": "lr_find"}
    if kind == "smaller_batch":  # advice: the recipe's batch for the run's training pictures (recipe_batch_size)
        batch = int(extra.get("batch_size") or max(1, settings.batch_size // 2))
        return {"id": kind, "label": f"Use batches of {batch} pictures", "page": "Train",
                "settings": {"batch_size": batch}}
    if kind == "balance":
        return {"id": kind, "label": "Weigh the classes equally", "page": "Train",
                "settings": {"class_weights": "balanced"}}
    if kind == "add_pictures":
        return {"id": kind, "label": "Add pictures", "page": "Data", **extra}
    if kind == "check_data":  # the Data page's "Check data": it looks at every picture's label alike
        return {"id": kind, "label": "Check the labels", "page": "Data", "tool": "check_data"}
    if kind == "look_at_mistakes":
        return {"id": kind, "label": "Look at the mistakes", "page": "Evaluate", **extra}
    if kind == "predict":
        return {"id": kind, "label": "Try it on new pictures", "page": "Predict"}
    raise ValueError(f"unknown advice action {kind!r}")


def usual_lr(optimizer: str) -> float:
    """A learning rate that usually works for ``optimizer``: the default recipe's for Adam/AdamW, 0.1 for SGD."""
    return 0.1 if optimizer == "sgd" else 3e-3


RAISE_ABOVE_USUAL = 3  # above a usual rate, a raise is this many times (below it, ten times)
BELOW_TOO_HIGH = 3  # a raise stays this many times below a rate the project's runs showed too high


def raised_lr(settings: TrainSettings, too_high: float | None = None, factor: float = 1.0) -> float | None:
    """The learning rate "Raise the learning rate" sets, or None when there is no room for a raise worth making (the
    learning-rate finder then). It raises the rate the run's epochs trained at, ``settings.lr`` times ``factor`` (a
    fine-tuning's: :func:`~.advice_reading.fine_tune_factor`; 1 for any other run): ten times while that stays within
    a rate that usually works (:func:`usual_lr`), else the larger of that rate and a modest
    :data:`RAISE_ABOVE_USUAL` times it; at most 1, and :data:`BELOW_TOO_HIGH` times below ``too_high``, a rate the
    project's own runs trained at and showed too high (QA: 0.003 raised to 0.03, which then was "too high: lower it
    to 0.003", back and forth). A raise of less than half the rate again is none. Returned as the settings' rate that
    gives it (the raised rate over ``factor``)."""
    lr, usual = settings.lr * factor, usual_lr(settings.optimizer)
    up = min(lr * 10 if lr * 10 <= usual else max(usual, lr * RAISE_ABOVE_USUAL), 1.0)
    if too_high is not None:
        up = min(up, too_high / BELOW_TOO_HIGH)
    return up / factor if up >= 1.5 * lr else None


def train_more_words(epochs: int, had: int, fine_tuning: bool = False) -> str:
    """The "train more" button's words, and the advice's in ``cnnstudio advise``: "Train a new run for 22 epochs (this
    one had 2)". A finished run cannot go on from where it is: the words say that the next run starts again, and
    trains more epochs than the advised one did (QA: "Train 20 more epochs" read as 20 added to this run).
    ``fine_tuning``: the epochs are a frozen head's fine-tuning's, "Train a new run for 23 fine-tuning epochs (this
    one had 3)" (QA: "for 32 epochs (this one had 12)" counted its head's 7 strengths as epochs)."""
    what = "fine-tuning epochs" if fine_tuning else "epochs"
    return f"Train a new run for {epochs} {what} (this one had {had})"


def for_run(act: dict | None, run_id: str | None) -> dict | None:
    """``act`` naming the run its advice is about (the actions of :data:`FOR_A_RUN`; the others as they are)."""
    if not act or not run_id or act.get("id") not in FOR_A_RUN:
        return act
    return {**act, "run": run_id}


def apply_action(settings: TrainSettings, act: dict | None) -> TrainSettings:
    """``settings`` with what the action's button sets (the same settings when it sets none)."""
    changes = (act or {}).get("settings") or {}
    if not changes:
        return settings
    d = settings.to_json()
    d.update(changes)
    return TrainSettings.from_json(d)


def next_settings(run_settings: dict, act: dict | None) -> dict:
    """What the Train page shows for the next run an action sets up: the advised run's own settings (its record's
    ``settings``: the learning rate, batch size, optimizer... of a tuning trial too) but where it trained, then the
    action's change (``augment`` among them goes to the Model page)."""
    out = {k: v for k, v in (run_settings or {}).items() if k not in NOT_CARRIED}
    out.update((act or {}).get("settings") or {})
    return out


def level_of(act: dict) -> str:
    """The augmentation level (:data:`AUGMENT_LEVELS`) an "augment" action sets: its ``level`` (an action kept from
    before it had one: "strong" when its words are "Make augmentation stronger")."""
    level = act.get("level")
    if level in AUGMENT_LEVELS:
        return level
    return "strong" if str(act.get("label", "")).startswith("Make") else "safe"


def _change_words(act: dict) -> str:
    kind, changes = act.get("id"), act.get("settings") or {}
    if kind == "train_more":
        if "fine_tune_epochs" in changes:
            return f"for {changes['fine_tune_epochs']} fine-tuning epochs"
        return f"for {changes['epochs']} epochs"
    if kind in ("lower_lr", "raise_lr"):
        return f"with the learning rate at {changes['lr']:.3g}"
    if kind == "smaller_batch":
        return f"with batches of {changes['batch_size']} pictures"
    return {"augment": "with stronger augmentation" if level_of(act) == "strong" else "with augmentation on",
            "early_stopping": "with early stopping on", "balance": "with the classes weighed equally",
            "lr_find": "for the learning-rate finder to measure"}.get(kind, "")


def set_up_words(run_name: str, act: dict, design: bool = True) -> str:
    """What the Train page says once an action set the advised run up again: "Set up from run “LeNet-5 · 4 epochs”:
    its design and settings, for 24 epochs. Press Start to train it." (``design``: its design was put back too)."""
    what = "its design and settings" if design else "its settings"
    change = _change_words(act)
    then = "" if act.get("id") == "lr_find" else " Press Start to train it."
    return f"Set up from run {quoted(run_name)}: {what}{', ' + change if change else ''}.{then}"


__all__ = ["ACTION_KINDS", "AUGMENT_LEVELS", "EARLY_STOPPING", "FOR_A_RUN", "MORE_EPOCHS", "NEXT_RUN",
           "WHERE_IT_TRAINED", "action", "apply_action", "augment_level", "for_run", "level_of", "next_settings",
           "raised_lr", "set_up_words", "train_more_words", "usual_lr"]

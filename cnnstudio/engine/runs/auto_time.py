"""Whether a finished run's Auto epochs used far less time than Auto may use, from the run's record: the one rule
(:func:`~cnnstudio.engine.train.settings.auto_fell_short`) applied to a run, for the Train page's finished line
(ui/train/run_words.py) and the result of ``cnnstudio train`` (cli/train_result.py), which each add their own way
to train that many epochs; and what Auto will do before Start at the pace the newest run of the design really
trained (:func:`auto_hint`).

Two figures, two true things (QA 5: the hint said "about 40 epochs, ~33 s" straight after a run that trained 15 in
29 s): a run's "pictures/s" counts its training steps only, not its validation and checkpoints, so the hint reads
the run's whole time per epoch instead (``train_seconds`` / ``epochs``); and the run itself chose its epochs from a
few batches timed at its start, which the hint cannot know, so it says that Start may choose otherwise."""

from __future__ import annotations

import math

from ...project.counting import counted
from ..errors import EngineError

from ..train.settings import (VAL_COST, TrainSettings, auto_epochs, auto_fell_short, auto_short_words, device_kind,
                              epoch_cap)
from .frozen_run import frozen_head_words


def fell_short(config: dict | None, device: str, epochs: int, seconds: float,
               reason: str = "completed") -> tuple[str, int] | None:
    """``(sentence, epochs that fit)`` for a run whose Auto epochs took less than a fifth of its time budget
    (:func:`~cnnstudio.engine.train.settings.auto_short_words`); None otherwise, and for a run told its epochs, one
    that stopped early (``reason``), a frozen backbone's head (it has no epochs to choose) or no readable ``config``
    (the run record's config). ``device``: the name its record keeps ("CPU (2 threads)", "NVIDIA H200"); ``epochs``
    and ``seconds``: what it trained (RunFinished's ``epochs`` and ``train_seconds``)."""
    if not isinstance(config, dict) or reason != "completed" or frozen_head_words(config) is not None:
        return None
    settings = config.get("settings")
    try:
        settings = TrainSettings.from_json(settings)
    except (EngineError, TypeError, ValueError):
        return None
    kind = device_kind(device)
    fit = auto_fell_short(settings, epochs, seconds, kind)
    return (auto_short_words(settings, epochs, seconds, kind), fit) if fit is not None else None


def run_pace(summary: dict | None) -> tuple[int, float] | None:
    """``(epochs, seconds)`` a finished run trained (its summary's ``epochs`` and ``train_seconds``); None without
    both."""
    if not isinstance(summary, dict):
        return None
    epochs, seconds = summary.get("epochs"), summary.get("train_seconds")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs <= 0:
        return None
    if not isinstance(seconds, (int, float)) or not (0 < seconds < math.inf):
        return None
    return epochs, float(seconds)


def _took(seconds: float, about: str = "") -> str:
    """A time in words: "under 1 s" (never "0 s"), "29 s", "2 min"; ``about`` ("~") goes before a figure, not
    before "under"."""
    if seconds < 1:
        return "under 1 s"
    return about + (f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min")


def auto_hint(settings: TrainSettings, train: int, val: int, pace: tuple[int, float] | None,
              device_type: str = "cpu") -> str:
    """What Auto will do, said before Start: "Auto: about 25 epochs, ~48 s, at the pace of the last run of this
    design (15 epochs in 29 s). …", by Auto's own rule (:func:`~cnnstudio.engine.train.settings.auto_epochs`) at
    the run's whole time per epoch, scaled to ``train`` and ``val`` pictures as the rule scales them. Without a
    ``pace`` (:func:`run_pace`): the rule in words."""
    cap = epoch_cap(settings, device_type)
    span = f"({settings.min_epochs} to {cap})"
    if pace is None or train <= 0:
        return (f"Auto: as many epochs as fit in about {settings.time_budget_s:.0f} s {span}, chosen after timing a "
                "few batches.")
    done, seconds = pace
    speed = done * (train + val * VAL_COST) / seconds  # pictures/s over whole epochs, validation included
    epochs = auto_epochs(settings, train, val, speed, device_type)
    took = epochs * seconds / done
    why = (" (the most Auto trains: your pictures are quick to learn from)" if epochs == cap
           else " (the fewest Auto trains)" if epochs == settings.min_epochs and took > settings.time_budget_s
           else "")
    return (f"Auto: about {counted(epochs, 'epoch')}, {_took(took, '~')}{why}, at the pace of the last run of this "
            f"design ({counted(done, 'epoch')} in {_took(seconds)}). An estimate: Start times a few batches first and decides from "
            f"them, so it may train more or fewer {span}.")


__all__ = ["auto_hint", "fell_short", "run_pace"]

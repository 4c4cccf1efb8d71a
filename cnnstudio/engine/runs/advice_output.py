"""The findings of :mod:`.advice` as a terminal prints them and as JSON: ``cnnstudio advise`` and ``cnnstudio report
--text`` (:func:`advice_text`, each action as the command that does it: :func:`action_command`) and ``--json``
(:func:`advice_json`)."""

from __future__ import annotations

import json
import math
import shlex
from dataclasses import asdict, dataclass
from typing import Any

from .advice_actions import EARLY_STOPPING, NEXT_RUN, level_of


@dataclass(frozen=True)
class Advice:
    """One finding of :mod:`.advice`: what it is (``kind``), how much it matters (``severity``), a sentence for
    people (``text``), the numbers it rests on (``evidence``) and one thing to do (``action``, or None)."""
    kind: str
    severity: str  # high | medium | low | good
    text: str
    evidence: dict
    action: dict | None = None

    def to_json(self) -> dict:
        return asdict(self)


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
    """The command that does what an action's button does. An action that sets up a next run of the advised run
    (:data:`~.advice_actions.NEXT_RUN`, naming it: ``"run"``) trains that run's own design and settings again with
    only the advised change, as the button does: ``cnnstudio train DIR --like RUN --lr 0.0003`` (QA: ``--lr 0.03``
    alone trained the Recommended design, not the advised LeNet-5). Every action of
    :func:`~.advice_actions.action` has a command ("" only for one it does not know)."""
    f = shlex.quote(str(folder)) if folder is not None else "DIR"
    kind, changes, run = act.get("id"), act.get("settings") or {}, act.get("run") or act.get("resume")
    if act.get("resume"):
        return f"cnnstudio train {f} --resume {shlex.quote(str(act['resume']))}"
    if kind in NEXT_RUN and kind != "lr_find":
        change = _train_change(act, changes)
        if change is not None:
            like = f" --like {shlex.quote(str(act['run']))}" if act.get("run") else ""
            return f"cnnstudio train {f}{like}{change}"
    if kind == "transfer" and act.get("preset"):
        return f"cnnstudio train {f} --preset {shlex.quote(str(act['preset']))}"
    if kind == "lr_find":  # the advised run's design and settings, as its train commands say them
        like = f" --like {shlex.quote(str(act['run']))}" if act.get("run") else ""
        return f"cnnstudio lr-find {f}{like}"
    if kind == "add_pictures":
        return f"cnnstudio import {f} PICTURES"
    if kind == "check_data":
        return f"cnnstudio doctor {f}"
    if kind == "look_at_mistakes":
        # the pictures the advice counted, named: validation ones where there are any; test ones only for a run
        # without them, whose plain `evaluate` is refused (a test look is on purpose, with --split test)
        split = act.get("split")
        return (f"cnnstudio evaluate {f}" + (f" --run {shlex.quote(str(run))}" if run else "")
                + (f" --split {split}" if split in ("val", "train", "test") else ""))
    if kind == "predict":
        return f"cnnstudio predict {f} PICTURES"
    return ""


def _train_change(act: dict, changes: dict) -> str | None:
    """The options of ``cnnstudio train`` that make an action's change (" --lr 0.0003"); None when it has none."""
    kind = act.get("id")
    if kind == "train_more" and "fine_tune_epochs" in changes:  # a frozen head's fine-tuning: its epochs alone
        return f" --fine-tune-epochs {changes['fine_tune_epochs']}"
    if kind == "train_more" and "epochs" in changes:
        return f" --epochs {changes['epochs']}"
    if kind == "smaller_batch" and "batch_size" in changes:
        return f" --batch-size {changes['batch_size']}"
    if kind in ("lower_lr", "raise_lr") and "lr" in changes:
        return f" --lr {changes['lr']:.3g}"
    if kind == "augment":
        return f" --augment {level_of(act)}"
    if kind == "early_stopping":
        return f" --early-stopping {changes.get('early_stopping_patience', EARLY_STOPPING)}"
    if kind == "balance":
        return f" --class-weights {changes.get('class_weights', 'balanced')}"
    return None


def one_action_each(items: list[Advice]) -> list[Advice]:
    """``items`` (most important first) with each action offered once: a later finding whose action does what an
    earlier one's does (the same kind and change, of the same run: all but its words, :func:`_does`) keeps its words
    and loses the action, so a list never offers the same button or command twice (QA: "Train a new run for 23
    epochs" under both "underfitting" and "still improving", each of which asks for more epochs)."""
    seen: set[str] = set()
    out = []
    for a in items:
        does = _does(a.action) if a.action else None
        if does is not None and does in seen:
            a = Advice(a.kind, a.severity, a.text, a.evidence, None)
        elif does is not None:
            seen.add(does)
        out.append(a)
    return out


def _does(act: dict) -> str:
    """What an action does, to tell two apart: every field but its label (the words)."""
    return json.dumps({k: v for k, v in act.items() if k != "label"}, sort_keys=True, default=str)


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


__all__ = ["Advice", "action_command", "advice_json", "advice_text", "one_action_each"]

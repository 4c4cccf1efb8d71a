"""The Tune page's state, Qt-free: the study being shown and the rules the page follows.

:class:`TuneState` is the study on the page (napari's ``components/dims.py`` to the page's widgets): its
name, objective and search space, one row per trial (the shape of
:func:`cnnstudio.engine.tune.results.trial_row`), the running trial's curve and the result once the study
ends. It is filled from :func:`cnnstudio.engine.tune.overview.show_study` (a study read back) and from the
study's events (:mod:`cnnstudio.engine.tune.events`) while it runs; the table and the plots only show
what it says (:meth:`TuneState.best_so_far`, :meth:`TuneState.slice`, :meth:`TuneState.front`).

The rules: which parameters a design can tune (:func:`tunable`; :func:`~cnnstudio.engine.tune.space.is_built_in_design`), what
"N more trials" asks of the engine (:func:`trials_budget`), which of a trial's settings go back to the
Train page (:func:`form_settings`), how values are written for people (``*_text``); the plots' axes are
:mod:`.plot_axes`; where a new search starts, in words, :mod:`.start_words`.
"""

from __future__ import annotations

import math
from typing import Any

from ...engine.runs.settings_words import setting_number
from ...engine.tune import events as T
from ...engine.tune.space import PARAMS, STRUCTURE
from ...engine.tune.words import search_name, shown_number, trial_words
from ...project.counting import counted
from ...engine.use.figures import percent
from ..sentence import sentence

STATE_WORDS = {"complete": "finished", "pruned": "stopped early", "failed": "failed", "running": "running",
               "waiting": "waiting"}
PRUNED_TIP = ("Stopped early: it was far behind the other trials after a few epochs, so it was stopped to save time "
              "for other settings. Its accuracy is the best it reached before that.")
OPTIMIZER_WORDS = {"adamw": "AdamW", "adam": "Adam", "sgd": "SGD"}
# the Train page's settings a trial's run carries back (its keys of SettingsForm.values()); early stopping
# stays the user's: the search turns it off only to compare trials over the same number of epochs
FORM_KEYS = ("epochs", "batch_size", "optimizer", "lr", "schedule", "weight_decay", "label_smoothing",
             "class_weights", "seed", "validation")


# ------------------------------------------------------------------ rules
def tunable(structure: bool) -> list[str]:
    """The parameters the form offers, in :data:`PARAMS` order; the structure ones only for the built-in design."""
    return [n for n in PARAMS if structure or n not in STRUCTURE]


def trials_budget(rows: list[dict], more: int | None) -> int | None:
    """The engine counts a study's trials as a whole (finished and pruned ones); the page asks for ``more``."""
    if more is None:
        return None
    return sum(1 for r in rows if r.get("state") in ("complete", "pruned")) + int(more)


def form_settings(settings) -> dict:
    """The Train page's form values (``SettingsForm.set_values``) of a trial's ``TrainSettings``."""
    return {k: getattr(settings, k) for k in FORM_KEYS}


# ------------------------------------------------------------------ words
def number_text(v: Any) -> str:
    """0.0003 -> "0.0003", 1e-06 -> "0.000001", 2.0 -> "2", 0.123456 -> "0.123" (3 significant digits)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if not math.isfinite(v):
        return "–"
    return setting_number(v)  # the one rule, as the Train page writes a run's settings


def parse_number(text: str) -> float | None:
    """A number a person typed ("0.001", "1e-4", "0,5"), or None."""
    try:
        v = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def value_text(name: str, v: Any) -> str:
    """A parameter's value for people."""
    if v is None:
        return "–"
    if name == "optimizer":
        return OPTIMIZER_WORDS.get(v, str(v))
    if name == "width" and isinstance(v, (int, float)):
        return f"×{v:.2f}".rstrip("0").rstrip(".")
    return number_text(v)


def accuracy_text(v: Any) -> str:
    return percent(v) if isinstance(v, (int, float)) and math.isfinite(v) else "–"


def seconds_text(s: Any) -> str:
    if not isinstance(s, (int, float)) or not math.isfinite(s):
        return "–"
    if s < 10:
        return f"{s:.1f} s"
    if s < 60:
        return f"{s:.0f} s"
    m, sec = divmod(int(round(s)), 60)
    return f"{m} min {sec:02d} s" if m < 60 else f"{m // 60} h {m % 60:02d} min"


def left_text(s: float) -> str:
    """Time left, in whole seconds: "45 s", "12 min 30 s", "1 h 05 min"."""
    s = int(max(0.0, s))
    if s < 60:
        return f"{s} s"
    m, sec = divmod(s, 60)
    return f"{m} min {sec:02d} s" if m < 60 else f"{m // 60} h {m % 60:02d} min"


def state_text(row: dict) -> str:
    """"finished", "running (epoch 2 of 10)", "stopped (time limit)", "failed (out of memory)"..."""
    word = STATE_WORDS.get(row.get("state"), str(row.get("state")))
    if row.get("state") == "running" and row.get("epoch"):
        return f"running (epoch {row['epoch']} of {row.get('epochs') or '?'})"
    reason = row.get("reason") or ""
    if row.get("stopped"):  # stopped from outside (time limit, Stop, its process gone), not failed by itself
        return {"stopped": "stopped", "time limit": "stopped (time limit)"}.get(reason, "stopped (its process "
                                                                                      "ended)")
    if row.get("state") == "failed" and reason and len(reason) <= 30:
        return f"failed ({reason})"
    return word


#: a trial stopped from outside, by why (engine/tune/results.py STOPPED_REASONS), in a tooltip's sentence
STOPPED_TIPS = {"stopped": "Stopped before its last epoch: the search was stopped (Stop, or Ctrl-C in a terminal).",
                "time limit": "Stopped before its last epoch: the search's time limit was reached."}


def reason_tip(row: dict) -> str:
    """A stopped or failed trial's tooltip, a sentence: why it stopped, or why it failed in the engine's words
    ("Failed: no CUDA graphics card is available on this computer."); "" for a trial with no reason."""
    reason = (row.get("reason") or "").strip()
    if row.get("stopped"):
        return STOPPED_TIPS.get(reason) or sentence(f"stopped before its last epoch: {reason or 'its process ended'}")
    if not reason:
        return ""
    return sentence(f"failed: {reason}") if row.get("state") == "failed" else sentence(reason)


def param_title(name: str) -> str:
    return PARAMS[name].title if name in PARAMS else name


def _finite(v) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None


# ------------------------------------------------------------------ the study on the page
class TuneState:
    """The study being shown (see the module doc). ``order``: trial numbers as the table lists them."""

    def __init__(self) -> None:
        self.budget_trials: int | None = None  # the running study's budget as the engine counts it (set_budget)
        self.budget_minutes: float | None = None
        self.clear()

    def set_budget(self, trials: int | None, minutes: float | None) -> None:
        """The budget of the search about to run: the study's trials in all (finished and pruned ones, counted as
        the engine counts them: :func:`trials_budget`) and this search's minutes; None for the one not given."""
        self.budget_trials, self.budget_minutes = trials, minutes

    def clear(self) -> None:
        self.study = ""
        self.objective = "accuracy"
        self.space: dict | None = None
        self.rows: dict[int, dict] = {}
        self.order: list[int] = []
        self.running: int | None = None
        self.live: list[tuple[int, float]] = []  # (epoch, validation accuracy) of the running (or last) trial
        self.live_number: int | None = None  # that trial
        self.live_epochs = 0
        self.summary: dict | None = None
        self.ended = ""  # trials | time | stopped, once the study ended
        self.searching = False  # the study runs now (from its StudyStarted to its end): see live_note

    # -- filling ----------------------------------------------------------------------------------
    def show(self, shown: dict) -> None:
        """A study read back (:func:`~cnnstudio.engine.tune.overview.show_study`)."""
        self.clear()
        self.study = shown.get("study", "")
        self.objective = shown.get("objective", "accuracy")
        self.space = shown.get("space")
        for row in shown.get("rows", []):
            self._put(dict(row))
        self.summary = {k: v for k, v in shown.items() if k not in ("rows", "space")}

    def apply(self, ev) -> int | None:
        """One event of a running study; returns the number of the trial it changed (None for the study)."""
        if isinstance(ev, T.StudyStarted):
            if ev.study != self.study or not ev.trials_before:
                self.clear()
            self.study, self.objective, self.space = ev.study, ev.objective, ev.space
            self.summary, self.ended, self.searching = None, "", True
            return None
        if isinstance(ev, T.TrialStarted):
            self.running, self.live, self.live_epochs, self.live_number = ev.number, [], 0, ev.number
            self._put({"number": ev.number, "state": "running", "run": ev.run_id, "val_accuracy": None,
                       "params": dict(ev.params), "seconds": None, "parameters": None, "reason": ""})
            return ev.number
        if isinstance(ev, T.TrialEpoch):
            row = self.rows.get(ev.number)
            acc = _finite(ev.val_accuracy)
            if ev.number == self.running:
                self.live.append((ev.epoch, acc if acc is not None else math.nan))
                self.live_epochs = ev.epochs
            if row is not None:
                row["epoch"], row["epochs"] = ev.epoch, ev.epochs
                if acc is not None and (row["val_accuracy"] is None or acc > row["val_accuracy"]):
                    row["val_accuracy"] = acc
            return ev.number
        if isinstance(ev, T.TrialEnded):
            old = self.rows.get(ev.number, {})
            acc = _finite(ev.val_accuracy)  # a stopped trial's is not finite: the best its epochs reached stays
            self._put({**old, "number": ev.number, "state": ev.state, "run": ev.run_id,
                       "val_accuracy": acc if acc is not None else old.get("val_accuracy"),
                       "val_loss": _finite(ev.val_loss),
                       "parameters": ev.parameters or None, "seconds": _finite(ev.seconds),
                       "params": dict(ev.params) or old.get("params", {}), "reason": ev.reason,
                       "stopped": ev.stopped, "epoch": None})
            if self.running == ev.number:
                self.running = None
            return ev.number
        if isinstance(ev, T.StudyEnded):
            self.summary, self.ended, self.running, self.searching = ev.summary, ev.reason, None, False
            for row in self.rows.values():  # the starting point, as the study knows it
                row["starting_point"] = row.get("starting_point", False) or (
                    (ev.summary.get("starting_point") or {}).get("number") == row["number"])
            return None
        return None

    def _put(self, row: dict) -> None:
        n = int(row["number"])
        if n not in self.rows:
            self.order.append(n)
            self.order.sort()
        self.rows[n] = row

    # -- reading ----------------------------------------------------------------------------------
    def row_at(self, i: int) -> dict:
        return self.rows[self.order[i]]

    def params(self) -> list[str]:
        """The searched parameters (the table's columns, the slice plot's choices), in :data:`PARAMS` order: the
        space's ranges and every parameter a trial has a value for (an earlier trial of the study may have
        searched one the space now leaves out), but for those the space fixes to one value."""
        space = self.space.get("params") if isinstance(self.space, dict) else None
        space = space if isinstance(space, dict) else {}
        names = {n for n, r in space.items() if isinstance(r, dict)}
        names |= {n for r in self.rows.values() for n in r.get("params", {}) if n not in space}
        return [n for n in PARAMS if n in names] + sorted(n for n in names if n not in PARAMS)

    @property
    def two_objectives(self) -> bool:
        return self.objective == "accuracy+size"

    def said(self) -> str:
        return (self.summary or {}).get("said", "")

    def best_number(self) -> int | None:
        best = (self.summary or {}).get("best")
        if best is not None:
            return best["number"]
        # while it runs, the engine's one rule over the rows (results.best_row); Optuna loaded only once needed
        from ...engine.tune.results import best_row

        row = best_row(list(self.rows.values()))
        return row["number"] if row is not None else None

    def progress_text(self, elapsed: float | None) -> str:
        """How far a running search is: the trial training, the trials done of the budget and the time left of its
        limit, ``elapsed`` seconds after it started ("Trial 4 is training: 3 of 20 trials done, 12 min 30 s left of
        15 minutes."). Done is what the engine counts against the budget: finished and pruned trials."""
        done = sum(1 for r in self.rows.values() if r.get("state") in ("complete", "pruned"))
        head = (f"{trial_words(self.running).capitalize()} is training" if self.running is not None
                else "Searching")
        parts = [f"{done} of {counted(self.budget_trials, 'trial')} done" if self.budget_trials is not None
                 else f"{counted(done, 'trial')} done"]
        if self.budget_minutes is not None and elapsed is not None:
            left = max(0.0, self.budget_minutes * 60 - elapsed)
            parts.append(f"{left_text(left)} left of {counted(self.budget_minutes, 'minute')}")
        return f"{head}: {', '.join(parts)}."

    def live_note(self) -> str:
        """What the running-trial plot says when it has nothing to draw: no search runs (or its first trial is
        starting), or the last trial ended before its first epoch did (pruned at the half-epoch look, or failed),
        so it has no curve."""
        n = self.live_number
        if n is None and not self.live:
            return "The first trial is starting…" if self.searching else "No search is running."
        if self.live or n is None or n == self.running:
            return ""
        row = self.rows.get(n) or {}
        acc = row.get("val_accuracy")
        if row.get("state") == "pruned":
            return ("Stopped early, part-way through its first epoch"
                    + (f" ({percent(acc)} right then)" if acc is not None else "") + ": no finished epoch to draw.")
        if row.get("state") == "failed":
            why = row.get("reason") or "failed"
            return f"Ended before its first epoch was done ({why if len(why) <= 60 else why[:59] + '…'})."
        return ""

    def best_so_far(self) -> tuple[list[int], list[float], list[int], list[float]]:
        """The best validation accuracy after each finished trial (a step line) and every finished trial's own; the
        trials by their numbers as people read them (from 1)."""
        xs, ys, px, py = [], [], [], []
        best = -math.inf
        for n in self.order:
            r = self.rows[n]
            if r["state"] != "complete" or r.get("val_accuracy") is None:
                continue
            px.append(shown_number(n))
            py.append(r["val_accuracy"])
            best = max(best, r["val_accuracy"])
            xs.append(shown_number(n))
            ys.append(best)
        return xs, ys, px, py

    def slice(self, name: str) -> dict:
        """One parameter against validation accuracy, for the finished and pruned trials: ``x``, ``y``,
        ``numbers``, ``pruned`` (each point's trial was stopped early: its accuracy is part-way), ``log`` (a log
        range), ``ticks`` (``[(x, label)]`` for a choice, else None), ``range`` (``(low, high)`` searched, else
        None)."""
        rng = (self.space or {}).get("params", {}).get(name) if isinstance(self.space, dict) else None
        choices = rng.get("choices") if isinstance(rng, dict) else None
        if choices is None and PARAMS.get(name) is not None and PARAMS[name].kind == "choice":
            choices = sorted({repr(r["params"].get(name)): r["params"].get(name) for r in self.rows.values()
                              if name in r.get("params", {})}.values(), key=str)
        xs, ys, nums, pruned = [], [], [], []
        for n in self.order:
            r = self.rows[n]
            v, acc = r.get("params", {}).get(name), r.get("val_accuracy")
            if r["state"] not in ("complete", "pruned") or acc is None or v is None:
                continue
            if choices is not None:
                if v not in choices:
                    continue
                v = choices.index(v)
            elif not isinstance(v, (int, float)):
                continue
            xs.append(float(v))
            ys.append(acc)
            nums.append(n)
            pruned.append(r["state"] == "pruned")
        ticks = [(float(i), value_text(name, c)) for i, c in enumerate(choices)] if choices is not None else None
        if (ticks is None and PARAMS.get(name) is not None and PARAMS[name].kind == "int" and isinstance(rng, dict)
                and _finite(rng.get("low")) is not None and _finite(rng.get("high")) is not None
                and rng["high"] - rng["low"] <= 12):  # a whole number: its values as the ticks
            ticks = [(float(i), str(i)) for i in range(int(rng["low"]), int(rng["high"]) + 1)]
        log = bool(isinstance(rng, dict) and rng.get("log")) and choices is None
        span = ((float(rng["low"]), float(rng["high"])) if isinstance(rng, dict) and choices is None
                and _finite(rng.get("low")) is not None and _finite(rng.get("high")) is not None else None)
        return {"x": xs, "y": ys, "numbers": nums, "pruned": pruned, "log": log, "ticks": ticks, "range": span}

    def front(self) -> tuple[list[dict], set[int]]:
        """The finished trials with a size and an accuracy, and the numbers of those no other trial beats on
        both (more accurate and no bigger, or as accurate and smaller): the Pareto front."""
        done = [r for n in self.order if (r := self.rows[n])["state"] == "complete"
                and r.get("val_accuracy") is not None and r.get("parameters")]
        front = set()
        for r in done:
            beaten = any((o["val_accuracy"] >= r["val_accuracy"] and o["parameters"] <= r["parameters"])
                         and (o["val_accuracy"] > r["val_accuracy"] or o["parameters"] < r["parameters"])
                         for o in done)
            if not beaten:
                front.add(r["number"])
        return done, front


def unique_name(base: str, taken) -> str:
    """``base``, or ``base-2``, ``base-3``... when a study of that name exists (names have a one-second clock)."""
    taken = set(taken)
    name, i = base, 2
    while name in taken:
        name, i = f"{base}-{i}", i + 1
    return name


def study_label(s: dict) -> str:
    """A study of :func:`~cnnstudio.engine.tune.overview.list_studies` in the page's list, by the one name a search
    has everywhere (:func:`~cnnstudio.engine.tune.words.search_name`: "Search 2 Dec 13:48:57")."""
    goal = ", accuracy and size" if s.get("objective") == "accuracy+size" else ""
    best = f", best {accuracy_text(s['best_val_accuracy'])}" if s.get("best_val_accuracy") is not None else ""
    return f"{search_name(s['study'])} ({counted(s['trials'], 'trial')}{best}{goal})"


def counts_text(summary: dict) -> str:
    """"5 trials: 3 finished, 1 stopped early, 1 stopped, 0 failed", the table's words: a trial the time limit or
    Stop ended is "stopped", not "failed" (the engine counts it among Optuna's failed, apart as ``stopped``); what
    "stopped early" means is the status line's tooltip (:data:`PRUNED_TIP`)."""
    stopped = summary.get("stopped", 0)
    return (f"{counted(summary.get('trials', 0), 'trial')}: {summary.get('complete', 0)} finished, "
            f"{summary.get('pruned', 0)} stopped early, " + (f"{stopped} stopped, " if stopped else "")
            + f"{summary.get('failed', 0) - stopped} failed")


def shown_text(summary: dict) -> str:
    """The status line of a search read back (chosen in the list): its counts, after why it ended when its trials
    kept failing (the words :func:`ended_text` said live)."""
    said = f"{counts_text(summary)}."
    return f"The search ended ({ENDED_WORDS['failing']}). {said}" if summary.get("ended_why") else said


def final_text(ev) -> str:
    """The status line while the final run trains (FinalStarted / FinalEpoch)."""
    if isinstance(ev, T.FinalStarted):
        return (f"Training {trial_words(ev.trial)}'s settings on all {counted(ev.train_images, 'training picture')} "
                f"({counted(ev.epochs, 'epoch')})…")
    return f"Training the best settings on all training pictures: epoch {ev.epoch} of {ev.epochs}…"


ENDED_WORDS = {"trials": "all trials are done", "time": "the time is up", "stopped": "stopped",
               "failing": "its trials kept failing"}  # why a search ended, in the status line


def ended_text(reason: str, summary: dict) -> str:
    """The status line once a study ended (:class:`~cnnstudio.engine.tune.events.StudyEnded`)."""
    why = ENDED_WORDS.get(reason, reason)
    again = "" if reason == "failing" else " Continue carries on the same search."  # the result says why it failed
    return f"The search ended ({why}). {counts_text(summary)}.{again}"

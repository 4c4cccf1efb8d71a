"""``cnnstudio tune --list`` and ``--show``, and the words they share with a search's result (``tune_cmds``): a
study's counts, a trial's state, a score in a column, the search's kept run and the command that looks at its test
score. Reading only: nothing here writes a study."""

from __future__ import annotations

import math

from .common import emit, shell_command


def _list(args, project) -> int:
    from ..engine.tune.overview import list_studies
    from ..engine.tune.words import search_name

    from ..project.counting import plural

    studies = [{**s, "name": search_name(s["study"])} for s in list_studies(project, args.storage)]  # the window's
    lines = [f"{s['study']:<28} {_search_name(s['study']):<26} {s['trials']:>4} {plural(s['trials'], 'trial'):<6}  "
             f"best {_pct(s['best_val_accuracy'])}  {s['started']}"
             for s in studies]
    if not lines:
        lines = [f"No studies yet: start one with: {shell_command('cnnstudio', 'tune', args.dir)}"]
    emit(args, {"studies": studies}, "\n".join(lines))
    return 0


def _search_name(study: str) -> str:
    """The name the window gives study ``study`` ("Search 2 Dec 14:42:54"), "" for a name given with --study (the
    window says "Search NAME": nothing more to say beside it)."""
    from ..engine.tune.words import search_name

    said = search_name(study)
    return "" if said == f"Search {study}" else said


def _named(study: str) -> str:
    """ "tune-20261202-144254 (Search 2 Dec 14:42:54)": the study's id, and beside it the one name the window and
    the runs list use."""
    said = _search_name(study)
    return f"{study} ({said})" if said else study


def _show(args, project) -> int:
    from ..engine.tune.overview import show_study

    shown = show_study(project, args.show, args.storage)
    lines = [_counts(shown)]
    from ..engine.tune.words import shown_number

    for t in shown["rows"]:
        lines.append(f"  trial {shown_number(t['number']):>3}  {_state(t['state'], t['reason']):<8} "
                     f"val {_pct(t['val_accuracy'])}  {_params(t['params'])}")
    lines.append(shown["said"])
    _look_at_test(shown, args.dir)
    lines += _look_line(shown)
    emit(args, shown, "\n".join(lines))
    return 0


#: why a trial was stopped (engine/tune/results.py STOPPED_REASONS), in this command's words: a stop is Ctrl-C here
#: or the Tune page's Stop button (a study is shared by both: --show cannot tell which)
STOPPED_WORDS = {"time limit": "time limit", "stopped": "Ctrl-C or Stop"}


#: a trial's state as Optuna names it, in the words of the counts line and of the runs ("2 finished, 0 pruned")
STATE_WORDS = {"complete": "finished"}


def _state(state: str, reason: str) -> str:
    """A trial's state in words, one word for each as the counts line says them: "finished" (Optuna's "complete"),
    "pruned", "failed"; "stopped (time limit)" / "stopped (Ctrl-C or Stop)" for a trial stopped from outside, which
    Optuna keeps as failed."""
    from ..engine.tune.results import STOPPED_REASONS

    if state == "failed" and reason in STOPPED_REASONS:
        return f"stopped ({STOPPED_WORDS.get(reason, reason)})"
    return STATE_WORDS.get(state, state)


def _counts(s: dict) -> str:
    """ "study NAME: 3 trials (2 finished, 0 pruned, 0 failed, 1 stopped (time limit))", the name the window gives
    it beside an id the app made (:func:`_named`)."""
    from ..project.counting import counted

    stopped = s.get("stopped", 0)
    text = (f"study {_named(s['study'])}: {counted(s['trials'], 'trial')} ({s['complete']} finished, "
            f"{s['pruned']} pruned, "
            f"{s['failed'] - stopped} failed")
    if stopped:
        why = [(n, STOPPED_WORDS.get(r, r)) for r, n in (s.get("stopped_reasons") or {}).items()]
        text += f", {stopped} stopped ({why[0][1] if len(why) == 1 else ', '.join(f'{n} {w}' for n, w in why)})"
    return text + ")"


def _pct(v) -> str:
    """A score in a column: the app's one rounding rule (figures.percent), "-" for none."""
    from ..engine.use.figures import percent

    return f"{percent(v):>6}" if isinstance(v, (int, float)) and math.isfinite(v) else "   -  "


def _params(p: dict) -> str:
    return "  ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in p.items())


def _look_at_test(out: dict, folder) -> None:
    """The command that looks at a run's test score on purpose (project/seen_scores.py), as ``"look_at_test"`` in
    the row of the search's model (:func:`_kept_run`: ``final`` when it finished, else the ``best`` trial), when its
    score was not looked at yet (``"test_seen": false``: the engine leaves its test figure out). Never for a trial
    when there is a final run: a trial's test score is not for choosing, as ``cnnstudio runs --json`` gives a
    search's trials no such command."""
    kept = _kept_run(out)
    for key in ("final", "best"):
        row = out.get(key)
        if kept and isinstance(row, dict) and row.get("run") == kept and row.get("test_seen") is False:
            row["look_at_test"] = shell_command("cnnstudio", "evaluate", folder, "--run", kept, "--split", "test")
            return


def _look_line(s: dict) -> list[str]:
    """The line after the words when the search's final run was not looked at on test pictures yet: the words say
    when (engine/tune/results.py LOOK_LATER), this says how."""
    look = (s.get("final") or {}).get("look_at_test")
    return [f"test score: look at it once you have chosen this model with: {look}"] if look else []


def _kept_run(s: dict) -> str:
    """The run a search keeps: its final run when that finished, else its best trial's ("" for none)."""
    final = s.get("final") or {}
    if final.get("state") == "finished" and final.get("run"):
        return final["run"]
    return (s.get("best") or {}).get("run", "")

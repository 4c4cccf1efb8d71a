"""Reading studies back: the project's list of studies, one study's trials and result (for ``--list``,
``--show`` and the Tune page). Reading never writes: a project without studies stays without a study file."""

from __future__ import annotations

import math

import optuna

from ...project.store import Project
from .results import STATES, accuracy_of, summarize, trial_row
from .storage import TuneError, open_storage


def list_studies(project: Project, storage: str | None = None) -> list[dict]:
    st = open_storage(project, storage, create=False)
    if st is None:
        return []
    out = []
    for s in optuna.get_all_study_summaries(st, include_best_trial=False):
        study = optuna.load_study(study_name=s.study_name, storage=st)
        trials = study.get_trials(deepcopy=False)
        accs = [accuracy_of(t) for t in trials if STATES.get(t.state) == "complete"]
        accs = [a for a in accs if math.isfinite(a)]
        out.append({"study": s.study_name, "trials": len(trials),
                    "best_val_accuracy": max(accs) if accs else None,
                    "objective": study.user_attrs.get("objective", "accuracy"),
                    "started": s.datetime_start.strftime("%Y-%m-%d %H:%M") if s.datetime_start else ""})
    return out


def load(project: Project, name: str, storage: str | None = None) -> optuna.Study:
    st = open_storage(project, storage, create=False)
    names = [s.study_name for s in optuna.get_all_study_summaries(st, include_best_trial=False)] if st else []
    if name not in names:
        have = f"the studies are {', '.join(names)}" if names else "this project has no studies yet"
        raise TuneError(f"there is no study called {name!r}; {have}")
    return optuna.load_study(study_name=name, storage=st)


def show_study(project: Project, name: str, storage: str | None = None) -> dict:
    study = load(project, name, storage)
    out = summarize(project, study)
    out["rows"] = [trial_row(project, t) for t in study.get_trials(deepcopy=False)]
    out["space"] = study.user_attrs.get("space")
    return out

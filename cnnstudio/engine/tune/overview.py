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


def study_base(project: Project, name: str, storage: str | None = None) -> dict:
    """What study ``name`` searches from, read back so that Continue carries on that search and not another: its
    stored space and objective, and the starting settings and design its trials were made from, as the inputs of
    :func:`.study.prepare` (``settings`` as JSON, ``spec`` (None for the built-in design) and ``preset``).

    The study keeps its space; the settings and design are read from a trial's run, the starting trial's first: a
    trial trains the starting settings with the searched ones changed (which every later trial sets again), the
    augmentation scaled by its strength (divided back out here) and, for the built-in design, the structure
    changed (a study that searches the structure starts from the built-in design again). The epochs per trial
    the study settled on are kept. Raises :class:`TuneError` when no trial's run can be read."""
    from ..errors import EngineError
    from ..runs.lifecycle import read_config
    from .results import EPOCHS_ATTR, START_TAG
    from .space import AUTO, STRUCTURE, is_built_in_design, scale_augment

    study = load(project, name, storage)
    space = study.user_attrs.get("space")
    trials = sorted(study.get_trials(deepcopy=False), key=lambda t: (not t.user_attrs.get(START_TAG), t.number))
    for t in trials:
        run_id = t.user_attrs.get("run")
        if not run_id:
            continue
        try:
            cfg, settings = read_config(project, run_id)
        except (EngineError, OSError, ValueError, TypeError):
            continue
        params = {**(t.user_attrs.get("fixed") or {}), **t.params}
        strength = params.get("augment")
        if isinstance(strength, (int, float)) and strength > 0:  # the starting settings' augmentation
            settings = settings.replace(augment=scale_augment(settings.augment, 1 / float(strength)))
        per_trial = study.user_attrs.get(EPOCHS_ATTR)
        if isinstance(space, dict) and space.get("epochs", AUTO) == AUTO and isinstance(per_trial, int):
            settings = settings.replace(epochs=per_trial)
        pp = settings.preprocess
        searched = isinstance(space, dict) and any(n in STRUCTURE for n in (space.get("params") or {}))
        spec = cfg.get("spec")
        built_in = searched or (isinstance(spec, dict) and is_built_in_design(spec, pp.height, pp.width, pp.channels))
        return {"study": name, "space": space, "objective": study.user_attrs.get("objective", "accuracy"),
                "settings": settings.to_json(), "spec": None if built_in else spec,
                "preset": "default" if built_in else None}
    raise TuneError("no trial of this search has a run to carry on from: start a new search")


def continued_base(project: Project, name: str | None, storage: str | None = None) -> dict | None:
    """What a search named ``name`` carries on from when it exists (:func:`study_base`, the Tune page's Continue
    reads the same), so that ``cnnstudio tune DIR --study NAME`` trains its later trials as the earlier ones were
    trained. None for a new name, or for a study no trial of which has a run here to carry on from (nothing it
    trained to stay comparable with: the search starts from what it is given)."""
    if not name:
        return None
    st = open_storage(project, storage, create=False)
    if st is None or name not in [s.study_name for s in optuna.get_all_study_summaries(st, include_best_trial=False)]:
        return None
    try:
        return study_base(project, name, storage)
    except TuneError:
        return None

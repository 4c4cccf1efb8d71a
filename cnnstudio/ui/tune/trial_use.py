""""Use these settings" on the Tune page: a trial's settings onto the Train page and its design (and augmentation)
onto the Model page, and the words that say where they went. After a search's last run on every training picture
(:mod:`cnnstudio.engine.tune.final`) that run, not the trial's, is the search's model: the words name it.

The words are Qt-free functions (:func:`final_model_words`, :func:`use_tip`, :func:`used_words`); :func:`use_trial`
hands the values to the two pages.
"""

from __future__ import annotations

from ...engine.tune.words import trial_words
from ...project.counting import counted
from ..sentence import sentence
from .tune_state import form_settings

USE_TIP = ("Copy the chosen trial's settings to the Train page (not its epochs: a trial's length is the search's "
           "budget, so the Train page keeps its own) and its design to the Model page")


def final_model(project, summary: dict | None) -> str:
    """The name of the search's model, its last run on every training picture, when that run finished; else ""."""
    from ...project import run_records

    final = (summary or {}).get("final") or {}
    if final.get("state") != "finished" or not final.get("run"):
        return ""
    info = run_records.find_run(project, final["run"])
    return info.name if info is not None else ""


FINAL_TIP = ("The best settings trained once more on every training picture, the ones the trials kept aside for "
             "validation included: the model this search gives you, on Evaluate and Predict")


#: Where the window looks at the search's model's test score, on purpose (project/seen_scores.py): the result's
#: words say when (engine/tune/results.py LOOK_LATER), this line says where.
LOOK_ON_EVALUATE = "look at its test score on the Evaluate page with “Test pictures”"


def final_model_words(name: str, test_seen: bool = False) -> str:
    """The one line under the result that names the search's model ("" without one; :data:`FINAL_TIP` says more),
    and where to look at its test score while that was not looked at yet (``test_seen`` False)."""
    if not name:
        return ""
    return f"The search's model: {name}." if test_seen else f"The search's model: {name}; {LOOK_ON_EVALUATE}."


def final_test_seen(summary: dict | None) -> bool:
    """Whether the search's model's test score was looked at on purpose (the summary's ``final`` says)."""
    return ((summary or {}).get("final") or {}).get("test_seen") is True


def use_tip(read_only: str, final_name: str) -> str:
    """"Use these settings"'s tooltip: why it is off in a project open for viewing only (``read_only``, the
    Train page's refusal), else what it does, and which run is the search's model when it has one."""
    if read_only:
        return sentence(read_only)
    if final_name:
        return (f"{USE_TIP}. The search's model, {final_name}, already trained the best settings on every training "
                "picture: it is on Evaluate and Predict.")
    return USE_TIP


def used_words(number: int, final_name: str = "", final_trial: int | None = None, searched=(),
               kept_epochs: int | None = None) -> str:
    """What the page says once a trial's settings are used: what was copied where (``searched``: the settings the
    search tried, by their names for people), that the Train page kept its own epochs (``kept_epochs``, 0: Auto; a
    trial's length is the search's budget, not a setting it found), and which run is on Evaluate and Predict (the
    search's model, when this is the trial it trained again on every training picture)."""
    what = f"settings ({', '.join(searched)})" if searched else "settings"
    said = (f"{trial_words(number).capitalize()}'s {what} are on the <a href='train'>Train page</a> and its design "
            f"and augmentation on the <a href='model'>Model page</a>.")
    if kept_epochs is not None:
        kept = counted(kept_epochs, "epoch") if kept_epochs else "Auto"
        said += (f" The Train page keeps its own epochs ({kept}): a trial's length was the search's budget, not a "
                 "setting it found.")
    if final_name and final_trial == number:
        return (f"{said} The search's model, {final_name}, trained them on every training picture: use that run on "
                f"Evaluate and Predict (the trial's own run learned from fewer pictures).")
    return f"{said} Its run is already on Evaluate and Predict."


def searched_titles(params: dict | None) -> list[str]:
    """The settings a trial's search tried (its row's ``params``), by their names for people, in the search's order:
    what "Use these settings" says it copied to the Train page (the structure and augmentation go with the design,
    onto the Model page)."""
    from ...engine.tune.space import PARAMS, STRUCTURE

    return [PARAMS[n].title for n in PARAMS if n in (params or {}) and n not in (*STRUCTURE, "augment")]


def use_trial(project, run_id: str, train_page, designer) -> int:
    """Trial run ``run_id``'s settings onto the Train page (saved), but for its epochs, and its design and
    augmentation onto the Model page; returns the epochs the Train page kept (0: Auto). A trial's epochs are the
    search's budget (every trial trains as long), not a setting the search found: copying them would make the next
    real training as short as a trial. Raises EngineError, OSError or KeyError when its record cannot be read."""
    from ...engine.model.spec import ModelSpec
    from ...engine.runs.lifecycle import read_config

    cfg, settings = read_config(project, run_id)
    spec = ModelSpec.from_json(cfg["spec"])
    form = train_page.settings_form
    kept = form.values()
    form.set_values({**kept, **form_settings(settings), "epochs": kept["epochs"]})
    form.save()
    if spec.to_json() != designer.spec().to_json():
        designer.set_spec(spec)
    if settings.augment.to_json() != designer.augment().to_json():
        designer.set_augment(settings.augment.to_json())
    return int(kept["epochs"] or 0)

"""What the Model and Train pages keep in a project, read without Qt: what the Train page's Start would train.

The Model page stores its design (project meta :data:`~cnnstudio.engine.model.design.META_SPEC`, a ModelSpec's
JSON), its input settings (:data:`~cnnstudio.engine.model.design.META_PREPROCESS`: size, colours, resize,
normalisation) and its augmentation (:data:`~cnnstudio.engine.model.design.META_AUGMENT`); the Train page stores its
form (:data:`META_SETTINGS`: epochs, batch size, optimiser, learning rate...; a value it lacks is the default
recipe's for the project's pictures, :func:`~cnnstudio.engine.runs.recipe.recommended_settings`, as the form shows
it: a batch sized to the training pictures). :func:`saved_pages` reads them back as one :class:`SavedPages`, the
settings and the spec the Train page's Start would pass to :func:`~cnnstudio.engine.runs.lifecycle.create_run`, so
that ``cnnstudio train DIR`` (and the data check's design, :mod:`.doctor_folds`) trains what the window shows rather
than something else, silently.

Which batch size the form holds as the user's: since :data:`FORM_VERSION` the form stores a batch size only when the
user chose one (the recipe's is left out and follows the pictures) and says so with its version
(:data:`VERSION_KEY`, written by :func:`stamped`). A form without it was saved when the form stored every value and
the recipe's batch was always 64, so its batch of :data:`OLD_DEFAULT_BATCH` is that default, not a choice:
:func:`form_choices` leaves it out, and the batch follows the pictures as a new form's would. A batch of 64 saved by
hand on such a form cannot be told from the default and follows the pictures too; any other batch is kept.

A project the window never opened has none of them: :func:`saved_pages` returns ``None`` and the CLI trains the
default recipe. A value that cannot be read (a file edited by hand, a newer version's setting) raises
:class:`SavedPagesUnreadable` with one sentence naming what; the window itself falls back to its defaults then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ...project.store import Project
from ..data.augment import AugmentSettings
from ..data.preprocess import Preprocess
from ..errors import EngineError
from ..model.design import META_AUGMENT, META_PREPROCESS, META_SPEC, input_for_spec, input_values
from ..model.spec import ModelSpec
from ..train.settings import SAFE_AUGMENT, TrainSettings, suggest_preprocess

META_SETTINGS = "train_settings"  # the Train page's form (ui/train/settings_form.py writes it)
#: The Train page's form: the TrainSettings it sets (the run's name is not a setting). Another key (VERSION_KEY) is
#: ignored.
FORM_KEYS = ("epochs", "batch_size", "optimizer", "lr", "schedule", "weight_decay", "label_smoothing",
             "class_weights", "early_stopping_patience", "seed", "device", "validation", "fine_tune_epochs",
             "mixed_precision", "auto_batch_size")
VERSION_KEY = "form_version"  # the form's version (not a setting): see the module doc
#: the form's version since it stores only a batch size the user chose
FORM_VERSION = 2
#: the batch size every form saved before :data:`FORM_VERSION` stored unless changed (the engine's default then)
OLD_DEFAULT_BATCH = 64


def stamped(values: dict) -> dict:
    """The Train page's form ``values`` as it stores them: with :data:`FORM_VERSION`, so that the batch size among
    them (if any) is read as the user's."""
    return {**values, VERSION_KEY: FORM_VERSION}


def form_choices(form: dict) -> dict:
    """The saved form's values as chosen by the user: ``form`` itself, but for a form from before
    :data:`FORM_VERSION` (no version) whose batch is :data:`OLD_DEFAULT_BATCH`, which is the old default: without
    it, so that the batch is the recipe's for the pictures. Both readers use it: :func:`saved_pages` and the Train
    page's form (``ui/train/settings_form.py``)."""
    version = form.get(VERSION_KEY)
    new = isinstance(version, int) and not isinstance(version, bool) and version >= FORM_VERSION
    if new or form.get("batch_size") != OLD_DEFAULT_BATCH:
        return form
    return {k: v for k, v in form.items() if k != "batch_size"}


class SavedPagesUnreadable(EngineError):
    """What a page stored in the project cannot be read (the message is a sentence)."""


@dataclass(frozen=True)
class SavedPages:
    spec: ModelSpec | None  # the Model page's design; None when only the Train page's settings were stored
    settings: TrainSettings  # the Train page's settings with the Model page's input settings and augmentation


def _json(project: Project, key: str, what: str):
    raw = project.meta(key)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise SavedPagesUnreadable(f"the {what} saved in the project cannot be read (not JSON)") from None


def saved_input(project: Project, spec: ModelSpec | None) -> Preprocess:
    """The Model page's input settings: stored, what they lack suggested for the project's pictures, the size and
    colours of ``spec`` (its input is the model's) — what the page shows."""
    stored = _json(project, META_PREPROCESS, "Model page's input settings")
    values = input_values(stored if isinstance(stored, dict) else None, lambda: suggest_preprocess(project))
    if spec is not None:
        values = input_for_spec(spec, values)
    try:
        return Preprocess(height=values["height"], width=values["width"], channels=values["channels"],
                          resize=values["resize"], normalization=values["normalization"])
    except (EngineError, TypeError, ValueError) as e:
        raise SavedPagesUnreadable(f"the Model page's input settings saved in the project cannot be used ({e})") \
            from None


def saved_spec(project: Project) -> ModelSpec | None:
    """The Model page's design, or None when the page never stored one."""
    raw = project.meta(META_SPEC)
    if not raw:
        return None
    try:
        return ModelSpec.loads(raw)
    except (EngineError, TypeError, ValueError, KeyError) as e:
        raise SavedPagesUnreadable(f"the Model page's design saved in the project cannot be read ({e})") from None


def saved_pages(project: Project) -> SavedPages | None:
    """What the Train page's Start would train (see the module doc); None when neither page stored anything."""
    if not any(project.meta(k) for k in (META_SPEC, META_PREPROCESS, META_AUGMENT, META_SETTINGS)):
        return None
    spec = saved_spec(project)
    pp = saved_input(project, spec)
    aug = _json(project, META_AUGMENT, "Model page's augmentation")
    form = _json(project, META_SETTINGS, "Train page's settings")
    form = form_choices(form) if isinstance(form, dict) else {}
    from .recipe import recommended_settings  # here: recipe.py trains, this module is read by light callers too

    try:
        augment = AugmentSettings.from_json(aug) if isinstance(aug, dict) else SAFE_AUGMENT
        settings = recommended_settings(project.counts(), pp).replace(
            augment=augment, **{k: form[k] for k in FORM_KEYS if k in form})
    except (EngineError, TypeError, ValueError) as e:
        raise SavedPagesUnreadable(f"the training settings saved in the project cannot be used ({e})") from None
    return SavedPages(spec, settings)


def start_batch_size(project: Project) -> int:
    """The batch size the Train page's Start would train with (:func:`saved_pages`; the recipe's for the pictures
    when the pages stored none): what the Model page's memory warning counts before the Train page is opened. The
    engine's default where what is stored cannot be read (the window shows its defaults then)."""
    from .recipe import project_recipe

    try:
        pages = saved_pages(project)
    except SavedPagesUnreadable:
        from ..model.cost import DEFAULT_BATCH_SIZE

        return DEFAULT_BATCH_SIZE
    return (pages.settings if pages is not None else project_recipe(project)).batch_size

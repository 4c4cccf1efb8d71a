"""The name and the design's words of a new run (the rule's words are in :mod:`cnnstudio.project.run_names`).

A design is a preset when it was made from one (``preset``) or is one unchanged (the Model page hands its
design over as a spec, so a spec is compared with the presets made for its input size); a pretrained backbone
names the run after it, and the user's own layers after it when they are not the transfer presets' (:func:`own_head`:
"MobileNetV2 transfer, frozen, your head (1 fully connected layer)"); the user's own design is said by its layers
that learn ("Your design (3 convolutions, 1 fully connected layer) · 10 epochs",
:func:`.design_words.own_design_words`), so that runs of different designs read differently; a design a search
made for a trial is said as the search's ("Search 2 Dec 13:48:06, trial 7: 3 convolutions, 1 fully connected
layer", :func:`describe_design`'s ``search``). :func:`create_run <cnnstudio.engine.runs.lifecycle.create_run>` calls :func:`new_run_name` for a
run given no name: the GUI's, the CLI's and the tuner's runs are named alike. :func:`run_design_words` is what a
run's details, its report and ``cnnstudio runs`` say it trained: the words stored when it was made, or for a run
made before designs were said by their layers (stored "your own design", or nothing), its spec's words now.

How long a run trains, in its name (:func:`run_length_words`), is what it trains, not the Epochs setting alone: a
frozen pretrained backbone's head fitted exactly (the transfer presets') trains for no number of epochs the user set
(its "epochs" are the strengths of regularisation tried: seven with validation pictures, whatever Epochs says), so
its name says none; a head of the user's own layers trains for Epochs (Auto: ``head_fit.HEAD_EPOCHS``).
"""

from __future__ import annotations

from ...project import run_records
from ...project.run_names import default_run_name, length_words, unique_name
from ..model.backbones import BACKBONES
from ..model.catalog import layer
from ..model.design import backbone_head
from ..model.presets import PRESETS, make_preset
from .design_words import learning_words, own_design_words, own_head_words

PRESET_WORDS = {"default": "Recommended design"}  # a title that reads oddly alone ("Recommended · 40 epochs")
OLD_OWN_DESIGN = "your own design"  # what every own design was called before its layers were said


def matching_preset(spec_json: dict) -> str:
    """The preset ``spec_json`` is, unchanged, for its input size ("" for the user's own design)."""
    inp = spec_json.get("input") if isinstance(spec_json, dict) else None
    if not isinstance(inp, dict) or not all(k in inp for k in ("height", "width", "channels")):
        return ""
    for name in PRESETS:
        try:
            made = make_preset(name, inp["height"], inp["width"], inp["channels"]).to_json()
        except Exception:  # noqa: BLE001 - a preset that cannot be made for this input is not this design
            continue
        if made.get("layers") == spec_json.get("layers") and made.get("backbone") == spec_json.get("backbone"):
            return name
    return ""


def _with_defaults(ls):
    """A layer of a spec as JSON with its settings' defaults filled in (as it is when left unchanged)."""
    try:
        return layer(ls["type"], **ls.get("params") or {})
    except Exception:  # noqa: BLE001 - a layer that is not a catalog one is compared as it is
        return ls


def own_head(spec_json: dict) -> str:
    """ "your head (1 fully connected layer)" when the layers after ``spec_json``'s backbone are not the transfer
    presets' (those the Model page also puts after a backbone chosen on it); "" when they are."""
    layers = spec_json.get("layers") if isinstance(spec_json, dict) else None
    if isinstance(layers, list) and [_with_defaults(ls) for ls in layers] == backbone_head():
        return ""
    return own_head_words(spec_json)


def _backbone(spec_json: dict):
    """The pretrained backbone of ``spec_json`` (its JSON), or None."""
    bb = spec_json.get("backbone") if isinstance(spec_json, dict) else None
    return bb if isinstance(bb, dict) and bb.get("name") in BACKBONES else None


def describe_design(spec_json: dict, preset: str = "", search: str = "") -> str:
    """ "Small VGG", "MobileNetV2 transfer, frozen", "MobileNetV2 transfer, frozen, your head (1 fully connected
    layer)", "your design (3 convolutions, 1 fully connected layer)": what the runs list says a run trains.

    ``search``: the search and trial that made this design ("Search 2 Dec 13:48:06, trial 7", the search's words,
    ``tune.words.trial_search_words``): a design that is no preset is then said as the search's, "Search 2 Dec
    13:48:06, trial 7: 3 convolutions, 1 fully connected layer", not as one the user made ("your design (...)")."""
    bb = _backbone(spec_json)
    if bb is not None:
        head = own_head(spec_json)
        said = f"{BACKBONES[bb['name']].title} transfer, {'frozen' if bb.get('freeze', True) else 'fine-tuned'}"
        return f"{said}, {head}" if head else said
    name = preset or matching_preset(spec_json)
    if name in PRESETS:
        return PRESET_WORDS.get(name, PRESETS[name].title)
    return f"{search}: {learning_words(spec_json)}" if search else own_design_words(spec_json)


def run_design_words(cfg: dict) -> str:
    """What run ``cfg`` (its config.json) trained, as stored when it was made ("Small VGG"); for a run made
    before an own design was said by its layers, its spec's words now."""
    words = cfg.get("design") if isinstance(cfg, dict) else None
    if isinstance(words, str) and words and words != OLD_OWN_DESIGN:
        return words
    try:
        return describe_design(cfg.get("spec") or {}, str(cfg.get("preset") or ""))
    except Exception:  # noqa: BLE001 - an odd spec is still a design of the user's
        return words or OLD_OWN_DESIGN


def _frozen_head_epochs(spec_json: dict, settings) -> int | None:
    """The epochs the head of ``spec_json``'s frozen pretrained backbone trains for (0: fitted exactly, no epochs);
    None for a design that trains as any other (the frozen path's rule, ``frozen_run.uses_frozen_path``: a
    pretrained, frozen backbone; its input is then RGB with ImageNet's normalisation)."""
    from ..model.spec import ModelSpec
    from ..train.head_fit import HEAD_EPOCHS
    from .frozen_run import has_linear_head

    bb = _backbone(spec_json)
    if bb is None or not bb.get("pretrained", True) or not bb.get("freeze", True):
        return None
    try:
        linear = has_linear_head(ModelSpec.from_json(spec_json))
    except Exception:  # noqa: BLE001 - a design that cannot be read: said by its Epochs setting
        return None
    return 0 if linear else (settings.epochs or HEAD_EPOCHS)


def run_length_words(spec_json: dict, settings) -> str:
    """How long a run of ``spec_json`` with ``settings`` trains, as its name says it after its design, separator
    included: " · 40 epochs", " · Auto epochs"; "" for a frozen backbone's head fitted exactly, " · 30 epochs" for one
    of the user's own layers (:func:`~cnnstudio.project.run_names.length_words`). For every run's name (a search's
    trials' too)."""
    head_epochs = _frozen_head_epochs(spec_json, settings)
    if head_epochs is None:
        return length_words(settings.epochs)
    return length_words(settings.epochs, frozen=True, head_epochs=head_epochs,
                        fine_tune_epochs=settings.fine_tune_epochs)


def new_run_name(project, settings, spec_json: dict, preset: str = "") -> str:
    """The name of a new run that was given none, unique in the project."""
    bb = _backbone(spec_json)
    if bb is not None:
        head_epochs = _frozen_head_epochs(spec_json, settings)
        name = default_run_name(backbone=BACKBONES[bb["name"]].title, frozen=bool(bb.get("freeze", True)),
                                epochs=settings.epochs, fine_tune_epochs=settings.fine_tune_epochs,
                                head=own_head(spec_json), head_epochs=head_epochs or 0)
    else:
        words = describe_design(spec_json, preset)
        name = default_run_name(words[0].upper() + words[1:], settings.epochs)
    return unique_name(name, (r.name for r in run_records.list_runs(project)))

"""The name and the design's words of a new run (the rule's words are in :mod:`cnnstudio.project.run_names`).

A design is a preset when it was made from one (``preset``) or is one unchanged (the Model page hands its
design over as a spec, so a spec is compared with the presets made for its input size); a pretrained backbone
names the run after it. :func:`create_run <cnnstudio.engine.runs.lifecycle.create_run>` calls
:func:`new_run_name` for a run given no name: the GUI's, the CLI's and the tuner's runs are named alike.
"""

from __future__ import annotations

from ...project import run_records
from ...project.run_names import default_run_name, unique_name
from ..model.backbones import BACKBONES
from ..model.presets import PRESETS, make_preset

PRESET_WORDS = {"default": "Recommended design"}  # a title that reads oddly alone ("Recommended · 40 epochs")


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


def describe_design(spec_json: dict, preset: str = "") -> str:
    """ "Small VGG", "MobileNetV2 transfer, frozen", "your own design": what the runs list says a run trains."""
    bb = spec_json.get("backbone") if isinstance(spec_json, dict) else None
    if isinstance(bb, dict) and bb.get("name") in BACKBONES:
        title = BACKBONES[bb["name"]].title
        return f"{title} transfer, {'frozen' if bb.get('freeze', True) else 'fine-tuned'}"
    name = preset or matching_preset(spec_json)
    return PRESET_WORDS.get(name, PRESETS[name].title) if name in PRESETS else "your own design"


def new_run_name(project, settings, spec_json: dict, preset: str = "") -> str:
    """The name of a new run that was given none, unique in the project."""
    bb = spec_json.get("backbone") if isinstance(spec_json, dict) else None
    if isinstance(bb, dict) and bb.get("name") in BACKBONES:
        name = default_run_name(backbone=BACKBONES[bb["name"]].title, frozen=bool(bb.get("freeze", True)),
                                epochs=settings.epochs, fine_tune_epochs=settings.fine_tune_epochs)
    else:
        preset = preset or matching_preset(spec_json)
        design = PRESET_WORDS.get(preset, PRESETS[preset].title) if preset in PRESETS else ""
        name = default_run_name(design, settings.epochs)
    return unique_name(name, (r.name for r in run_records.list_runs(project)))

"""What a value typed into a layer's setting means before it reaches the design. Qt-free and torch-free.

A value outside the catalog's range (or an input side outside :data:`SIZE_RANGE`) is never clamped or changed
silently: the editor keeps what the user typed, the card says in one sentence what is allowed and why (the setting's
own help), and the design keeps its last valid value, so the design stays valid and training is not affected.
"""

from __future__ import annotations

from typing import Any

from ...project.imaging import MAX_INPUT_SIDE, MIN_INPUT_SIDE, input_side_problem
from .param_words import setting_name


def _word(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def entry_problem(layer_title: str, spec, value: Any, kept: Any) -> str | None:
    """None when ``value`` is valid for ``spec`` (a catalog ``ParamSpec``); else a sentence naming the typed
    value, the allowed range, the reason (the setting's help) and the value the design keeps (``kept``). The setting
    is named as the card and the design check name it (:func:`~.param_words.setting_name`: "dropout rate", never
    "p")."""
    if spec.check(value) is None:
        return None
    name = setting_name(spec.name)
    return (f"{name[:1].upper()}{name[1:]} {_word(value)} is not used: in {layer_title}, {name} must be "
            f"{spec.describe()} ({spec.help}). The design keeps {_word(kept)} until you type an allowed value.")


SIZE_RANGE = (MIN_INPUT_SIDE, MAX_INPUT_SIDE)  # px: the input picture's width and height (project.imaging's rule)


def size_problem(name: str, value: int, kept: int) -> str | None:
    """None for an allowed input ``name`` ("width" / "height") in pixels; else the sentence the Input tab shows
    (the typed value stays in its box; the design keeps ``kept``). The range is the design check's and training's
    (:func:`~cnnstudio.project.imaging.input_side_problem`); what a size costs is the memory estimate's to say."""
    if input_side_problem(name, value) is None:
        return None
    lo, hi = SIZE_RANGE
    why = ("a smaller picture leaves nothing to see" if value < lo else
           f"CNN Studio gives a network at most {hi} px of a picture's side")
    return (f"A {name} of {value} px is not used: the input picture's {name} must be from {lo} to {hi} px ({why}). "
            f"The design keeps {kept} px.")

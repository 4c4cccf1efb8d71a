"""What a value typed into a layer's setting means before it reaches the design. Qt-free and torch-free.

A value outside the catalog's range (or an input side outside :data:`SIZE_RANGE`) is never clamped or changed
silently: the editor keeps what the user typed, the card says in one sentence what is allowed and why (the setting's
own help), and the design keeps its last valid value. What a box shows is what trains, so while a box shows a value
that is not used the design is not ready: :func:`unused_reason` says why, for the Model page's summary and the
Train and Tune pages' Start (QA: the card was red, Start trained the kept value).
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
            f"{spec.describe()} ({spec.help}). The design keeps {_word(kept)}, and training waits until you type an "
            "allowed value.")


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
            f"The design keeps {kept} px, and training waits until you type an allowed size.")


def unused_reason(layers: list[int], input_sides: int = 0) -> str | None:
    """Why the design is not ready while boxes show values it does not use: ``layers`` the numbers (from 1) of the
    layers whose cards show such a value, once per value; ``input_sides`` how many of the input's width and height
    do. None when there are none. "layer 2 shows a value that is not allowed (in red): type an allowed value"."""
    n = len(layers) + input_sides
    if not n:
        return None
    numbers = sorted(set(layers))
    places = ([("layer " if len(numbers) == 1 else "layers ")
               + (", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}" if len(numbers) > 1 else f"{numbers[0]}")]
              if numbers else [])
    if input_sides:
        places.append("the Input tab")
    where = " and ".join(places)
    if n == 1:
        return f"{where} shows a value that is not allowed (in red): type an allowed value"
    return f"{where} show {n} values that are not allowed (in red): type allowed values"

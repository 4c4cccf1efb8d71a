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


def _number(v: Any) -> str:
    """4096 as "4,096", 0.5 as "0.5"."""
    if isinstance(v, float) and not v.is_integer():
        return f"{v:g}"
    return f"{int(v):,}"


def allowed_words(spec) -> str:
    """What ``spec`` (a catalog ``ParamSpec``) allows, short: "1 to 4,096", "0 to 1", "1 to 15, or 'same'",
    "at least 1"; true/false and choices as :meth:`~.catalog.ParamSpec.describe` says them."""
    if spec.kind in ("bool", "choice"):
        return spec.describe()
    if spec.min is not None and spec.max is not None:
        what = f"{_number(spec.min)} to {_number(spec.max)}"
    elif spec.min is not None:
        what = f"at least {_number(spec.min)}"
    else:
        return spec.describe()
    return what + (f", or {' or '.join(repr(c) for c in spec.choices)}" if spec.choices else "")


def red_value(index: int, layer_title: str, spec, value: Any) -> str:
    """One value a card shows in red, for :func:`unused_reason`: layer ``index`` (0-based) named as the card names
    it, the setting and what it allows: "in layer 1 (Convolution), the out channels must be 1 to 4,096, not 0"."""
    return f"in layer {index + 1} ({layer_title}), the {setting_name(spec.name)} must be {allowed_words(spec)}, " \
           f"not {_word(value)}"


def red_side(name: str, value: int) -> str:
    """An input side the Input tab shows in red, for :func:`unused_reason`: "on the Input tab, the width must be
    4 to 2,048 px, not 4000"."""
    lo, hi = SIZE_RANGE
    return f"on the Input tab, the {name} must be {_number(lo)} to {_number(hi)} px, not {value}"


def _places(layers: list[int], input_tab: bool) -> str:
    numbers = sorted(set(layers))
    places = []
    if numbers:
        listed = (", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}") if len(numbers) > 1 else f"{numbers[0]}"
        places.append(("Layer " if len(numbers) == 1 else "Layers ") + listed)
    if input_tab:
        places.append("the Input tab" if places else "The Input tab")
    return " and ".join(places)


SAID_IN_FULL = 2  # up to this many values in red are each said with what they allow; more are counted


def unused_reason(values: list[tuple[int, str]]) -> str | None:
    """Why the design is not ready while boxes show values it does not use, one sentence without its full stop;
    None when there are none. ``values``: (layer number from 1, or 0 for the Input tab; :func:`red_value` /
    :func:`red_side`) for each value shown in red. The sentence names the layer as its card does, the setting and
    what it allows, so the user need not hunt for the red box; it has no colon, as the Train and Tune pages put it
    after theirs ("The network design cannot be used: in layer 1 (Convolution), the out channels must be 1 to 4,096,
    not 0 (in red)."). With more than :data:`SAID_IN_FULL` values: "Layers 1 and 4 show 3 values in red that are
    not allowed; for example, in layer 1 (Convolution), …"."""
    if not values:
        return None
    said = [v for _, v in values]
    if len(said) <= SAID_IN_FULL:
        text = "; ".join(said) + (" (in red)" if len(said) == 1 else " (both in red)")
        return text[:1].upper() + text[1:]
    where = _places([n for n, _ in values if n], any(n == 0 for n, _ in values))
    return f"{where} show {len(said)} values in red that are not allowed; for example, {said[0]}"

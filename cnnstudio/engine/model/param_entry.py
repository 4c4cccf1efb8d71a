"""What a value typed into a layer's setting means before it reaches the design. Qt-free and torch-free.

A value outside the catalog's range is never clamped or changed silently: the editor keeps what the user typed,
the card says in one sentence what is allowed and why (the setting's own help), and the design keeps its last
valid value, so the design stays valid and training is not affected.
"""

from __future__ import annotations

from typing import Any


def _word(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def entry_problem(layer_title: str, spec, value: Any, kept: Any) -> str | None:
    """None when ``value`` is valid for ``spec`` (a catalog ``ParamSpec``); else a sentence naming the typed
    value, the allowed range, the reason (the setting's help) and the value the design keeps (``kept``)."""
    if spec.check(value) is None:
        return None
    name = spec.name.replace("_", " ")
    return (f"{name[:1].upper()}{name[1:]} {_word(value)} is not used: in {layer_title}, {name} must be "
            f"{spec.describe()} ({spec.help}). The design keeps {_word(kept)} until you type an allowed value.")


SIZE_RANGE = (4, 1024)  # px: the input picture's width and height


def size_problem(name: str, value: int, kept: int) -> str | None:
    """None for an allowed input ``name`` ("width" / "height") in pixels; else the sentence the Input tab shows
    (the typed value stays in its box; the design keeps ``kept``)."""
    lo, hi = SIZE_RANGE
    if lo <= value <= hi:
        return None
    return (f"A {name} of {value} px is not used: the input picture's {name} must be from {lo} to {hi} px (smaller "
            f"has nothing left to see, larger will not fit in memory). The design keeps {kept} px.")


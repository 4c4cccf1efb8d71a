"""How the three splits look wherever the window shows them (the Data page's chart, the gallery's badges): one
rule in one place.

Classes are told apart by colour (``class_table.PALETTE``: orange, sky blue, green…), so the splits are not: they are
three greys, dark to light, none equal or close to a class colour — the first class is never mistaken for
"val" in the split chart, nor a badge for a class strip in the gallery.
"""

from __future__ import annotations

from .splits import SPLITS

#: train, val, test: dark, middle and light greys (the class palette's one grey, #999999, lies between the last two).
SPLIT_COLORS: dict[str, str] = {"train": "#3A3A3A", "val": "#6E6E6E", "test": "#D0D0D0"}
#: the words the gallery's corner badge shows ("All splits" filter)
SPLIT_BADGES: dict[str, str] = {"train": "train", "val": "val", "test": "test"}

assert set(SPLIT_COLORS) == set(SPLITS) == set(SPLIT_BADGES)


def split_color(split: str) -> str:
    """The split's colour as ``#RRGGBB``."""
    return SPLIT_COLORS[split]


def split_rgb(split: str) -> tuple[int, int, int]:
    c = SPLIT_COLORS[split]
    return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)


def text_on(split: str) -> str:
    """Black or white, whichever reads on the split's colour."""
    r, g, b = split_rgb(split)
    return "#000000" if (r * 299 + g * 587 + b * 114) / 1000 > 140 else "#FFFFFF"

"""How the three splits look wherever the window shows them (the Data page's chart, the gallery's badges): one
rule in one place.

Classes are told apart by colour (``class_table.PALETTE``: orange, sky blue, green…), so the splits are not: they are
three greys, dark to light, none equal or close to a class colour — the first class is never mistaken for
"val" in the split chart, nor a badge for a class strip in the gallery.

On a dark window (``dark=True``, judged by the GUI from its palette: ``ui/colours.is_dark``) the greys go the other
way, light to dark, each at least 3:1 against a dark window, so the largest split (train) never vanishes into the
background (QA look report, finding 7).

The words on a split's badge (or a class's strip) are black or white by the one contrast rule,
``ui/colour_rules.text_on``.
"""

from __future__ import annotations

from .splits import SPLITS

#: train, val, test: dark, middle and light greys (the class palette's one grey, #999999, lies between the last two).
SPLIT_COLORS: dict[str, str] = {"train": "#3A3A3A", "val": "#6E6E6E", "test": "#D0D0D0"}
#: the same on a dark window: light, middle and darker greys (#999999 between the last two again)
SPLIT_COLORS_DARK: dict[str, str] = {"train": "#EDEDED", "val": "#BDBDBD", "test": "#7F7F7F"}
#: the words the gallery's corner badge shows ("All splits" filter)
SPLIT_BADGES: dict[str, str] = {"train": "train", "val": "val", "test": "test"}

assert set(SPLIT_COLORS) == set(SPLITS) == set(SPLIT_BADGES) == set(SPLIT_COLORS_DARK)


def split_colors(dark: bool = False) -> dict[str, str]:
    """Every split's colour, train first, for a light window or a ``dark`` one."""
    return dict(SPLIT_COLORS_DARK if dark else SPLIT_COLORS)


def split_color(split: str, dark: bool = False) -> str:
    """The split's colour as ``#RRGGBB`` (on a ``dark`` window: :data:`SPLIT_COLORS_DARK`)."""
    return (SPLIT_COLORS_DARK if dark else SPLIT_COLORS)[split]


def split_rgb(split: str, dark: bool = False) -> tuple[int, int, int]:
    c = split_color(split, dark)
    return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)

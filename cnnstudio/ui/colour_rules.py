"""The app's colours for what a thing *says* (an error, all is well, a warning, a note, a trial's state), chosen for the
window they are shown in: one rule, Qt-free (``#rrggbb`` strings and ``(r, g, b)`` tuples), which
:mod:`cnnstudio.ui.colours` applies to a widget's palette (QA look report, findings 1, 2, 8, 9, 10).

- A window is *dark* when its colour's lightness (HSL, as ``QColor.lightness``: the mean of the highest and lowest
  channel) is below 128 (:func:`is_dark`).
- :func:`focus`: the keyboard's focus frame (``ui/keyboard.draw_focus_frame``): dark blue on a light window, yellow on
  a dark one, made darker or lighter until it reads at :data:`NON_TEXT_CONTRAST` on the window, the base colour *and*
  the selection's colour, since the focused cell or row is most often the selected one (the plain dark blue read at
  about 2:1 on Fusion's selection blue).
- :func:`status`: today's colours, as they are, on a light window (red ``#c0392b``, green ``#1e8449``, orange
  ``#b9560b``, blue ``#2e86c1``); lighter ones on a dark window, drawn towards the palette's text colour until the
  words read at :data:`TEXT_CONTRAST` (WCAG's 4.5:1) on every background given (a dark theme's window lighter than
  the usual does not make an error unreadable).
- :func:`note`: a box that says something (why Start is off, a failure, a search's result, a refused drop): today's
  pastel box and dark words on a light window; on a dark one a tint of the status colour blended into the palette's
  base colour, with the palette's own text colour on it.
- :func:`box_edge`: the edge of a check box's or radio button's box on a dark window, which reads at
  :data:`NON_TEXT_CONTRAST` (WCAG's 3:1 for a control) on the window and the base colour (Fusion's edge, the window's
  colour made darker, all but vanished on a dark card: the Model page's "bias"); the style's own on a light window.
- :func:`text_on`: black or white words on a coloured band (a class's strip, a split's badge), whichever reads better.
- :func:`blend`, :func:`contrast`: the arithmetic, for the views' own shades (a heat map's cells, a plot's greys).
"""

from __future__ import annotations

Rgb = tuple[int, int, int]

TEXT_CONTRAST = 4.5  # WCAG 2 AA for body text
NON_TEXT_CONTRAST = 3.0  # WCAG 2.1 AA for what shows a control and its state: a box's edge, the focus frame
FOCUS_ON_LIGHT, FOCUS_ON_DARK = "#0054a6", "#ffd60a"  # the focus frame's colours, before :func:`focus` adjusts them

#: kind -> (on a light window, on a dark window)
STATUS: dict[str, tuple[str, str]] = {
    "error": ("#c0392b", "#ff7b6e"),
    "ok": ("#1e8449", "#5fd38d"),
    "warning": ("#b9560b", "#f0a04b"),
    "info": ("#2e86c1", "#6cb4ff"),
    "muted": ("#7f8c9a", "#a3adb8"),  # said in passing ("good to know"; a pruned trial)
}
#: the Tune page's trial states, by what they say
TRIAL_STATES: dict[str, str] = {"complete": "ok", "failed": "error", "running": "info", "pruned": "muted"}

#: a note's box on a light window: kind -> (background, text, border)
LIGHT_NOTES: dict[str, tuple[str, str, str]] = {
    "error": ("#fdecea", "#78281f", "#e6b0aa"),
    "warning": ("#fef5e7", "#7e5109", "#f5cba7"),
    "ok": ("#e8f5e9", "#1b4d2b", "#a9dfbf"),
    "neutral": ("#f7f9fb", "", "#d5dbe2"),  # "": the palette's own text colour (the advice panel)
}
NOTE_TINT = 0.18  # on a dark window: how much of the status colour is blended into the base colour
BORDER_TINT = 0.45
NEUTRAL_TINT = 0.06  # the neutral box: a little of the text colour into the base colour


def rgb(colour: str | Rgb) -> Rgb:
    """``"#c0392b"`` (or a tuple, returned as it is) -> ``(192, 57, 43)``."""
    if isinstance(colour, tuple):
        return colour[:3]
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def hex_of(colour: str | Rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb(colour))


def is_dark(window: str | Rgb) -> bool:
    """A dark window: its HSL lightness (``QColor.lightness()``) below 128."""
    r, g, b = rgb(window)
    return (max(r, g, b) + min(r, g, b)) / 2 < 128


def blend(a: str | Rgb, b: str | Rgb, f: float) -> str:
    """``a`` moved a share ``f`` (0..1) of the way to ``b``."""
    f = max(0.0, min(1.0, f))
    return hex_of(tuple(round(x + (y - x) * f) for x, y in zip(rgb(a), rgb(b))))


def luminance(colour: str | Rgb) -> float:
    """WCAG 2's relative luminance."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str | Rgb, b: str | Rgb) -> float:
    """WCAG 2's contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(colour: str | Rgb) -> str:
    """Black or white, whichever has the higher contrast on ``colour``: the words on a class's strip or a split's
    badge (white on the first class's orange read at 2.25:1, black reads at 9.3:1)."""
    return "#000000" if contrast(colour, "#000000") >= contrast(colour, "#ffffff") else "#FFFFFF"


def readable(colour: str | Rgb, backgrounds: list, text: str | Rgb, ratio: float = TEXT_CONTRAST) -> str:
    """``colour``, or the least blend of it towards ``text`` (the palette's text colour) that reads at ``ratio`` on
    every one of ``backgrounds``; ``text`` itself when no blend does."""
    for step in range(21):
        c = blend(colour, text, step / 20)
        if all(contrast(c, bg) >= ratio for bg in backgrounds):
            return c
    return hex_of(text)


def status(kind: str, window: str | Rgb, backgrounds: list | None = None, text: str | Rgb | None = None) -> str:
    """The colour of ``kind`` ("error", "ok", "warning", "info", "muted" or a trial state) for a window of colour
    ``window``: on a dark one, readable on ``backgrounds`` (default: the window) when ``text`` (the palette's text
    colour) is given to draw it towards."""
    light, dark = STATUS[TRIAL_STATES.get(kind, kind)]
    if not is_dark(window):
        return light
    if text is None:
        return dark
    return readable(dark, list(backgrounds or [window]), text)


def note(kind: str, window: str | Rgb, base: str | Rgb, text: str | Rgb) -> tuple[str, str, str]:
    """A note's ``(background, text, border)`` (kind: "error", "warning", "ok" or "neutral") in a window of colour
    ``window`` whose palette has ``base`` and ``text`` colours."""
    if not is_dark(window):
        bg, words, border = LIGHT_NOTES[kind]
        return bg, words or hex_of(text), border
    if kind == "neutral":
        return blend(base, text, NEUTRAL_TINT), hex_of(text), blend(base, text, 0.3)
    tint = STATUS[kind][1]
    return blend(base, tint, NOTE_TINT), hex_of(text), blend(base, tint, BORDER_TINT)


def box_edge(window: str | Rgb, base: str | Rgb, text: str | Rgb) -> str | None:
    """The edge of a check box's or radio button's box: on a dark window, the least blend of the base colour towards
    the text colour that reads at :data:`NON_TEXT_CONTRAST` on the window and on the base (a box sits on either);
    None on a light window, where the style's own edge stays."""
    if not is_dark(window):
        return None
    return readable(base, [window, base], text, NON_TEXT_CONTRAST)


def focus(window: str | Rgb, base: str | Rgb, selection: str | Rgb) -> str:
    """The focus frame's colour: :data:`FOCUS_ON_LIGHT` on a light window, :data:`FOCUS_ON_DARK` on a dark one, or
    the least blend of it towards black (light window) or white (dark window) that reads at
    :data:`NON_TEXT_CONTRAST` on the window, the base and the selection colour; when no blend that way does (a
    selection colour halfway between the two), the other way; when none does, the blend that reads best on the
    least readable of the three."""
    backgrounds = [window, base, selection]
    start, away = (FOCUS_ON_DARK, "#ffffff") if is_dark(window) else (FOCUS_ON_LIGHT, "#000000")
    towards = "#000000" if away == "#ffffff" else "#ffffff"
    tried = [blend(start, end, step / 20) for end in (away, towards) for step in range(21)]
    for colour in tried:
        if all(contrast(colour, bg) >= NON_TEXT_CONTRAST for bg in backgrounds):
            return colour
    return max(tried, key=lambda c: min(contrast(c, bg) for bg in backgrounds))

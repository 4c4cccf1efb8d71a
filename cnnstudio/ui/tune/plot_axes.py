"""The Tune page's plot axes, Qt-free: a model's size on an axis (:func:`size_text`), labelled ticks for a log axis
that fit its length (:func:`log_ticks`) and for a plain one (:func:`linear_ticks`, whole numbers for trials and
epochs), short axis labels (:func:`axis_text`) and the accuracy axes' range (:func:`accuracy_range`: 0–100 % before
any trial, never a zoom into a single point)."""

from __future__ import annotations

import math

from .tune_state import number_text


def size_text(n: float) -> str:
    """A model's size on an axis: 800, 5k, 1.2M."""
    for unit, div in (("M", 1e6), ("k", 1e3)):
        if n >= div:
            return f"{number_text(n / div)}{unit}"
    return number_text(n)


def log_ticks(low: float, high: float, text=number_text, pixels: float | None = None, measure=None,
              gap: float = 10) -> list[tuple[float, str]]:
    """Labelled ticks for a log axis from ``low`` to ``high`` (> 0), as ``(log10(v), label)``: 1, 2 and 5 times
    a power of ten over up to one decade, 1 and 3 times up to two, the powers of ten alone beyond.

    Given the axis's length in ``pixels`` (and ``measure``, a label's width in pixels: 7 a character unless told),
    the densest of those steps, then every 2nd, 3rd… power of ten, whose labels keep ``gap`` pixels apart: a log
    axis a sixth of a small window wide reads "0.001  0.01", not "0.0010.0030.01"."""
    if not (low > 0 and high >= low):
        return []
    decades = math.log10(high / low)
    steps = [((1, 2, 5), 1), ((1, 3), 1), ((1,), 1)][0 if decades <= 1 else 1 if decades <= 2 else 2:]
    if pixels is not None:
        steps += [((1,), k) for k in range(2, 7)]
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    out: list[tuple[float, str]] = []
    for marks, every in steps:
        before, out = out, []
        for k in range(first, last + 1):
            if k % every:
                continue
            for m in marks:
                v = m * 10.0 ** k
                if low * (1 - 1e-9) <= v <= high * (1 + 1e-9):
                    out.append((math.log10(v), text(float(f"{v:.12g}"))))
        if not out and before:  # no power of ten in a narrow range: one of the last labels, in the middle
            return before[len(before) // 2:len(before) // 2 + 1]
        if pixels is None or _labels_fit(out, math.log10(low), math.log10(high), pixels, measure, gap):
            break
    return out


def _labels_fit(ticks, lo: float, hi: float, pixels: float, measure, gap: float) -> bool:
    """Whether these labels, centred on their ticks along an axis ``pixels`` long, keep ``gap`` pixels apart."""
    width = measure or (lambda s: 7 * len(s))
    scale = pixels / (hi - lo) if hi > lo else 0.0
    for (p0, t0), (p1, t1) in zip(ticks, ticks[1:]):
        if (p1 - p0) * scale < (width(t0) + width(t1)) / 2 + gap:
            return False
    return True


LEAST_TICK_GAP = 20  # pixels between two ticks at the least: a wide plot is not filled with numbers


def linear_ticks(low: float, high: float, pixels: float, measure=None, whole: bool = False,
                 gap: float = 10) -> list[tuple[float, str]]:
    """Labelled ticks for a plain axis from ``low`` to ``high``, ``pixels`` long, as ``(v, label)``: the multiples of
    the smallest round step (1, 2 or 5 times a power of ten; 1 at the least when ``whole``, for trials and epochs)
    whose labels keep ``gap`` pixels apart (``measure``: a label's width in pixels, 7 a character unless told) and
    ticks :data:`LEAST_TICK_GAP` apart. At 1,024 px a plot a sixth of the window wide read "0.20.40.60.8" and
    "1 2 3 4 5 6 7 8 910"; it now reads "0  0.5  1" and "2  4  6  8  10"."""
    if not (math.isfinite(low) and math.isfinite(high) and high > low and pixels > 0):
        return []
    scale = pixels / (high - low)
    power = math.floor(math.log10(high - low)) - 2
    last: list[tuple[float, str]] = []
    for k in range(power, power + 12):
        for m in (1, 2, 5):
            step = m * 10.0 ** k
            if whole and step < 1:
                continue
            places = max(0, -math.floor(math.log10(step) + 1e-9))
            first, end = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
            if end - first > 1000:
                continue
            ticks = [(round(i * step, places + 1), _plain(i * step, places)) for i in range(first, end + 1)]
            if not ticks:
                return last[len(last) // 2:len(last) // 2 + 1]  # no multiple in range: one of the last labels
            last = ticks
            if step * scale >= LEAST_TICK_GAP and _labels_fit(ticks, low, high, pixels, measure, gap):
                return ticks
    return last[len(last) // 2:len(last) // 2 + 1]


def _plain(v: float, places: int) -> str:
    """``v`` with ``places`` decimals, no trailing zeros: 0.15, 0.1, 2 (never "-0")."""
    text = f"{v:.{places}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def axis_text(v: float) -> str:
    """A short label for an axis: 0.005, or 1e-6 below 0.001."""
    return number_text(v) if v >= 1e-3 else f"{v:.0e}".replace("e-0", "e-")


ACCURACY_SPAN = 10.0  # the least an accuracy axis shows, in points: one trial or tied trials are not zoomed into noise


def accuracy_range(percents, span: float = ACCURACY_SPAN) -> tuple[float, float]:
    """The accuracy axis (in %) for these values: 0–100 before any, else at least ``span`` points around them with
    a little room above and below, kept inside 0–100 but for that room (a dot at 99.6 % is drawn whole, not cut
    in half by the plot's edge)."""
    values = [float(v) for v in percents if v is not None and math.isfinite(v)]
    if not values:
        return 0.0, 100.0
    low, high = min(values), max(values)
    wide = max(high - low, span)
    room = wide * 0.05
    low, high = (low + high - wide) / 2 - room, (low + high + wide) / 2 + room
    if low < -room:
        low, high = -room, min(100.0 + room, high - low - room)
    if high > 100 + room:
        low, high = max(-room, low - (high - 100 - room)), 100.0 + room
    return low, high

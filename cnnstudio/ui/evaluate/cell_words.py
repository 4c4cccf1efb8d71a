"""The words for one confusion-matrix cell (Qt-free): the title over its pictures and each picture's tooltip.

Class names are quoted, so digits ("3", "7") and words ("cat", "dog") read the same way:
"1 picture labelled “3” that the model took for “7”", never "1 picture of 3 taken for 7" (1 of 3 pictures?).
"""

from __future__ import annotations

from html import escape

from ...project.names import quoted


def cell_title(count: int, true: str, predicted: str) -> str:
    """The cell's title as rich text (the count in bold, names escaped)."""
    t, p = escape(quoted(true)), escape(quoted(predicted))
    if count == 0:
        return (f"No picture labelled {t} was recognised correctly." if true == predicted
                else f"No picture labelled {t} was taken for {p}.")
    n = f"<b>{count:,}</b> picture{'s' if count != 1 else ''}"
    what = "that the model recognised correctly" if true == predicted else f"that the model took for {p}"
    under = "its confidence under it" if count == 1 else "the confidence under each"  # one picture: no "each"
    return f"{n} labelled {t} {what} ({under})."


def picture_tip(true: str, predicted: str, sure: str) -> str:
    """One cell picture's tooltip; ``sure`` is the confidence already written (figures.percent)."""
    if true == predicted:
        return f"Labelled {quoted(true)} and recognised, {sure} sure. Double-click to see it large."
    return (f"Labelled {quoted(true)}, taken for {quoted(predicted)} with {sure} confidence. Double-click to see it "
            "large.")


__all__ = ["cell_title", "picture_tip"]

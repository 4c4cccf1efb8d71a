"""The status colours of every page, for a widget's palette: the rule is :mod:`cnnstudio.ui.colour_rules` (Qt-free),
this module hands it the palette's colours (window, base, text) and gives back what a view needs: a ``#rrggbb`` for
a style sheet or a ``<span style='color:…'>``, a ``QColor`` for a model's ForegroundRole, a note's box.

Pages ask when they build (or fill) a widget: a widget built before the palette changes keeps its colours.

- :func:`status_colour` / :func:`status_qcolor` / :func:`status_span`: "error", "ok", "warning", "info", "muted",
  or a trial state ("complete", "failed", "running", "pruned");
- :func:`note_colours` / :func:`note_style`: a box that says something ("error", "warning", "ok", "neutral");
- :func:`tint`: a colour blended into the palette's base (a heat map's cells, an invalid card);
- :func:`ink`: a grey between the window and its text (plot lines that are not data colours).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from . import colour_rules as rules

Role = QPalette.ColorRole


def _palette(widget: QWidget | None) -> QPalette:
    return widget.palette() if widget is not None else QApplication.palette()


def _colours(widget: QWidget | None) -> tuple[str, str, str]:
    """The palette's window, base and text colours as ``#rrggbb``."""
    p = _palette(widget)
    return p.color(Role.Window).name(), p.color(Role.Base).name(), p.color(Role.WindowText).name()


def is_dark(widget: QWidget | None = None) -> bool:
    """The widget's window (the application's, without one) is dark: :func:`~.colour_rules.is_dark`."""
    return rules.is_dark(_colours(widget)[0])


def status_colour(kind: str, widget: QWidget | None = None) -> str:
    """``#rrggbb`` of ``kind`` for ``widget``'s palette, readable on its window and base colours."""
    window, base, text = _colours(widget)
    return rules.status(kind, window, [window, base], text)


def status_qcolor(kind: str, widget: QWidget | None = None) -> QColor:
    return QColor(status_colour(kind, widget))


def status_span(kind: str, html: str, widget: QWidget | None = None) -> str:
    """``html`` in the colour of ``kind``: ``<span style='color:#c0392b'>✖ …</span>``."""
    return f"<span style='color:{status_colour(kind, widget)}'>{html}</span>"


def note_colours(kind: str, widget: QWidget | None = None) -> tuple[str, str, str]:
    """A note's ``(background, text, border)`` for ``widget``'s palette (:func:`~.colour_rules.note`)."""
    window, base, text = _colours(widget)
    return rules.note(kind, window, base, text)


def note_style(kind: str, widget: QWidget | None = None, selector: str = "", extra: str = "") -> str:
    """A style sheet for a note: its background and its words' colour (``selector``: the rule's widgets, e.g.
    ``"#blocked"``; none: the widget itself), then ``extra`` ("padding: 6px; border-radius: 4px;")."""
    bg, words, _border = note_colours(kind, widget)
    body = f"background: {bg}; color: {words}; {extra}".strip()
    return f"{selector} {{ {body} }}" if selector else body


def tint(colour, share: float, widget: QWidget | None = None) -> QColor:
    """``colour`` (``#rrggbb``, a tuple or a QColor) blended a share ``share`` into the palette's base colour."""
    if isinstance(colour, QColor):
        colour = colour.name()
    return QColor(rules.blend(_colours(widget)[1], colour, share))


def ink(share: float, widget: QWidget | None = None) -> QColor:
    """A grey a share ``share`` of the way from the window's colour to its text's (1: the text colour itself)."""
    window, _base, text = _colours(widget)
    return QColor(rules.blend(window, text, share))


def words_on(background: QColor, widget: QWidget | None = None) -> QColor:
    """The palette's text colour or its window colour, whichever reads better on ``background``."""
    window, _base, text = _colours(widget)
    bg = background.name()
    return QColor(text if rules.contrast(text, bg) >= rules.contrast(window, bg) else window)

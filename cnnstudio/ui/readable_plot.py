"""A plot a screen reader can read (QA keyboard and screen-reader report, findings 3 and 6): every pyqtgraph plot of
the app goes through here.

:func:`readable_plot` takes the plot out of the tab chain (nothing in it answers a key; a focused plot's scene could
keep Tab for ever) and names it ("Loss plot"); :func:`tell` gives it its latest figures in words as the accessible
description ("Loss: epoch 6 of 8, training 0.61, validation 0.12; best epoch 6") and, when asked, as its tooltip.
:func:`tell` sets the words only when they changed: a plot redrawn ten times a second says nothing new."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .keyboard import not_a_tab_stop


def readable_plot(plot: QWidget, name: str, words: str = "") -> QWidget:
    """``plot`` no tab stop, named ``name``, described by ``words``; returns it."""
    not_a_tab_stop(plot)
    plot.setAccessibleName(name)
    tell(plot, words)
    return plot


def tell(plot: QWidget, words: str, tooltip: bool = False) -> bool:
    """The plot's figures in words (its accessible description, and its tooltip when ``tooltip``); False when they
    are what it said already."""
    if plot.accessibleDescription() == words:
        return False
    plot.setAccessibleDescription(words)
    if tooltip:
        plot.setToolTip(words)
    return True

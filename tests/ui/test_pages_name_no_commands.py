"""The Model, Train, Tune, Evaluate and Predict pages name no command-line command or flag in their words (labels,
buttons, tooltips, what a screen reader hears): a GUI user is told what to click, not what to type."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QWidget

from tests.ui.test_training_view import make_project

COMMAND = re.compile(r"cnnstudio [a-z]|(^|[\s(])--[a-z]")


def _words(widget: QWidget) -> list[str]:
    words = [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(), widget.whatsThis()]
    for name in ("text", "placeholderText", "title"):
        getter = getattr(widget, name, None)
        if callable(getter):
            try:
                value = getter()
            except TypeError:  # a text() that needs arguments (a list or a tree)
                continue
            if isinstance(value, str):
                words.append(value)
    return words


def test_the_pages_name_no_command_line_command(window, qapp, tmp_path):
    assert window.open_project(make_project(tmp_path))
    try:
        for i, key in enumerate(("model", "train", "tune", "evaluate", "predict"), 1):
            window.workspace.show_step(i)
            qapp.processEvents()
            page = window.workspace.built(key)
            said = [(type(w).__name__, text) for w in [page, *page.findChildren(QWidget)] for text in _words(w)
                    if COMMAND.search(text)]
            assert said == [], key
    finally:
        window.close_project()

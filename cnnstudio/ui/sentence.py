"""An engine or project message as the window writes it: the engine says "a class named 'cat' already exists:
merge the two classes instead" (the CLI prints it after ``cnnstudio: error:``); a dialog starts it with a capital
letter and ends it with a full stop. Qt-free.

PySide puts "Error calling Python override of QUndoCommand::redo(): " in front of an error raised inside a Qt
virtual method (a slot's ``redo``, a page's ``showEvent``): those are Qt's words, not the user's, and go
(:func:`without_qt_words`). A message that starts with a quoted name or a path keeps its case ("'ro' is…" never
becomes "'Ro' is…")."""

from __future__ import annotations

import re

_QT_WORDS = re.compile(r"^(?:\s*Error calling Python override of [\w:~]+\(\)\s*:\s*)+")
_KEEP_CASE = ("'", '"', "“", "‘", "/", "\\", "~", ".")


def without_qt_words(text: str) -> str:
    """``text`` without PySide's "Error calling Python override of …(): " in front."""
    return _QT_WORDS.sub("", text)


def sentence(text: str) -> str:
    """``text`` with a capital first letter and one closing full stop (or its own ! ? …); Qt's words in front
    go, and a quoted name or a path at the start keeps its case."""
    text = without_qt_words(text).strip()
    if not text:
        return ""
    if not text.startswith(_KEEP_CASE):
        text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."

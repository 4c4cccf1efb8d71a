"""An engine or project message as the window writes it: the engine says "a class named 'cat' already exists:
merge the two classes instead" (the CLI prints it after ``cnnstudio: error:``); a dialog starts it with a capital
letter and ends it with a full stop. Qt-free."""

from __future__ import annotations


def sentence(text: str) -> str:
    """``text`` with a capital first letter and one closing full stop (or its own ! ? …)."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."

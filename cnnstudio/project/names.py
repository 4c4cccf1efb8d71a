"""The rule of a name a user types for a class or a run (stdlib only): not empty once trimmed, not too long, and on
one line: a line break or a tab in a name splits a row of every list and table that shows it (`cnnstudio runs`,
`class list`, the CSV of predictions), so it is refused with one sentence, the same for both. A class cannot be
called "No class" (:data:`NO_CLASS`, whatever its capitals): that is the Data page's row of the pictures without a
class, and a class of that name would stand beside it.

A name is kept and compared in one form (:func:`normal`: Unicode NFC, trimmed): "café" typed (one letter é) and
"café" from a Mac folder (e + an accent) are one name; two names are the same whatever their capitals
(:func:`name_key`). A name with a character that is not valid text (a folder name in another encoding, read by
Python as a lone surrogate) is refused."""

from __future__ import annotations

import unicodedata

from .errors import ProjectError

NO_CLASS = "No class"  # the class list's row of the pictures without a class (ui/data/class_panel.py shows it)
#: a split as the Data page names it (the split filter, the preview) and ``cnnstudio info`` / ``images`` print it;
#: None: in no split. Scripts' JSON keeps the short keys ("val", "unassigned").
SPLIT_NAMES = {"train": "Train", "val": "Validation", "test": "Test", None: "No split"}
#: names a kind of thing (check_name's ``what``) cannot take, compared whatever their capitals, and why
RESERVED = {"a class": {NO_CLASS: "the Data page lists the pictures without a class under that name"}}


def quoted(name: str) -> str:
    """ "“cat”": a name as the words of every page and command say it, in curly quotes, so that a class called "3"
    or "the best" reads as a name ("1 picture labelled “3” that the model took for “7”")."""
    return f"“{name}”"


def one_line(text: str) -> bool:
    """No line break of any kind (\\n, \\r, \\v, \\f, \\x85, \\u2028...) and no tab."""
    return "\t" not in text and len(text.splitlines()) <= 1


def normal(name: str) -> str:
    """``name`` as it is kept and compared: trimmed, in Unicode's composed form (NFC)."""
    return unicodedata.normalize("NFC", (name or "").strip())


def name_key(name: str) -> str:
    """What two names are compared by: :func:`normal`, whatever the capitals ("Café" and "cafe\u0301" are one)."""
    return normal(name).casefold()


def valid_text(text: str) -> bool:
    """No lone surrogate: a name in another encoding than UTF-8 (``b'caf\\xe9'``) that Python read as ``'caf\\udce9'``
    cannot be written to the database, a CSV or a screen."""
    return not any("\ud800" <= ch <= "\udfff" for ch in text)


def printable(text: str) -> str:
    """``text`` that can be shown and printed: each character that is not valid text becomes "�" (as a file name
    that is not valid UTF-8 is shown, import_walk.shown)."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def name_problem(name: str, what: str, limit: int) -> str | None:
    """Why ``name`` cannot be the name of ``what`` ("a class", "a run"), in one sentence; None: it can."""
    name = (name or "").strip()
    if not valid_text(name):
        return f"{what} name cannot contain characters that are not valid text (letters written in another encoding)"
    name = normal(name)
    if not name:
        return f"{what} needs a name"
    if len(name) > limit:
        return f"{what} name can be at most {limit} characters"
    if not one_line(name):
        return f"{what} name cannot contain line breaks or tabs"
    for taken, why in RESERVED.get(what, {}).items():
        if taken.casefold() == name.casefold():
            return f"{what} cannot be called “{taken}”: {why}"
    return None


def check_name(name: str, what: str, limit: int, error: type[ProjectError] = ProjectError) -> str:
    """``name`` as it is kept (:func:`normal`), or ``error`` with :func:`name_problem`'s sentence."""
    problem = name_problem(name, what, limit)
    if problem:
        raise error(problem)
    return normal(name)

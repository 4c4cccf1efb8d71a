"""The rule of a name a user types for a class or a run (stdlib only): not empty once trimmed, not too long, and on
one line: a line break or a tab in a name splits a row of every list and table that shows it (`cnnstudio runs`,
`class list`, the CSV of predictions), so it is refused with one sentence, the same for both. A class cannot be
called "No class" (:data:`NO_CLASS`, whatever its capitals): that is the Data page's row of the pictures without a
class, and a class of that name would stand beside it."""

from __future__ import annotations

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


def check_name(name: str, what: str, limit: int, error: type[ProjectError] = ProjectError) -> str:
    """``name`` trimmed, or ``error`` with the sentence: ``what`` is "a class", "a run"."""
    name = (name or "").strip()
    if not name:
        raise error(f"{what} needs a name")
    if len(name) > limit:
        raise error(f"{what} name can be at most {limit} characters")
    if not one_line(name):
        raise error(f"{what} name cannot contain line breaks or tabs")
    for taken, why in RESERVED.get(what, {}).items():
        if taken.casefold() == name.casefold():
            raise error(f"{what} cannot be called “{taken}”: {why}")
    return name

"""What CNN Studio says when a design file cannot be opened or saved, in plain sentences. Qt-free and torch-free.

:meth:`~.spec.ModelSpec.load` raises a :class:`~cnnstudio.engine.errors.SpecError` whose ``kind`` says what the file
is (:data:`KINDS`): "missing", "folder", "not-text" (a picture, a program…), "unreadable" (the disk says no),
"damaged" (text, but not readable JSON: ``line`` says where), "foreign" (JSON, but not a design CNN Studio saved),
"newer" (a design of a later CNN Studio), or "" (a design with a mistake in it, said by the check: "layer 3,
convolution: ..."; ``detail``). One rule says each: :func:`file_words`, which the command line gets as the error's
text with the path the user typed, and the Model page's Open… through :func:`open_words`, which names the file once
("“bad.json”"), never its folder's path nor the JSON parser's own words ("Expecting property name enclosed in double
quotes"), and ends in a full stop. :func:`save_words` puts an OSError through the project's one rule of a disk that
says no (:func:`cnnstudio.project.disk.explain_os_error`), never the raw "[Errno 2] … .model.json.x1.tmp"; a folder
chosen as the file is said as such.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ...project.disk import explain_os_error

SAVE_HINT = "“Save as…” on the Model page saves one"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


def damage_kind(text: str, pos: int) -> str:
    """What is wrong with JSON ``text`` that does not read, the reader stopping at character ``pos``: "empty",
    "cut-short" (it stops part-way, as a file only partly saved or copied does) or "damaged"."""
    if not text.strip():
        return "empty"
    return "cut-short" if not text[pos:].strip() else "damaged"


#: Why a design file cannot be opened, by the error's ``kind`` (:data:`KINDS`), as :func:`file_words` says it:
#: ``{shown}`` the file, ``{at}`` " (on line 3)" where damaged text breaks, ``{detail}`` the check's mistake,
#: ``{because}`` ": " and the disk's words when there are some.
FILE_WORDS = {
    "missing": "there is no file {shown}",
    "folder": "{shown} is not a design file: it is a folder",
    "not-text": "{shown} is not a design file: it is not text (a design is a .json file CNN Studio saved)",
    "unreadable": "CNN Studio cannot read {shown}{because}",
    "damaged": "{shown} is damaged: its text is broken{at}, so CNN Studio cannot read the design in it",
    "empty": "{shown} is empty, so it holds no design",
    "cut-short": "{shown} is damaged: it stops part-way{at}, as a file only partly saved or copied does",
    "foreign": "{shown} is not a design file saved by CNN Studio (" + SAVE_HINT + ")",
    "newer": "{shown} was saved by a newer CNN Studio: update CNN Studio to open it",
    "": "{shown} holds a design CNN Studio cannot use — {detail}",
}
KINDS = tuple(FILE_WORDS)


def file_words(shown: str, kind: str, detail: str = "", line: int | None = None) -> str:
    """Why the design file ``shown`` (its path on the command line, “its name” on the Model page) cannot be opened:
    a sentence without its capital or full stop (:data:`FILE_WORDS`; a kind it does not hold is said as a mistake in
    the design). ``detail``: the check's mistake (kind "") or the disk's words ("unreadable"); ``line``: where
    damaged text breaks."""
    said = detail.rstrip(".")
    return FILE_WORDS.get(kind, FILE_WORDS[""]).format(shown=shown, at=f" (on line {line})" if line else "",
                                                       detail=said, because=f": {said}" if detail else "")


def open_words(path: str | os.PathLike, err: Exception) -> str:
    """The sentence for a design file at ``path`` that :meth:`~.spec.ModelSpec.load` refused with ``err``."""
    kind = getattr(err, "kind", None)
    if kind is None:  # not said by load: its own words
        return _sentence(str(err))
    shown = f"“{Path(path).name}”"
    return _sentence(file_words(shown, kind, getattr(err, "detail", ""), getattr(err, "line", None)))


def save_words(path: str | os.PathLike, err: OSError) -> str:
    """The sentence for a design that could not be saved at ``path`` (the project's disk sentence; a folder's name
    that starts it keeps its case: "The folder designs is no longer there…", never "Designs is…"). A folder given
    as the file ("/", "designs") is said as such, not as the disk's "Is a directory"."""
    path = Path(path)
    if isinstance(err, IsADirectoryError) or getattr(err, "errno", None) == errno.EISDIR or path.is_dir():
        shown = f"“{path.name}”" if path.name else f"“{path}”"
        return _sentence(f"{shown} is a folder, so the design cannot be saved as it: give a file name, such as "
                         "model.json, in that folder")
    folder = path.parent
    words = explain_os_error(err, folder, "save the design")
    if folder.name and words.startswith(folder.name):
        words = f"the folder {words}"
    return _sentence(words)

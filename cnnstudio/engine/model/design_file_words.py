"""What the Model page says when a design file cannot be opened or saved, in plain sentences. Qt-free and torch-free.

:meth:`~.spec.ModelSpec.load` raises a :class:`~cnnstudio.engine.errors.SpecError` whose ``kind`` says what the file
is: "foreign" (JSON, but not a design CNN Studio saved), "damaged" (not JSON at all), or none (a design with a
mistake in it, said by the check: "layer 3, convolution: ..."). :func:`open_words` names the file once, never its
folder's path, and ends in a full stop; :func:`save_words` puts an OSError through the project's one rule of a disk
that says no (:func:`cnnstudio.project.disk.explain_os_error`), never the raw "[Errno 2] … .model.json.x1.tmp".
"""

from __future__ import annotations

import os
from pathlib import Path

from ...project.disk import explain_os_error

SAVE_HINT = "“Save as…” on the Model page saves one"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


def open_words(path: str | os.PathLike, err: Exception) -> str:
    """The sentence for a design file at ``path`` that :meth:`~.spec.ModelSpec.load` refused with ``err``."""
    name = Path(path).name
    if not hasattr(err, "detail"):  # the file itself could not be read ("there is no file …"): the engine's words
        return _sentence(str(err))
    kind = getattr(err, "kind", "")
    detail = getattr(err, "detail", "") or str(err)
    if kind == "foreign":
        return f"“{name}” is not a design saved by CNN Studio ({SAVE_HINT}), so it cannot be opened here."
    if kind == "damaged":
        why = detail[detail.find("(") + 1:detail.rfind(")")] if "(" in detail else ""
        return (f"“{name}” is damaged, or is not a design file: it is not readable JSON"
                + (f" ({why})." if why else "."))
    prefix = f"{path}: "
    said = detail[len(prefix):] if detail.startswith(prefix) else detail
    return f"“{name}” holds a design CNN Studio cannot use: {said.rstrip('.')}."


def save_words(path: str | os.PathLike, err: OSError) -> str:
    """The sentence for a design that could not be saved at ``path`` (the project's disk sentence; a folder's name
    that starts it keeps its case: "The folder designs is no longer there…", never "Designs is…")."""
    folder = Path(path).parent
    words = explain_os_error(err, folder, "save the design")
    if folder.name and words.startswith(folder.name):
        words = f"the folder {words}"
    return _sentence(words)

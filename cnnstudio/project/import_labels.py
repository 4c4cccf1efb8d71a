"""The class each folder of an import names (``--labels-from-folders``), settled before a picture is read: a folder
whose name cannot be a class name (too long, "No class", not valid text: :func:`.names.name_problem`) is skipped
with its pictures, one row for the folder that says why, and the rest of the import goes on; folders whose names
are one name whatever their capitals and Unicode form ("Cat" and "cat") make one class, and the report says so
(:attr:`Settled.merged`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from .import_walk import Candidate, shown
from .names import name_key, name_problem, normal, printable, quoted

CLASS_LIMIT = 100  # ClassTable._check_name's
SHOWN_CHARS = 40  # a folder name longer than this is cut in the sentence that quotes it


@dataclass
class Settled:
    candidates: list[Candidate] = field(default_factory=list)  # each label the class's name as it is kept
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason", "files"}: one row per folder refused
    merged: list[str] = field(default_factory=list)  # the report's lines on folders taken as one class


def _folder(c: Candidate) -> Path:
    """The folder that named ``c``'s class: the first folder below the one given (below its split folder)."""
    parts = c.path.relative_to(c.root).parts
    return c.root.joinpath(*parts[:2 if c.split else 1])


def _said(name: str) -> str:
    name = printable(name)
    return quoted(name if len(name) <= SHOWN_CHARS else name[:SHOWN_CHARS] + "…")


def folder_reason(name: str, problem: str) -> str:
    """"the folder name “…” cannot be a class name: a class name can be at most 100 characters"."""
    return f"the folder name {_said(name)} cannot be a class name: {problem}"


def settle_labels(candidates: Iterable[Candidate], known: Iterable[str]) -> Settled:
    """``candidates`` with the folders whose names cannot be classes taken out (:attr:`Settled.skipped`) and every
    other label written as its class will be named: the name of the class the project has (``known``: its class
    names) whatever the capitals, else the first folder's spelling met (:func:`.names.normal`)."""
    out = Settled()
    names = {name_key(k): k for k in known}
    refused: dict[Path, dict] = {}
    spellings: dict[str, dict[str, None]] = {}  # key -> the folder names met, in order
    for c in candidates:
        if c.label is None:
            out.candidates.append(c)
            continue
        problem = name_problem(c.label, "a class", CLASS_LIMIT)
        if problem:
            folder = _folder(c)
            row = refused.get(folder)
            if row is None:
                row = refused[folder] = {"path": shown(folder), "reason": folder_reason(c.label, problem), "files": 0}
                out.skipped.append(row)
            row["files"] += 1
            continue
        label, key = normal(c.label), name_key(c.label)
        spellings.setdefault(key, {})[label] = None
        out.candidates.append(replace(c, label=names.setdefault(key, label)))
    for key, met in spellings.items():
        kept = names[key]
        if len(met) > 1 or kept not in met:
            folders = sorted(met, key=str.casefold)
            said = (", ".join(quoted(f) for f in folders[:-1]) + " and " if len(folders) > 1 else "") \
                + quoted(folders[-1])
            out.merged.append(f"{'folders' if len(folders) > 1 else 'the folder'} {said} "
                              f"{'were taken as one class' if len(folders) > 1 else 'was taken as the class'} "
                              f"{quoted(kept)} (class names are the same whatever their capitals)")
    for row in out.skipped:
        n = row["files"]
        row["reason"] += f" ({n:,} file{'s' if n != 1 else ''} not imported: rename the folder to import them)"
    return out

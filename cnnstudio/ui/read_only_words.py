"""What a page says once when its project is open for viewing only (a read-only disk, or another window has it open).
Qt-free: the words are the project's own refusal (:meth:`~cnnstudio.project.store.Project.write_refused`, the same
sentence a refused change says), then what still works on that page."""

from __future__ import annotations

from .sentence import sentence


def read_only_refusal(project, doing: str) -> str:
    """"" for a project that can be written; else the project's words for why CNN Studio cannot ``doing`` ("train")
    and what to do (the engine's form: no capital, no full stop)."""
    return str(project.write_refused(doing)) if project.read_only else ""


def read_only_note(project, doing: str, still: str = "") -> str:
    """"" for a project that can be written; else why CNN Studio cannot ``doing`` ("save changes to the design
    here") and what to do, as a sentence, followed by ``still``: what the page can still do."""
    said = read_only_refusal(project, doing)
    return f"{sentence(said)} {still}".strip() if said else ""

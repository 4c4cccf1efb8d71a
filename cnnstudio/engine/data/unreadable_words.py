"""The one sentence for a stored picture that cannot be decoded while a run's pictures are prepared (training,
"Evaluate again", Check data): the picture named as the user knows it, the name of the file it was imported from
("“10.png” of class “cat”"), never the project's storage path (``images/74/74482de….png``), and what to do about
it. Torch-free; the name is read from the project's database on this (rare) failure only."""

from __future__ import annotations

from pathlib import Path

from .entries import Entry


def imported_name(root: Path, entry: Entry) -> str:
    """The name ``entry``'s picture was imported with ("10.png"), read from the project at ``root`` (opened again,
    for viewing only: the caller may hold it in another thread); the stored file's own name when the project cannot
    say (its database cannot be opened now, or ``entry.id`` is not a picture id: the data check numbers its pictures
    by position, so a record is used only when its stored file is ``entry.file``)."""
    from ...project.store import Project

    try:
        with Project.open(root, read_only=True) as project:
            record = project.records([entry.id])
    except Exception:  # noqa: BLE001 - the name is a courtesy: the sentence is said without it
        record = []
    if record and record[0].file == entry.file and record[0].original_name:
        return Path(record[0].original_name).name
    return Path(entry.file).name


def unreadable_sentence(root: Path, entry: Entry, why: str) -> str:
    """“10.png” (class “cat”) cannot be read: <why>. What to do: import its original file again, or move it to the
    trash on the Data page, whose Check data lists every picture that cannot be read."""
    of_class = f" (class “{entry.label_name}”)" if entry.label_name else ""
    return (f"the picture “{imported_name(root, entry)}”{of_class} cannot be read: {why.rstrip('.')}. Import its "
            f"original file again to put it back, or move it to the trash on the Data page (Check data there lists "
            f"every picture that cannot be read)")

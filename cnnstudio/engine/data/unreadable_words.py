"""The one sentence for a stored picture that cannot be decoded while a run's pictures are prepared (training,
"Evaluate again", Check data): the picture named as the user knows it, the name of the file it was imported from
("“10.png” of class “cat”"), never the project's storage path (``images/74/74482de….png``), and what to do about
it, in the window's words and the command line's alike (the sentence reaches both: its id and the 'cnnstudio trash'
command beside the Data page). Torch-free; the name is read from the project's database on this (rare) failure only."""

from __future__ import annotations

from pathlib import Path

from .entries import Entry


def _record(root: Path, entry: Entry):
    """The project's record of ``entry``'s picture, read from the project at ``root`` (opened again, for viewing
    only: the caller may hold it in another thread); None when the project cannot say (its database cannot be opened
    now, or ``entry.id`` is not a picture id: the data check numbers its pictures by position, so a record is used
    only when its stored file is ``entry.file``)."""
    from ...project.store import Project

    try:
        with Project.open(root, read_only=True) as project:
            record = project.records([entry.id])
    except Exception:  # noqa: BLE001 - the name is a courtesy: the sentence is said without it
        record = []
    return record[0] if record and record[0].file == entry.file else None


def imported_name(root: Path, entry: Entry) -> str:
    """The name ``entry``'s picture was imported with ("10.png"); the stored file's own name when the project cannot
    say (:func:`_record`)."""
    return _name(_record(root, entry), entry)


def _name(record, entry: Entry) -> str:
    if record is not None and record.original_name:
        return Path(record.original_name).name
    return Path(entry.file).name


def unreadable_sentence(root: Path, entry: Entry, why: str) -> str:
    """“10.png” (class “cat”, id 42) cannot be read: <why>. What to do, said for the window and the command line
    alike (this sentence reaches both): import its original file again (a run that trained with it keeps its own list
    of pictures, so only this mends its evaluation), or move it to the trash so that new runs leave it out — on the
    Data page, whose Check data lists every picture that cannot be read, or with ``cnnstudio trash DIR 42`` (the
    picture's id, as ``cnnstudio images`` lists it; IMAGE_ID where the project cannot say it)."""
    import shlex

    record = _record(root, entry)
    picture_id = str(record.id) if record is not None else ""
    about = ", ".join(([f"class “{entry.label_name}”"] if entry.label_name else [])
                      + ([f"id {picture_id}"] if picture_id else []))
    trash = f"cnnstudio trash {shlex.quote(str(root))} {picture_id or 'IMAGE_ID'}"
    return (f"the picture “{_name(record, entry)}”{f' ({about})' if about else ''} cannot be read: "
            f"{why.rstrip('.')}. Import its original file again to put it back (the only way for a run that "
            f"trained with it), or move it to the trash so that new runs leave it out: on the Data page (Check data "
            f"there lists every picture that cannot be read), or with '{trash}'")

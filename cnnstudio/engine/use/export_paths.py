"""Where an export may write: the rules that keep it from replacing anything but an earlier export of the
same kind (a user's report, photo archive or notes beside a bundle are refused with one sentence and left as
they are), and the temporary name it writes under before renaming into place."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from ..errors import EngineError
from .bundle import MANIFEST, WEIGHTS


class ExportError(EngineError):
    """An export that could not be done; the message says why."""


def tmp_beside(out: Path) -> Path:
    """The name an export is written under beside ``out`` before it is renamed into place."""
    return out.with_name(f".{out.name}.{os.getpid()}.tmp")


def out_path(path: str | os.PathLike, suffix: str) -> Path:
    """``path`` as a file to write ``suffix`` (.onnx, .pt) to: not a folder, and not some other file."""
    out = Path(path)
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name ending in {suffix}")
    if out.exists() and out.suffix.lower() != suffix:  # an earlier export of this kind may be replaced; nothing else
        raise ExportError(f"{out} is already there and is not a {suffix} file; choose another name (it was left "
                          f"as it is)")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def refuse_to_replace(out: Path) -> None:
    """Export replaces an earlier exported bundle at ``out`` (a folder or a .zip of only its two files) or
    fills an empty folder; anything else there (a report, a photo archive, a bundle folder the user added
    notes to) is refused with one sentence and left as it is."""
    ours = {MANIFEST, WEIGHTS}
    if not out.exists():
        return
    if out.is_dir():
        others = sorted(p.name for p in out.iterdir() if p.name not in ours)
        if others and (out / MANIFEST).is_file():
            raise ExportError(f"{out} holds an exported model and other files ({others[0]}"
                              f"{', ...' if len(others) > 1 else ''}); choose a new or empty folder (it was left as "
                              f"it is)")
        if others:
            raise ExportError(f"{out} is a folder with other files in it; choose a new or empty folder")
        return
    try:
        with zipfile.ZipFile(out) as zf:
            names = set(zf.namelist())
    except (OSError, zipfile.BadZipFile):
        names = set()
    if out.suffix.lower() != ".zip" or MANIFEST not in names or not names <= ours:
        raise ExportError(f"{out} is already there and is not an exported model; choose another name (it was left "
                          f"as it is)")

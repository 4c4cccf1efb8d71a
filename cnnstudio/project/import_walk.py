"""Which files a set of paths to import holds: folders walked (hidden names and link loops passed over, the
project's own folder and any other CNN Studio project refused), class and split read from folder names; and a
quick look, by file names only, for a drag and drop that must answer at once."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import imaging
from .splits import SPLIT_FOLDER_NAMES
from .store import is_project


@dataclass(frozen=True)
class Candidate:
    path: Path
    label: str | None = None
    split: str | None = None


def collect(paths: Iterable[str | os.PathLike], labels_from_folders: bool = False,
            keep_split_folders: bool = True, exclude: Path | None = None) -> tuple[list[Candidate], list[dict]]:
    """Expand files and folders (recursively) into candidates; refuse what is plainly not a file.

    With ``labels_from_folders``, the first folder below a given folder names the class
    (``pets/cat/1.jpg`` -> ``cat``). With ``keep_split_folders``, a first folder named
    ``train``, ``val``/``validation`` or ``test`` sets the split (``data/train/cat/1.jpg``).
    Hidden files and folders (names starting with a dot) are passed over, and so is ``exclude``
    (the project's own folder, when someone imports a folder that contains the project), and any other CNN
    Studio project folder (its thumbnails are not pictures to import, and its labels would be lost).
    """
    candidates: list[Candidate] = []
    skipped: list[dict] = []
    seen_dirs: set[tuple[int, int]] = set()

    def skip(p: Path, reason: str) -> None:
        skipped.append({"path": str(p), "reason": reason})

    def from_root(root: Path, file: Path) -> Candidate:
        parts = file.relative_to(root).parts[:-1]
        split = None
        if keep_split_folders and parts and parts[0].lower() in SPLIT_FOLDER_NAMES:
            split, parts = SPLIT_FOLDER_NAMES[parts[0].lower()], parts[1:]
        label = parts[0] if labels_from_folders and parts else None
        return Candidate(file, label, split)

    def walk(root: Path, folder: Path) -> None:
        try:
            st = folder.stat()
        except OSError as e:
            skip(folder, f"cannot open the folder: {e.strerror or e}")
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            return  # a link loop or the same folder twice
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            skip(folder, f"cannot list the folder: {e.strerror or e}")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            visit(root, path)

    def visit(root: Path | None, path: Path) -> None:
        try:
            st = path.stat()
        except FileNotFoundError:
            skip(path, "broken link (it points to a file that does not exist)" if path.is_symlink()
                 else "file not found")
            return
        except OSError as e:
            skip(path, f"cannot read: {e.strerror or e}")
            return
        if stat.S_ISDIR(st.st_mode):
            if exclude is not None and os.path.samefile(path, exclude):
                skip(path, "the project's own folder: its images are already in the project")
                return
            if is_project(path):  # its thumbnails would come in as pictures, without their labels
                skip(path, "a CNN Studio project folder: open it with File > Open Project (or 'cnnstudio gui "
                           "FOLDER'); its pictures and labels stay in it")
                return
            found = len(candidates)
            walk(root if root is not None else path, path)
            if imaging.has_image_extension(path) and len(candidates) == found:  # said only when it explains
                skip(path, "a folder named like an image file, with no picture inside it")
        elif stat.S_ISREG(st.st_mode):
            candidates.append(from_root(root, path) if root is not None else Candidate(path))
        else:
            skip(path, "not a regular file (device, pipe or socket)")

    for p in paths:
        visit(None, Path(p))
    return candidates, skipped


def quick_scan(path: str | os.PathLike, limit: int = 5000) -> str | None:
    """Decide fast (for a drag-and-drop) whether ``path`` may hold images; None if so, else the reason.

    Looks at file names only, and at most ``limit`` entries of a folder tree: a drop must answer at once.
    """
    p = Path(path)
    if p.is_symlink() and not p.exists():
        return "broken link"
    if not p.exists():
        return "not found"
    if p.is_file():
        return None if imaging.has_image_extension(p) else "not an image file"
    if not p.is_dir():
        return "not a regular file"
    if not os.access(p, os.R_OK | os.X_OK):
        return "folder cannot be read"
    seen = 0
    for dirpath, dirnames, filenames in os.walk(p):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if imaging.has_image_extension(name) and not name.startswith("."):
                return None
            seen += 1
        seen += len(dirnames)
        if seen > limit:
            return None  # too big to look through now: let the import decide, file by file
    return "the folder holds no images"

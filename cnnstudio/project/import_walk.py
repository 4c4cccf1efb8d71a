"""Which files a set of paths to import holds: folders walked, class and split read from folder names; and a quick
look, by file names only, for a drag and drop that must answer at once.

Passed over in a folder, each counted in one line of the report (:func:`passed_over_lines`), never listed file by
file as skipped: system clutter (``.DS_Store``, ``._name`` Mac metadata, ``Thumbs.db``, ``desktop.ini`` ...) and
hidden names (starting with a dot). A hidden file is not imported even when it is a picture: a name is hidden on
purpose (an editor's backup, a viewer's ``.thumbnails`` folder, a sync tool's copies), and a user who imports a folder
expects what the file manager shows them in it; the line says how many there were, so one hidden on purpose can be
renamed. Refused with a reason: the project's own folder, any other CNN Studio project, a folder that cannot be
opened (permission), a link that loops, and a link to a folder above the one walked (it would bring the sibling
class folders in again, under this folder's class).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import imaging
from .splits import SPLIT_FOLDER_NAMES
from .store import is_project

#: files an operating system writes in folders: never pictures, passed over without a word each
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", ".spotlight-v100", ".trashes",
                          ".fseventsd", ".temporaryitems", ".documentrevisions-v100", "$recycle.bin",
                          "system volume information", ".directory"})
SYSTEM = "system"  # the kinds of a passed-over entry
HIDDEN = "hidden"
LINK_UP_REASON = ("a link to a folder above this one: not followed (its pictures would come in again, under this "
                  "folder's name)")
LOOP_REASON = "a link that leads back to itself (a link loop)"


@dataclass(frozen=True)
class Candidate:
    path: Path  # the real path: it opens the file (it may hold a name that is not valid UTF-8)
    label: str | None = None
    split: str | None = None
    root: Path | None = None  # the folder the user gave it was found in; None: given itself

    @property
    def shown(self) -> str:
        """How to name the file to the user: its path from the folder given (``photos/apples/1.jpg``), or its name."""
        if self.root is None:
            return shown(self.path.name)
        return shown(self.path.relative_to(self.root.parent if self.root.name else self.root))


def shown(path: str | os.PathLike) -> str:
    """A path as text that can be printed, shown and stored: a name that is not valid UTF-8 (Latin-1 from an old ZIP
    or a FAT disk) gets a replacement character where its odd bytes are; the real path still opens the file."""
    return os.fsencode(path).decode("utf-8", "replace")


@dataclass
class Walked:
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    passed_over: list[dict] = field(default_factory=list)  # {"path", "kind": SYSTEM or HIDDEN}


def passed_over_lines(passed_over: list[dict]) -> list[str]:
    """The report's lines for what a folder walk passed over: "3 system files (.DS_Store, Thumbs.db …) passed over",
    "1 hidden file passed over (.holiday.jpg): rename it without the leading dot to import it", "1 hidden folder
    (.hidden, 8 pictures) passed over: …"."""
    lines = []
    for kind, folder, one, many in ((SYSTEM, None, "system file", "system files"),
                                    (HIDDEN, False, "hidden file", "hidden files"),
                                    (HIDDEN, True, "hidden folder", "hidden folders")):
        rows = [p for p in passed_over if p["kind"] == kind and (folder is None or bool(p.get("folder")) == folder)]
        if not rows:
            continue
        n = len(rows)
        names = sorted({Path(p["path"]).name for p in rows}, key=str.casefold)
        listed = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
        if folder:
            pictures = sum(p.get("pictures", 0) for p in rows)
            listed += f", {pictures:,} picture{'s' if pictures != 1 else ''} inside" if pictures else ", no pictures"
        line = f"{n:,} {one if n == 1 else many} ({listed}) passed over"
        if kind == HIDDEN:
            line += ": names starting with a dot are hidden on purpose; rename one without the dot to import it"
        lines.append(line)
    return lines


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _pictures_in(folder: str, limit: int = 10_000) -> int:
    """How many files named like pictures ``folder`` holds (in the folders inside it too), by name only, counting at
    most ``limit`` names: what a hidden folder passed over is said to hold."""
    n = seen = 0
    for _dirpath, dirnames, filenames in os.walk(folder):
        n += sum(1 for name in filenames if imaging.has_image_extension(name))
        seen += len(filenames) + len(dirnames)
        if seen > limit:
            break
    return n


def _plain(e: OSError) -> str:
    """An operating system's refusal in plain words."""
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.ELOOP:
        return LOOP_REASON
    return (e.strerror or str(e)).lower()


def _passed_over_kind(name: str) -> str | None:
    if name.casefold() in SYSTEM_FILES or name.startswith("._"):
        return SYSTEM
    return HIDDEN if name.startswith(".") else None


def _is_above(target: str, folder: str) -> bool:
    """Whether ``target`` (a real path) is ``folder`` or a folder that holds it."""
    return folder == target or folder.startswith(target.rstrip(os.sep) + os.sep)


def collect(paths: Iterable[str | os.PathLike], labels_from_folders: bool = False,
            keep_split_folders: bool = True, exclude: Path | None = None) -> tuple[list[Candidate], list[dict]]:
    """:func:`walk_paths`'s candidates and skipped entries (what prediction needs)."""
    walked = walk_paths(paths, labels_from_folders, keep_split_folders, exclude)
    return walked.candidates, walked.skipped


def has_split_folders(folders: Iterable[str | os.PathLike]) -> bool:
    """Whether any of ``folders`` has a first folder that :func:`walk_paths` reads as a split (``train/``, ``val/``,
    ``test/``...): the import's "keep the split of those folders" is a question only then."""
    for folder in folders:
        try:
            if any(e.is_dir() and e.name.lower() in SPLIT_FOLDER_NAMES for e in os.scandir(folder)):
                return True
        except OSError:
            continue
    return False


def class_folders(folders: Iterable[str | os.PathLike], keep_split_folders: bool = True) -> list[str]:
    """The names of the folders in ``folders`` that look like classes: the first folders holding pictures (by file
    name, :func:`quick_scan`), hidden ones left out; a split folder (``train/``, ``val/``, ``test/``) is not one, the
    folders inside it are (``data/train/cat/``), unless ``keep_split_folders`` is False. What ``--labels-from-folders``
    (the import window's "Use folder names as class labels") would make classes of; sorted, each name once."""
    names: dict[str, str] = {}

    def first_folders(folder) -> list[os.DirEntry]:
        try:
            return [e for e in os.scandir(folder) if e.is_dir() and not _passed_over_kind(e.name)]
        except OSError:
            return []

    for folder in folders:
        for entry in first_folders(folder):
            inside = ([entry] if not keep_split_folders or entry.name.lower() not in SPLIT_FOLDER_NAMES
                      else first_folders(entry.path))
            for e in inside:
                if quick_scan(e.path) is None:
                    names.setdefault(e.name.casefold(), e.name)
    return sorted(names.values(), key=str.casefold)


def walk_paths(paths: Iterable[str | os.PathLike], labels_from_folders: bool = False,
               keep_split_folders: bool = True, exclude: Path | None = None) -> Walked:
    """Expand files and folders (recursively) into candidates; refuse what is plainly not a file.

    With ``labels_from_folders``, the first folder below a given folder names the class
    (``pets/cat/1.jpg`` -> ``cat``). With ``keep_split_folders``, a first folder named
    ``train``, ``val``/``validation`` or ``test`` sets the split (``data/train/cat/1.jpg``).
    System files and hidden names are passed over (counted, see the module's docs), and so is ``exclude``
    (the project's own folder, when someone imports a folder that contains the project), and any other CNN
    Studio project folder (its thumbnails are not pictures to import, and its labels would be lost).
    Every ``"path"`` in ``skipped`` and ``passed_over`` is :func:`shown` text. The whole of :func:`iter_walk`.
    """
    out = Walked()
    lists = {CANDIDATE: out.candidates, SKIPPED: out.skipped, PASSED_OVER: out.passed_over}
    for kind, item in iter_walk(paths, labels_from_folders, keep_split_folders, exclude):
        lists[kind].append(item)
    return out


CANDIDATE, SKIPPED, PASSED_OVER = "candidate", "skipped", "passed_over"  # what iter_walk yields


def iter_walk(paths: Iterable[str | os.PathLike], labels_from_folders: bool = False,
              keep_split_folders: bool = True, exclude: Path | None = None) -> Iterator[tuple[str, object]]:
    """:func:`walk_paths`, one finding at a time as the walk meets it, in its order: ``(CANDIDATE, Candidate)``,
    ``(SKIPPED, {"path", "reason"})`` or ``(PASSED_OVER, {"path", "kind"})``. The one walk of importing and of
    predicting a folder; whoever needs only the first file (Predict's empty-folder check) reads one folder listing,
    not the whole tree."""
    seen_dirs: set[tuple[int, int]] = set()

    def skip(p: Path, reason: str) -> tuple[str, dict]:
        return SKIPPED, {"path": shown(p), "reason": reason}

    def from_root(root: Path, file: Path) -> Candidate:
        parts = file.relative_to(root).parts[:-1]
        split = None
        if keep_split_folders and parts and parts[0].lower() in SPLIT_FOLDER_NAMES:
            split, parts = SPLIT_FOLDER_NAMES[parts[0].lower()], parts[1:]
        label = parts[0] if labels_from_folders and parts else None
        return Candidate(file, label, split, root)

    def walk(root: Path, folder: Path) -> Iterator[tuple[str, object]]:
        try:
            st = folder.stat()
        except OSError as e:
            yield skip(folder, f"cannot open the folder: {_plain(e)}")
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            return  # the same folder twice (a link to a folder walked already)
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            yield skip(folder, f"cannot open the folder: {_plain(e)}")
            return
        real_folder = None
        for entry in entries:
            kind = _passed_over_kind(entry.name)
            if kind:
                row = {"path": shown(entry.path), "kind": kind}
                if kind == HIDDEN and _is_folder(entry):  # a hidden class folder: said as one, with its pictures
                    row.update(folder=True, pictures=_pictures_in(entry.path))
                yield PASSED_OVER, row
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                real_folder = real_folder or os.path.realpath(folder)
                target = os.path.realpath(path)
                if os.path.isdir(target) and _is_above(target, real_folder):
                    yield skip(path, LINK_UP_REASON)
                    continue
            yield from visit(root, path)

    def visit(root: Path | None, path: Path) -> Iterator[tuple[str, object]]:
        try:
            st = path.stat()
        except FileNotFoundError:
            yield skip(path, "broken link (it points to a file that does not exist)" if path.is_symlink()
                       else "file not found")
            return
        except OSError as e:
            yield skip(path, LOOP_REASON if e.errno == errno.ELOOP else f"cannot read: {_plain(e)}")
            return
        if stat.S_ISDIR(st.st_mode):
            if exclude is not None and os.path.samefile(path, exclude):
                yield skip(path, "the project's own folder: its images are already in the project")
                return
            try:
                project = is_project(path)
            except OSError as e:  # a folder that cannot be searched (Python 3.11's is_file() raises)
                yield skip(path, f"cannot open the folder: {_plain(e)}")
                return
            if project:  # its thumbnails would come in as pictures, without their labels
                yield skip(path, "a CNN Studio project folder: open it with File > Open Project (or 'cnnstudio gui "
                                 "FOLDER'); its pictures and labels stay in it")
                return
            found = False
            for kind, item in walk(root if root is not None else path, path):
                found = found or kind == CANDIDATE
                yield kind, item
            if imaging.has_image_extension(path) and not found:  # said only when it explains
                yield skip(path, "a folder named like an image file, with no picture inside it")
        elif stat.S_ISREG(st.st_mode):
            yield CANDIDATE, (from_root(root, path) if root is not None else Candidate(path))
        else:
            yield skip(path, "not a regular file (device, pipe or socket)")

    for p in paths:
        yield from visit(None, Path(p))


FILE_GONE_REASON = "the file is not there any more (moved or deleted during the import)"


def fold_vanished(skipped: list[dict], given: Iterable[str | os.PathLike], imported: int) -> list[dict]:
    """``skipped`` with the files of a given folder that disappeared during the import (deleted, moved, its drive
    removed) said once, for the folder, instead of one "not there any more" row per file; ``imported``: how many
    pictures the import brought in."""
    from .counting import counted

    out = list(skipped)
    for root in given:
        if os.path.lexists(root):
            continue
        top = os.path.abspath(root)
        mine = [s for s in out if s["reason"] == FILE_GONE_REASON
                and (os.path.abspath(s["path"]) + os.sep).startswith(top + os.sep)]
        if not mine:
            continue
        gone = {id(s) for s in mine}  # by identity: 'not in' a list of dicts compared every row with every row
        out = [s for s in out if id(s) not in gone]
        n = len(mine)
        out.append({"path": shown(root), "files": n,  # one row for n files
                    "reason": f"this folder disappeared during the import: {counted(imported, 'picture')} "
                              f"{'was' if imported == 1 else 'were'} imported, the other {counted(n, 'file')} "
                              f"{'was' if n == 1 else 'were'} not found"})
    return out


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

"""Import image files and folders into a project: robust, crash-safe, cancellable, fast.

Pipeline: walk the paths (:mod:`.import_walk`) -> decode + hash + thumbnail in a thread pool (Pillow releases
the GIL) -> commit in chunks. Each chunk is written with a journal so a kill at any moment leaves neither a
row without its file nor a file without its row:

1. the chunk's target file names go into ``pending_files`` (committed);
2. files are written to ``images/.incoming/`` and renamed into place;
3. image rows are inserted and the journal entries removed, in one transaction.

On open, :meth:`Project._recover` deletes any journalled file that never got its row.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import sqlite3
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import imaging
from .disk import check_free_space, disk_writes, remove_quietly
from .import_dups import Seen, give_classes
from .import_labels import settle_labels
from .import_marker import mark, unmark
from .import_report import ImportReport
from .import_walk import FILE_GONE_REASON, Candidate, collect, fold_vanished, shown, walk_paths
from .names import name_key, normal
from .places import internal_folder_of
from .store import IMAGES_DIR, INCOMING_DIR, Project

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]

LAST_IMPORT_DUPLICATES = "last_import_duplicates"  # the meta key: how many duplicates the last import found
CHUNK_FILES = 64
CHUNK_SECONDS = 0.5
__all__ = ["CAMERA_STAGING", "LAST_IMPORT_DUPLICATES", "ImportReport", "collect", "content_hash", "import_paths",
           "in_project"]  # collect: import_walk's, given on as it always was


@dataclass
class _Prepared:
    candidate: Candidate
    sha256: str = ""
    data: bytes = b""
    ext: str = ""
    width: int = 0
    height: int = 0
    thumb_jpeg: bytes = b""
    size_bytes: int = 0
    reason: str = ""  # non-empty: rejected
    note: str = ""  # imported, with this said (DecodedImage.first_frame_note)


# ---------------------------------------------------------------------------- walking
# ---------------------------------------------------------------------------- preparing
def _prepare(c: Candidate) -> _Prepared:
    out = _Prepared(c)
    try:
        with open(c.path, "rb") as f:
            data = f.read()
    except PermissionError:
        out.reason = "permission denied: the file cannot be read"
        return out
    except FileNotFoundError:  # gone since the walk: said once for its folder when the folder went (fold_vanished)
        out.reason = FILE_GONE_REASON
        return out
    except OSError as e:
        out.reason = f"cannot read the file: {e.strerror or e}"
        return out
    try:
        decoded = imaging.decode(data)
    except imaging.ImageRejected as e:
        out.reason = str(e)
        return out
    buf = io.BytesIO()
    imaging.make_thumbnail(decoded.image).save(buf, "JPEG", quality=85)
    out.sha256 = hashlib.sha256(data).hexdigest()
    out.data = data
    out.size_bytes = len(data)
    out.ext = decoded.extension
    out.width, out.height = decoded.width, decoded.height
    out.thumb_jpeg = buf.getvalue()
    out.note = decoded.first_frame_note
    return out


def _write_atomic(path: Path, data: bytes, incoming: Path) -> None:
    tmp = incoming / f"{path.name}.{os.getpid()}.{threading.get_ident()}.part"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        remove_quietly(tmp)  # a full disk must not leave half a file behind
        raise


def content_hash(path: str | os.PathLike) -> str:
    """The hash a file is stored (and deduplicated) by."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def in_project(project: Project, sha256: str) -> bool:
    """Whether a picture of this content is in the project (not in its trash): importing it again adds nothing."""
    return project._con().execute("SELECT 1 FROM images WHERE sha256 = ? AND trashed_at IS NULL",
                                  (sha256,)).fetchone() is not None


# ---------------------------------------------------------------------------- importing
def import_paths(project: Project, paths: Iterable[str | os.PathLike], *, labels_from_folders: bool = False,
                 keep_split_folders: bool = True, class_name: str | None = None,
                 progress: ProgressFn | None = None, cancel: CancelFn | threading.Event | None = None,
                 workers: int | None = None, one_transaction: bool = False, remembered: bool = True,
                 project_files: bool = False, split: str | None = None) -> ImportReport:
    """Import files and folders. ``class_name`` labels everything imported (unless folders name it).

    ``split``: the split of every picture whose folder names none (a picture added from the Predict page or the
    camera: :func:`.splits.split_for_added`); None, the default, leaves them without one.

    ``progress(done, total, message)`` is called from this thread; ``cancel`` (a callable or an Event)
    stops the import at the next file: what was already committed stays.

    ``one_transaction``: every row of the import goes into the database in one transaction at the end (a camera
    burst: one action, all of it or none of it). Files are still written chunk by chunk under the journal, so
    memory stays flat; if a write fails, the files written so far go again and no row is added.

    ``project_files``: the paths may be another project's own stored copies (a job packed from a project); for
    anyone else a path in a project's images/, runs/, cache/ or tune/ is refused (thumbnails, without labels).

    ``remembered``: this is "the last import" the Data page's health note counts the duplicates of
    (:func:`.health.dataset_warnings`). False for one picture added from the Predict page: its own message says at
    once whether it was already there, and the note stays about the user's last import.
    """
    if split not in (None, "train", "val", "test"):
        raise ValueError(f"split must be train, val or test, not {split!r}")
    gone = project.gone_error()
    if gone is not None:  # the project folder was deleted or moved while open: say so before reading anything
        raise gone
    if class_name:  # a name that cannot be a class's is said before anything is imported
        class_name = project._check_name(class_name)
    t0 = time.perf_counter()
    report = ImportReport()
    is_cancelled: CancelFn = (cancel.is_set if isinstance(cancel, threading.Event)
                              else cancel or (lambda: False))
    given, inside = [], []
    for p in paths:  # a project's thumbnails, stored copies or runs: not pictures to take (without their labels)
        found = None if project_files else internal_folder_of(p)
        if found is not None and Path(p).resolve().is_relative_to((project.root / CAMERA_STAGING).resolve()):
            found = None  # the camera's frames, staged in this project's cache on their way in
        if found is None:
            given.append(p)
        else:
            inside.append({"path": shown(p), "reason": f"inside the {found[1]} folder of the CNN Studio project "
                                                       f"{found[0]}, where it keeps its own files: open that project "
                                                       "instead"})
    walked = walk_paths(given, labels_from_folders, keep_split_folders, exclude=project.root)
    settled = settle_labels(walked.candidates, [c.name for c in project.classes()])
    candidates = settled.candidates  # a folder whose name cannot be a class is skipped, the rest goes on
    report.skipped = inside + walked.skipped + settled.skipped
    report.classes_merged = settled.merged
    report.passed_over = walked.passed_over
    total = len(candidates)
    check_free_space(project.root, _bytes_needed(project, candidates), "import",
                     f"importing these {total} pictures")
    if progress:
        progress(0, total, f"Importing {total} files")

    def kept() -> str:
        if not project.root.is_dir():  # the project itself is gone: nothing can be said to be kept
            return ""
        n = len(report.imported)
        return (f"the {n} picture{'s' if n != 1 else ''} imported so far {'are' if n != 1 else 'is'} kept"
                if n else "the project was not changed")

    with disk_writes(project.root, "import", kept):
        marked = not one_transaction  # all of it or none of it: nothing half done to say at the next opening
        if marked:  # removed however the import ends; left by a killed one, said at the next opening
            mark(project, [shown(Path(p).expanduser().absolute()) for p in given], total)
        try:
            _import(project, candidates, report, class_name, progress, is_cancelled, workers, one_transaction,
                    split)
            if remembered:
                report.remembered = True
                project.set_meta(LAST_IMPORT_DUPLICATES, str(len(report.already_there)))
        finally:
            if marked:
                unmark(project)
    report.skipped = fold_vanished(report.skipped, given, len(report.imported))
    _mark_class_left(project, report, class_name)
    report.seconds = time.perf_counter() - t0
    return report


def _mark_class_left(project: Project, report: ImportReport, class_name: str | None) -> None:
    """Imported "as NAME": each duplicate that is a picture of the project with another class (or none) gets
    ``"class_left"``, the class it keeps (None: no class). An import never relabels a picture the project has;
    the CLI and the Predict page say so ("its class was left as it is")."""
    if not class_name:
        return
    dups = [d for d in report.duplicates if isinstance(d.get("existing_id"), int)]
    records = {r.id: r for r in project.records([d["existing_id"] for d in dups])}
    names = {c.id: c.name for c in project.classes()}
    for d in dups:
        r = records.get(d["existing_id"])
        have = names.get(r.class_id) if r is not None and r.class_id is not None else None
        if r is not None and have != class_name:
            d["class_left"] = have


CAMERA_STAGING = "cache/camera"  # where the camera's frames wait to be imported (ui/camera/)
PER_FILE_BYTES = 8_000  # a thumbnail and a database row, about


def _make_folder(project: Project, folder: Path) -> None:
    """``folder`` (inside the project) and its missing parents, never the project's own folder: a project deleted
    while it imports stops the import at its next file (a "gone" disk error), not made again under the user's
    ``rm -rf``, half empty."""
    if not project.root.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the project's folder is gone", str(project.root))
    folder.mkdir(parents=True, exist_ok=True)


def _bytes_needed(project: Project, candidates: list[Candidate]) -> int:
    """What an import will write: the files not already in the project (same path and size), plus thumbnails."""
    known = set(project._con().execute("SELECT source_path, size_bytes FROM images WHERE trashed_at IS NULL"))
    needed = 0
    for c in candidates:
        try:
            size = c.path.stat().st_size
        except OSError:
            continue  # skipped later with its reason
        if (shown(c.path), size) not in known:
            needed += size + PER_FILE_BYTES
    return needed


def _import(project: Project, candidates: list[Candidate], report: ImportReport, class_name: str | None,
            progress: ProgressFn | None, is_cancelled: CancelFn, workers: int | None,
            one_transaction: bool = False, split: str | None = None) -> None:
    total = len(candidates)
    incoming = project.root / IMAGES_DIR / INCOMING_DIR
    _make_folder(project, incoming)
    known_classes = {name_key(c.name) for c in project.classes()}
    seen = Seen(class_name)  # for duplicates inside this import
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    done = 0
    chunk: list[_Prepared] = []
    last_flush = time.perf_counter()
    deferred: list[tuple[_Prepared, str]] = []  # written, row not yet inserted (one_transaction)

    def flush() -> None:
        nonlocal chunk, last_flush
        if chunk:
            fresh = _fresh(project, chunk, report, seen, incoming, known_classes)
            try:
                written = _write_files(project, fresh, incoming)
            except OSError:
                _forget_files(project, deferred)
                raise
            if one_transaction:
                for p, _rel in written:
                    p.data = b""  # on disk now: keep only what the row needs
                deferred.extend(written)
            else:
                _insert_rows(project, written, report, seen, known_classes, class_name, split)
        chunk = []
        last_flush = time.perf_counter()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="import") as pool:
        pending: deque[Future] = deque()
        it = iter(candidates)
        window = workers * 4
        exhausted = False
        while True:
            while not exhausted and len(pending) < window and not is_cancelled():
                c = next(it, None)
                if c is None:
                    exhausted = True
                else:
                    pending.append(pool.submit(_prepare, c))
            if not pending:
                break
            prepared = pending.popleft().result()
            done += 1
            if prepared.reason:
                report.skipped.append({"path": shown(prepared.candidate.path), "reason": prepared.reason})
            else:
                chunk.append(prepared)
            if len(chunk) >= CHUNK_FILES or time.perf_counter() - last_flush > CHUNK_SECONDS:
                flush()
            if progress:
                progress(done, total, shown(prepared.candidate.path.name))
            if is_cancelled():
                report.cancelled = True
                for f in pending:
                    f.cancel()
                # finish the ones already running so their work is not thrown away half-done
                for f in pending:
                    if not f.cancelled():
                        p = f.result()
                        if not p.reason:
                            chunk.append(p)
                pending.clear()
                break
        flush()
    if deferred:
        try:
            _insert_rows(project, deferred, report, seen, known_classes, class_name, split)
        except BaseException:
            _forget_files(project, deferred)
            raise
    seen.finish()  # an in-import duplicate names the file kept and its picture, once that has its row
    if report.cancelled and progress:
        progress(done, total, "Cancelled")


def _stored_copy(project: Project, images: Path, file: str, p: _Prepared) -> Path | None:
    """Where a picture the project has should be written back from ``p`` (the same content), or None: its copy
    is there whole, or the row names a place outside the project's images folder (a project folder from someone
    else is never trusted to write elsewhere). A copy is taken for damaged when its size is not the picture's
    (truncated, or another file in its place); a same-size corruption is not looked for (that would read every
    stored copy at every import of pictures already there). ``images``: the project's images folder, resolved."""
    stored = (project.root / file).resolve()
    if not stored.is_relative_to(images) or stored == images:
        return None
    try:
        return None if stored.stat().st_size == len(p.data) else stored
    except FileNotFoundError:
        return stored
    except OSError:
        return None  # unreadable: the write would fail too; the training's own sentence says what is wrong


def _fresh(project: Project, chunk: list[_Prepared], report: ImportReport, seen: Seen,
           incoming: Path, known_classes: set[str]) -> list[_Prepared]:
    """The chunk's pictures not in the project (nor earlier in this import); the others are reported. A picture
    the project has whose stored copy is gone (deleted by hand, a disk restored from an old backup) gets its
    copy back from the file imported: what "re-import it" in the missing-file sentence promises. A picture the
    project has without a class gets the class this import gives it (its folder's name, or ``class_name``): the
    same import with --labels-from-folders after one without labels them; one with a class keeps it."""
    con = project._con()
    images = (project.root / IMAGES_DIR).resolve()  # once a chunk: where a lost copy may be written back
    fresh: list[_Prepared] = []
    to_label: list[tuple[dict, str]] = []  # (the duplicate's row, the class it gets)
    for p in chunk:
        if p.sha256 in seen.kept:
            report.duplicates.append(seen.met_again(p, project, report))
            continue
        row = con.execute("SELECT id, trashed_at, file, class_id FROM images WHERE sha256 = ?",
                          (p.sha256,)).fetchone()
        if row:
            seen.ids[p.sha256] = row[0]
            reason = "already in the project"
            stored = _stored_copy(project, images, row[2], p)
            if stored is not None:
                _make_folder(project, stored.parent)
                _write_atomic(stored, p.data, incoming)
                report.restored.append(row[0])
                reason = ("already in the project, but its stored copy was missing or damaged: restored from this "
                          "file")
            if row[1] is not None:
                project.restore_images([row[0]])
                report.untrashed.append(row[0])
                reason = "was in the project's trash: restored" + (
                    " (and its stored copy)" if reason.startswith("already in the project, but") else "")
            report.duplicates.append({"path": shown(p.candidate.path), "existing_id": row[0], "reason": reason})
            if row[1] is not None:
                report.duplicates[-1]["untrashed"] = True  # not a duplicate: said as back from the trash
            label = (p.candidate.label or seen.class_name or "").strip()
            if row[3] is None and label:
                report.duplicates[-1]["class_from"] = "folder" if p.candidate.label else "class"
                to_label.append((report.duplicates[-1], label))
            continue
        seen.keep(p)
        fresh.append(p)
    give_classes(project, to_label, report, known_classes)
    return fresh


def _write_files(project: Project, fresh: list[_Prepared], incoming: Path) -> list[tuple[_Prepared, str]]:
    """Journal the files' names (committed), then write them (and their thumbnails); each with its path."""
    if not fresh:
        return []
    rel = {p.sha256: f"{IMAGES_DIR}/{p.sha256[:2]}/{p.sha256}.{p.ext}" for p in fresh}
    with project.transaction() as tx:  # 1. journal
        tx.executemany("INSERT OR IGNORE INTO pending_files(file) VALUES (?)", [(r,) for r in rel.values()])
    written: list[Path] = []
    try:
        for p in fresh:  # 2. files
            target = project.root / rel[p.sha256]
            target.parent.mkdir(exist_ok=True)
            _write_atomic(target, p.data, incoming)
            written.append(target)
            try:  # a thumbnail is only a cache: the gallery rebuilds a missing one
                thumb = project.thumb_cache_path(p.sha256)
                _make_folder(project, thumb.parent)
                _write_atomic(thumb, p.thumb_jpeg, incoming)
            except OSError:
                pass
    except OSError:  # the disk is full (or gone): undo this chunk's files now, not at the next open
        _forget_files(project, [(p, rel[p.sha256]) for p in fresh])
        raise
    return [(p, rel[p.sha256]) for p in fresh]


def _forget_files(project: Project, files: list[tuple[_Prepared, str]]) -> None:
    """Remove written files that will get no row, and their journal entries (or leave those to the next open)."""
    for _p, rel in files:
        remove_quietly(project.root / rel)
    try:
        with project.transaction() as tx:
            tx.executemany("DELETE FROM pending_files WHERE file = ?", [(rel,) for _p, rel in files])
    except (sqlite3.Error, OSError):
        pass  # the journal stays; opening the project finishes the clean-up


def _insert_rows(project: Project, written: list[tuple[_Prepared, str]], report: ImportReport, seen: Seen,
                 known_classes: set[str], class_name: str | None, given_split: str | None = None) -> None:
    """3. rows + journal cleared, atomically: one transaction. ``given_split``: import_paths's ``split``."""
    if not written:
        return
    now = time.time()
    class_ids: dict[str, int] = {}  # name_key -> the class's id, in this transaction
    with project.transaction() as tx:
        for p, rel in written:
            label = p.candidate.label or class_name
            class_id = None
            if label:
                key = name_key(label)
                if key not in known_classes:
                    report.classes_created.append(normal(label))
                    known_classes.add(key)
                if key not in class_ids:
                    class_ids[key] = project.ensure_class(tx, label)
                class_id = class_ids[key]
            split = p.candidate.split or given_split
            iid = tx.execute(
                "INSERT INTO images(sha256, file, original_name, class_id, split, split_source, width, height,"
                " size_bytes, source_path, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (p.sha256, rel, shown(p.candidate.path.name), class_id, split,  # text SQLite can store
                 "folder" if p.candidate.split else "auto", p.width, p.height, p.size_bytes, shown(p.candidate.path),
                 now),
            ).lastrowid
            seen.stored(p, iid)
            report.imported.append(iid)
            if p.note:
                report.notes.append({"path": shown(p.candidate.path), "note": p.note})
        tx.executemany("DELETE FROM pending_files WHERE file = ?", [(rel,) for _p, rel in written])

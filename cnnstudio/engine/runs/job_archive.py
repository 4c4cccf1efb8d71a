"""A training job on disk: its ``job.json``, recognising and unpacking job folders and zips, safe zips.

The job format itself (what a job holds, how it is trained and brought home) is described in
:mod:`cnnstudio.engine.runs.jobs`.

Safety: zips are read member by member; a member with an absolute path, a drive letter, a ``..``
component or a link is refused before anything is written, and the declared sizes must fit on the disk and within
each member's limit, counted again while unpacking (:mod:`cnnstudio.project.zip_reading`, the one rule of every zip
read from outside): a zip bomb is refused in one sentence, never unpacked.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from ...project import run_records
from ...project.names import quoted
from ...project.zip_reading import TooLarge, check_member, extract_member, read_file, read_member, too_large_sentence
from ..errors import EngineError

FORMAT = "cnnstudio-job"
FORMAT_VERSION = 1
JOB_FILE = "job.json"
#: the most a job.json may hold (a few hundred bytes as pack writes it)
JOB_FILE_LIMIT = 1 << 20

#: a zip member's limit and whose limit it is in words ("a run's checkpoint can hold"), by its path's parts; None: no
#: limit but its directory's size and the free space
MemberLimit = Callable[[tuple[str, ...]], "tuple[int, str] | None"]


class JobError(EngineError):
    """A job cannot be packed, unpacked, trained or imported."""


# ------------------------------------------------------------------ reading a job
def read_job(folder: str | os.PathLike) -> dict:
    path = Path(folder) / JOB_FILE
    try:
        info = json.loads(read_file(path, JOB_FILE_LIMIT).decode("utf-8"))
    except FileNotFoundError:
        raise JobError(f"{folder} is not a CNN Studio job (no {JOB_FILE})") from None
    except TooLarge as e:
        raise JobError(too_large_sentence(quoted(Path(folder).name), e, "a job's description can hold")) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise JobError(f"{path} is damaged ({e})") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        raise JobError(f"{path} is not a CNN Studio job file")
    if not isinstance(info.get("format_version"), int) or info["format_version"] > FORMAT_VERSION:
        raise JobError("this job was packed by a newer CNN Studio: update CNN Studio on this machine")
    run_records.check_run_id(str(info.get("run", "")))
    return info


def _zip_job_root(names: list[str]) -> str | None:
    """The folder (``""`` for the zip's root) that holds job.json, or None."""
    for n in names:
        p = PurePosixPath(n)
        if p.name == JOB_FILE and len(p.parts) <= 2:
            return str(p.parent) if len(p.parts) == 2 else ""
    return None


def is_job(path: str | os.PathLike) -> bool:
    """A job folder, or a zip file that holds one."""
    p = Path(path)
    if p.is_dir():
        return (p / JOB_FILE).is_file()
    if p.is_file() and zipfile.is_zipfile(p):
        try:
            with zipfile.ZipFile(p) as zf:
                return _zip_job_root(zf.namelist()) is not None
        except (zipfile.BadZipFile, OSError):
            return False
    return False


def not_a_job_sentence(path: str | os.PathLike) -> str:
    """Why the zip file ``path``, given where a project folder or a job goes, is not a job (a damaged zip, a model
    bundle, another zip); "" when it is no zip at all (the project's own words then: "is a file") or is a job."""
    p = Path(path)
    try:
        with open(p, "rb") as f:
            if not f.read(2) == b"PK":
                return ""
    except OSError:
        return ""
    damaged = (f"{p.name} is a damaged zip file (cut short while copying?): copy the job again, or write a new one "
               "with 'cnnstudio pack'")
    if not zipfile.is_zipfile(p):
        return damaged
    try:
        with zipfile.ZipFile(p) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return damaged
    if _zip_job_root(names) is not None:
        return ""
    if any(PurePosixPath(n).name == "manifest.json" for n in names):
        return (f"{p.name} is a model bundle, not a job: give the project folder, or a job made by 'cnnstudio pack' "
                "(a model bundle is for 'cnnstudio predict' and 'cnnstudio export')")
    return f"{p.name} is a zip file but not a job made by 'cnnstudio pack': give the project folder, or such a job"


def open_job(path: str | os.PathLike) -> tuple[Path, dict]:
    """The job folder (unpacking a zip beside it, or reusing an earlier unpacking) and its job.json.

    Safe to call from several processes at once (torchrun): each unpacks into its own temporary folder
    and renames it into place; the first rename wins and the others use its result.
    """
    p = Path(path).expanduser().absolute()
    if p.is_dir():
        return p, read_job(p)
    if not p.is_file():
        raise JobError(f"{p} does not exist")
    if not zipfile.is_zipfile(p):
        raise JobError(f"{p.name} is neither a job folder nor a job .zip")
    with zipfile.ZipFile(p) as zf:
        root = _zip_job_root(zf.namelist())
        if root is None:
            raise JobError(f"{p.name} is not a CNN Studio job (it holds no {JOB_FILE})")
        try:
            wanted = json.loads(read_member(zf, f"{root}/{JOB_FILE}" if root else JOB_FILE, JOB_FILE_LIMIT))
        except TooLarge as e:
            raise JobError(too_large_sentence(quoted(p.name), e, "a job's description can hold")) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise JobError(f"{p.name} is damaged ({e})") from None
    target = p.with_name(p.stem if p.suffix.lower() == ".zip" else p.name + ".job")
    if target.exists():
        if not (target / JOB_FILE).is_file() or read_job(target).get("run") != wanted.get("run"):
            raise JobError(f"{target} already exists and is not this job: move it away, or unpack the zip elsewhere")
        return target, read_job(target)
    staging = p.with_name(f".{p.name}.{os.getpid()}.{secrets.token_hex(3)}.unpack")
    try:
        safe_extract(p, staging)
        src = staging / root if root else staging
        read_job(src)
        try:
            os.rename(src, target)
        except OSError:
            if not (target / JOB_FILE).is_file():  # not another process's unpacking: a real problem
                raise JobError(f"cannot unpack {p.name} into {target}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target, read_job(target)


# ------------------------------------------------------------------ zips, safely
def _member_parts(name: str) -> tuple[str, ...]:
    """The path components of a zip member, or an exception for one that could escape the folder."""
    if "\x00" in name:
        raise JobError(f"the zip has a member with a bad name ({name!r}): it was not opened")
    clean = name.replace("\\", "/")
    if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":"):
        raise JobError(f"the zip has a member with an absolute path ({name}): refused, nothing was unpacked")
    parts = tuple(p for p in clean.split("/") if p not in ("", "."))
    if any(p == ".." for p in parts):
        raise JobError(f"the zip has a member that points outside its folder ({name}): refused, nothing was unpacked")
    return parts


def _members(zf: zipfile.ZipFile, only: Callable[[tuple[str, ...]], bool] | None, limit: MemberLimit | None,
             name: str) -> tuple[list[tuple[zipfile.ZipInfo, tuple[str, ...]]], int]:
    """The members to unpack with their safe path parts, and their size (:func:`check_zip` without the disk)."""
    members, total = [], 0
    for info in zf.infolist():
        parts = _member_parts(info.filename)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise JobError(f"the zip has a link ({info.filename}): refused, nothing was unpacked")
        if not parts or (only is not None and not only(parts)):
            continue
        if limit is not None and not info.is_dir() and (cap := limit(parts)) is not None:
            try:
                check_member(info, cap[0])
            except TooLarge as e:
                raise JobError(too_large_sentence(quoted(name) if name else "the zip", e, cap[1])) from None
        total += info.file_size
        members.append((info, parts))
    return members, total


def check_zip(zf: zipfile.ZipFile, dest: Path, only: Callable[[tuple[str, ...]], bool] | None = None,
              limit: MemberLimit | None = None, name: str = "") -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """The safe path parts of every member to unpack (those ``only`` keeps): raises for traversal or links anywhere
    in the zip, for a member larger than its ``limit`` (its sentence names the zip ``name``), and for sizes that do
    not fit on the disk; all from the zip's directory, before anything is unpacked."""
    members, total = _members(zf, only, limit, name)
    probe = dest
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if total > free:
        raise JobError(f"the zip unpacks to {total / 2**30:.1f} GB but only {free / 2**30:.1f} GB are free")
    return members


class CheckedZip:
    """An open zip whose members to unpack are checked (:func:`check_zip` but the free space): from
    :func:`checked_zip`, its directory read once for both what unpacking writes (:attr:`size`) and the unpacking
    (:meth:`extract`)."""

    def __init__(self, zf: zipfile.ZipFile, members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]], size: int,
                 name: str):
        self.zf, self.members, self.size, self.name = zf, members, size, name

    def extract(self, dest: Path) -> None:
        """Unpack the checked members into ``dest``, each unpacked counting, never more than its directory's size."""
        try:
            _extract(self.zf, self.members, dest, self.name)
        except zipfile.BadZipFile as e:
            raise JobError(f"{self.name} is a damaged zip file ({e})") from None


@contextmanager
def checked_zip(zip_path: Path, only: Callable[[tuple[str, ...]], bool] | None = None,
                limit: MemberLimit | None = None) -> Iterator[CheckedZip]:
    """``zip_path`` open, once each member ``only`` keeps is known to be within its ``limit``: JobError in one
    sentence otherwise (traversal, links, a zip bomb; all from the zip's directory). The caller checks the free
    space for :attr:`CheckedZip.size`."""
    try:
        zf = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as e:
        raise JobError(f"{zip_path.name} is a damaged zip file ({e})") from None
    with zf:
        members, size = _members(zf, only, limit, zip_path.name)
        yield CheckedZip(zf, members, size, zip_path.name)


def safe_extract(zip_path: Path, dest: Path, only: Callable[[tuple[str, ...]], bool] | None = None,
                 limit: MemberLimit | None = None) -> None:
    """Unpack the members ``only`` keeps of ``zip_path`` into ``dest`` after checking every member (see
    :func:`check_zip`), each unpacked counting, never more than its directory's size."""
    try:
        with zipfile.ZipFile(zip_path) as zf:
            _extract(zf, check_zip(zf, dest, only, limit, zip_path.name), dest, zip_path.name)
    except zipfile.BadZipFile as e:
        raise JobError(f"{zip_path.name} is a damaged zip file ({e})") from None


def _extract(zf: zipfile.ZipFile, members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]], dest: Path,
             name: str) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    base = dest.resolve()
    for info, parts in members:
        target = base.joinpath(*parts)
        if base not in target.resolve().parents:
            raise JobError(f"the zip member {info.filename} points outside its folder: refused")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            extract_member(zf, info, target)
        except TooLarge:  # its directory said less than its data holds: a damaged or crafted zip
            raise JobError(f"{name} is a damaged zip file ({info.filename} holds more than its directory says)"
                           ) from None


def zip_folder(root: Path, zip_path: Path, top: str) -> None:
    """Zip the folder ``root`` as ``top/...`` into ``zip_path``, leaving out hidden files and folders."""
    stored = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".zip", ".safetensors"}  # already compressed / binary
    with zipfile.ZipFile(zip_path, "w", allowZip64=True) as zf:
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue  # images/.incoming and temporary files
            if path.is_dir():
                zf.writestr(f"{top}/{rel}/", b"")
                continue
            method = zipfile.ZIP_STORED if path.suffix.lower() in stored else zipfile.ZIP_DEFLATED
            zf.write(path, f"{top}/{rel}", compress_type=method)


__all__ = ["FORMAT", "FORMAT_VERSION", "JOB_FILE", "JOB_FILE_LIMIT", "CheckedZip", "JobError", "MemberLimit",
           "check_zip", "checked_zip", "is_job", "open_job", "read_job", "safe_extract", "zip_folder"]

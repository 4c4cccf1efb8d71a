"""Reading a file from outside (a zip's member, or a file of a folder) with a limit: the one rule of every zip the app
reads (a model bundle, a run brought home, a packed job, a file at an export's place).

A zip bomb is a few megabytes that unpack to gigabytes. So a member's size is read from the zip's directory
(``ZipInfo.file_size``) and compared with its limit before a byte is unpacked, and the unpacking itself counts what
comes out, chunk by chunk, so that a directory which lies about the size cannot make it read more than the limit
either. A limit is what the file says of itself where it says it (a model's manifest declares its weights' bytes), and
a cap for the kind of file otherwise.

Stdlib only: the engine's readers (use/bundle.py, runs/job_archive.py, runs/jobs.py, use/export*.py) wrap
:class:`TooLarge` in their own error, with :func:`too_large_sentence`'s words.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import BinaryIO


CHUNK = 1 << 20  # what is unpacked or read at a time


class TooLarge(Exception):
    """``member`` holds more than ``limit`` bytes: ``size`` when its size is known (from the zip's directory or the
    file system), None when only its unpacking found out (a directory that lies)."""

    def __init__(self, member: str, size: int | None, limit: int):
        super().__init__(f"{member} holds {size if size is not None else 'more'} bytes, over {limit}")
        self.member, self.size, self.limit = member, size, limit


def size_words(n: int) -> str:
    """ "4.0 GB", "816 MB", "12 KB", "300 bytes": a size as a person reads it (powers of 1024)."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{n} byte{'' if n == 1 else 's'}"


def too_large_words(e: TooLarge, limit_words: str) -> str:
    """Why a file was refused for its size, in words: "its model.safetensors would unpack to 4.0 GB, more than the
    779 MB a CNN Studio model can hold". ``limit_words`` says whose limit it is ("a CNN Studio model can hold")."""
    amount = f"{size_words(e.size)}, more than" if e.size is not None else "more than"
    return f"its {e.member} would unpack to {amount} the {size_words(e.limit)} {limit_words}"


def too_large_sentence(what: str, e: TooLarge, limit_words: str) -> str:
    """The one sentence of a zip refused for a member's size: "“bomb.zip” was not opened: its job/job.json would
    unpack to 4.0 GB, more than the 1.0 MB a job's description can hold, so it is damaged or not what it says it is".
    ``what`` names the file as the user knows it (:func:`~.names.quoted`, or "run folder “x”")."""
    return f"{what} was not opened: {too_large_words(e, limit_words)}, so it is damaged or not what it says it is"


def check_member(info: zipfile.ZipInfo, limit: int) -> None:
    """Raise :class:`TooLarge` when the zip's directory says ``info`` unpacks to more than ``limit`` bytes."""
    if info.file_size > limit:
        raise TooLarge(info.filename, info.file_size, limit)


def copy_limited(src: BinaryIO, dst: BinaryIO | None, limit: int, member: str) -> bytes:
    """Copy ``src`` to ``dst`` in chunks (or, with no ``dst``, return what it holds), raising :class:`TooLarge` as
    soon as more than ``limit`` bytes came out: memory and disk never hold more than the limit and a chunk."""
    chunks, total = [], 0
    while chunk := src.read(min(CHUNK, limit - total + 1)):
        total += len(chunk)
        if total > limit:
            raise TooLarge(member, None, limit)
        if dst is None:
            chunks.append(chunk)
        else:
            dst.write(chunk)
    return b"".join(chunks)


def read_member(zf: zipfile.ZipFile, name: str | zipfile.ZipInfo, limit: int) -> bytes:
    """The member ``name`` of ``zf``, once its directory says it fits in ``limit`` bytes, unpacked counting (a
    directory that lies is found out at the limit): :class:`TooLarge` otherwise, nothing bigger read. KeyError when
    there is no such member, as :meth:`zipfile.ZipFile.read`."""
    info = name if isinstance(name, zipfile.ZipInfo) else zf.getinfo(name)
    check_member(info, limit)
    with zf.open(info) as src:
        return copy_limited(src, None, limit, info.filename)


def extract_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int | None = None) -> None:
    """Unpack ``info`` to the file ``target``, never more than its directory's size (or ``limit``) bytes."""
    if limit is not None:
        check_member(info, limit)
    with zf.open(info) as src, open(target, "wb") as dst:
        copy_limited(src, dst, info.file_size, info.filename)


def read_file(path: str | os.PathLike, limit: int) -> bytes:
    """A file of a folder from outside, once its size fits in ``limit`` bytes, read counting (a file that grows
    meanwhile is found out at the limit): :class:`TooLarge` otherwise."""
    path = Path(path)
    size = path.stat().st_size
    if size > limit:
        raise TooLarge(path.name, size, limit)
    with open(path, "rb") as f:
        return copy_limited(f, None, limit, path.name)


__all__ = ["CHUNK", "TooLarge", "check_member", "copy_limited", "extract_member", "read_file", "read_member",
           "size_words", "too_large_sentence", "too_large_words"]

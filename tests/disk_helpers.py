"""Small real file systems for the disk-error tests: a tmpfs of a few MB, mounted read-only or not.

The suite runs as root on Linux; elsewhere (or in a container that forbids mounting) the tests that
need one are skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from PIL import Image


def _mount(args: list[str]) -> str:
    r = subprocess.run(["mount", *args], capture_output=True, text=True)
    return "" if r.returncode == 0 else (r.stderr.strip() or f"mount exited {r.returncode}")


@contextmanager
def small_disk(folder: Path, size: str = "3m", read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (created) for the block; always unmounted after."""
    if os.name != "posix" or not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root on Linux")
    folder.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if read_only else "")
    problem = _mount(["-t", "tmpfs", "-o", opts, "tmpfs", str(folder)])
    if problem:
        pytest.skip(f"cannot mount a tmpfs here: {problem}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def remount(folder: Path, read_only: bool) -> None:
    problem = _mount(["-o", f"remount,{'ro' if read_only else 'rw'}", str(folder)])
    if problem:
        pytest.skip(f"cannot remount {folder}: {problem}")


def fill_disk(folder: Path, leave: int = 0) -> Path:
    """Write a filler file until at most ``leave`` bytes are free on the disk holding ``folder``."""
    filler = folder / "filler.bin"
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(filler, "ab") as f:
        try:
            f.write(b"\0" * max(0, free - leave))
        except OSError:
            pass
    return filler


def write_noise_images(root: Path, n: int, side: int, classes=("a", "b")) -> Path:
    """``n`` incompressible PNGs of ``side`` x ``side`` pixels per class (about 3*side^2 bytes each)."""
    for ci, name in enumerate(classes):
        (root / name).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(root / name / f"{name}_{i}.png")
    return root

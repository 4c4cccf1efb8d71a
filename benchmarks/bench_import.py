"""Import speed: 640x480 JPEG photos per second into a fresh project (decode, hash, copy, thumbnail, commit).

Compared in the same run with a plain hand-written loop doing the least a correct importer must do
(read, full decode, thumbnail, copy), single-threaded. Target (issue 3): >= 100 photos/s on 2 cores.

    python benchmarks/bench_import.py [--n 400] [--workers 2]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cnnstudio.project import Project, import_paths  # noqa: E402


def make_photos(folder: Path, n: int) -> None:
    """Photo-like JPEGs (smooth gradients + texture), ~60-90 KB each, all different."""
    folder.mkdir(parents=True)
    base = Image.linear_gradient("L").resize((640, 480))
    noise = Image.effect_noise((640, 480), 40).filter(ImageFilter.GaussianBlur(1))
    for i in range(n):
        r = base.rotate(i * 7 % 360)
        g = Image.blend(noise, base, (i % 10) / 10)
        b = Image.effect_noise((640, 480), 20 + i % 30)
        Image.merge("RGB", (r, g, b)).save(folder / f"photo_{i:05d}.jpg", quality=88)


def plain_loop(src: Path, dest: Path) -> float:
    dest.mkdir()
    t0 = time.perf_counter()
    for f in sorted(src.iterdir()):
        data = f.read_bytes()
        im = Image.open(io.BytesIO(data))
        im.load()
        th = im.copy()
        th.thumbnail((128, 128))
        sha = hashlib.sha256(data).hexdigest()
        (dest / f"{sha}.jpg").write_bytes(data)
        th.save(dest / f"{sha}.thumb.jpg", quality=85)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        make_photos(tmp / "photos", args.n)
        size_mb = sum(f.stat().st_size for f in (tmp / "photos").iterdir()) / 1e6
        plain = plain_loop(tmp / "photos", tmp / "plain")
        with Project.create(tmp / "proj") as p:
            t0 = time.perf_counter()
            report = import_paths(p, [tmp / "photos"], workers=args.workers)
            ours = time.perf_counter() - t0
            assert len(report.imported) == args.n, report.to_json()
        print(f"{args.n} photos 640x480 JPEG ({size_mb:.1f} MB), workers={args.workers}")
        print(f"  plain loop (1 thread, no checks, no DB): {args.n / plain:7.1f} photos/s")
        print(f"  cnnstudio import (full decode, normalise, hash, copy, thumbnail, journalled commit): "
              f"{args.n / ours:7.1f} photos/s")
        print(f"  ratio import / plain loop: {plain / ours:.2f}x   target: >= 100 photos/s -> "
              f"{'MET' if args.n / ours >= 100 else 'NOT MET'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

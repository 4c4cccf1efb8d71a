"""Single-picture prediction latency: file decode -> probabilities, against a plain PyTorch baseline.

Target: p95 <= 50 ms on a laptop CPU for a small CNN. For each preset (``default``, ``classic`` at
28x28) and thread count, times ~200 calls of :meth:`cnnstudio.engine.use.predict.Predictor.predict` on
a 640x480 JPEG, and in the same run a hand-written baseline on the same model (PIL open -> convert ->
resize -> tensor -> normalise -> model -> softmax). Also a batched folder throughput figure.

    .venv/bin/python benchmarks/bench_predict.py [--n 200] [--threads 1 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402


def make_jpeg(path: Path, size=(640, 480)) -> Path:
    rng = np.random.default_rng(0)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([xx * 255 // w, yy * 255 // h, (xx + yy) * 255 // (w + h)], axis=-1).astype(np.int16)
    img += rng.integers(-30, 30, size=img.shape, dtype=np.int16)  # texture, so the JPEG is realistic
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB").save(path, "JPEG", quality=90)
    return path


def percentiles(times_s: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times_s)

    def q(p: float) -> float:
        return ms[min(len(ms) - 1, int(round(p * (len(ms) - 1))))]

    return {"p50_ms": round(q(0.5), 3), "p95_ms": round(q(0.95), 3), "mean_ms": round(statistics.fmean(ms), 3),
            "max_ms": round(ms[-1], 3), "n": len(ms)}


def time_calls(fn, n: int, warmup: int = 10) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def baseline_fn(model: torch.nn.Module, path: Path, pp):
    """What a person would write by hand: no cnnstudio code at all."""
    mean, std = pp.effective_mean_std()
    mean_t = torch.tensor(mean).view(1, -1, 1, 1)
    std_t = torch.tensor(std).view(1, -1, 1, 1)
    mode = "L" if pp.channels == 1 else "RGB"

    def run():
        im = Image.open(path).convert(mode).resize((pp.width, pp.height), Image.Resampling.BILINEAR)
        a = np.asarray(im, dtype=np.uint8)
        x = torch.from_numpy(a.copy()).view(pp.height, pp.width, pp.channels).permute(2, 0, 1)[None]
        x = (x.float() / 255.0 - mean_t) / std_t
        with torch.inference_mode():
            return torch.softmax(model(x), dim=1)

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--presets", nargs="+", default=["default", "classic"])
    ap.add_argument("--size", type=int, default=28)
    ap.add_argument("--folder", type=int, default=128, help="files for the batched throughput figure (0: skip)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from cnnstudio.engine.model.build import build_model
    from cnnstudio.engine.use.bundle import load_bundle, save_bundle
    from cnnstudio.engine.use.predict import Predictor
    from cnnstudio.engine.data.preprocess import Preprocess
    from cnnstudio.engine.model.presets import PRESETS

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        jpeg = make_jpeg(tmp / "photo.jpg")
        folder = tmp / "folder"
        folder.mkdir()
        for i in range(args.folder):
            (folder / f"{i:04d}.jpg").write_bytes(jpeg.read_bytes())
        for name in args.presets:
            channels = 3
            spec = PRESETS[name](args.size, args.size, channels)
            torch.manual_seed(0)
            model = build_model(spec, 10)
            pp = Preprocess(height=args.size, width=args.size, channels=channels, normalization="dataset",
                            mean=(0.5,), std=(0.25,))
            bundle_dir = save_bundle(tmp / f"{name}.zip", model, spec, [f"class{i}" for i in range(10)], pp)
            params = sum(p.numel() for p in model.parameters())
            for threads in args.threads:
                torch.set_num_threads(threads)
                predictor = Predictor(load_bundle(bundle_dir))
                ours = percentiles(time_calls(lambda: predictor.predict(jpeg), args.n))
                base = percentiles(time_calls(baseline_fn(predictor.model, jpeg, pp), args.n))
                row = {"preset": name, "params": params, "threads": threads, "input": f"{channels}x{args.size}x{args.size}",
                       "cnnstudio": ours, "baseline": base}
                if args.folder:
                    files = sorted(folder.iterdir())
                    t0 = time.perf_counter()
                    res = predictor.predict_many(files)
                    dt = time.perf_counter() - t0
                    assert len(res.predictions) == len(files)
                    row["folder_files_per_s"] = round(len(files) / dt, 1)
                results.append(row)
                if not args.json:
                    print(f"{name:8s} ({params:>7,} params) threads={threads}: "
                          f"cnnstudio p50 {ours['p50_ms']:6.2f} ms  p95 {ours['p95_ms']:6.2f} ms | "
                          f"baseline p50 {base['p50_ms']:6.2f} ms  p95 {base['p95_ms']:6.2f} ms"
                          + (f" | folder {row['folder_files_per_s']} files/s" if args.folder else ""),
                          flush=True)
    worst = max(r["cnnstudio"]["p95_ms"] for r in results)
    verdict = {"target_p95_ms": 50.0, "worst_p95_ms": worst, "ok": worst <= 50.0}
    if args.json:
        print(json.dumps({"results": results, "verdict": verdict,
                          "torch": torch.__version__, "cpu_threads_available": torch.get_num_threads()}))
    else:
        print(f"worst p95 {worst:.2f} ms: {'within' if verdict['ok'] else 'OVER'} the 50 ms target")
    return 0 if verdict["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

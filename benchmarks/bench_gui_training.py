"""Training through the GUI (worker thread + live plots) against the CLI path, and drop-to-probabilities latency.

Targets: GUI images/s >= 0.95x the CLI path's; drop -> probabilities on screen p95 <= 100 ms.

1. Training. One synthetic project (digits-like 28x28 grey pictures, 10 classes), the same settings and
   model design for both paths, run one after the other, alternating ``--repeats`` times after a warm-up:
   - the CLI path is the real command in its own process, as a user runs it:
     ``python -m cnnstudio train PROJECT --spec S.json --settings T.json --json``;
   - the GUI path is this process with the real main window: press Start on the real Train page and
     wait for the run to end in the Qt event loop. As for a user, the page trains in a child process
     (``cnnstudio _train-child``, engine/runs/child_run.py) whose events a QThread reads and emits as
     signals; the plots redraw from their 10 Hz timer.
   Images/s is the engine's own figure (``RunFinished``: training time only, not start-up or the
   validation passes); the wall time of each run is printed too (the CLI's includes starting Python).
2. Latency. On the real Predict page, a real ``QDropEvent`` with one new 640x480 JPEG; the time from the
   drop until the page has shown the probabilities (its ``shown`` signal, emitted after the bar chart and
   the picture are set).

    .venv/bin/python benchmarks/bench_gui_training.py [--images 2000] [--epochs 3] [--repeats 2] [--drops 40] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import subprocess
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402


def make_pictures(folder: Path, n: int, classes: int = 10, side: int = 28) -> Path:
    """Blurry digit-like strokes: class k is a bar at angle k*18 degrees, with noise; folder per class."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:side, 0:side] - (side - 1) / 2
    for i in range(n):
        k = i % classes
        a = np.deg2rad(k * 18 + rng.normal(0, 6))
        d = np.abs(xx * np.sin(a) - yy * np.cos(a))
        img = 255 * np.exp(-(d / 2.2) ** 2) * (np.hypot(xx, yy) < side * 0.42)
        img = np.clip(img + rng.normal(0, 20, img.shape), 0, 255).astype(np.uint8)
        out = folder / f"c{k}" / f"{i}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(img, "L").save(out)
    return folder


def make_jpeg(path: Path, seed: int, size=(640, 480)) -> Path:
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 255, size=(size[1] // 8, size[0] // 8, 3), dtype=np.uint8)
    Image.fromarray(img, "RGB").resize(size, Image.Resampling.BILINEAR).save(path, "JPEG", quality=90)
    return path


def percentiles(values_s: list[float]) -> dict:
    ms = sorted(v * 1000 for v in values_s)

    def q(p: float) -> float:
        return ms[min(len(ms) - 1, int(round(p * (len(ms) - 1))))]

    return {"p50_ms": round(q(0.5), 2), "p95_ms": round(q(0.95), 2), "max_ms": round(ms[-1], 2), "n": len(ms)}


def wait_for(app, signal, timeout_s: float):
    """Run the Qt event loop until ``signal`` fires; returns its arguments."""
    from PySide6.QtCore import QEventLoop, QTimer

    got = []
    loop = QEventLoop()

    def done(*args):
        got.append(args)
        loop.quit()

    signal.connect(done)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    signal.disconnect(done)
    if not got:
        raise TimeoutError(f"no signal within {timeout_s} s")
    return got[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", type=int, default=2000)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--drops", type=int, default=40)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    cli_env = dict(os.environ)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    os.environ.setdefault("CNNSTUDIO_SETTINGS", str(tmp / "settings.ini"))
    os.environ.setdefault("CNNSTUDIO_DATA_DIR", str(tmp / "appdata"))

    from cnnstudio.engine import events as E
    from cnnstudio.engine.data.augment import AugmentSettings
    from cnnstudio.engine.model.presets import make_preset
    from cnnstudio.engine.data.preprocess import Preprocess
    from cnnstudio.project import Project, import_paths
    from cnnstudio.ui.main_window import MainWindow
    from tests.ui.test_drop import drag_enter, drop

    t0 = time.perf_counter()
    src = make_pictures(tmp / "src", args.images)
    with Project.create(tmp / "proj") as p:
        import_paths(p, [src], labels_from_folders=True)
        p.assign_splits((70, 15, 15), seed=0)
    setup_s = time.perf_counter() - t0

    window = MainWindow()
    window.show()
    assert window.open_project(tmp / "proj")
    ws = window.workspace
    designer = ws.model_page
    pp = Preprocess(28, 28, 1, normalization="dataset")
    designer.tabs.preprocess_panel.set_values(28, 28, 1, "squash", "dataset")
    designer.set_spec(make_preset("default", 28, 28, 1))
    designer.tabs.augment_panel.set_values(AugmentSettings(rotation=10.0, translate=0.1, scale_min=0.9,
                                                           scale_max=1.1).to_json())
    page = ws.train_page
    page.settings_form.set_values({"epochs": args.epochs, "batch_size": args.batch_size, "optimizer": "adamw",
                                   "lr": 3e-3, "schedule": "one_cycle", "seed": 0, "device": "cpu"})
    ws.show_step(2)
    app.processEvents()
    settings = page.settings()
    spec = designer.spec()
    assert settings.preprocess.height == pp.height and settings.epochs == args.epochs

    (tmp / "settings.json").write_text(json.dumps(settings.to_json()))
    (tmp / "spec.json").write_text(json.dumps(spec.to_json()))
    cli = [sys.executable, "-m", "cnnstudio", "train", str(tmp / "proj"), "--spec", str(tmp / "spec.json"),
           "--settings", str(tmp / "settings.json"), "--name", "cli", "--json", "--quiet"]

    def cli_run() -> tuple[float, float]:
        t = time.perf_counter()
        done = subprocess.run(cli, env=cli_env, cwd=ROOT, capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            raise SystemExit(f"the CLI failed: {done.stderr.strip()}")
        return json.loads(done.stdout)["images_per_second"], time.perf_counter() - t

    def gui_run() -> tuple[float, float]:
        t = time.perf_counter()
        cpu = time.thread_time()
        assert page.start()
        (last,) = wait_for(app, page.run_ended, 3600)
        assert isinstance(last, E.RunFinished), last
        wall = time.perf_counter() - t
        if not args.json:
            print(f"  (GUI thread busy {time.thread_time() - cpu:.2f} s of {wall:.1f} s: events, plots, painting)",
                  file=sys.stderr)
        return last.images_per_second, wall

    cli_run()  # warm-up: decodes the pictures into the cache, first-use costs
    results = {"cli": [], "gui": []}
    for i in range(args.repeats):
        order = (("cli", cli_run), ("gui", gui_run)) if i % 2 == 0 else (("gui", gui_run), ("cli", cli_run))
        for name, fn in order:
            ips, wall = fn()
            results[name].append({"images_per_second": round(ips, 1), "wall_s": round(wall, 2)})
            if not args.json:
                print(f"  {name}: {ips:8.1f} images/s  ({wall:.1f} s wall)", file=sys.stderr)
    cli_ips = statistics.median(r["images_per_second"] for r in results["cli"])
    gui_ips = statistics.median(r["images_per_second"] for r in results["gui"])
    ratio = gui_ips / cli_ips if cli_ips else float("nan")
    # each repeat's GUI run against the CLI run beside it: robust to the machine slowing down for a while
    pair_ratios = [g["images_per_second"] / c["images_per_second"] for g, c in zip(results["gui"], results["cli"])]
    pair_median = statistics.median(pair_ratios)

    # -- drop -> probabilities on screen
    predict = ws.predict_page
    ws.show_step(4)
    app.processEvents()
    times = []
    shown_at: list[float] = []
    predict.shown.connect(lambda _p: shown_at.append(time.perf_counter()))
    target = predict.list.viewport()
    (tmp / "drops").mkdir()
    for i in range(args.drops + 3):
        path = make_jpeg(tmp / "drops" / f"{i}.jpg", i)
        shown_at.clear()
        t = time.perf_counter()
        drag_enter(target, [path])
        drop(target, [path])
        wait_for(app, predict.predicted, 60)
        if i >= 3 and shown_at:  # the first drops pay one-off costs (model load, first forward)
            times.append(shown_at[0] - t)
    latency = percentiles(times)

    out = {"images": args.images, "epochs": args.epochs, "batch_size": args.batch_size, "setup_s": round(setup_s, 1),
           "cli": results["cli"], "gui": results["gui"], "cli_images_per_second": cli_ips,
           "gui_images_per_second": gui_ips, "gui_vs_cli": round(ratio, 3),
           "pair_ratios": [round(r, 3) for r in pair_ratios], "gui_vs_cli_pair_median": round(pair_median, 3), "gui_target_met": ratio >= 0.95,
           "drop_to_probabilities": latency, "latency_target_met": latency["p95_ms"] <= 100}
    window.close()
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"training: CLI {cli_ips:.1f} images/s, GUI {gui_ips:.1f} images/s -> GUI/CLI = {ratio:.3f} "
              f"(target >= 0.95: {'met' if ratio >= 0.95 else 'NOT met'}); per repeat "
              f"{', '.join(f'{r:.3f}' for r in pair_ratios)} (median {pair_median:.3f})")
        print(f"drop -> probabilities shown: p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms "
              f"(n={latency['n']}; target p95 <= 100 ms: {'met' if latency['p95_ms'] <= 100 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

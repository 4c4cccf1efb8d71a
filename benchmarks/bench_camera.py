"""Live camera prediction: frame arrival -> label on display, and the preview's frame rate while predicting.

Targets (issue 19): p95 <= 100 ms from a frame's arrival to its label on display, for a small CNN on 2 CPU cores;
the preview keeps >= 25 frames/s while predicting, from a 30 frames/s source. The source is a video file
(640x480, textured and moving, written here with OpenCV) played in real time through
:class:`cnnstudio.ui.camera.frame_source.VideoFileSource`, shown by the Predict step's real
:class:`cnnstudio.ui.camera.live_predict.LivePanel` (offscreen Qt), predicted by the ``default`` preset's CNN.
Also OpenCV's own figures: time to open the video and get its first frame, and per-frame read + convert time.

    taskset -c 0,1 .venv/bin/python benchmarks/bench_camera.py [--seconds 10] [--size 64] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402


def moving_frames(n: int, size=(640, 480)) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    noise = rng.integers(-25, 25, size=(h, w, 3), dtype=np.int16)
    out = []
    for i in range(n):
        x = (xx + 8 * i) % w
        img = np.stack([x * 255 // w, yy * 255 // h, (x + yy) * 255 // (w + h)], axis=-1).astype(np.int16)
        out.append(np.clip(img + noise, 0, 255).astype(np.uint8))
    return out


def ms(values: list[float]) -> dict:
    from cnnstudio.ui.camera.rules import percentile

    v = [x * 1000 for x in values]
    return {"n": len(v), "p50_ms": round(percentile(v, 50), 1), "p95_ms": round(percentile(v, 95), 1),
            "max_ms": round(max(v), 1) if v else None}


def opencv_figures(video: Path, frames: int = 60) -> dict:
    import cv2

    from cnnstudio.ui.camera.frame_source import _to_frame

    t0 = time.perf_counter()
    cap = cv2.VideoCapture(str(video))
    ok, bgr = cap.read()
    first = time.perf_counter() - t0
    reads = []
    for i in range(frames):
        t = time.perf_counter()
        ok, bgr = cap.read()
        if not ok:
            break
        _to_frame(bgr, t, i)
        reads.append(time.perf_counter() - t)
    cap.release()
    return {"open_to_first_frame_ms": round(first * 1000, 1), "read_and_convert": ms(reads),
            "opencv": cv2.__version__}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--size", type=int, default=64, help="the CNN's input side")
    ap.add_argument("--preset", default="default")
    ap.add_argument("--gradcam", action="store_true", help="Grad-CAM once a second as well")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import torch
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cnnstudio.engine.data.preprocess import Preprocess
    from cnnstudio.engine.model.build import build_model
    from cnnstudio.engine.model.presets import PRESETS
    from cnnstudio.engine.use.bundle import load_bundle, save_bundle
    from cnnstudio.engine.use.predict import Predictor
    from cnnstudio.ui.camera.frame_source import VideoFileSource, write_video
    from cnnstudio.ui.camera.live_predict import LivePanel

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        video = write_video(tmp / "moving.avi", moving_frames(90), fps=30)
        spec = PRESETS[args.preset](args.size, args.size, 3)
        torch.manual_seed(0)
        model = build_model(spec, 4)
        pp = Preprocess(height=args.size, width=args.size, channels=3, normalization="dataset", mean=(0.5,),
                        std=(0.25,))
        predictor = Predictor(load_bundle(save_bundle(tmp / "m.zip", model, spec, ["a", "b", "c", "d"], pp)))
        params = sum(p.numel() for p in model.parameters())

        class Page:  # what LivePanel asks of the Predict page
            def load_predictor(self):
                return predictor

        panel = LivePanel(Page())
        panel.resize(900, 700)
        panel.show()
        panel.gradcam.setChecked(args.gradcam)
        panel.bar.play(VideoFileSource(video, loop=True))
        source = panel.bar.source
        t0 = time.perf_counter()
        stats = {}

        def finish():  # read while the stream still runs (the app quitting lets the camera go)
            stats.update(seconds=time.perf_counter() - t0, shown=panel.preview.shown, read=source.frames_read,
                         worker=panel.worker, latencies=list(panel.latencies))
            app.quit()

        QTimer.singleShot(int(args.seconds * 1000), finish)
        app.exec()
        seconds, shown, read, worker = stats["seconds"], stats["shown"], stats["read"], stats["worker"]
        if worker is None:
            raise SystemExit(f"no live prediction: {panel.bar.message.text()!r} read={read} shown={shown} "
                             f"latencies={len(panel.latencies)} source={panel.bar.source}")
        predicted, dropped = len(stats["latencies"]), worker.dropped
        latency = ms(stats["latencies"][3:])  # the first few include the model's warm-up
        panel.shutdown()
        result = {
            "preset": args.preset, "params": params, "input": f"3x{args.size}x{args.size}", "seconds": round(seconds, 1),
            "cpu_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "gradcam": args.gradcam,
            "frames_read_per_s": round(read / seconds, 1), "preview_fps": round(shown / seconds, 1),
            "predictions_per_s": round(predicted / seconds, 1), "frames_skipped_by_the_model": dropped,
            "arrival_to_label": latency, "opencv": opencv_figures(video),
        }
        result["targets_met"] = bool(latency["p95_ms"] <= 100 and result["preview_fps"] >= 25)
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:28} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

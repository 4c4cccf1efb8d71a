"""``cnnstudio --self-test``: the whole app, end to end, headless, in a temporary folder.

It is how a user (or the bundle build) checks that an installation works: the frozen bundle runs it
after building, and ``tests/test_selftest.py`` runs it from the source tree. Steps, in order:

    libraries       torch, torchvision (its compiled libraries: ``torchvision::nms``, PNG decoding),
                    PySide6, Pillow
    resources       the bundled sample dataset and icon (:mod:`cnnstudio.resources`)
    multiprocessing a "spawn" child process (the frozen app must call ``freeze_support()``)
    weights         where the MobileNetV2 pretrained weights are (information only: never fails)
    camera          OpenCV writes and reads back a short video (the camera's library); the cameras found are
                    information ("no camera found" is not a failure)
    create project  a new project in the temporary folder
    import          a few sample images per class, labels from their folder names
    split           train / val / test
    train           one epoch of the ``classic`` preset on the CPU, in a child process as the GUI trains
                    (:func:`cnnstudio.engine.runs.child_run.run_in_child`: the frozen app starts itself again)
    evaluate        the test split (:func:`cnnstudio.engine.runs.lifecycle.evaluate_run`)
    predict         one picture (:class:`cnnstudio.engine.use.predict.Predictor`)
    export bundle   a ``.zip`` model bundle (:func:`cnnstudio.engine.use.export.export_bundle`)
    export onnx     an ONNX file, checked with onnxruntime (skipped when the optional ``export`` extra
                    is not installed; never in the frozen app, which ships it)
    main window     the GUI's main window: shown, the project opened and closed, the window closed

Each step prints one line with its duration; the first step that fails stops the test, prints a line
naming it and the reason (and the traceback on stderr), and the exit status is 1. ``--json`` prints
one JSON object on stdout instead (the step lines go to stderr).

Nothing outside the temporary folder is touched: settings and the app's data folder are redirected
there too. Without a display (Linux with neither ``DISPLAY`` nor ``WAYLAND_DISPLAY``) Qt uses the
``offscreen`` platform; with one, the real platform plugin is tested, and the window shows for a moment.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

IMAGES_PER_CLASS = 24  # 240 sample pictures: one epoch takes about a second on a laptop CPU


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    detail: str = ""
    error: str = ""
    traceback: str = ""

    def to_json(self) -> dict:
        out: dict[str, Any] = {"name": self.name, "ok": self.ok, "seconds": round(self.seconds, 3),
                               "detail": self.detail}
        if not self.ok:
            out["error"] = self.error
            out["traceback"] = self.traceback
        return out


@dataclass
class Context:
    """What the steps hand each other."""

    tmp: Path
    project: Any = None
    run_id: str = ""
    bundle: Any = None
    picture: Path | None = None
    facts: dict = field(default_factory=dict)


def _write(stream, text: str) -> None:
    if stream is not None:  # a windowed frozen app on Windows has no console
        try:
            stream.write(text + "\n")
            stream.flush()
        except (OSError, ValueError):
            pass


def needs_offscreen(environ=os.environ, system: str = sys.platform) -> bool:
    """True when Qt has no display to use: Linux/BSD without ``DISPLAY`` or ``WAYLAND_DISPLAY``."""
    if environ.get("QT_QPA_PLATFORM"):
        return False  # the user chose
    if system.startswith(("win", "darwin", "cygwin")):
        return False
    return not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


# ---------------------------------------------------------------------------- steps
def step_libraries(ctx: Context) -> str:
    import PIL
    import PySide6
    import torch
    import torchvision
    from torchvision.ops import nms

    # torchvision's compiled operators: a frozen app that misses _C*.so dies here with
    # "operator torchvision::nms does not exist" instead of in the middle of the user's work.
    boxes = torch.tensor([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
    keep = nms(boxes, torch.tensor([0.9, 0.8]), 0.5)
    if keep.tolist() != [0]:
        raise RuntimeError(f"torchvision::nms gave {keep.tolist()}, expected [0]")
    import io

    from PIL import Image
    from torchvision.io import decode_png  # the other compiled library, image_stable

    buf = io.BytesIO()
    Image.new("RGB", (5, 3), (10, 20, 30)).save(buf, "PNG")
    decoded = decode_png(torch.frombuffer(bytearray(buf.getvalue()), dtype=torch.uint8))
    if tuple(decoded.shape) != (3, 3, 5) or decoded[:, 0, 0].tolist() != [10, 20, 30]:
        raise RuntimeError(f"torchvision decoded a PNG wrongly: {tuple(decoded.shape)}")
    versions = {"cnnstudio": _version(), "python": platform.python_version(), "torch": torch.__version__,
                "torchvision": torchvision.__version__, "PySide6": PySide6.__version__, "Pillow": PIL.__version__}
    ctx.facts["versions"] = versions
    return ", ".join(f"{k} {v}" for k, v in versions.items() if k != "cnnstudio")


def _square(x: int) -> int:  # runs in a child process
    return x * x


def step_multiprocessing(ctx: Context) -> str:
    """A "spawn" child process: in the frozen app it re-runs the executable, which must call
    ``multiprocessing.freeze_support()`` first (packaging/entry.py) or the child starts a second app."""
    import multiprocessing

    mp = multiprocessing.get_context("spawn")
    with mp.Pool(1) as pool:
        result = pool.apply_async(_square, (7,)).get(timeout=120)
    if result != 49:
        raise RuntimeError(f"the child process answered {result!r}, not 49")
    return "a spawned child process answered"


def step_resources(ctx: Context) -> str:
    from .resources import icon_path, resources_dir, sample_dataset_dir

    sample = sample_dataset_dir()
    classes = sorted(p.name for p in sample.iterdir() if p.is_dir())
    if not classes:
        raise RuntimeError(f"the sample dataset at {sample} has no class folders")
    icon = icon_path()
    if icon.stat().st_size == 0:
        raise RuntimeError(f"the icon {icon} is empty")
    ctx.facts["resources"] = str(resources_dir())
    return f"{len(classes)} sample classes in {resources_dir()}"


def step_weights(ctx: Context) -> str:
    from .engine.model.backbones import weights_status

    status = weights_status("mobilenet_v2")
    ctx.facts["mobilenet_v2_weights"] = bool(status["installed"])
    return "MobileNetV2 weights found" if status["installed"] else "MobileNetV2 weights not installed (optional)"


def step_camera(ctx: Context) -> str:
    import numpy as np

    from .ui.camera.frame_source import list_cameras, read_video, write_video

    frames = [np.full((24, 32, 3), (40 * i, 90, 200 - 40 * i), np.uint8) for i in range(4)]
    back = read_video(write_video(ctx.tmp / "camera-check.avi", frames, fps=30))
    if len(back) != len(frames) or back[0].shape != frames[0].shape:
        raise RuntimeError(f"OpenCV read back {len(back)} frames of a 4-frame video")
    try:
        cameras = [c.name for c in list_cameras()]
    except Exception as e:  # noqa: BLE001 - information only
        cameras, why = [], f" (could not list them: {e})"
    else:
        why = ""
    ctx.facts["cameras"] = cameras
    return (f"video read and written; cameras: {', '.join(cameras)}" if cameras
            else f"video read and written; no camera found{why} (information, not a failure)")


def step_create(ctx: Context) -> str:
    from .project import Project

    ctx.project = Project.create(ctx.tmp / "Self-test project")
    return str(ctx.project.root)


def step_import(ctx: Context) -> str:
    from .project.importer import import_paths
    from .resources import sample_dataset_dir

    # a few pictures per class, copied into a folder-per-class tree: the importer's real path
    subset = ctx.tmp / "sample-subset"
    for folder in sorted(p for p in sample_dataset_dir().iterdir() if p.is_dir()):
        target = subset / folder.name
        target.mkdir(parents=True)
        for f in sorted(folder.glob("*.png"))[:IMAGES_PER_CLASS]:
            shutil.copyfile(f, target / f.name)
    ctx.picture = next(iter(sorted((subset / "0").glob("*.png"))), None) if (subset / "0").is_dir() else None
    report = import_paths(ctx.project, [subset], labels_from_folders=True)
    imported = ctx.project.count()
    if imported == 0:
        raise RuntimeError(f"no picture was imported; skipped: {report.skipped[:3]}")
    if report.skipped:
        raise RuntimeError(f"{len(report.skipped)} sample pictures were skipped, e.g. {report.skipped[0]}")
    return f"{imported} pictures, {len(ctx.project.classes())} classes"


def step_split(ctx: Context) -> str:
    counts = ctx.project.assign_splits((70, 15, 15), seed=0)
    if not all(counts.get(s) for s in ("train", "val", "test")):
        raise RuntimeError(f"a split is empty: {counts}")
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def step_train(ctx: Context) -> str:
    from .engine.events import RunFailed, RunFinished, RunStopped
    from .engine.train.settings import TrainSettings, suggest_preprocess
    from .engine.runs.child_run import run_in_child
    from .engine.runs.lifecycle import create_run

    settings = TrainSettings(epochs=1, batch_size=32, lr=2e-3, device="cpu", seed=0,
                             preprocess=suggest_preprocess(ctx.project))
    last = None
    for ev in run_in_child(ctx.project, create_run(ctx.project, settings, preset="classic", name="self-test")):
        last = ev
    if isinstance(last, RunFailed):
        raise RuntimeError(f"training failed: {last.reason}")
    if isinstance(last, RunStopped):
        raise RuntimeError(f"training stopped: {last.reason}")
    if not isinstance(last, RunFinished):
        raise RuntimeError(f"training ended without finishing (last event: {type(last).__name__})")
    ctx.run_id = last.run_id
    return f"run {last.run_id}: 1 epoch, {last.images_per_second:.0f} images/s"


def step_evaluate(ctx: Context) -> str:
    from .engine.runs.lifecycle import evaluate_run

    _, ev = evaluate_run(ctx.project, ctx.run_id, "test", device="cpu")
    if not 0.0 <= ev.accuracy <= 1.0:
        raise RuntimeError(f"test accuracy {ev.accuracy!r} is not a fraction")
    return f"test accuracy {ev.accuracy:.0%} after one epoch"


def step_predict(ctx: Context) -> str:
    from .engine.use.predict import Predictor
    from .engine.runs.lifecycle import load_run_bundle

    ctx.bundle = load_run_bundle(ctx.project, ctx.run_id)
    if ctx.picture is None:
        raise RuntimeError("no sample picture to predict")
    p = Predictor(ctx.bundle).predict(ctx.picture)
    total = sum(p.probabilities.values())
    if abs(total - 1.0) > 1e-3:
        raise RuntimeError(f"probabilities sum to {total}, not 1")
    return f"a '0' is '{p.label}' ({p.confidence:.0%})"


def step_export_bundle(ctx: Context) -> str:
    from .engine.use.bundle import load_bundle
    from .engine.use.export import export_bundle

    out = export_bundle(ctx.bundle, ctx.tmp / "exports" / "model.zip").path
    load_bundle(out)
    return f"{Path(out).name}, {Path(out).stat().st_size / 1024:.0f} KiB"


def step_export_onnx(ctx: Context) -> str:
    from .engine.use.export import export_onnx, onnx_available

    ok, why = onnx_available()
    if not ok and not getattr(sys, "frozen", False):  # an optional extra; the bundle always ships it
        ctx.facts["onnx_exporter"] = None
        return f"skipped: {why}"
    result = export_onnx(ctx.bundle, ctx.tmp / "exports" / "model.onnx")
    ctx.facts["onnx_exporter"] = result.exporter
    return f"{Path(result.path).name} ({result.exporter} exporter), onnxruntime agrees to {result.max_abs_diff:.1g}"


def _quiet_offscreen_messages(mode, context, message: str) -> None:
    """Qt's offscreen platform warns "This plugin does not support raise()" and the like: noise here."""
    if "This plugin does not support" not in message:
        _write(sys.stderr, message)


def step_main_window(ctx: Context) -> str:
    from PySide6.QtCore import QCoreApplication, QEventLoop, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from .ui.main_window import MainWindow

    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        qInstallMessageHandler(_quiet_offscreen_messages)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "cnnstudio"])
    root = ctx.project.root
    ctx.project.close()  # the window opens its own
    ctx.project = None
    window = MainWindow()
    try:
        window.show()
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 100)
        if not window.open_project(root):
            raise RuntimeError(f"the window could not open {root}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 100)
        title = window.windowTitle()
        if root.name not in title:
            raise RuntimeError(f"the window's title is {title!r}, not the project's name")
        window.close_project()
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 100)
    finally:
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, 0)  # 0: QEvent.DeferredDelete included
        app.processEvents()
    return f"Qt platform '{app.platformName()}'"


STEPS: list[tuple[str, Callable[[Context], str]]] = [
    ("libraries", step_libraries),
    ("resources", step_resources),
    ("multiprocessing", step_multiprocessing),
    ("weights", step_weights),
    ("camera", step_camera),
    ("create project", step_create),
    ("import", step_import),
    ("split", step_split),
    ("train", step_train),
    ("evaluate", step_evaluate),
    ("predict", step_predict),
    ("export bundle", step_export_bundle),
    ("export onnx", step_export_onnx),
    ("main window", step_main_window),
]


# ---------------------------------------------------------------------------- running
def _version() -> str:
    from . import __version__

    return __version__


def run_self_test(as_json: bool = False, out=None, err=None, keep: Path | None = None) -> int:
    """Run every step; return the exit status (0: all passed). See the module doc."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    lines = err if as_json else out
    t0 = time.perf_counter()
    if needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    tmp = Path(tempfile.mkdtemp(prefix="cnnstudio-selftest-")) if keep is None else Path(keep)
    tmp.mkdir(parents=True, exist_ok=True)
    saved_env = {k: os.environ.get(k) for k in ("CNNSTUDIO_SETTINGS", "CNNSTUDIO_DATA_DIR")}
    os.environ["CNNSTUDIO_SETTINGS"] = str(tmp / "settings.ini")  # never the user's recent projects
    os.environ["CNNSTUDIO_DATA_DIR"] = str(tmp / "appdata")
    ctx = Context(tmp=tmp)
    steps: list[Step] = []
    frozen = bool(getattr(sys, "frozen", False))
    _write(lines, f"CNN Studio {_version()} self-test{' (frozen app)' if frozen else ''} in {tmp}")
    try:
        for name, fn in STEPS:
            s0 = time.perf_counter()
            try:
                detail = fn(ctx) or ""
                step = Step(name, True, time.perf_counter() - s0, detail)
            except BaseException as e:  # noqa: BLE001 - the report names the step, whatever happened
                if isinstance(e, KeyboardInterrupt):
                    raise
                first = (str(e).strip().splitlines() or [""])[0]
                step = Step(name, False, time.perf_counter() - s0, error=f"{type(e).__name__}: {first}"[:500],
                            traceback=traceback.format_exc())
            steps.append(step)
            if step.ok:
                _write(lines, f"  ok    {name:<15} {step.seconds:6.2f} s  {step.detail}")
            else:
                _write(lines, f"  FAIL  {name:<15} {step.seconds:6.2f} s  {step.error}")
                _write(err, step.traceback.rstrip())
                break
    finally:
        if ctx.project is not None:
            try:
                ctx.project.close()
            except Exception:  # noqa: BLE001
                pass
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    seconds = time.perf_counter() - t0
    failed = next((s for s in steps if not s.ok), None)
    ok = failed is None and len(steps) == len(STEPS)
    summary = {"ok": ok, "version": _version(), "frozen": frozen, "seconds": round(seconds, 3),
               "failed_step": failed.name if failed else None,
               "error": failed.error if failed else None,
               "steps": [s.to_json() for s in steps], **ctx.facts}
    if as_json:
        _write(out, json.dumps(summary, ensure_ascii=False))
    elif ok:
        _write(out, f"self-test passed: {len(steps)} steps in {seconds:.1f} s")
    if failed is not None:
        _write(err, f"cnnstudio: self-test failed at step '{failed.name}': {failed.error}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="cnnstudio --self-test",
                                description="Check this installation end to end, headless, in a temporary folder.")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
    p.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder, removed)")
    args = p.parse_args(argv)
    return run_self_test(as_json=args.json, keep=Path(args.keep) if args.keep else None)

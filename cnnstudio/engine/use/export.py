"""Export a trained model for use outside CNN Studio: ONNX, TorchScript, or a copy of the bundle.

ONNX (the ``export`` extra: ``pip install 'cnnstudio[export]'`` gives onnx, onnxruntime, onnxscript)
  One input ``image``: float32 ``(batch, C, H, W)``, the picture already resized and normalised as
  the metadata's ``preprocess`` JSON says (``input_description`` spells it out); the batch dimension
  is dynamic. Two outputs: ``logits`` and ``probabilities`` (their softmax). ``metadata_props`` carry
  ``class_names`` (JSON list), ``preprocess`` (JSON), ``input_description`` and the cnnstudio version, and the
  run's ``metrics`` (JSON): its test figures only once its test score was looked at on purpose (every format:
  :func:`shared_manifest`, project/seen_scores.py).

  Exporter choice (torch 2.14): the torch.export-based exporter (``dynamo=True``, needs onnxscript) is
  tried first. It is PyTorch's default and maintained path since 2.9, and it exports every layer the
  catalog offers, e.g. ``AdaptiveAvgPool2d`` to an output size that does not divide the input
  (the legacy TorchScript exporter fails there with "output size that are not factor of input size").
  The legacy exporter (``dynamo=False``: fast, no onnxscript needed, but deprecated and slated for
  removal) is the fallback when the first one is missing or fails. Every export is checked with
  onnxruntime against PyTorch on a batch of a different size than the one traced; a mismatch moves on
  to the next exporter, and if none matches the export fails (nothing is left at ``out_path``).

TorchScript
  ``torch.jit.trace`` of the eval-mode model (the catalog's layers have no data-dependent control
  flow), saved with ``torch.jit.save`` and the same metadata as an extra file ``cnnstudio.json``;
  checked by loading it back with ``torch.jit.load``. PyTorch marks TorchScript as deprecated (its
  FutureWarnings are silenced here); it is offered because C++/LibTorch users still ask for it.

Bundle
  A copy of the bundle (folder or ``.zip``, chosen by the output name), converted between the two
  if needed: what CNN Studio itself opens, and the only format here that can never run code.

Every function takes ``progress(done, total, message)`` for the GUI and writes atomically (a temporary
file renamed into place).
"""

from __future__ import annotations

import contextlib
import copy
import errno
import hashlib
import json
import os
import shutil
import sys
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import torch
from torch import nn

from ...project.disk import check_free_space, disk_error, disk_writes, free_bytes
from .export_held import identity
from .export_paths import ExportError, check_out, check_target, is_our_onnx, is_our_torchscript, \
    refuse_to_replace as _refuse_to_replace, tmp_beside as _tmp_beside

__all__ = ["ExportError", "ExportUnavailable", "ExportResult", "export", "export_onnx", "export_torchscript",
           "export_bundle", "onnx_available", "FORMATS", "input_description"]

ProgressFn = Callable[[int, int, str], None]
FORMATS = ("bundle", "onnx", "torchscript")
DEFAULT_OPSET = 18
ONNX_ATOL = 1e-4


class ExportUnavailable(ExportError):
    """An optional package the export needs is not installed."""


@dataclass
class ExportResult:
    path: Path
    format: str
    exporter: str = ""  # ONNX: "dynamo" or "torchscript"; TorchScript: "trace"
    max_abs_diff: float | None = None  # checked against PyTorch (None: not checked)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"path": str(self.path), "format": self.format, "exporter": self.exporter,
                "max_abs_diff": self.max_abs_diff, "notes": list(self.notes)}


def onnx_available() -> tuple[bool, str]:
    """(True, "") or (False, a sentence saying what to install)."""
    missing = []
    for mod in ("onnx", "onnxruntime"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(mod)
    if missing:
        return False, (f"ONNX export needs {' and '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} "
                       "not installed. Install the export extra: pip install 'cnnstudio[export]'")
    return True, ""


# ---------------------------------------------------------------------------- inputs
def _unpack(bundle_or_model: Any, class_names: list[str] | None, preprocess: Any,
            input_shape: tuple[int, int, int] | None) -> tuple[nn.Module, list[str], Any, tuple[int, int, int], dict]:
    """-> (CPU eval model copy, class names, preprocess or None, (C, H, W), manifest)."""
    manifest: dict = {}
    if isinstance(bundle_or_model, (str, os.PathLike)):
        from .predict import resolve_model

        bundle_or_model = resolve_model(bundle_or_model)
    if isinstance(bundle_or_model, nn.Module):
        model = bundle_or_model
    elif hasattr(bundle_or_model, "model") and hasattr(bundle_or_model, "class_names"):
        model = bundle_or_model.model
        class_names = class_names or list(bundle_or_model.class_names)
        preprocess = preprocess or getattr(bundle_or_model, "preprocess", None)
        manifest = shared_manifest(dict(getattr(bundle_or_model, "manifest", {}) or {}),
                                   getattr(bundle_or_model, "path", None))
    else:
        raise ExportError(f"cannot export a {type(bundle_or_model).__name__}: give a model bundle or an nn.Module")
    if input_shape is None:
        if preprocess is None:
            raise ExportError("the input size is unknown: give a bundle, a preprocess or input_shape=(C, H, W)")
        input_shape = tuple(preprocess.input_shape)
    try:
        device = next(iter(model.parameters())).device
    except StopIteration:
        device = torch.device("cpu")
    model = copy.deepcopy(model).cpu() if device.type != "cpu" else model
    model.eval()
    return model, list(class_names or []), preprocess, tuple(int(v) for v in input_shape), manifest


def shared_manifest(manifest: dict, path: Any) -> dict:
    """The bundle manifest an export carries: its run's test figures (``metrics.test_accuracy``) only once that score
    was looked at on purpose (:func:`~cnnstudio.project.seen_scores.shared_metrics`; the bundle at ``path`` is a
    project's run model, :func:`~cnnstudio.project.seen_scores.bundle_test_seen`). ``manifest`` itself when nothing
    is left out."""
    from ...project.seen_scores import bundle_test_seen, shared_metrics

    metrics = manifest.get("metrics")
    if not isinstance(metrics, dict) or not any(str(k).startswith("test_") for k in metrics):
        return manifest
    seen = bundle_test_seen(path) if path is not None and str(path) not in ("", ".") else None
    shared = shared_metrics(metrics, seen)
    return manifest if shared == metrics else {**manifest, "metrics": shared}


def input_description(preprocess: Any, input_shape: tuple[int, int, int]) -> str:
    """A sentence saying what the exported model expects as input."""
    c, h, w = input_shape
    colour = "greyscale (1 channel)" if c == 1 else "RGB (3 channels, in R, G, B order)"
    text = f"float32 tensor (batch, {c}, {h}, {w}), NCHW, {colour}. "
    if preprocess is None:
        return text + "Normalisation unknown."
    resize = {"squash": f"stretched to {w}x{h} (aspect ratio not kept)",
              "center_crop": f"scaled to cover {w}x{h}, then the centre cut out",
              "letterbox": f"scaled to fit inside {w}x{h}, padded with black"}.get(preprocess.resize, preprocess.resize)
    mean, std = preprocess.effective_mean_std()
    if preprocess.normalization == "unit":
        norm = "values = pixel / 255 (0..1)"
    else:
        norm = (f"values = (pixel / 255 - mean) / std per channel, mean = {[round(m, 6) for m in mean]}, "
                f"std = {[round(s, 6) for s in std]}")
    return (text + f"Picture {resize} with bilinear resampling (EXIF rotation applied, transparency on white); "
            f"{norm}. Outputs: 'logits' (batch, classes) and 'probabilities' = softmax(logits).")


class _WithProbabilities(nn.Module):
    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor):
        logits = self.model(image)
        return logits, torch.softmax(logits, dim=1)


def _step(progress: ProgressFn | None, done: int, total: int, message: str) -> None:
    if progress:
        progress(done, total, message)


# ---------------------------------------------------------------------------- ONNX
def _onnx_export_once(wrapped: nn.Module, example: torch.Tensor, path: Path, opset: int, dynamo: bool) -> None:
    kwargs: dict[str, Any] = dict(input_names=["image"], output_names=["logits", "probabilities"],
                                  opset_version=opset, dynamo=dynamo)
    if dynamo:  # keys are forward()'s argument names; the output batch follows from the input's
        kwargs.update(dynamic_shapes={"image": {0: torch.export.Dim("batch")}}, verbose=False,
                      external_data=False)
    else:
        kwargs.update(dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}, "probabilities": {0: "batch"}})
    with warnings.catch_warnings(), contextlib.redirect_stdout(sys.stderr):
        warnings.simplefilter("ignore")  # deprecation notes about the exporter APIs, not the user's business
        torch.onnx.export(wrapped, (example,), str(path), **kwargs)


def _onnx_check(path: Path, model: nn.Module, input_shape: tuple[int, int, int], batch: int = 3) -> float:
    import numpy as np
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.log_severity_level = 3
    session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    g = torch.Generator().manual_seed(0)
    worst = 0.0
    for n in (batch, 1):
        x = torch.rand((n, *input_shape), generator=g) * 2 - 1
        with torch.inference_mode():
            ref = model(x).float().numpy()
        got = session.run(["logits"], {"image": x.numpy()})[0]
        if got.shape != ref.shape:
            raise ExportError(f"the ONNX model gives shape {got.shape} for a batch of {n}, PyTorch {ref.shape}")
        worst = max(worst, float(np.abs(got - ref).max()))
    return worst


def _onnx_metadata(path: Path, class_names: list[str], preprocess: Any, input_shape: tuple[int, int, int],
                   manifest: dict) -> None:
    import onnx

    from ... import __version__

    m = onnx.load(str(path))
    desc = input_description(preprocess, input_shape)
    props = {
        "class_names": json.dumps(class_names, ensure_ascii=False),
        "preprocess": json.dumps(preprocess.to_json() if preprocess is not None else None),
        "input_name": "image",
        "input_description": desc,
        "outputs": "logits: (batch, classes) raw scores; probabilities: softmax(logits)",
        "cnnstudio_version": __version__,
    }
    if manifest.get("metrics"):
        props["metrics"] = json.dumps(manifest["metrics"], default=str)
    if manifest.get("data_fingerprint"):
        props["data_fingerprint"] = str(manifest["data_fingerprint"])
    held = identity(manifest)  # which run's model this is: exporting another run over it asks first (export_held)
    if held["run"]:
        props["run"] = held["run"]
    if held["weights"]:
        props["weights_sha256"] = held["weights"]
    del m.metadata_props[:]
    for k, v in props.items():
        entry = m.metadata_props.add()
        entry.key, entry.value = k, v
    m.producer_name = "cnnstudio"
    m.producer_version = __version__
    m.doc_string = f"CNN Studio image classifier ({len(class_names)} classes). Input 'image': {desc}"
    for inp in m.graph.input:
        if inp.name == "image":
            inp.doc_string = desc
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def export_onnx(bundle_or_model: Any, out_path: str | os.PathLike, *, class_names: list[str] | None = None,
                preprocess: Any = None, input_shape: tuple[int, int, int] | None = None,
                opset: int = DEFAULT_OPSET, exporter: str = "auto", check: bool = True,
                progress: ProgressFn | None = None) -> ExportResult:
    """Write an ONNX model (dynamic batch, input ``image``, outputs ``logits`` and ``probabilities``).

    ``bundle_or_model``: a loaded bundle, a MODEL path, or an ``nn.Module`` (then give ``preprocess``
    or ``input_shape`` and ``class_names``). ``exporter``: ``"auto"`` (dynamo, then the legacy
    TorchScript-based one), ``"dynamo"`` or ``"torchscript"``. ``check``: compare with PyTorch in
    onnxruntime (max abs difference must be under 1e-4 on logits). Raises :class:`ExportUnavailable`
    when onnx/onnxruntime are not installed.
    """
    if opset < 17:
        raise ExportError(f"opset {opset} is too old: use 17 or newer")
    ok, why = onnx_available()
    if not ok:
        raise ExportUnavailable(why)
    order = {"auto": ["dynamo", "torchscript"], "dynamo": ["dynamo"], "torchscript": ["torchscript"]}.get(exporter)
    if order is None:
        raise ExportError(f"unknown ONNX exporter {exporter!r}: use auto, dynamo or torchscript")
    if exporter == "auto":
        try:
            import onnxscript  # noqa: F401
        except ImportError:
            order = ["torchscript"]
    out = check_out(out_path, ".onnx", is_our_onnx, "an ONNX model")  # refused before any step
    total = 4
    model, names, pp, shape, manifest = _unpack(bundle_or_model, class_names, preprocess, input_shape)
    _step(progress, 0, total, "Preparing the model")  # once the model loaded: a damaged one is refused first
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_beside(out)
    wrapped = _WithProbabilities(model).eval()
    example = torch.zeros((2, *shape))  # batch 2: a traced size of 1 could be taken as a constant
    errors: list[str] = []
    try:
        for name in order:
            _step(progress, 1, total, f"Converting to ONNX ({name} exporter)")
            tmp.unlink(missing_ok=True)
            try:
                _onnx_export_once(wrapped, example, tmp, opset, dynamo=(name == "dynamo"))
                _step(progress, 2, total, "Checking the ONNX model with onnxruntime")
                diff = _onnx_check(tmp, model, shape) if check else None
            except Exception as e:  # noqa: BLE001 - each exporter fails in its own way; try the next
                first = (str(e).strip().splitlines() or [type(e).__name__])[0]
                errors.append(f"{name} exporter: {first[:300]}")
                continue
            if diff is not None and not diff < ONNX_ATOL:
                errors.append(f"{name} exporter: outputs differ from PyTorch by {diff:.2g}")
                continue
            _step(progress, 3, total, "Writing metadata")
            _onnx_metadata(tmp, names, pp, shape, manifest)
            os.replace(tmp, out)
            _step(progress, total, total, f"Saved {out.name}")
            notes = [f"tried first: {e}" for e in errors]
            return ExportResult(out, "onnx", exporter=name, max_abs_diff=diff, notes=notes)
    finally:
        tmp.unlink(missing_ok=True)
    raise ExportError("the model could not be exported to ONNX: " + "; ".join(errors))


# ---------------------------------------------------------------------------- TorchScript
def export_torchscript(bundle_or_model: Any, out_path: str | os.PathLike, *, class_names: list[str] | None = None,
                       preprocess: Any = None, input_shape: tuple[int, int, int] | None = None,
                       check: bool = True, progress: ProgressFn | None = None) -> ExportResult:
    """Write a traced TorchScript model (returns logits); metadata as extra file ``cnnstudio.json``."""
    out = check_out(out_path, ".pt", is_our_torchscript, "a TorchScript model")  # refused before any step
    total = 3
    model, names, pp, shape, manifest = _unpack(bundle_or_model, class_names, preprocess, input_shape)
    _step(progress, 0, total, "Preparing the model")  # once the model loaded: a damaged one is refused first
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_beside(out)
    held = identity(manifest)
    meta = {"class_names": names, "preprocess": pp.to_json() if pp is not None else None,
            "input_name": "image", "input_description": input_description(pp, shape),
            "outputs": "logits: (batch, classes); apply softmax for probabilities",
            "metrics": manifest.get("metrics") or {}, "run": held["run"], "weights_sha256": held["weights"]}
    _step(progress, 1, total, "Tracing the model")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            example = torch.zeros((2, *shape))
            with torch.no_grad():
                traced = torch.jit.trace(model, example, check_trace=False)
            torch.jit.save(traced, str(tmp), _extra_files={"cnnstudio.json": json.dumps(meta, default=str)})
            diff = None
            if check:
                _step(progress, 2, total, "Checking the TorchScript model")
                loaded = torch.jit.load(str(tmp), map_location="cpu")
                g = torch.Generator().manual_seed(0)
                x = torch.rand((3, *shape), generator=g) * 2 - 1
                with torch.inference_mode():
                    diff = float((loaded(x) - model(x)).abs().max())
                if not diff < ONNX_ATOL:
                    raise ExportError(f"the TorchScript model's outputs differ from PyTorch by {diff:.2g}")
        os.replace(tmp, out)
    except ExportError:
        raise
    except Exception as e:  # noqa: BLE001
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise ExportError(f"the model could not be exported to TorchScript: {first[:300]}") from None
    finally:
        tmp.unlink(missing_ok=True)
    _step(progress, total, total, f"Saved {out.name}")
    return ExportResult(out, "torchscript", exporter="trace", max_abs_diff=diff)


# ---------------------------------------------------------------------------- bundle
def export_bundle(bundle_or_path: Any, out_path: str | os.PathLike, *,
                  progress: ProgressFn | None = None) -> ExportResult:
    """Copy a bundle to ``out_path``: a ``.zip`` name gives a zip, anything else a folder.

    The source (a bundle path, a project folder meaning its best run, or a ``LoadedBundle``) is read
    and checked (it must load) first; its files are copied byte for byte, converting folder <-> zip.
    """
    from .bundle import MANIFEST, WEIGHTS, LoadedBundle, load_bundle, save_bundle

    total = 3
    if isinstance(bundle_or_path, (str, os.PathLike)):
        from .predict import resolve_model_path

        src = resolve_model_path(bundle_or_path)
        loaded = load_bundle(src)  # refuse to copy anything that would not open
    elif isinstance(bundle_or_path, LoadedBundle):
        loaded = bundle_or_path
        src = Path(loaded.path) if str(loaded.path) not in ("", ".") else None
    else:
        raise ExportError(f"cannot export a {type(bundle_or_path).__name__} as a bundle: give a bundle or its path")
    _step(progress, 0, total, "Reading the model")  # once it loaded: a damaged one is refused with no progress
    from .bundle import read_bundle_bytes, read_bundle_files

    out = Path(out_path)
    if src is not None and out.resolve() == Path(src).resolve():
        raise ExportError(f"{out} is the model itself; choose another place to export to")
    _refuse_to_replace(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _step(progress, 1, total, "Copying the model")
    if src is None:
        b = loaded
        m = b.manifest or {}
        save_bundle(out, b.model, m.get("spec", b.spec), b.class_names, b.preprocess, metrics=m.get("metrics"),
                    data_fingerprint=m.get("data_fingerprint", ""), extra=m.get("extra"))
    else:
        # each file read once, within its limit (project/zip_reading.py), the manifest as stored
        manifest, manifest_bytes, weights, src = read_bundle_bytes(src)
        manifest_bytes = _shared_bytes(manifest, manifest_bytes, src)
        tmp = _tmp_beside(out)
        if tmp.is_dir():
            shutil.rmtree(tmp)
        try:
            if out.suffix.lower() == ".zip":
                with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                    zf.writestr(MANIFEST, manifest_bytes)
                    zf.writestr(WEIGHTS, weights)
            else:
                tmp.mkdir()
                (tmp / WEIGHTS).write_bytes(weights)
                (tmp / MANIFEST).write_bytes(manifest_bytes)
            if out.is_dir():
                shutil.rmtree(out)
            elif out.exists():
                out.unlink()
            os.replace(tmp, out)
        finally:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            elif tmp.exists():
                tmp.unlink()
    _step(progress, 2, total, "Checking the copy")
    manifest, weights, _ = read_bundle_files(out)  # readable, and the weights match their checksum
    expected = (manifest.get("weights") or {}).get("sha256")
    if expected and hashlib.sha256(weights).hexdigest() != expected:
        raise ExportError(f"the copy at {out} does not match the original; check the disk and try again")
    _step(progress, total, total, f"Saved {out.name}")
    return ExportResult(out, "bundle", exporter="copy")


# ---------------------------------------------------------------------------- dispatcher
def export(bundle_or_path: Any, fmt: str, out_path: str | os.PathLike,
           progress: ProgressFn | None = None) -> ExportResult:
    """``fmt``: ``bundle``, ``onnx`` or ``torchscript``.

    The target is asked first (a file CNN Studio did not export is refused before anything is loaded or
    converted), then the disk (an export about the size of the model's weights must fit), and a disk that
    fills up, is read-only or vanishes on the way says so in one sentence (:mod:`cnnstudio.project.disk`);
    nothing half-written is left at ``out_path``. An earlier export of another run at ``out_path`` is replaced:
    callers ask first (:func:`~cnnstudio.engine.use.export_held.other_export`)."""
    fns = {"bundle": export_bundle, "onnx": export_onnx, "torchscript": export_torchscript}
    if fmt not in fns:
        raise ExportError(f"unknown export format {fmt!r}: use {', '.join(FORMATS)}")
    check_target(fmt, out_path)
    where = _existing_parent(Path(out_path))
    needed = _export_size(bundle_or_path)
    if needed:
        check_free_space(where, needed, "export the model", "this export")
    try:
        with disk_writes(where, "export the model"):
            return fns[fmt](bundle_or_path, out_path, progress=progress)
    except ExportError as e:  # an exporter that words a failed write its own way: was it the disk?
        free = free_bytes(where)
        if needed and free is not None and free < needed:
            raise disk_error(OSError(errno.ENOSPC, "No space left on device"), where, "export the model") from e
        raise


def _shared_bytes(manifest: dict, manifest_bytes: bytes, src: Path) -> bytes:
    """A bundle's manifest (``manifest``, read from ``manifest_bytes``) as its copy carries it
    (:func:`shared_manifest`): byte for byte unless something is left out."""
    shared = shared_manifest(manifest, src)
    return manifest_bytes if shared is manifest else json.dumps(shared, indent=2, ensure_ascii=False).encode("utf-8")


def _existing_parent(out: Path) -> Path:
    """The folder the export goes into (or its nearest existing parent): the disk that is asked."""
    p = out.parent
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _export_size(bundle_or_path: Any) -> int:
    """About what an export writes: the model's weights, plus a margin; 0 when it cannot be told cheaply."""
    from .bundle import LoadedBundle

    try:
        if isinstance(bundle_or_path, LoadedBundle):
            n = sum(t.numel() * t.element_size() for t in bundle_or_path.model.state_dict().values())
        elif isinstance(bundle_or_path, (str, os.PathLike)):
            from .predict import resolve_model_path

            src = resolve_model_path(bundle_or_path)
            n = (sum(f.stat().st_size for f in src.rglob("*") if f.is_file()) if src.is_dir() else src.stat().st_size)
        else:
            return 0
    except Exception:  # noqa: BLE001 - the export itself says what is wrong with its source
        return 0
    return int(n * 1.1) + 64_000

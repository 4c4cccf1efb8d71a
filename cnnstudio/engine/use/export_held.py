"""Which model an earlier export holds, so that exporting one run over another run's export asks first.

Exporting the same run again replaces its earlier export without a word (that is how an export is updated); a file
that holds another run's model is replaced only when the user says so: the Export dialog asks, naming the run the
file holds, and ``cnnstudio export`` refuses unless given ``--replace``. (A file CNN Studio did not export is never
replaced: :mod:`.export_paths`.)

A model is known by its run (the bundle manifest's ``extra.run``, carried into every export: the ONNX file's
metadata ``run``, the TorchScript file's ``cnnstudio.json``) and by its weights' SHA-256 (``weights_sha256``). Two
models are the same when their runs are, or, when either does not say its run, when their weights are. An export made
before CNN Studio wrote these says neither: it counts as another model, so the user is asked.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Callable

from ...project.zip_reading import TooLarge, read_file, read_member
from .bundle import FORMAT_NAME, MANIFEST, MANIFEST_LIMIT
from .export_paths import onnx_props, refuse_special

__all__ = ["identity", "held_model", "same_model", "other_export", "held_words", "replace_refused"]


def identity(manifest: dict | None) -> dict[str, str]:
    """``{"run": run id, "weights": sha256}`` of a bundle's manifest ("" for what it does not say)."""
    manifest = manifest if isinstance(manifest, dict) else {}
    extra = manifest.get("extra") if isinstance(manifest.get("extra"), dict) else {}
    weights = manifest.get("weights") if isinstance(manifest.get("weights"), dict) else {}
    return {"run": str(extra.get("run") or ""), "weights": str(weights.get("sha256") or "")}


def same_model(a: dict[str, str], b: dict[str, str]) -> bool:
    """The same run when both say their run; else the same weights when both say them; else not known to be."""
    if a.get("run") and b.get("run"):
        return a["run"] == b["run"]
    return bool(a.get("weights")) and a.get("weights") == b.get("weights")


def _bundle_manifest(out: Path) -> dict | None:
    try:
        if out.is_dir():
            raw = read_file(out / MANIFEST, MANIFEST_LIMIT)
        else:
            with zipfile.ZipFile(out) as zf:
                raw = read_member(zf, MANIFEST, MANIFEST_LIMIT)
        manifest = json.loads(raw.decode("utf-8"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, TooLarge):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT_NAME else None


def _torchscript_meta(out: Path) -> dict | None:
    try:
        with zipfile.ZipFile(out) as zf:
            name = next((n for n in zf.namelist() if n.endswith("extra/cnnstudio.json")), None)
            meta = json.loads(read_member(zf, name, MANIFEST_LIMIT).decode("utf-8")) if name else None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, TooLarge):
        return None
    return meta if isinstance(meta, dict) else None


def held_model(out: str | os.PathLike, fmt: str) -> dict[str, str] | None:
    """Which model an earlier export in format ``fmt`` at ``out`` holds (:func:`identity`); None when there is no
    such export there (nothing, or a file CNN Studio did not export: the export refuses that one anyway)."""
    out = Path(out)
    try:
        refuse_special(out)
    except Exception:  # noqa: BLE001 - a device or pipe: never read; the export says so
        return None
    if not out.exists():
        return None
    if fmt == "bundle":
        manifest = _bundle_manifest(out)
        return identity(manifest) if manifest is not None else None
    if fmt == "onnx":
        props = onnx_props(out)
        if props is None:
            return None
        return {"run": props.get("run", ""), "weights": props.get("weights_sha256", "")}
    if fmt == "torchscript":
        meta = _torchscript_meta(out)
        if meta is None:
            return None
        return {"run": str(meta.get("run") or ""), "weights": str(meta.get("weights_sha256") or "")}
    return None


def other_export(src: str | os.PathLike, fmt: str, out: str | os.PathLike) -> dict[str, str] | None:
    """The earlier export at ``out`` when it holds another model than the bundle ``src`` (ask before replacing it);
    None when there is none, or when it is an export of the same run (replaced silently)."""
    held = held_model(out, fmt)
    if held is None:
        return None
    src = Path(src)
    manifest = _bundle_manifest(src) if src.exists() else None
    return None if same_model(identity(manifest), held) else held


def held_words(held: dict[str, str], name_of: Callable[[str], str] | None = None) -> str:
    """What an earlier export holds, in words: "an export of the run “LeNet-5 · 4 epochs”" (``name_of(run id)``
    names it; "" when the run is not known), "an export of the run 20261201-214801-bf2a", or "a model exported
    earlier" when the file does not say its run."""
    run = held.get("run", "")
    if not run:
        return "a model exported earlier"
    name = name_of(run) if name_of is not None else ""
    return f"an export of the run “{name}”" if name else f"an export of the run {run}"


def replace_refused(out: str | os.PathLike, held: dict[str, str], name_of: Callable[[str], str] | None = None,
                    option: str = "--replace") -> str:
    """The command line's one sentence for an export that would replace another run's: what the file holds and how
    to go on."""
    return (f"{out} already holds {held_words(held, name_of)}: add {option} to replace it, or choose another name "
            "(it was left as it is)")

"""The model bundle: everything needed to use a trained model, and nothing that can run code.

A bundle is ``model.safetensors`` (weights) + ``manifest.json`` (architecture spec, class names,
preprocessing, metrics, library versions, data fingerprint), either as a folder or as one ``.zip``.

Loading never unpickles. A pickle file (``.pt``, ``.pth``, ``.ckpt``, ``.pkl``...) or a zip written by
``torch.save`` (it holds a ``data.pkl``) is refused before a byte of it is interpreted, because a
pickle from a stranger can run any code on this computer. Safetensors is plain tensor data.

Manifest format history
  1  first version.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import torch
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from ...project.counting import counted
from ...project.zip_reading import TooLarge, read_file, read_member, too_large_words
from ..errors import EngineError
from ..model.build import build_from_json
from ..model.validate import MAX_PARAMS
from ..model.spec import spec_to_json
from ..model.weights import state_dict_tensors
from ..data.preprocess import Preprocess

FORMAT_NAME = "cnnstudio-model"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
WEIGHTS = "model.safetensors"

#: the most a model's manifest may hold (class names, settings, metrics: a few kilobytes as CNN Studio writes them)
MANIFEST_LIMIT = 16 << 20
#: the most a model's weights may hold when its manifest does not say less: the largest design CNN Studio builds
#: (validate.MAX_PARAMS parameters, 4 bytes each), as much again for batch norm's buffers, and the file's header
WEIGHTS_CAP = 8 * MAX_PARAMS + (16 << 20)

PICKLE_SUFFIXES = {".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".bin", ".tar", ".joblib", ".npy", ".npz"}
_PICKLE_ADVICE = ("CNN Studio never opens pickle files, because a pickle can run any code on this computer. "
                  "Ask for a CNN Studio model bundle instead (a .zip or a folder with model.safetensors "
                  "and manifest.json, which CNN Studio's export writes)")


class BundleError(EngineError):
    """A model file that cannot be used: not a bundle, a pickle, damaged, newer, or not matching its spec.
    ``why``: for a damaged one, what is wrong with it in plain words (:data:`CHANGED`, :data:`UNREADABLE`);
    ``details``: the technical words behind the sentence (which weights have which shape), never the sentence itself."""

    def __init__(self, message: str, why: str = "", details: str = ""):
        super().__init__(message)
        self.why = why
        self.details = details  # the technical words behind the sentence, for whoever shows details ("" when none)


CHANGED = "it was changed or only partly copied"  # its weights do not match the checksum in its manifest
UNREADABLE = "its file cannot be read"  # its weights are not a safetensors file


def _damaged(path: Path, why: str) -> BundleError:
    """A damaged bundle, named as the user knows it: a project run's model is "the trained model of run ID", with
    the way out (the Predict page names the run as its Model box does: ui/predict/model_choice.py); any other
    bundle by its file name."""
    from ...project.run_records import MODEL_DIR
    from ...project.store import RUNS_DIR

    if path.name == MODEL_DIR and path.parent.parent.name == RUNS_DIR:
        return BundleError(f"the trained model of run {path.parent.name} is damaged ({why}): train it again, or "
                           "delete the run", why)
    return BundleError(f"{path.name} is damaged: {why}", why)


@dataclass
class LoadedBundle:
    model: torch.nn.Module  # eval mode, on the CPU
    manifest: dict
    spec: Any  # a ModelSpec
    class_names: list[str]
    preprocess: Preprocess
    path: Path = field(default_factory=Path)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)


# ------------------------------------------------------------------ versions
def library_versions() -> dict[str, str]:
    import torchvision

    from ... import __version__

    return {"cnnstudio": __version__, "torch": torch.__version__, "torchvision": torchvision.__version__}


# ------------------------------------------------------------------ save
def save_bundle(path: str | os.PathLike, model: torch.nn.Module, spec: Any, class_names: list[str],
                preprocess: Preprocess, metrics: dict | None = None, data_fingerprint: str = "",
                extra: dict | None = None) -> Path:
    """Write a bundle; a ``.zip`` path gives one zip file, anything else a folder. Returns the path.

    The write is atomic: a temporary file/folder is renamed into place, so a crash never leaves half a
    bundle under the final name.
    """
    path = Path(path)
    weights = st_save(state_dict_tensors(model), metadata={"format": FORMAT_NAME})
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "spec": spec_to_json(spec),
        "class_names": list(class_names),
        "num_classes": len(class_names),
        "preprocess": preprocess.to_json(),
        "input_shape": list(preprocess.input_shape),
        "metrics": dict(metrics or {}),
        "versions": library_versions(),
        "data_fingerprint": data_fingerprint,
        "weights": {"file": WEIGHTS, "sha256": hashlib.sha256(weights).hexdigest(), "bytes": len(weights)},
        "extra": dict(extra or {}),
    }
    manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if tmp.is_dir():
        shutil.rmtree(tmp)
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, manifest_bytes)
            zf.writestr(WEIGHTS, weights)
        os.replace(tmp, path)
        return path
    tmp.mkdir()
    (tmp / WEIGHTS).write_bytes(weights)
    (tmp / MANIFEST).write_bytes(manifest_bytes)
    if path.exists():
        old = path.with_name(f".{path.name}.{os.getpid()}.old")
        if old.exists():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        os.replace(path, old)
        os.replace(tmp, path)
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    else:
        os.replace(tmp, path)
    return path


# ------------------------------------------------------------------ load
def _looks_like_pickle(head: bytes) -> bool:
    # Protocol 2+ starts with PROTO (0x80) and the protocol number; older protocols with an opcode
    # like '(' or ']' or '}' – those are also what numpy's allow_pickle and joblib write.
    return (len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5) or head[:1] in (b"(", b"]", b"}")


def _refuse_pickle(path: Path, what: str) -> BundleError:
    return BundleError(f"{path.name} is {what}: it was not opened. {_PICKLE_ADVICE}")


DECLARED = "its manifest declares"


def _weights_limit(manifest: dict, cap: int) -> tuple[int, str]:
    """How many bytes the bundle's weights may unpack to, and whose limit that is: the bytes its manifest declares
    (save_bundle writes them), else ``cap``, the most any CNN Studio model can hold."""
    declared = manifest.get("weights", {}).get("bytes") if isinstance(manifest.get("weights"), dict) else None
    if isinstance(declared, int) and not isinstance(declared, bool) and 0 <= declared <= cap:
        return declared, DECLARED
    return cap, "a CNN Studio model can hold"


def _read_limited(read: Callable[[str, int], bytes], path: Path, in_zip: bool, cap: int
                  ) -> tuple[dict, bytes, bytes]:
    """The manifest (parsed, and its bytes as stored) and weights through ``read(name, limit)`` (a zip's member or a folder's file), each refused as
    damaged before it is read when it is larger than it may be (:mod:`cnnstudio.project.zip_reading`, a zip bomb's
    few megabytes never unpacked): weights larger than the manifest declares are not the ones it describes
    (:data:`CHANGED`, as a wrong checksum), anything over a cap says its size."""
    whose = "a model's manifest can hold"
    try:
        raw = read(MANIFEST, MANIFEST_LIMIT)
        manifest = _parse_manifest(raw, path, in_zip=in_zip)
        limit, whose = _weights_limit(manifest, cap)
        return manifest, raw, read(WEIGHTS, limit)
    except TooLarge as e:
        raise _damaged(path, CHANGED if whose == DECLARED else too_large_words(e, whose)) from None


def read_bundle_files(path: str | os.PathLike, weights_cap: int = WEIGHTS_CAP) -> tuple[dict, bytes, Path]:
    """Read (manifest, weights bytes, bundle path) without building anything. Refuses pickles, and weights larger
    than the manifest declares (or than ``weights_cap`` when it declares more or nothing) before reading them."""
    manifest, _, weights, path = read_bundle_bytes(path, weights_cap)
    return manifest, weights, path


def read_bundle_bytes(path: str | os.PathLike, weights_cap: int = WEIGHTS_CAP) -> tuple[dict, bytes, bytes, Path]:
    """:func:`read_bundle_files` with the manifest's bytes as stored too (manifest, its bytes, weights bytes, bundle
    path): one reading for a copy made byte for byte (use/export.py)."""
    path = Path(path)
    if not path.exists():
        raise BundleError(f"{path} does not exist")
    if path.is_file() and path.name in (MANIFEST, WEIGHTS):
        path = path.parent
    if path.is_dir():
        mf, wf = path / MANIFEST, path / WEIGHTS
        pickles = [p.name for p in path.iterdir() if p.suffix.lower() in PICKLE_SUFFIXES]
        if not mf.is_file() or not wf.is_file():
            if pickles:
                raise _refuse_pickle(path / pickles[0], "a pickle file (PyTorch .pt/.pth style)")
            raise BundleError(f"{path} is not a CNN Studio model: it needs {MANIFEST} and {WEIGHTS}")
        manifest, raw, weights = _read_limited(lambda name, limit: read_file(path / name, limit), path, False,
                                               weights_cap)
        return manifest, raw, weights, path
    from .export_paths import not_a_bundle_sentence  # (imported here: export_paths imports this module)

    if exported := not_a_bundle_sentence(path):  # a TorchScript or ONNX file CNN Studio exported: told by its names
        raise BundleError(exported)
    suffix = path.suffix.lower()
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK"):
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise BundleError(f"{path.name} is a damaged zip file") from None
        with zf:
            names = zf.namelist()
            if any(n.endswith("data.pkl") or n.endswith(".pkl") for n in names):
                raise _refuse_pickle(path, "a PyTorch checkpoint made with torch.save (a zip holding a pickle)")
            if MANIFEST not in names or WEIGHTS not in names:
                raise BundleError(f"{path.name} is not a CNN Studio model: the zip needs {MANIFEST} and {WEIGHTS}")
            try:
                manifest, raw, weights = _read_limited(lambda name, limit: read_member(zf, name, limit), path, True,
                                                       weights_cap)
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise BundleError(f"{path.name} is damaged ({e})") from None
        return manifest, raw, weights, path
    if suffix in PICKLE_SUFFIXES or _looks_like_pickle(head):
        raise _refuse_pickle(path, "a pickle file (PyTorch .pt/.pth/.ckpt style)")
    if suffix == ".safetensors":
        raise BundleError(f"{path.name} holds weights only: open the folder or .zip that also has {MANIFEST}")
    raise BundleError(f"{path.name} is not a CNN Studio model (expected a .zip or a folder with {MANIFEST})")


#: what to do about a model whose manifest is damaged (each sentence names the real file)
DAMAGED_STEP = "use a whole copy of the model, or train it again"


def _parse_manifest(data: bytes, path: Path, in_zip: bool = False) -> dict:
    """The manifest of the bundle at ``path`` (a folder, or a .zip when ``in_zip``), checked; a problem is one
    sentence naming the real file (".../runs/<id>/model/manifest.json", "manifest.json in .../cat.zip"), not the
    folder's bare name ("model") nor the JSON parser's words."""
    where = f"{MANIFEST} in {path}" if in_zip else str(path / MANIFEST)
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleError(f"{where} is damaged (it is not readable as a model's description), so the model cannot "
                          f"be used: {DAMAGED_STEP}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise BundleError(f"{path} is not a CNN Studio model: its {MANIFEST} does not say it is one")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BundleError(f"{where} is damaged (its format_version is {version!r}): {DAMAGED_STEP}")
    if version > FORMAT_VERSION:
        raise BundleError(
            f"{path} was saved by a newer CNN Studio (model format {version}; this app reads up to "
            f"{FORMAT_VERSION}). Update CNN Studio to use it")
    for key in ("spec", "class_names", "preprocess"):
        if key not in manifest:
            raise BundleError(f"{where} is damaged (“{key}” is missing): {DAMAGED_STEP}")
    if not isinstance(manifest["class_names"], list) or not manifest["class_names"]:
        raise BundleError(f"{where} is damaged (it lists no classes): {DAMAGED_STEP}")
    return manifest


def _model_name(path: Path) -> str:
    """The model as the user knows it: a project run's is "the trained model of run ID", any other its quoted
    file name."""
    from ...project.names import quoted
    from ...project.run_records import MODEL_DIR
    from ...project.store import RUNS_DIR

    if path.name == MODEL_DIR and path.parent.parent.name == RUNS_DIR:
        return f"the trained model of run {path.parent.name}"
    return quoted(path.name)


def _output_layer(expected: dict[str, torch.Tensor], classes: int | None) -> str | None:
    """The key of the output layer's weight: the last weight with one row per class (state dicts keep the
    layers' order, the output layer last), or None when ``classes`` is not known or no weight has that many rows."""
    if not classes:
        return None
    keys = [k for k, v in expected.items() if k.endswith("weight") and v.dim() >= 2 and v.shape[0] == classes]
    return keys[-1] if keys else None


def check_weights(model: torch.nn.Module, tensors: dict[str, torch.Tensor], name: str = "the model",
                  classes: int | None = None) -> None:
    """Raise :class:`BundleError` when ``tensors`` do not fit ``model`` (built for ``classes`` classes): one plain
    sentence, "... it was saved for 3 classes but says 5" when only the output layer differs, a general one
    otherwise; which weights differ and how is the error's ``details``."""
    expected = model.state_dict()
    missing = [k for k in expected if k not in tensors]
    unexpected = [k for k in tensors if k not in expected]
    wrong = [k for k, v in expected.items() if k in tensors and tuple(tensors[k].shape) != tuple(v.shape)]
    if not (missing or unexpected or wrong):
        return
    problems = []
    if missing:
        problems.append(f"{len(missing)} weight(s) missing ({', '.join(missing[:3])}{'...' if len(missing) > 3 else ''})")
    if unexpected:
        problems.append(f"{len(unexpected)} unexpected weight(s) ({', '.join(unexpected[:3])}"
                        f"{'...' if len(unexpected) > 3 else ''})")
    if wrong:
        shapes = [f"{k} is {tuple(tensors[k].shape)}, the design needs {tuple(expected[k].shape)}" for k in wrong]
        problems.append(f"{len(wrong)} weight(s) of the wrong shape ({'; '.join(shapes[:2])}"
                        f"{'...' if len(shapes) > 2 else ''})")
    details = "Its weights do not fit the design its manifest describes: " + ", ".join(problems)
    out = _output_layer(expected, classes)
    head = {out, out[:-len("weight")] + "bias"} if out else set()
    if out and not missing and not unexpected and out in wrong and set(wrong) <= head \
            and tensors[out].shape[1:] == expected[out].shape[1:]:
        saved = int(tensors[out].shape[0])
        raise BundleError(f"{name} does not match its own design: it was saved for {counted(saved, 'class', 'classes')} "
                          f"but its list of classes has {classes}, so it cannot be used", details=details)
    raise BundleError(f"{name} does not match its own design: its weights belong to another design than the one it "
                      "describes, so it cannot be used", details=details)


def load_bundle(path: str | os.PathLike,
                builder: Callable[[dict, int], tuple[Any, torch.nn.Module]] | None = None) -> LoadedBundle:
    """Load a bundle (folder, ``.zip``, or its manifest.json) into an eval-mode CPU model.

    ``builder(spec_json, num_classes) -> (spec, model)`` defaults to
    :func:`~cnnstudio.engine.model.build.build_from_json` without pretrained weights (ours replace them).
    """
    manifest, weights, path = read_bundle_files(path)
    expected_sha = (manifest.get("weights") or {}).get("sha256")
    if expected_sha and hashlib.sha256(weights).hexdigest() != expected_sha:
        raise _damaged(path, CHANGED)
    try:
        tensors = st_load(weights)
    except Exception:  # noqa: BLE001 - safetensors raises its own error types for a bad header: not the user's words
        raise _damaged(path, UNREADABLE) from None
    try:
        preprocess = Preprocess.from_json(manifest["preprocess"])
    except EngineError as e:
        raise BundleError(f"{path.name} has bad preprocessing settings: {e}") from None
    except TypeError as e:
        raise BundleError(f"{path.name} has bad preprocessing settings: {e}") from None
    class_names = [str(c) for c in manifest["class_names"]]
    try:
        if builder is None:
            spec, model = build_from_json(manifest["spec"], len(class_names), load_pretrained=False)
        else:
            spec, model = builder(manifest["spec"], len(class_names))
    except EngineError as e:
        raise BundleError(f"the architecture in {path.name} cannot be built: {e}") from None
    check_weights(model, tensors, _model_name(path), len(class_names))
    model.load_state_dict(tensors, strict=True)
    model.eval()
    return LoadedBundle(model=model, manifest=manifest, spec=spec, class_names=class_names,
                        preprocess=preprocess, path=path)


def read_manifest(path: str | os.PathLike) -> dict:
    """Just the manifest (for listing models without building them)."""
    return read_bundle_files(path)[0]


__all__ = ["BundleError", "FORMAT_NAME", "FORMAT_VERSION", "LoadedBundle", "MANIFEST_LIMIT", "WEIGHTS_CAP",
           "check_weights", "library_versions", "load_bundle", "read_bundle_bytes", "read_bundle_files", "read_manifest", "save_bundle"]

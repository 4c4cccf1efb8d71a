"""Training checkpoints, no pickle: safetensors files written to a temporary name and renamed.

``last.safetensors`` holds model and optimiser tensors and RNG states; its safetensors metadata holds a
JSON string with the scalars (epoch, step, best epoch, optimiser hyper-parameters, fp16's gradient scale...),
and the fingerprints of the run's design and classes (project/run_checkpoint.py's ``checkpoint_marks``, so a
copied-over checkpoint is known without torch).
``best.safetensors`` holds the best model's weights. A kill leaves the previous checkpoint intact.
Used by :mod:`.trainer`.
"""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from ...project.run_checkpoint import BEST, CHECKPOINT_KEY, LAST, checkpoint_marks, damaged_sentence
from ..errors import EngineError

CHECKPOINT_FORMAT = 1


class CheckpointDamaged(EngineError):
    """A checkpoint that cannot be read (cut short, replaced by another file): the run is trained again from the
    start (project/run_checkpoint.py says so)."""


def _damaged(path: Path) -> CheckpointDamaged:
    return CheckpointDamaged(damaged_sentence(Path(path).parent.parent.name))  # runs/<run-id>/checkpoint/<file>


def normal_file_mode() -> int:
    """The mode a file made with open() gets here (0644 under the usual umask): safetensors writes through a private
    temporary file (0600), which would keep other users of a shared project from resuming its runs."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            mask = next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)  # read it by setting it, and put it back at once
        os.umask(mask)
    return 0o666 & ~mask


def atomic_save(tensors: dict[str, torch.Tensor], path: Path, metadata: dict[str, str]) -> None:
    """Write to a temporary name, then rename: a full disk or a kill leaves the previous file whole, and
    no temporary file behind (a failed write removes it)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        save_file(tensors, str(tmp), metadata=metadata)
        os.chmod(tmp, normal_file_mode())
        os.replace(tmp, path)
    except BaseException as e:
        for leftover in (tmp, *path.parent.glob(".tmp*")):  # ours, and safetensors' own temporary file
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass
        if is_disk_failure(e):  # a full disk, a vanished stick: the previous checkpoint is still whole
            raise _disk_error(e, path) from e
        raise


class CheckpointDiskError(EngineError):
    """A checkpoint the disk refused (full, read-only, gone), in project/disk.py's words. An EngineError, so
    the trainer reports it as the run's failure reason, without a traceback."""


def is_disk_failure(e: BaseException) -> bool:
    """A write refused by the disk, not a bug: safetensors says it as OSError or as a SafetensorError carrying
    the OS message ("... (os error 28)")."""
    return isinstance(e, OSError) or (type(e).__name__ == "SafetensorError" and _OS_ERROR.search(str(e)) is not None)


_OS_ERROR = re.compile(r"\(os error (\d+)\)")


def _disk_error(e: BaseException, path: Path) -> CheckpointDiskError:
    from ...project.disk import disk_error, project_root_of

    if not isinstance(e, OSError):  # safetensors' own error: its text names the OS error
        found = _OS_ERROR.search(str(e))
        e = OSError(int(found.group(1)) if found else errno.EIO, str(e))
    from ...project.run_checkpoint import resume_kept

    kept = resume_kept(Path(path).parent.parent)  # runs/<run-id>/checkpoint/<file>
    return CheckpointDiskError(str(disk_error(e, project_root_of(path), "train", kept)))


def model_tensors(model: torch.nn.Module, prefix: str = "") -> dict[str, torch.Tensor]:
    from ..model.weights import state_dict_tensors

    return {prefix + k: v for k, v in state_dict_tensors(model).items()}


def checkpoint_contents(model, optimizer, rng: torch.Generator, state: dict, scaler=None) -> tuple[dict, dict]:
    """What a checkpoint holds, copied where the run is (on a graphics card: copies on the card, no wait for it):
    (tensors, scalars) for :func:`write_checkpoint`. ``scaler``: the run's :class:`torch.amp.GradScaler` (fp16),
    whose scale a resumed run goes on with."""
    tensors = {f"model/{k}": v.detach().clone() for k, v in model.state_dict().items()}
    opt = optimizer.state_dict()
    scalars: dict[str, dict] = {}
    for idx, st in opt["state"].items():
        for key, value in st.items():
            if isinstance(value, torch.Tensor):
                tensors[f"optim/{idx}/{key}"] = value.detach().clone()
            else:
                scalars.setdefault(str(idx), {})[key] = value
    tensors["rng/data"] = rng.get_state()
    tensors["rng/torch"] = torch.get_rng_state()
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        tensors["rng/cuda"] = torch.cuda.get_rng_state()
    groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in opt["param_groups"]]
    meta = dict(state, format=CHECKPOINT_FORMAT, optimizer_groups=groups, optimizer_scalars=scalars)
    if scaler is not None and scaler.is_enabled():
        meta["grad_scaler"] = scaler.state_dict()  # a few numbers: the scale, its growth counter
    return tensors, meta


def write_checkpoint(path: Path, contents: tuple[dict, dict], marks: dict[str, str] | None = None) -> None:
    """Write what :func:`checkpoint_contents` copied (to the computer's memory first, then to ``path``). ``marks``:
    the run's :func:`checkpoint_marks` when the caller read them once for the run (None: read here)."""
    tensors, meta = contents
    on_cpu = {k: v.to("cpu").contiguous() for k, v in tensors.items()}  # each its own copy: nothing shared
    metadata = {CHECKPOINT_KEY: json.dumps(meta)}
    metadata.update(marks if marks is not None else checkpoint_marks(Path(path).parent.parent))  # runs/<id>/checkpoint
    atomic_save(on_cpu, path, metadata)


def save_checkpoint(path: Path, model, optimizer, rng: torch.Generator, state: dict, scaler=None) -> None:
    write_checkpoint(path, checkpoint_contents(model, optimizer, rng, state, scaler))


def read_checkpoint(path: Path) -> tuple[dict[str, torch.Tensor], dict]:
    """The tensors and the scalars of a checkpoint; :class:`CheckpointDamaged` when it cannot be read."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
        if CHECKPOINT_KEY not in meta:
            raise _damaged(path)
        state = json.loads(meta[CHECKPOINT_KEY])
        if not isinstance(state, dict):
            raise _damaged(path)
        if state.get("format", 0) > CHECKPOINT_FORMAT:
            raise EngineError("this checkpoint was written by a newer CNN Studio: update it to resume this run")
        return load_file(str(path)), state
    except EngineError:
        raise
    except OSError as e:
        if e.errno not in (None, errno.ENOENT):  # a stick pulled while reading
            raise _disk_error(e, path) from e
        raise _damaged(path) from e
    except Exception as e:  # noqa: BLE001 - safetensors' own error, bad JSON: the file is damaged
        raise _damaged(path) from e


def read_weights(path: Path) -> dict[str, torch.Tensor]:
    """The tensors of ``best.safetensors``; :class:`CheckpointDamaged` when it cannot be read."""
    try:
        return load_file(str(path))
    except OSError as e:
        if e.errno not in (None, errno.ENOENT):
            raise _disk_error(e, path) from e
        raise _damaged(path) from e
    except Exception as e:  # noqa: BLE001 - safetensors' own error: the file is damaged
        raise _damaged(path) from e


def restore(path: Path, model, optimizer, rng: torch.Generator, device, scaler=None) -> dict:
    tensors, state = read_checkpoint(path)
    try:
        saved = _restore(tensors, state, model, optimizer, rng, device)
        if scaler is not None and state.get("grad_scaler"):  # none: fp32 or bf16 then, or an older checkpoint
            scaler.load_state_dict(state["grad_scaler"])
        return saved
    except (KeyError, ValueError, TypeError) as e:  # a whole file without what a checkpoint holds
        raise _damaged(path) from e
    except _NotThisDesign as e:  # a whole checkpoint of another run (another design) copied over this one's
        raise _damaged(path) from e


class _NotThisDesign(Exception):
    """The checkpoint's weights do not fit the run's network (PyTorch's RuntimeError from ``load_state_dict``)."""


def _load_model_weights(model, weights: dict) -> None:
    try:
        model.load_state_dict(weights, strict=True)
    except RuntimeError as e:  # missing or unexpected keys, other shapes: only the weights are wrong, not the code
        raise _NotThisDesign(str(e)) from e


def _restore(tensors, state: dict, model, optimizer, rng: torch.Generator, device) -> dict:
    model_sd = {k[len("model/"):]: v for k, v in tensors.items() if k.startswith("model/")}
    _load_model_weights(model, model_sd)
    opt_state: dict[int, dict] = {}
    for k, v in tensors.items():
        if k.startswith("optim/"):
            _, idx, key = k.split("/", 2)
            opt_state.setdefault(int(idx), {})[key] = v
    for idx, d in state.get("optimizer_scalars", {}).items():
        opt_state.setdefault(int(idx), {}).update(d)
    groups = state["optimizer_groups"]
    for g in groups:
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    fused = [g.get("fused") for g in optimizer.param_groups]
    optimizer.load_state_dict({"state": opt_state, "param_groups": groups})
    for g, f in zip(optimizer.param_groups, fused):  # the checkpoint may come from another device
        g["fused"] = f
    _state_in_params_layout(optimizer)
    rng.set_state(tensors["rng/data"])
    torch.set_rng_state(tensors["rng/torch"])
    if "rng/cuda" in tensors and device.type == "cuda":
        torch.cuda.set_rng_state(tensors["rng/cuda"])
    return state


def _state_in_params_layout(optimizer) -> None:
    """Give each saved state tensor (Adam's moments, momentum) its weight's memory layout. The checkpoint holds
    them contiguous; a ``channels_last`` weight with a fused optimiser, which walks memory in order, would
    otherwise take another weight's moments (a resumed run then differs from the uninterrupted one)."""
    for p, st in optimizer.state.items():
        for k, v in st.items():
            if isinstance(v, torch.Tensor) and v.shape == p.shape and v.stride() != p.stride():
                st[k] = torch.empty_like(p, dtype=v.dtype).copy_(v)


def load_best_weights(checkpoint_dir: Path, model: torch.nn.Module) -> bool:
    path = Path(checkpoint_dir) / BEST
    if not path.exists():
        return False
    try:
        _load_model_weights(model, read_weights(path))
    except _NotThisDesign as e:
        raise _damaged(path) from e
    return True


__all__ = ["BEST", "LAST", "CheckpointDamaged", "CheckpointDiskError", "atomic_save", "checkpoint_contents",
           "load_best_weights", "normal_file_mode", "read_checkpoint", "read_weights", "restore", "save_checkpoint",
           "write_checkpoint"]

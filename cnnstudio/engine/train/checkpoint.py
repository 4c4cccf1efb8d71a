"""Training checkpoints, no pickle: safetensors files written to a temporary name and renamed.

``last.safetensors`` holds model and optimiser tensors and RNG states; its safetensors metadata holds a
JSON string with the scalars (epoch, step, best epoch, optimiser hyper-parameters...).
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

from ..errors import EngineError

CHECKPOINT_FORMAT = 1
LAST = "last.safetensors"
BEST = "best.safetensors"


def atomic_save(tensors: dict[str, torch.Tensor], path: Path, metadata: dict[str, str]) -> None:
    """Write to a temporary name, then rename: a full disk or a kill leaves the previous file whole, and
    no temporary file behind (a failed write removes it)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        save_file(tensors, str(tmp), metadata=metadata)
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
    return CheckpointDiskError(str(disk_error(e, project_root_of(path), "resume the run",
                                              "the run resumes from its last good checkpoint")))


def model_tensors(model: torch.nn.Module, prefix: str = "") -> dict[str, torch.Tensor]:
    from ..model.weights import state_dict_tensors

    return {prefix + k: v for k, v in state_dict_tensors(model).items()}


def save_checkpoint(path: Path, model, optimizer, rng: torch.Generator, state: dict) -> None:
    tensors = model_tensors(model, "model/")
    opt = optimizer.state_dict()
    scalars: dict[str, dict] = {}
    for idx, st in opt["state"].items():
        for key, value in st.items():
            if isinstance(value, torch.Tensor):
                tensors[f"optim/{idx}/{key}"] = value.detach().to("cpu").contiguous().clone()
            else:
                scalars.setdefault(str(idx), {})[key] = value
    tensors["rng/data"] = rng.get_state()
    tensors["rng/torch"] = torch.get_rng_state()
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        tensors["rng/cuda"] = torch.cuda.get_rng_state()
    groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in opt["param_groups"]]
    meta = dict(state, format=CHECKPOINT_FORMAT, optimizer_groups=groups, optimizer_scalars=scalars)
    atomic_save(tensors, path, {"cnnstudio_checkpoint": json.dumps(meta)})


def read_checkpoint(path: Path) -> tuple[dict[str, torch.Tensor], dict]:
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
    if "cnnstudio_checkpoint" not in meta:
        raise EngineError(f"{path.name} is not a CNN Studio checkpoint")
    state = json.loads(meta["cnnstudio_checkpoint"])
    if state.get("format", 0) > CHECKPOINT_FORMAT:
        raise EngineError("this checkpoint was written by a newer CNN Studio: update it to resume this run")
    return load_file(str(path)), state


def restore(path: Path, model, optimizer, rng: torch.Generator, device) -> dict:
    tensors, state = read_checkpoint(path)
    model_sd = {k[len("model/"):]: v for k, v in tensors.items() if k.startswith("model/")}
    model.load_state_dict(model_sd, strict=True)
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
    rng.set_state(tensors["rng/data"])
    torch.set_rng_state(tensors["rng/torch"])
    if "rng/cuda" in tensors and device.type == "cuda":
        torch.cuda.set_rng_state(tensors["rng/cuda"])
    return state


def load_best_weights(checkpoint_dir: Path, model: torch.nn.Module) -> bool:
    path = Path(checkpoint_dir) / BEST
    if not path.exists():
        return False
    model.load_state_dict(load_file(str(path)), strict=True)
    return True

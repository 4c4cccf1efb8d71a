"""``ModelSpec``: a network design as plain JSON, the thing the form edits and the project stores.

::

    {"format": "cnnstudio.modelspec/1",
     "input": {"height": 28, "width": 28, "channels": 1},
     "layers": [{"type": "conv2d", "params": {"out_channels": 32, ...}}, ...],
     "backbone": null}

With a backbone, ``"backbone": {"name": "mobilenet_v2", "pretrained": true, "freeze": true}`` (and
optionally ``"weights_file": "/path/chosen/by/the/user.pth"``); ``layers`` are then the head that
follows the backbone's pooled features, and may be empty. The output layer (fully connected, one unit
per class) is never part of the spec: :func:`~cnnstudio.engine.validate.validate` and
:func:`~cnnstudio.engine.model.build.build_model` add it for the number of classes.

:meth:`ModelSpec.from_json` checks the *structure* (keys, containers, the input's and backbone's types,
at most :data:`MAX_LAYERS` layers; no setting NaN or infinity, which Python's json reads) and raises
:class:`SpecError` with a plain sentence. A layer of a known type
may leave settings out: they get the catalog's defaults (``{"type": "conv2d", "params": {"out_channels": 8}}``
is a 3x3 'same' convolution with bias), what a layer added on the Model page gets. Whether the layers make sense
(known types, valid settings, shapes) is :func:`validate`'s job, which reports every mistake at once.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...project.imaging import INPUT_CHANNELS, input_side_problem
from ..errors import SpecError
from .design_file_words import damage_kind, file_words

FORMAT = "cnnstudio.modelspec/1"
_FORMAT_PREFIX = "cnnstudio.modelspec/"

#: The most layers a design may have (the output layer CNN Studio adds not counted). A real network needs far
#: fewer in this catalog: VGG-19 with batch normalisation written out layer by layer is 60, ResNet-110 (the deepest
#: CIFAR ResNet of He et al. 2016 but one) is 58 with residual blocks, the largest preset at 2048 px is 40.
#: Measured on the Model page (2 CPU cores): 3,000 layers took 23 s to show (validation 0.02 s of it, the cards
#: the rest), so a limit keeps a stray file from freezing the page; 200 cards show in about a second.
MAX_LAYERS = 200


def too_many_layers(count: int) -> str | None:
    """None for a design of ``count`` layers CNN Studio takes; else the sentence that says it does not."""
    if count <= MAX_LAYERS:
        return None
    return (f"the design has {count:,} layers, more than the {MAX_LAYERS} CNN Studio allows: remove layers "
            f"(a deep network such as VGG-19 is 60 layers here, ResNet-34 with residual blocks 21)")


def _with_defaults(type_: str, params: dict) -> dict:
    """``params`` of a layer of a catalog type with the catalog's defaults for what it leaves out; the settings it
    gives, even wrong or unknown ones, are kept for :func:`validate` to judge. An unknown type is left as it is."""
    from .catalog import CATALOG

    lt = CATALOG.get(type_)
    if lt is None:
        return dict(params)
    return {**{p.name: p.default for p in lt.params}, **params}


def _non_finite(value: Any) -> bool:
    """A number that is no number (NaN, infinity: Python's json reads and writes them), also inside a list or object."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return any(_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    return False


def _refuse_non_finite(index: int, layer: "LayerSpec") -> None:
    """A design is taken whole or refused: a setting of layer ``index`` that is NaN or infinity is refused here,
    where the design is read, in the design check's words (:func:`~.validate.params_sentence`), so that no page or
    command ever holds one (a number box cannot show it)."""
    bad = [key for key, value in layer.params.items() if _non_finite(value)]
    if not bad:
        return
    from .catalog import CATALOG
    from .validate import params_sentence

    lt = CATALOG.get(layer.type)
    known = lt is not None and all(key in {p.name for p in lt.params} for key in bad)
    said = params_sentence(index, lt, layer.params) if known else None
    if said is None:
        where = f"layer {index}, {lt.name_in_sentence}" if lt is not None else f"layer {index}"
        said = (f"{where}: the setting '{bad[0]}' is {json.dumps(layer.params[bad[0]])}, which is not a number: "
                f"give it a number, or remove it")
    raise SpecError(said)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _keys(obj: dict, where: str, required: set[str], optional: set[str] = frozenset()) -> None:
    missing = sorted(required - set(obj))
    if missing:
        raise SpecError(f"{where} has no {', '.join(repr(m) for m in missing)}")
    extra = sorted(set(obj) - required - set(optional))
    if extra:
        raise SpecError(
            f"{where} has {', '.join(repr(e) for e in extra)}, which a design does not use "
            f"(allowed: {', '.join(sorted(required | set(optional)))})"
        )


@dataclass(frozen=True)
class InputSpec:
    height: int
    width: int
    channels: int

    @property
    def shape(self) -> tuple[int, int, int]:
        """(C, H, W), the order PyTorch uses."""
        return (self.channels, self.height, self.width)

    def to_json(self) -> dict:
        return {"height": self.height, "width": self.width, "channels": self.channels}


@dataclass(frozen=True)
class LayerSpec:
    type: str
    params: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"type": self.type, "params": dict(self.params)}


@dataclass(frozen=True)
class BackboneSpec:
    name: str
    pretrained: bool = True
    freeze: bool = True
    weights_file: str | None = None  # a file the user chose; None = look in the usual places

    def to_json(self) -> dict:
        d: dict = {"name": self.name, "pretrained": self.pretrained, "freeze": self.freeze}
        if self.weights_file is not None:
            d["weights_file"] = self.weights_file
        return d


@dataclass(frozen=True)
class ModelSpec:
    """A network design. Frozen; ``layers[i].params`` are plain dicts: treat them as read-only."""

    input: InputSpec
    layers: tuple[LayerSpec, ...] = ()
    backbone: BackboneSpec | None = None

    # -- JSON ---------------------------------------------------------------------------------------
    @classmethod
    def from_json(cls, data: Any) -> "ModelSpec":
        if not isinstance(data, dict):
            raise _foreign("this is not a design saved by CNN Studio: a design is a JSON object ({...})")
        fmt = data.get("format")
        if fmt is None:
            raise _foreign(f"this is not a design saved by CNN Studio: it has no \"format\": \"{FORMAT}\"")
        if fmt != FORMAT:
            if isinstance(fmt, str) and fmt.startswith(_FORMAT_PREFIX):
                raise _foreign(f"this design has format '{fmt}', which this version of CNN Studio cannot read (it "
                               f"reads '{FORMAT}'): update CNN Studio", "newer")
            raise _foreign(f"this is not a design saved by CNN Studio: its format is {fmt!r}, not '{FORMAT}'")
        _keys(data, "the design", {"format", "input", "layers"}, {"backbone"})

        inp = data["input"]
        if not isinstance(inp, dict):
            raise SpecError("the design's \"input\" must be an object like "
                            "{\"height\": 28, \"width\": 28, \"channels\": 1}")
        _keys(inp, "the input", {"height", "width", "channels"})
        for k in ("height", "width", "channels"):
            if not _is_int(inp[k]):
                raise SpecError(f"the input's {k} must be a whole number, not {json.dumps(inp[k])}")
        for k in ("height", "width"):  # a file is taken whole or refused: the page never shows half of it
            bad = input_side_problem(k, inp[k])
            if bad:
                raise SpecError(bad)
        if inp["channels"] not in INPUT_CHANNELS:
            raise SpecError(f"the input's channels must be 1 (grey) or 3 (colour), not {inp['channels']}")

        raw_layers = data["layers"]
        if not isinstance(raw_layers, list):
            raise SpecError("the design's \"layers\" must be a list ([...])")
        too_many = too_many_layers(len(raw_layers))
        if too_many:
            raise SpecError(too_many)
        layers = []
        for i, item in enumerate(raw_layers, 1):
            if not isinstance(item, dict):
                raise SpecError(f"layer {i} must be an object like {{\"type\": \"relu\", \"params\": {{}}}}")
            _keys(item, f"layer {i}", {"type"}, {"params"})
            if not isinstance(item["type"], str):
                raise SpecError(f"layer {i}: the type must be a name like 'conv2d', not {json.dumps(item['type'])}")
            params = item.get("params", {})
            if params is None:
                params = {}
            if not isinstance(params, dict):
                raise SpecError(f"layer {i}: \"params\" must be an object ({{...}})")
            layers.append(LayerSpec(item["type"], _with_defaults(item["type"], params)))
            _refuse_non_finite(i, layers[-1])

        backbone = None
        raw_bb = data.get("backbone")
        if raw_bb is not None:
            if not isinstance(raw_bb, dict):
                raise SpecError("the design's \"backbone\" must be null or an object like "
                                "{\"name\": \"mobilenet_v2\", \"pretrained\": true, \"freeze\": true}")
            _keys(raw_bb, "the backbone", {"name"}, {"pretrained", "freeze", "weights_file"})
            if not isinstance(raw_bb["name"], str):
                raise SpecError("the backbone's name must be text such as 'mobilenet_v2'")
            for k in ("pretrained", "freeze"):
                if k in raw_bb and not isinstance(raw_bb[k], bool):
                    raise SpecError(f"the backbone's {k} must be true or false, not {json.dumps(raw_bb[k])}")
            wf = raw_bb.get("weights_file")
            if wf is not None and not isinstance(wf, str):
                raise SpecError("the backbone's weights_file must be a file path or null")
            backbone = BackboneSpec(raw_bb["name"], raw_bb.get("pretrained", True), raw_bb.get("freeze", True), wf)

        return cls(InputSpec(inp["height"], inp["width"], inp["channels"]), tuple(layers), backbone)

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "input": self.input.to_json(),
            "layers": [layer.to_json() for layer in self.layers],
            "backbone": self.backbone.to_json() if self.backbone else None,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)

    @classmethod
    def loads(cls, text: str) -> "ModelSpec":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            kind = damage_kind(text, e.pos)
            err = SpecError(file_words("the design", kind, line=e.lineno))
            err.kind, err.line = kind, e.lineno  # said by load in the file's words (design_file_words)
            raise err from None
        return cls.from_json(data)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "ModelSpec":
        path = Path(path)
        kind, detail = "", ""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            kind = "missing"
        except IsADirectoryError:
            kind = "folder"
        except UnicodeDecodeError:
            kind = "not-text"
        except PermissionError:
            kind, detail = "unreadable", "check the file's permissions"
        except OSError as e:
            kind, detail = "unreadable", (e.strerror or str(e)).lower()
        if kind:
            raise _file_error(path, kind, detail) from None
        try:
            return cls.loads(text)
        except SpecError as e:
            kind = getattr(e, "kind", "")
            raise _file_error(path, kind, "" if kind else str(e), getattr(e, "line", None)) from None

    def save(self, path: str | os.PathLike) -> None:
        """Write atomically: a crash leaves the old file or the new one, never half of one."""
        path = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self.dumps() + "\n")
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    # -- convenience ----------------------------------------------------------------------------------
    def with_input(self, height: int, width: int, channels: int) -> "ModelSpec":
        return ModelSpec(InputSpec(height, width, channels), self.layers, self.backbone)

    @classmethod
    def create(cls, height: int, width: int, channels: int, layers: list[dict] | tuple = (),
               backbone: dict | None = None) -> "ModelSpec":
        """Build from Python values (``layers`` as ``{"type", "params"}`` dicts), checked like JSON."""
        return cls.from_json({
            "format": FORMAT,
            "input": {"height": height, "width": width, "channels": channels},
            "layers": list(layers),
            "backbone": backbone,
        })


def _foreign(message: str, kind: str = "foreign") -> SpecError:
    """The error of JSON that is not a CNN Studio design at all (``kind`` "foreign"), or one of a later CNN Studio
    ("newer"): :meth:`ModelSpec.load` says so in the file's words (:mod:`.design_file_words`)."""
    err = SpecError(message)
    err.kind = kind
    return err


def _file_error(path: Path, kind: str, detail: str = "", line: int | None = None) -> SpecError:
    """The error of the design file at ``path`` that cannot be used: its text is the command line's sentence naming
    the path (:func:`~.design_file_words.file_words`); ``kind``, ``detail`` and ``line`` let the Model page say it
    in its own words (:func:`~.design_file_words.open_words`)."""
    err = SpecError(file_words(str(path), kind, detail, line))
    err.kind, err.detail, err.line = kind, detail, line
    return err


def spec_to_json(spec: ModelSpec | dict) -> dict:
    """The JSON of a spec given as a :class:`ModelSpec` or already as JSON (a dict, copied)."""
    if hasattr(spec, "to_json"):
        return spec.to_json()
    if isinstance(spec, dict):
        return dict(spec)
    raise SpecError(f"cannot store a model spec of type {type(spec).__name__}")

"""A user's own design in words, and its layers as the Model page lists them: what tells one run's design from
another's in the runs list, the run's details, the report and ``cnnstudio runs``. Torch-free for designs of
catalog layers (a pretrained backbone is measured by :func:`~cnnstudio.engine.model.validate.validate`, as the Model
page does).

:func:`own_design_words` counts the layers that learn, named as the Model page's cards name them ("your design (3
convolutions, 1 fully connected layer)"), and :func:`own_head_words` the layers after a pretrained backbone alike
("your head (1 fully connected layer)"); :func:`design_layers` gives one :class:`LayerRow` per layer: its number,
the label its card shows ("conv 32 3x3") and its output shape in the card's words ("32 × 28 × 28").
:mod:`.run_naming` puts the words in a new run's name and its config ("design").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.catalog import CATALOG
from ..model.param_words import shape_words

# the layers that learn, in the words of their catalog titles ("Convolution", "Residual block", "Fully connected")
LEARNING_LAYERS = {"conv2d": ("convolution", "convolutions"), "residual_block": ("residual block", "residual blocks"),
                   "linear": ("fully connected layer", "fully connected layers")}
OWN = "your design"
OWN_HEAD = "your head"  # the user's own layers after a pretrained backbone
NOTHING_LEARNS = "only the output layer learns"


@dataclass(frozen=True)
class LayerRow:
    number: int  # as the Model page numbers it: 1 for the first layer, 0 for a backbone, the output layer last
    label: str  # what its card shows: "conv 32 3x3", "max-pool 2x2", "output, 10 classes"
    shape: str  # its output in the card's words: "32 × 28 × 28", "10 numbers"; "" when not known

    def to_json(self) -> dict:
        return {"number": self.number, "label": self.label, "output": self.shape}


def _layers(spec_json) -> list:
    layers = spec_json.get("layers") if isinstance(spec_json, dict) else None
    return [ls for ls in layers if isinstance(ls, dict)] if isinstance(layers, list) else []


def learning_words(spec_json) -> str:
    """ "3 convolutions, 1 fully connected layer": how many layers of each kind that learns, in the order they first
    come; "only the output layer learns" when none does."""
    counts: dict[str, int] = {}
    for ls in _layers(spec_json):
        if ls.get("type") in LEARNING_LAYERS:
            counts[ls["type"]] = counts.get(ls["type"], 0) + 1
    if not counts:
        return NOTHING_LEARNS
    return ", ".join(f"{n} {LEARNING_LAYERS[kind][n != 1]}" for kind, n in counts.items())


def own_design_words(spec_json: dict) -> str:
    """ "your design (3 convolutions, 1 fully connected layer)"; "your design (only the output layer learns)" when
    no layer learns."""
    return f"{OWN} ({learning_words(spec_json)})"


def own_head_words(spec_json: dict) -> str:
    """ "your head (1 fully connected layer)": the user's own layers after a pretrained backbone, said alike."""
    return f"{OWN_HEAD} ({learning_words(spec_json)})"


def your_design(words: str) -> str:
    """A design's words as a sentence names the design the Model page holds: "your design (Small VGG)", and an own
    design's words as they are ("your design (3 convolutions)"), never "your design (your design (...))"."""
    return words if words.startswith(f"{OWN} (") else f"{OWN} ({words})"


def design_layers(spec_json: dict, num_classes: int | None = None) -> list[LayerRow]:
    """The layers of ``spec_json`` (a ModelSpec as JSON) as the Model page lists them, with their output shapes and
    the output layer for ``num_classes`` classes; a spec that cannot be read gives its layers' labels alone."""
    from ..errors import SpecError
    from ..model.spec import ModelSpec
    from ..model.validate import validate

    try:
        spec = ModelSpec.from_json(spec_json)
    except SpecError:
        spec = None
    if spec is None or not isinstance(num_classes, int) or num_classes < 1:
        rows = []
        for i, ls in enumerate(_layers(spec_json)):
            kind = CATALOG.get(ls.get("type")) if isinstance(ls.get("type"), str) else None
            label = kind.describe(ls.get("params") or {}) if kind is not None else str(ls.get("type"))
            rows.append(LayerRow(i + 1, label, ""))
        return rows
    return [LayerRow(e.index, e.label, shape_words(e.out_shape) if e.out_shape is not None else "")
            for e in validate(spec, num_classes).layers]


def layers_text(rows: list[LayerRow]) -> str:
    """ "1 conv 4 3x3 → 4 × 8 × 8 · 2 batch norm → 4 × 8 × 8 · …": a design's layers on one line that wraps."""
    return " · ".join(f"{r.number} {r.label}" + (f" → {r.shape}" if r.shape else "") for r in rows)


def name_says_design(name: str, design: str) -> bool:
    """Whether a run's ``name`` starts with its ``design``'s words ("Small VGG · 40 epochs" says "Small VGG"): a
    list that shows the name need not say the design again."""
    def norm(s: str) -> str:
        return s.replace(" · ", ", ").casefold().strip()

    return bool(design) and norm(name).startswith(norm(design))

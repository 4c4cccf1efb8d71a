"""What a new run is called when its user gives no name: what it is, not when it was made.

"Small VGG · 40 epochs", "MobileNetV2 transfer · frozen", "Your design (2 convolutions) · Auto epochs" ("Your
design · …" when the design has no words); a backbone with the user's own layers after it says them ("MobileNetV2
transfer · frozen · your head (1 fully connected layer)"). The words of the design come from the caller (the engine
knows the presets and backbones; this module stays torch-free); a name already in use gets " (2)", " (3)"... The
user can rename any run.
"""

from __future__ import annotations

from typing import Iterable

OWN_DESIGN = "Your design"


def epochs_words(epochs: int) -> str:
    """ "40 epochs", "1 epoch", or "Auto epochs" for 0 (the trainer picks the number)."""
    if not isinstance(epochs, int) or epochs <= 0:
        return "Auto epochs"
    return f"{epochs} epoch{'s' if epochs != 1 else ''}"


def default_run_name(design: str = "", epochs: int = 0, *, backbone: str = "", frozen: bool = False,
                     fine_tune_epochs: int = 0, head: str = "") -> str:
    """The name of a new run: its design (a preset's title; "" for the user's own design) or its pretrained
    ``backbone``'s title and the words of the user's own ``head`` after it ("" for the preset's), and how long it
    trains."""
    if backbone:
        mode = "frozen" if frozen else "fine-tuned"
        said = f"{backbone} transfer · {mode}" + (f" · {head.strip()}" if head.strip() else "")
        if frozen:
            return said + (f" + fine-tune {epochs_words(fine_tune_epochs)}" if fine_tune_epochs else "")
        return f"{said} · {epochs_words(epochs)}"
    return f"{design.strip() or OWN_DESIGN} · {epochs_words(epochs)}"


def unique_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... when runs are called that already."""
    taken = set(taken)
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"

"""What a new run is called when its user gives no name: what it is, not when it was made.

"Small VGG · 40 epochs", "MobileNetV2 transfer · frozen", "Your design (2 convolutions) · Auto epochs" ("Your
design · …" when the design has no words); a backbone with the user's own layers after it says them ("MobileNetV2
transfer · frozen · your head (1 fully connected layer)"). The words of the design come from the caller (the engine
knows the presets and backbones; this module stays torch-free); a name already in use gets " (2)", " (3)"... The
user can rename any run. An export's file is first offered the project's and the run's names in characters every
file system takes (:func:`export_file_stem`).
"""

from __future__ import annotations

import re
from typing import Iterable

OWN_DESIGN = "Your design"


def epochs_words(epochs: int) -> str:
    """ "40 epochs", "1 epoch", or "Auto epochs" for 0 (the trainer picks the number)."""
    if not isinstance(epochs, int) or epochs <= 0:
        return "Auto epochs"
    return f"{epochs} epoch{'s' if epochs != 1 else ''}"


def length_words(epochs: int = 0, *, frozen: bool = False, head_epochs: int = 0, fine_tune_epochs: int = 0) -> str:
    """How long a run trains, as its name says it after its design (" · 40 epochs", " · Auto epochs"), with its
    separator. A frozen pretrained backbone's run (``frozen``) does not train for its Epochs setting: its head's
    ``head_epochs`` when the head trains by epochs (" · 30 epochs"), nothing when its last layer is fitted exactly
    (0: its "epochs" are strengths of regularisation, as many whatever Epochs says), then any fine-tuning of the
    whole network (" + fine-tune 5 epochs")."""
    if not frozen:
        return f" · {epochs_words(epochs)}"
    said = f" · {epochs_words(head_epochs)}" if head_epochs else ""
    return said + (f" + fine-tune {epochs_words(fine_tune_epochs)}" if fine_tune_epochs else "")


def default_run_name(design: str = "", epochs: int = 0, *, backbone: str = "", frozen: bool = False,
                     fine_tune_epochs: int = 0, head: str = "", head_epochs: int = 0) -> str:
    """The name of a new run: its design (a preset's title; "" for the user's own design) or its pretrained
    ``backbone``'s title and the words of the user's own ``head`` after it ("" for the preset's), and how long it
    trains (:func:`length_words`: a frozen backbone's run by its head's ``head_epochs``, none for a head fitted
    exactly)."""
    if backbone:
        mode = "frozen" if frozen else "fine-tuned"
        said = f"{backbone} transfer · {mode}" + (f" · {head.strip()}" if head.strip() else "")
        return said + length_words(epochs, frozen=frozen, head_epochs=head_epochs, fine_tune_epochs=fine_tune_epochs)
    return f"{design.strip() or OWN_DESIGN}{length_words(epochs)}"


def unique_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... when runs are called that already."""
    taken = set(taken)
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


COMPARED, COMPARING = "not kept", "for comparison"  # short: under the status, in a narrow column
COMPARED_TIP = ("Tried for comparison: Start trained this network too, to compare it with the other one, and kept the "
                "better on the validation pictures. This one was not kept, but you can still evaluate and use it.")
COMPARING_TIP = ("Tried for comparison: Start is trying this network to compare it with the one it trains next; the "
                 "better will be kept.")


def compared_note(run_id: str, summary: dict) -> tuple[str, str]:
    """(mark, tooltip) for a run of the default recipe's comparison that is not the one kept (engine/runs/recipe.py
    records the pair and the kept run in ``summary["recipe"]``): ("not kept", why); ("", "") for any other run.
    While the comparison runs (nothing kept yet) the ready-trained network's run is marked "for comparison"."""
    recipe = summary.get("recipe") if isinstance(summary, dict) else None
    if not isinstance(recipe, dict) or run_id not in (recipe.get("scratch"), recipe.get("transfer")):
        return "", ""
    kept = recipe.get("run")
    if kept is None:
        return (COMPARING, COMPARING_TIP) if run_id == recipe.get("transfer") else ("", "")
    return (COMPARED, COMPARED_TIP) if kept != run_id else ("", "")


EXPORT_RUN_CHARS = 60  # a run's name in an exported model's file name is cut to this many characters (the middle)


def _file_safe(text: str) -> str:
    """``text`` with only characters every file system takes: letters and digits of any script, spaces and
    ``- _ . , ( ) +``; "·" and slashes become " - ", a colon "-" ("21:53" -> "21-53"), anything else a space."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " -_.,()+":
            out.append(ch)
        elif ch in "·/\\|":
            out.append(" - ")
        elif ch == ":":
            out.append("-")
        else:
            out.append(" ")
    said = " ".join("".join(out).split())
    while " - - " in said:
        said = said.replace(" - - ", " - ")
    return said.strip(" -_.,")


def export_file_stem(project: str, run: str = "") -> str:
    """The file name (without its suffix) an export of a run is first offered: the project's and the run's names,
    so that two runs' exports do not land on one file: "Flowers - Small VGG - 40 epochs". A run's name longer than
    :data:`EXPORT_RUN_CHARS` loses its words in brackets (not a " (2)"), then its middle parts, then the words in
    its middle. Used by the export dialog and by ``cnnstudio export`` without an output path."""
    return " - ".join(p for p in (_file_safe(project), _short_run(_file_safe(run))) if p) or "model"


def _short_run(name: str) -> str:
    if len(name) <= EXPORT_RUN_CHARS:
        return name
    name = _file_safe(re.sub(r"\s*\((?!\d+\))[^()]*\)", "", name))  # "(3 convolutions, …)", not "(2)"
    parts = name.split(" - ")
    while len(name) > EXPORT_RUN_CHARS and len(parts) > 2:
        del parts[-2]  # the first part says what it is, the last one which of its kind ("trial 2", "40 epochs")
        name = " - ".join(parts)
    if len(name) <= EXPORT_RUN_CHARS:
        return name
    words = name.split(" ")
    head, tail = [], []
    while words and len(" ".join(head + words[:1])) <= EXPORT_RUN_CHARS * 3 // 5:
        head.append(words.pop(0))
    while words and len(" ".join(words[-1:] + tail)) <= EXPORT_RUN_CHARS * 2 // 5 - 3:
        tail.insert(0, words.pop())
    return _file_safe(" - ".join(" ".join(w) for w in (head, tail) if w)) or name[:EXPORT_RUN_CHARS]

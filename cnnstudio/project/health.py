"""Plain-language dataset warnings (domain logic, no Qt): what a beginner should fix before training."""

from __future__ import annotations

from dataclasses import dataclass

from .importer import LAST_IMPORT_DUPLICATES
from .splits import CARVE_SHARE, SPLITS, needs_validation
from .store import Project

MIN_PER_CLASS = 10  # fewer images than this per class rarely trains into anything useful
CARVE_VALIDATION = "carve_validation"  # a Warning's fix: splits.carve_validation (the Data page's button)
SPLIT_NOW = "split"  # a Warning's fix: split the labelled pictures with the Data page's ratios (its Split button)
CARVE_LABEL = f"Take {round(CARVE_SHARE * 100)} % of train for validation"  # that button's text


@dataclass(frozen=True)
class Warning:
    level: str  # "error" (training will fail), "warning" (results will suffer), "info"
    text: str
    fix: str = ""  # a one-click fix the page can offer: CARVE_VALIDATION, SPLIT_NOW, or "" for none


def dataset_warnings(project: Project, summary: dict | None = None) -> list[Warning]:
    """``summary``: :meth:`Project.summary` if the caller has it already."""
    s = project.summary() if summary is None else summary
    out: list[Warning] = []
    classes = s["classes"]
    if s["images"] == 0:
        return [Warning("info", "The project has no images yet: drop pictures or folders onto the window, "
                        "or use File > Import (Ctrl+I).")]
    if len(classes) < 2:
        out.append(Warning("error", "A classifier needs at least two classes: add classes and label some images."))
    for c in classes:
        if c["total"] == 0:
            out.append(Warning("warning", f"Class '{c['name']}' has no images: label some or delete the class."))
        elif c["total"] < MIN_PER_CLASS:
            out.append(Warning("warning", f"Class '{c['name']}' has only {c['total']} image"
                               f"{'s' if c['total'] != 1 else ''}: aim for at least {MIN_PER_CLASS}, "
                               "ideally 50 or more."))
    sized = [c for c in classes if c["total"] > 0]
    if len(sized) >= 2:
        big = max(sized, key=lambda c: c["total"])
        small = min(sized, key=lambda c: c["total"])
        if big["total"] >= 3 * small["total"]:
            out.append(Warning("warning", f"Strong imbalance: '{big['name']}' has {big['total']} images, "
                               f"'{small['name']}' only {small['total']}. The model may learn to favour "
                               f"'{big['name']}'; add images or turn on class weights when training."))
    if s["unlabelled"]:
        out.append(Warning("info", f"{s['unlabelled']} image{'s are' if s['unlabelled'] != 1 else ' is'} "
                           "unlabelled and will not be used for training: select them and press a class's number key "
                           "(the # column of the class list)."))
    labelled = s["images"] - s["unlabelled"]
    if labelled and s["splits"]["train"] == 0:
        out.append(Warning("error", "No image is in the training split yet: press 'Split' to divide the "
                           "labelled images into train, validation and test.", SPLIT_NOW))
    elif s["splits"]["unassigned"] - s["unlabelled"] > 0:
        n = s["splits"]["unassigned"] - s["unlabelled"]
        out.append(Warning("info", f"{n} labelled image{'s have' if n != 1 else ' has'} no split yet: "
                           "press 'Split' to assign them."))
    if needs_validation({c["id"]: c["counts"] for c in classes}):
        out.append(Warning("warning", "The validation split is empty: accuracy during training cannot be "
                           f"checked and the best epoch cannot be chosen. Press '{CARVE_LABEL}' (or 'Split'): "
                           "a part of each class's training pictures becomes validation, the test pictures "
                           "stay as they are.", CARVE_VALIDATION))
    elif labelled and s["splits"]["train"] and s["splits"]["val"] == 0:
        out.append(Warning("warning", "The validation split is empty: accuracy during training cannot be "
                           "checked and the best epoch cannot be chosen."))
    for c in classes:
        missing = [sp for sp in SPLITS if c["counts"][sp] == 0]
        if c["total"] >= 3 and missing and s["splits"]["train"]:
            out.append(Warning("info", f"Class '{c['name']}' has no images in {', '.join(missing)}."))
    dup = project.meta(LAST_IMPORT_DUPLICATES)  # the user's last import's (not a single picture added from Predict)
    if dup and int(dup):
        out.append(Warning("info", f"The last import found {dup} duplicate file{'s' if int(dup) != 1 else ''}: "
                           "each was stored once."))
    return out

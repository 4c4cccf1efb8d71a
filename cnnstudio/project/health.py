"""Plain-language dataset warnings (domain logic, no Qt): what a beginner should fix before training.

Who shows them: the Data page's dataset health (every level) and the data check, in the app and as
``cnnstudio doctor`` (the "warning" and "error" levels only). So a warning's ``text`` is said in words both
surfaces can show: the problem and what fixes it, never a button's or a command's name; the app's next step
("Press 'Split' ...") is its ``gui``, shown after the text on the Data page, and the command line's comes from
its ``fix`` (the data check's commands). The "info" ones are the Data page's alone and speak its words.
"""

from __future__ import annotations

from dataclasses import dataclass

from .importer import LAST_IMPORT_DUPLICATES
from .counting import counted
from .left_out import left_out, left_out_words
from .missing_files import (TRASH_MISSING, missing_health_words, missing_pictures, trash_missing_label,
                            training_uses)
from .names import quoted
from .splits import (AUTO_SPLIT, CARVE_SHARE, NO_VAL_FEW, NO_VAL_FOLDERS, NO_VAL_RATIO, NO_VALIDATION_EFFECT,
                     NOTHING_LABELLED, SPLITS, needs_validation, train_from_folders)
from .store import Project

#: how the Data page says to bring pictures in: the File menu's own items
IMPORT_WORDS = ("drop pictures or folders onto the window, or use File > Import Images… (Ctrl+I) or File > Import "
                "Folder… (Ctrl+Shift+I)")
MIN_PER_CLASS = 10  # fewer images than this per class rarely trains into anything useful
#: fewer validation pictures of a class than this after a split: each is a fifth or more of the class's validation
#: score, which picks the best epoch, so that choice rests on luck (:func:`few_validation_words`)
MIN_VAL_PER_CLASS = 5
#: what gives validation more pictures, in each surface's words (the Data page's boxes, ``cnnstudio split``'s option)
MORE_VALIDATION_GUI = "give Val a larger share and press 'Split' again, or add pictures"
MORE_VALIDATION_CLI = "give validation a larger share with --ratios, or add pictures"
CARVE_VALIDATION = "carve_validation"  # a Warning's fix: splits.carve_validation (the Data page's button)
MISSING_FILES = "missing_files"  # a Warning's ``about``: pictures whose file is gone (its fix: TRASH_MISSING)
LEFT_OUT = "left_out"  # a Warning's ``about``: labelled pictures in no split, which training leaves out
SPLIT_NOW = "split"  # a Warning's fix: split the labelled pictures with the Data page's ratios (its Split button)
#: the Data page's health line when there is no warning: the splits are ready; Split keeps copies of a picture in one
#: split (project/split_together.py), but pictures moved by hand or split by their folders are only checked by the data
#: check, so the line does not promise more than it knows
READY = ("Ready to train: every class has pictures in every split. Split keeps copies of a picture together; 'Check "
         "data' can look for any in two splits after moves by hand or from folders.")


def carve_label(percent: int = round(CARVE_SHARE * 100)) -> str:
    """The Data page's carve button's text, with the Val share it takes (the Split & health tab's Val ratio)."""
    return f"Take {percent}% of train for validation"


def carve_gui(percent: int = round(CARVE_SHARE * 100)) -> str:
    """The Data page's next step for an empty validation split that Split would fill from train, with the Val ratio
    ``percent`` of the Split & health tab: its carve button, or first a Val share above 0%."""
    if percent <= 0:
        return "Give Val a share above 0%, then press 'Split' to do it."
    return f"Press '{carve_label(percent)}' (or 'Split') to do it."


CARVE_LABEL = carve_label()  # that button's text at the default Val ratio
#: The app's next step when a split leaves validation empty, by splits.why_no_validation's reason (the Data page's
#: health and its Split's message; ``cnnstudio split`` says its own commands)
NO_VALIDATION_GUI = {NO_VAL_RATIO: "Give Val a share above 0% and press 'Split' again.",
                     NO_VAL_FOLDERS: "Tick 'Re-draw folder splits too' and press 'Split' again: the training "
                                     "pictures keep the split of their train folder.",
                     NO_VAL_FEW: "Add pictures: no class has enough training pictures to spare some for "
                                 "validation."}

#: The Data page's Split (its tooltip, and its message when asked from the menu or the data check) while no picture has
#: a class (splits.nothing_labelled): what is missing, and how the window gives pictures a class
NOTHING_TO_SPLIT = (f"{NOTHING_LABELLED}: select pictures and press a class's number key (add a class first with "
                    "Edit > Add Class… if there is none), or import a folder with one folder per class and tick "
                    "“Use folder names as class labels”.")


@dataclass(frozen=True)
class Warning:
    level: str  # "error" (training will fail), "warning" (results will suffer, or pictures are broken), "info"
    text: str  # "warning" and "error": no button and no command in it (see the module doc)
    fix: str = ""  # a one-click fix the page can offer: CARVE_VALIDATION, SPLIT_NOW, TRASH_MISSING, or "" for none
    gui: str = ""  # the app's next step, in the app's words: shown after ``text`` on the Data page
    about: str = ""  # what it is about, the same while its numbers change ("size:3": class 3 has too few or none):
    #                  the data check keeps its finding open while a warning about the same thing is there

    @property
    def in_app(self) -> str:
        """The warning as the Data page says it: its text, then the app's next step."""
        return f"{self.text} {self.gui}" if self.gui else self.text


def dataset_warnings(project: Project, summary: dict | None = None) -> list[Warning]:
    """``summary``: :meth:`Project.summary` if the caller has it already."""
    s = project.summary() if summary is None else summary
    out: list[Warning] = []
    classes = s["classes"]
    if s["images"] == 0:
        return [Warning("info", f"The project has no pictures yet: {IMPORT_WORDS}.")]
    gone = missing_pictures(project)  # deleted by hand: training refuses those it would use (missing_files.py)
    if gone:
        them = "it" if len(gone) == 1 else "them"
        used = len(training_uses(project, gone))
        out.append(Warning("error" if used else "warning", missing_health_words(len(gone), used), TRASH_MISSING,
                           gui=f"Press '{trash_missing_label(len(gone))}' to do it; Ctrl+Z brings {them} back.",
                           about=MISSING_FILES))
    if len(classes) < 2:
        out.append(Warning("error", "A classifier needs at least two classes: add classes and label some pictures.",
                           about="classes"))
    for c in classes:
        if c["total"] == 0:
            out.append(Warning("warning", f"Class {quoted(c['name'])} has no pictures: label some or delete the class.",
                               about=f"size:{c['id']}"))  # too few, then none: one finding
        elif c["total"] < MIN_PER_CLASS:
            out.append(Warning("warning", f"Class {quoted(c['name'])} has only {counted(c['total'], 'picture')}: aim for "
                               f"at least {MIN_PER_CLASS}, "
                               "ideally 50 or more.", about=f"size:{c['id']}"))
    # what the model learns from: the training split once there is one (pictures in no split or in validation or
    # test are not trained on); before, every labelled picture (training divides each class in the same shares)
    split_yet = any(s["splits"][sp] for sp in SPLITS)
    trained = {c["id"]: c["counts"]["train"] if split_yet else c["total"] for c in classes}
    what = "training picture" if split_yet else "picture"
    sized = [c for c in classes if trained[c["id"]] > 0]
    if len(sized) >= 2:
        big = max(sized, key=lambda c: trained[c["id"]])
        small = min(sized, key=lambda c: trained[c["id"]])
        if trained[big["id"]] >= 3 * trained[small["id"]]:
            out.append(Warning("warning", f"Strong imbalance: {quoted(big['name'])} has "
                               f"{counted(trained[big['id']], what)}, {quoted(small['name'])} only "
                               f"{trained[small['id']]}. The model may learn to favour "
                               f"{quoted(big['name'])}; add pictures or balance the classes when training.",
                               gui="'Balance classes' on the Train page does the latter.", about="imbalance"))
    if s["unlabelled"]:  # "No class", as the Data page's filter, tiles, preview and status bar say it
        one = s["unlabelled"] == 1
        out.append(Warning("info", f"{counted(s['unlabelled'], 'picture')} {'has' if one else 'have'} no class yet "
                           f"and will not be used for training: select {'it' if one else 'them'} and press a class's "
                           "number key (the # column of the class list)."))
    labelled = s["images"] - s["unlabelled"]
    if labelled and not any(s["splits"][sp] for sp in SPLITS):  # splits.needs_auto_split: training splits first
        out.append(Warning("info", "No picture is in a split yet: training will first divide the labelled pictures "
                           f"{'/'.join(map(str, AUTO_SPLIT))} into train, validation and test.", SPLIT_NOW,
                           gui="Press 'Split' to choose other ratios.", about="no_train"))
    elif labelled and s["splits"]["train"] == 0:
        out.append(Warning("error", "No picture is in the training split yet: the labelled pictures need dividing "
                           "into train, validation and test.", SPLIT_NOW, gui="Press 'Split' to divide them.",
                           about="no_train"))
    elif n_left_out := left_out(project.counts()):  # imported after the first split: the Train page's, the import
        # report's and the command line's count (a picture in a split whose class was cleared is not one)
        out.append(Warning("info", left_out_words(n_left_out), SPLIT_NOW, about=LEFT_OUT))
    if needs_validation({c["id"]: c["counts"] for c in classes}):
        out.append(Warning("warning", f"The validation split is empty: {NO_VALIDATION_EFFECT}. Splitting again "
                           "takes a part of each class's training pictures for validation; the test pictures "
                           "stay as they are.", CARVE_VALIDATION,
                           gui=carve_gui(), about="no_val"))
    elif labelled and s["splits"]["train"] and s["splits"]["val"] == 0:
        out.append(Warning("warning", f"The validation split is empty: {NO_VALIDATION_EFFECT}.",
                           gui=NO_VALIDATION_GUI[NO_VAL_FOLDERS if train_from_folders(project) else NO_VAL_RATIO],
                           about="no_val"))
    for c in classes:
        missing = [sp for sp in SPLITS if c["counts"][sp] == 0]
        if c["total"] >= 3 and missing and s["splits"]["train"]:
            out.append(Warning("info", f"Class {quoted(c['name'])} has no pictures in {', '.join(missing)}."))
    dup = project.meta(LAST_IMPORT_DUPLICATES)  # the user's last import's (not a single picture added from Predict)
    if dup and int(dup):
        out.append(Warning("info", f"The last import found {dup} duplicate file{'s' if int(dup) != 1 else ''}: "
                           "each was stored once."))
    return out


def few_validation(project: Project) -> list[tuple[str, int]]:
    """The classes (name, validation pictures) with fewer than :data:`MIN_VAL_PER_CLASS` validation pictures, while
    validation has some (an empty one has its own words: :data:`.splits.NO_VALIDATION_EFFECT`); in the class list's
    order."""
    counts = project.counts()
    if not any(by_split.get("val", 0) for class_id, by_split in counts.items() if class_id is not None):
        return []
    return [(c.name, counts.get(c.id, {}).get("val", 0)) for c in project.classes()
            if sum(counts.get(c.id, {}).values()) and counts.get(c.id, {}).get("val", 0) < MIN_VAL_PER_CLASS]


def few_validation_words(project: Project, fix: str) -> str:
    """What a split that leaves some class fewer than :data:`MIN_VAL_PER_CLASS` validation pictures says (the Data
    page's Split and ``cnnstudio split`` alike, each with its own ``fix``: :data:`MORE_VALIDATION_GUI` or
    :data:`MORE_VALIDATION_CLI`); "" when every class has enough."""
    few = few_validation(project)
    if not few:
        return ""
    listed = ", ".join(f"{quoted(name)} {n}" for name, n in few[:3]) + (
        f" and {len(few) - 3} more" if len(few) > 3 else "")
    which = "of 1 class" if len(few) == 1 else f"of each of {len(few)} classes"
    return (f"Validation has fewer than {MIN_VAL_PER_CLASS} pictures {which} ({listed}): too few to tell reliably "
            f"which epoch is best; {fix}.")

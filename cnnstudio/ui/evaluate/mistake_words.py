"""The Evaluate page's rules and words for its list of mistakes (Qt-free).

The test pictures are looked at once, at the end, and never used for choosing: fixing a test label only where the
model erred (to the model's own guess, at that) would make every later test score look better than it is. So a
mistake on the validation (or training) pictures offers "Relabel as <the model's guess>" in one click, and a mistake
on the test pictures does not: a user sure that a test label is wrong chooses the class themselves ("Change
label…"), told why once, above the list (:data:`TEST_NOTE`), and that the Data page's Check data checks every
picture's label, the test pictures' too.

A confident mistake of a good model is often a wrong label; a mistake of a weak model, or one it was unsure of, is
mostly the model's own error (QA: one-click "Relabel as square" offered for a 52 % guess). So one click to the
model's guess is offered only when both hold (:func:`offers_relabel`): the model is good enough on these pictures
(:func:`model_skill` at least :data:`TRUSTED_SKILL`) and it was at least :data:`SURE` of this answer. Otherwise the
button lets the user choose the class, and its tooltip says why that mistake (:func:`doubt`): the model is unsure of
this answer by the app's one rule (:func:`unsure_answer`, engine/use/unsure.py) (:data:`UNSURE`), else the model as a
whole is too weak (:data:`WEAK_HERE`; QA: "unsure here" on a mistake it was 85.6% sure of), else it was less than
:data:`SURE` sure of it.

"Look at the mistakes" (an advice) lists the mistakes between two classes only (:func:`between`), until "Show all".
"""

from __future__ import annotations

from ...engine.runs.label_trust import CONFIDENT, TRUSTED_SKILL
from ...engine.runs.label_trust import skill as model_skill  # the data check's rule
from ...engine.use.figures import percent
from ...engine.use.unsure import is_unsure
from ...project.names import quoted
from ...project.split_roles import FAIR_LABEL_CHECK

ONE_CLICK_SPLITS = ("train", "val")  # mistakes relabelled to the model's guess with one click
# The bars of the data check's wrong-label finder (engine/runs/label_trust.py, measured there), here on the evaluated
# pictures: a mistake may point at a wrong label from a skill of TRUSTED_SKILL, offered one click to the model's
# answer from SURE of it.
SURE = CONFIDENT
UNSURE = "The model is unsure here; check the picture yourself."
WEAK_HERE = ("The model as a whole is not good enough yet for its mistakes to point at wrong labels, however sure it "
             "was here; check the picture yourself.")
WEAK = ("The model is not good enough yet for its mistakes to point at wrong labels: check each picture yourself, "
        "and choose its class only where the label is wrong.")
TEST_NOTE = ("These are test pictures, so there is no one-click relabel here: fixing only the pictures the model got "
             "wrong would make later test scores look better than they really are. " + FAIR_LABEL_CHECK)
CHOOSE = "Change label…"


def one_click(split: str) -> bool:
    """Whether a mistake on ``split`` may be relabelled to the model's guess with one click."""
    return split in ONE_CLICK_SPLITS


def evaluation_skill(evaluation: dict) -> float:
    """:func:`model_skill` of an evaluation (its ``images``, ``accuracy`` and each class's ``support``)."""
    total = int(evaluation.get("images") or 0)
    supports = [int(v.get("support", 0)) for v in (evaluation.get("per_class") or {}).values()]
    right = round(float(evaluation.get("accuracy") or 0.0) * total)
    return model_skill(right, total, max(supports, default=0))


def offers_relabel(split: str, confidence: float, skill: float) -> bool:
    """Whether a mistake is offered one click to the model's guess: not on test pictures, a model good enough
    (``skill`` at least :data:`TRUSTED_SKILL`) and at least :data:`SURE` of this answer (``confidence``)."""
    return one_click(split) and skill >= TRUSTED_SKILL and confidence >= SURE


def unsure_answer(confidence: float, classes: int) -> bool:
    """Whether a mistake's answer, known by its top class's probability (``confidence``) alone, is an unsure one by
    the app's rule (:func:`~cnnstudio.engine.use.unsure.is_unsure`): of two ``classes`` the other one has the rest;
    of more, only a top class under the rule's bar is surely unsure (the next one may have anything up to the rest)."""
    top = float(confidence)
    return is_unsure({"top": top, "rest": min(1.0 - top, top)} if classes == 2 else {"top": top})


def doubt(split: str, confidence: float, skill: float, classes: int) -> str:
    """Why a mistake on ``split`` is not offered one click to the model's guess, in one sentence for its button's
    tooltip ("" where it is, or on test pictures, which have their own words): the answer unsure
    (:func:`unsure_answer`), else the model too weak (``skill`` under :data:`TRUSTED_SKILL`), else less than
    :data:`SURE` sure of it."""
    if not one_click(split) or offers_relabel(split, confidence, skill):
        return ""
    if unsure_answer(confidence, classes):
        return UNSURE
    if skill < TRUSTED_SKILL:
        return WEAK_HERE
    return (f"The model was {percent(confidence)} sure here, too little (under {SURE:.0%}) to point at a wrong label; "
            "check the picture yourself.")


def between(wrong: list[dict], classes) -> list[dict]:
    """The mistakes of ``wrong`` between the two ``classes`` (either way round), in their order; all of them when
    ``classes`` is None."""
    if not classes:
        return list(wrong)
    pair = set(classes)
    return [m for m in wrong if m["true"] in pair and m["predicted"] in pair]


def tab_text(shown: int, total: int, classes=None) -> str:
    """The tab's name: "Mistakes (18)", or "Mistakes (4 of 18)" while two classes' are listed."""
    return f"Mistakes ({shown} of {total})" if classes else f"Mistakes ({total})"


def mistakes_note(split: str, shown: int, total: int, limit: int, classes=None, skill: float = 1.0) -> str:
    """The sentences over the list: which mistakes, in what order, and what can be done about a wrong label
    (``skill``: the model's on these pictures, :func:`model_skill`)."""
    if not total:
        return "No mistakes on these pictures."
    if classes:
        a, b = classes
        if not shown:
            return f"No mistakes between {quoted(a)} and {quoted(b)} on these pictures."
        which = (f"The {shown} mistakes between {quoted(a)} and {quoted(b)}, most confident first." if shown > 1 else
                 f"The one mistake between {quoted(a)} and {quoted(b)}.")
    else:
        which = "Most confident mistakes first."
    if one_click(split) and skill < TRUSTED_SKILL:
        what = f" {WEAK} {CHOOSE} changes it (Ctrl+Z undoes it)."
    elif one_click(split):
        what = (f" A confident mistake is often a wrong label: where the model was {SURE:.0%} sure or more and "
                "is right, relabel the picture with one click (Ctrl+Z undoes it). Where it was less sure, check the "
                "picture yourself.")
    else:
        what = f" {TEST_NOTE} To change a label anyway, choose its class with {CHOOSE} (Ctrl+Z undoes it)."
    more = f" The first {limit} of {shown} are listed." if shown > limit else ""
    return which + what + more


def button_words(split: str, true: str, predicted: str, current: str | None, deleted: bool,
                 has_predicted: bool, read_only: str = "", doubt: str = "") -> tuple[str, str, bool]:
    """A mistake's button: its words, its tooltip and whether it can be pressed. ``current``: the picture's label now
    (None: unlabelled); ``has_predicted``: the project still has the predicted class; ``read_only``: why the project,
    open for viewing only, cannot change labels (the button is off, and that is its tooltip); ``sure``: the mistake is
    offered one click to the model's guess unless ``doubt`` says why not (:func:`doubt`; the user chooses the class)."""
    text, tip, enabled = _button_words(split, true, predicted, current, deleted, has_predicted, doubt)
    return (text, read_only, False) if read_only and enabled else (text, tip, enabled)


def _button_words(split: str, true: str, predicted: str, current: str | None, deleted: bool,
                  has_predicted: bool, doubt: str) -> tuple[str, str, bool]:
    if deleted:
        return "(deleted)", "This picture was deleted since.", False
    now = quoted(current) if current else "unlabelled"
    guess = quoted(predicted)
    if not one_click(split):
        text = CHOOSE if current == true else f"Now {now}: change…"
        return (text, f"Choose the class this test picture really shows (it is now {now}); Ctrl+Z undoes it.", True)
    if doubt:
        text = CHOOSE if current == true else f"Now {now}: change…"
        return (text, f"{doubt} If its label is wrong, choose the class it really shows (it is now {now}); Ctrl+Z "
                      "undoes it.", True)
    if current == predicted:
        return f"✓ now labelled {guess}", "Ctrl+Z undoes it.", False
    if not has_predicted:
        return f"no class {guess}", f"The project has no class {guess} any more.", False
    return (f"Relabel as {guess}", f"Label this picture {guess} (it is now {now}); Ctrl+Z undoes it.", True)


__all__ = ["CHOOSE", "ONE_CLICK_SPLITS", "SURE", "TEST_NOTE", "TRUSTED_SKILL", "UNSURE", "WEAK", "WEAK_HERE",
           "between", "button_words", "doubt", "evaluation_skill", "mistakes_note", "model_skill", "offers_relabel",
           "one_click", "tab_text", "unsure_answer"]

"""The Evaluate page's rules and words for its list of mistakes (Qt-free).

The test pictures are looked at once, at the end, and never used for choosing: fixing a test label only where the
model erred (to the model's own guess, at that) would make every later test score look better than it is. So a
mistake on the validation (or training) pictures offers "Relabel as <the model's guess>" in one click, and a mistake
on the test pictures does not: a user sure that a test label is wrong chooses the class themselves ("Change
label…"), told why once, above the list (:data:`TEST_NOTE`), and that the data check looks at every picture alike.

"Look at the mistakes" (an advice) lists the mistakes between two classes only (:func:`between`), until "Show all".
"""

from __future__ import annotations

from ...project.names import quoted

ONE_CLICK_SPLITS = ("train", "val")  # mistakes relabelled to the model's guess with one click
TEST_NOTE = ("These are test pictures: fixing labels only where the model erred makes later test scores look better "
             "than they are, and Check data on the Data page looks at every picture alike.")
CHOOSE = "Change label…"


def one_click(split: str) -> bool:
    """Whether a mistake on ``split`` is relabelled to the model's guess with one click."""
    return split in ONE_CLICK_SPLITS


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


def mistakes_note(split: str, shown: int, total: int, limit: int, classes=None) -> str:
    """The sentences over the list: which mistakes, in what order, and what can be done about a wrong label."""
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
    if one_click(split):
        what = (" A confident mistake is often a wrong label: if the model is right, relabel the picture with one "
                "click (Ctrl+Z undoes it).")
    else:
        what = f" {TEST_NOTE} To change a label anyway, choose its class with {CHOOSE} (Ctrl+Z undoes it)."
    more = f" The first {limit} of {shown} are listed." if shown > limit else ""
    return which + what + more


def button_words(split: str, true: str, predicted: str, current: str | None, deleted: bool,
                 has_predicted: bool, read_only: str = "") -> tuple[str, str, bool]:
    """A mistake's button: its words, its tooltip and whether it can be pressed. ``current``: the picture's label now
    (None: unlabelled); ``has_predicted``: the project still has the predicted class; ``read_only``: why the project,
    open for viewing only, cannot change labels (the button is off, and that is its tooltip)."""
    text, tip, enabled = _button_words(split, true, predicted, current, deleted, has_predicted)
    return (text, read_only, False) if read_only and enabled else (text, tip, enabled)


def _button_words(split: str, true: str, predicted: str, current: str | None, deleted: bool,
                  has_predicted: bool) -> tuple[str, str, bool]:
    if deleted:
        return "(deleted)", "This picture was deleted since.", False
    now = current or "unlabelled"
    if not one_click(split):
        text = CHOOSE if current == true else f"Now {now}: change…"
        return (text, f"Choose the class this test picture really shows (it is now {now}); Ctrl+Z undoes it.", True)
    if current == predicted:
        return f"✓ now labelled {predicted}", "Ctrl+Z undoes it.", False
    if not has_predicted:
        return f"no class {predicted}", f"The project has no class {quoted(predicted)} any more.", False
    return (f"Relabel as {predicted}", f"Label this picture {predicted} (it is now {now}); Ctrl+Z undoes it.", True)


__all__ = ["CHOOSE", "ONE_CLICK_SPLITS", "TEST_NOTE", "between", "button_words", "mistakes_note", "one_click",
           "tab_text"]

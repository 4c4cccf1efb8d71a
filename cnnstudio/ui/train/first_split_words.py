"""The words of the split the Train page's Start and the Tune page's search make first, on a project whose labelled
pictures are in no split yet (:func:`cnnstudio.project.splits.needs_auto_split`). Qt-free: one rule for both pages.

The split is a step of the Data page's undo history (``ProjectSession.undo_stack``): Ctrl+Z on the Train or Tune
page does not undo it, so the words say where it does. The counts are the Data page's own words for a split
(``ui/data/split_panel.split_counts``: "train 1,259, validation 269, test 269"), passed in by the page.
"""

from __future__ import annotations

#: what each page calls the work that waits for the split: Start's run, the search
WHAT = {"train": "training", "tune": "the search"}


def _head(page: str) -> str:
    what = WHAT[page]
    return what[:1].upper() + what[1:]


def first_words(page: str) -> str:
    """The progress dialog's first sentence, kept above each step: why a split dialog opened on this page."""
    return f"Before {WHAT[page]}: splitting your pictures into train, validation and test…"


def stopped_words(page: str) -> str:
    """Cancel pressed in that dialog: what did not happen ("Training did not start: …")."""
    return f"{_head(page)} did not start: you stopped the split (nothing was changed)."


def failed_words(page: str, said: str) -> str:
    """The search for copies failed (``said``: the finder's sentence, "Nothing was split: …"): what did not happen
    first, then why."""
    return f"{_head(page)} did not start. {said}"


def split_first_words(counts: str, copies: str = "") -> str:
    """After the split: "The labelled pictures were split first: train 1,259, validation 269, test 269 (change it on
    the Data page, where Ctrl+Z undoes it)." and the copies kept together (``copies``: ``split_task.copies_words``,
    "" without copies). ``counts``: the Data page's words for the split's counts."""
    return (f"The labelled pictures were split first: {counts} (change it on the Data page, where Ctrl+Z undoes "
            f"it). {copies}").rstrip()

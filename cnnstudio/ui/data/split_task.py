"""Split's first step in the app: the copies and near copies of a picture, found from the pictures
(:mod:`cnnstudio.engine.runs.split_groups`) so that the split keeps each group in one split
(:mod:`cnnstudio.project.split_together`). The Data page's Split and carve, and the split the Train and Tune pages
make before a first run, all go through :meth:`CopyFinder.find`.

A few pictures (:data:`QUICK_PICTURES`, well under 0.3 s) are looked at on the GUI thread, so the split is
made at once; more in a worker thread behind a progress dialog with Cancel (nothing is split when cancelled), the
split then made on the GUI thread when the groups are in. The dialog ("Splitting the pictures") keeps its first
sentence (:data:`LOOKING`, or the caller's ``first_words``) and says the step under it ("Reading the pictures…", the
engine's words); a stopped search says :data:`STOPPED_WORDS`, or the caller's ``cancelled_words`` (the Train page's
"Training did not start: …"). The workspace shuts a finder down when the project closes.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QWidget

from ...project.split_together import group_splits, together, together_words
from ..session import ProjectSession
from ..workers import DialogTask

QUICK_PICTURES = 50  # labelled pictures looked at on the GUI thread: a few ms of CPU each (split_groups' measures)
#: what puts copies together that a split left apart (their splits are kept), in the Split panel's words
REDRAW = "tick 'Re-draw the test split too' and 'Re-draw folder splits too' and press 'Split' again"
TITLE = "Splitting the pictures"  # the progress dialog's title
LOOKING = "Looking for copies of a picture, to keep them in one split…"  # its first sentence, kept under each step
STOPPED_WORDS = "Nothing was split: you stopped the search for copies."  # Cancel pressed, unless the caller words it


class CopyFinder(DialogTask):
    """Finds the groups of copies for one split at a time, then calls back with them on the GUI thread."""

    def __init__(self, session: ProjectSession, parent_widget: QWidget):
        super().__init__(parent_widget)
        self.session = session
        self._then: Callable[[list[list[int]]], None] | None = None
        self._said: Callable[[str], None] | None = None
        self._cancelled_words = STOPPED_WORDS
        self._first_words = LOOKING

    def find(self, then: Callable[[list[list[int]]], None], said: Callable[[str], None], *,
             cancelled_words: str = STOPPED_WORDS, first_words: str = LOOKING) -> bool:
        """Find the groups, then ``then(groups)``: at once for a few pictures, else when the worker is done. A
        search stopped calls ``said(cancelled_words)`` (the caller's words for what did not happen: "Training did
        not start: …"), a failed one ``said("Nothing was split: …")``. ``first_words``: the dialog's first sentence,
        kept above each step. False when a search is already running (nothing happens)."""
        from ...engine.runs.split_groups import find_split_groups, labelled_pictures

        if self.busy:
            return False
        project = self.session.project
        if len(labelled_pictures(project)) <= QUICK_PICTURES:
            then(find_split_groups(project))
            return True
        self._then, self._said = then, said
        self._cancelled_words, self._first_words = cancelled_words, first_words
        return self._start_task(lambda progress, cancel: find_split_groups(project, progress, cancel),
                                title=TITLE, label=first_words, on_done=self._found, on_errored=self._failed)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        """The first sentence stays; the step ("Comparing the pictures…") under it."""
        super()._on_progress(done, total, f"{self._first_words}\n{message}" if message else self._first_words)

    def _found(self, groups: list[list[int]]) -> None:
        self._close_dialog()
        then, self._then = self._then, None
        if then is not None:
            then(groups)

    def _failed(self, message: str, _details: str) -> None:
        from ...engine.runs.split_groups import STOPPED

        self._close_dialog()
        said, self._said = self._said, None
        if said is not None:
            said(self._cancelled_words if message == STOPPED
                 else f"Nothing was split: {message[:1].lower()}{message[1:].rstrip('.')}.")


def copies_words(session: ProjectSession, groups: list[list[int]], redraw: str = REDRAW) -> str:
    """After a split: "Kept 14 pairs of near-identical pictures in the same split so the test stays honest." (and
    the groups whose kept splits differ, with ``redraw``); "" without copies."""
    if not groups:
        return ""
    return together_words(together(groups, group_splits(session.project, groups)), redraw)

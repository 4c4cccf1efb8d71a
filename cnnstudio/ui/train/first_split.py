"""The split a first run (the Train page's Start) or a first search (the Tune page's) makes on a project whose
labelled pictures are in no split yet: the copies of a picture found first (:class:`~cnnstudio.ui.data.split_task.
CopyFinder`: at once for a few pictures, else behind a progress dialog that says why it opened), each group kept in
one split, and what was done said in the status bar in the Data page's words (:mod:`.first_split_words`)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QWidget

from ...project.splits import AUTO_SPLIT, AUTO_SPLIT_SEED
from ..data.split_panel import split_counts
from ..data.split_task import CopyFinder, copies_words
from ..session import ProjectSession
from .first_split_words import failed_words, first_words, split_first_words, stopped_words


class FirstSplit:
    """One :class:`CopyFinder` for both pages (one search at a time); ``message`` shows a sentence in the window's
    status bar."""

    def __init__(self, session: ProjectSession, parent: QWidget, message: Callable[[str], None]):
        self.session, self.message = session, message
        self.copies = CopyFinder(session, parent)

    def find(self, page: str, then: Callable[[list[list[int]]], None], said: Callable[[str], None]) -> bool:
        """The groups of copies, then ``then(groups)``; ``page`` ("train" or "tune") words the dialog and what
        ``said`` gets when the search is cancelled ("Training did not start: you stopped the split…") or fails.
        False when a search already runs."""
        stopped = stopped_words(page)
        return self.copies.find(then, lambda text: said(text if text == stopped else failed_words(page, text)),
                                cancelled_words=stopped, first_words=first_words(page))

    def split(self, groups: list[list[int]]) -> None:
        """The split (:data:`AUTO_SPLIT`, each group of copies in one split; a Data page undo step), said."""
        self.session.split(AUTO_SPLIT, AUTO_SPLIT_SEED, False, False, groups)
        counts = split_counts(self.session.summary()["splits"])
        self.message(split_first_words(counts, copies_words(self.session, groups)))

    def split_then(self, page: str, start: Callable[[], bool], said: Callable[[str], None]) -> bool:
        """Split first (copies of a picture in one split: at once, or once they are found), then ``start()``: what
        ``start`` returned when the search ended at once, else False (the start comes later, or never: cancelled or
        failed, said through ``said``, as in :meth:`find`)."""
        started: list[bool] = []

        def then(groups: list[list[int]]) -> None:
            self.split(groups)
            started.append(start())

        self.find(page, then, said)
        return bool(started) and started[0]

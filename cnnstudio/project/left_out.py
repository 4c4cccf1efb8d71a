"""Labelled pictures that training leaves out: those in no split while other pictures have one (pictures imported
after the first split). Before any split nothing is left out: training divides every labelled picture first
(:func:`.splits.needs_auto_split`). One rule and one sentence for every surface that says it (the Data page's health
and import report, ``cnnstudio train``'s note), each with its own next step: the Data page's Split button, or
``cnnstudio split``. Split gives them one and keeps the test pictures (:meth:`.store.Project.assign_splits`: the
others may move between training and validation)."""

from __future__ import annotations

from .counting import counted
from .splits import labelled_unsplit, needs_auto_split

APP_FIX = "press 'Split'"  # the Data page's next step (its Split button, beside the health lines)
CLI_FIX = "run 'cnnstudio split'"  # the command line's


def left_out(counts: dict[int | None, dict[str | None, int]]) -> int:
    """How many labelled pictures training leaves out for having no split, from :meth:`.store.Project.counts`; 0
    while no picture is split yet (training splits them all first)."""
    return 0 if needs_auto_split(counts) else labelled_unsplit(counts)


def left_out_words(n: int, fix: str = APP_FIX) -> str:
    """"800 labelled pictures have no split yet, so training leaves them out: press 'Split' to give them one (it
    keeps your test pictures where they are; the others may move between training and validation)." ``fix``:
    :data:`APP_FIX` or :data:`CLI_FIX`."""
    one = n == 1
    them = "it" if one else "them"
    return (f"{counted(n, 'labelled picture')} {'has' if one else 'have'} no split yet, so training leaves {them} "
            f"out: {fix} to give {them} one (it keeps your test pictures where they are; the others may move between "
            "training and validation).")


__all__ = ["APP_FIX", "CLI_FIX", "left_out", "left_out_words"]

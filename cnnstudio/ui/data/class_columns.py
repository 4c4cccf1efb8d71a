"""Which count columns the class list shows (Qt-free: the rule, tested without a window).

At 1,024 pixels the class list is 244 pixels wide and its counts took all but about 45 of them: class names read
"circle…", "trian…" (QA). The "No split" column says something only while some picture is in no split (before the
first split, a picture imported or taken with the camera since); once every picture has its split it is a column of
zeros, so it steps aside and the names get its room."""

from __future__ import annotations


def no_split_shown(counts: dict, coming: int = 0) -> bool:
    """Whether the "No split" column shows: some picture of ``counts`` (class id -> split -> pictures, the project's
    counts; None for no split) is in no split, or ``coming`` pictures (the camera's, on their way in) will be."""
    return coming > 0 or any(per.get(None, 0) for per in counts.values())


__all__ = ["no_split_shown"]

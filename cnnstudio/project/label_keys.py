"""Which number key labels a picture with which class (the Data page's gallery and its class list's "#" column).

The rule, in the words a user is told:

- A class named by one digit ("0" … "9") has that digit as its key: in the digits sample, 3 labels "3" and 0
  labels "0", wherever the class sits in the list, and adding or moving another class never changes it.
- The other classes take the keys 1–9 that are left, in list order; a class past them has no key.
- 0 takes the label off, unless a class is named "0"; Backspace always takes it off.

Qt-free: the gallery asks :func:`class_for_key`, the class list shows :func:`keys_of`.
"""

from __future__ import annotations

from typing import Sequence

CLEAR = "clear"  # what :func:`class_for_key` answers for a key that takes the label off


def _digit(name: str) -> int | None:
    name = name.strip()
    return int(name) if len(name) == 1 and name in "0123456789" else None


def keys_of(names: Sequence[str]) -> list[int | None]:
    """The number key of each class, in the list's order (None: no key)."""
    named = {_digit(n) for n in names} - {None}
    free = iter(k for k in range(1, 10) if k not in named)
    return [d if (d := _digit(n)) is not None else next(free, None) for n in names]


def class_for_key(names: Sequence[str], key: int) -> int | str | None:
    """What number key ``key`` (0–9) does: the position of the class it gives, :data:`CLEAR`, or None (no class)."""
    keys = keys_of(names)
    if key in keys:
        return keys.index(key)
    return CLEAR if key == 0 else None


def clear_key(names: Sequence[str]) -> str:
    """The key that takes a label off, as the class list's "#" column shows it."""
    return "⌫" if 0 in keys_of(names) else "0"


def no_key_words(names: Sequence[str], key: int) -> str:
    """Why ``key`` did nothing, for the status bar."""
    if not names:
        return f"There is no class with the key {key}: add classes in the panel on the left."
    return f"There is no class with the key {key}: the class list's # column shows each class's key."


def key_range(names: Sequence[str]) -> str:
    """The keys that label, as a hint says them: "1–9", or "0–9" when a class is named "0"."""
    return "0–9" if 0 in keys_of(names) else "1–9"


def key_changes(before: Sequence[tuple[int, str]], after: Sequence[tuple[int, str]]) -> str:
    """What a change of the class list (a class added, renamed, deleted, merged) did to the keys of the classes that
    were there before and still are, as one sentence for the status bar ("" when no key moved): ``before`` and
    ``after`` are the classes as ``(id, name)`` in list order. A class new in ``after`` is not "moved"."""
    old = dict(zip((cid for cid, _ in before), keys_of([name for _, name in before])))
    new = keys_of([name for _, name in after])
    moved = [(name, key) for (cid, name), key in zip(after, new) if cid in old and old[cid] != key]
    if not moved:
        return ""
    parts = [f"“{name}” now has the key {key}" if key is not None else f"“{name}” has no key now (the keys 1–9 are "
             "taken)" for name, key in moved]
    return "Keys changed: " + "; ".join(parts) + "."


__all__ = ["CLEAR", "class_for_key", "clear_key", "key_changes", "key_range", "keys_of", "no_key_words"]

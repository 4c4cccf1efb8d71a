"""Sets that share a member joined into one (stdlib only): what must stay together, in one split (Split's copies,
:func:`cnnstudio.project.splits.stratified_assignment`) or in one fold (the data check's near copies)."""

from __future__ import annotations

from typing import Iterable, Sequence


class Unions:
    """Sets joined one pair of members at a time (union-find), for what joins as it comes (:class:`~.splits.GroupDraw`
    joins a draw's groups class after class); a set's root is its smallest member."""

    def __init__(self) -> None:
        self._parent: dict[int, int] = {}
        self._size: dict[int, int] = {}  # root -> how many members its set has

    def __contains__(self, a: int) -> bool:
        return a in self._parent

    def add(self, a: int) -> None:
        """``a`` as a set of its own, unless it is in one already."""
        if a not in self._parent:
            self._parent[a], self._size[a] = a, 1

    def find(self, a: int) -> int:
        """The root of ``a``'s set (added as a set of its own when new)."""
        self.add(a)
        parent = self._parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(self, a: int, b: int) -> tuple[int, int] | None:
        """Join the sets of ``a`` and ``b``: ``(root kept, root joined into it)``, None when they were one already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        lo, hi = min(ra, rb), max(ra, rb)
        self._parent[hi] = lo
        self._size[lo] += self._size.pop(hi)
        return lo, hi

    def size(self, a: int) -> int:
        """How many members ``a``'s set has."""
        return self._size[self.find(a)]


def joined(sets: Iterable[Sequence[int]]) -> list[list[int]]:
    """Sets that share a member joined into one (union-find), each sorted, the sets sorted: a set's first member is its
    smallest. A set of one member comes back as itself."""
    sets = [list(members) for members in sets]
    unions = Unions()
    for members in sets:
        for m in members[1:]:
            unions.join(members[0], m)
    out: dict[int, list[int]] = {}
    for m in sorted({m for members in sets for m in members}):
        out.setdefault(unions.find(m), []).append(m)
    return sorted(out.values())


__all__ = ["Unions", "joined"]

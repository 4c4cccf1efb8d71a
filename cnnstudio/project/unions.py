"""Sets that share a member joined into one (stdlib only): what must stay together, in one split (Split's copies,
:func:`cnnstudio.project.splits.stratified_assignment`) or in one fold (the data check's near copies)."""

from __future__ import annotations

from typing import Iterable, Sequence


def joined(sets: Iterable[Sequence[int]]) -> list[list[int]]:
    """Sets that share a member joined into one (union-find), each sorted, the sets sorted: a set's first member is its
    smallest. A set of one member comes back as itself."""
    sets = [list(members) for members in sets]
    parent: dict[int, int] = {}

    def find(a: int) -> int:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for members in sets:
        for m in members[1:]:
            ra, rb = find(members[0]), find(m)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    out: dict[int, list[int]] = {}
    for m in sorted({m for members in sets for m in members}):
        out.setdefault(find(m), []).append(m)
    return sorted(out.values())


__all__ = ["joined"]

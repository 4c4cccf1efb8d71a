"""What changed in a project's data since a run was trained, in words (stdlib only): pictures added, removed,
relabelled or moved to another split, and classes that were only renamed.

The run keeps the pictures it trained on by content hash with their class names (dataset.json); the project
has them now. A class renamed since ('blue tri' -> 'triangle') changes every one of its pictures' class name
but relabels none: it is told as a rename, never as "25 images relabelled". A rename is recognised from the
names alone, since a run keeps no class ids: the old name is no class of the project any more, the new name
was no class of the run, and most of the old class's pictures that are still here now carry the new name.
(Deleting a class and labelling the same pictures with a new one reads the same, and means the same.)
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

CHANGED = "the data changed since this model was trained"


def renamed_classes(then: dict[str, tuple[str, str]], now: dict[str, tuple[str, str]],
                    run_classes: Iterable[str], project_classes: Iterable[str]) -> dict[str, str]:
    """``{old name: new name}`` for each class of the run now called otherwise. ``then`` / ``now``: picture hash
    -> (class name, split) in the run and in the project."""
    run_classes, project_classes = set(run_classes), set(project_classes)
    moves: dict[str, Counter] = {}
    for k in then.keys() & now.keys():
        moves.setdefault(then[k][0], Counter())[now[k][0]] += 1
    found: dict[str, str] = {}
    for old, count in sorted(moves.items(), key=lambda m: (-m[1].most_common(1)[0][1], m[0])):  # same every time
        new, n = count.most_common(1)[0]
        if (old not in project_classes and new not in run_classes and new not in found.values()
                and 2 * n > sum(count.values())):
            found[old] = new
    return found


def describe_changes(run_dataset: dict, now: Sequence, project_classes: Iterable[str],
                     unused: Iterable[str] = ()) -> str:
    """The sentence for a run whose data fingerprint differs from the project's: ``run_dataset`` is the run's
    dataset.json, ``now`` the project's entries (``sha256``, ``label_name``, ``split``); ``unused``: the hashes of
    the project's other pictures (no class, no split), so that a run's picture still in the project but left
    without its class (its class deleted) is told as such, not as "removed"."""
    then = {r["sha256"]: (r["label"], r["split"]) for r in run_dataset["images"]}
    cur = {e.sha256: (e.label_name, e.split) for e in now}
    renamed = renamed_classes(then, cur, run_dataset.get("classes") or [], project_classes)
    both = cur.keys() & then.keys()
    same_class = {k for k in both if renamed.get(then[k][0], then[k][0]) == cur[k][0]}
    gone = then.keys() - cur.keys()
    left = gone & set(unused)
    counts = ((len(cur.keys() - then.keys()), "added"), (len(gone - left), "removed"),
              (len(left), "now without a class or a split"),
              (len(both - same_class), "relabelled"),
              (sum(1 for k in same_class if cur[k][1] != then[k][1]), "moved to another split"))
    parts = [f"{n} image{'s' if n != 1 else ''} {what}" for n, what in counts if n]
    names = [f"class '{old}' is now called '{new}' (this model still calls it '{old}')"
             for old, new in renamed.items()]
    if names and not parts:  # only names changed: no picture, no label, no split
        what = "a class name" if len(names) == 1 else "class names"
        return f"{what} changed since this model was trained: " + ", ".join(names)
    return f"{CHANGED}: " + (", ".join(names + parts) or "labels or splits differ")

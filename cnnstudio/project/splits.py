"""Stratified train / val / test assignment, the split-before-training rule, the ratios' rule, what Split does
(:func:`plan_split`: re-split, or take a validation part from train) (pure functions; :func:`carve_validation`
and :func:`apply_split` alone go through a project's public methods)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Sequence

from .unions import Unions

SPLITS = ("train", "val", "test")
#: Training with labelled pictures of which none is split yet splits them first, this way (Train page and
#: ``cnnstudio train`` alike): see :func:`needs_auto_split`.
AUTO_SPLIT = (70, 15, 15)
AUTO_SPLIT_SEED = 0
SPLIT_FOLDER_NAMES = {"train": "train", "training": "train", "val": "val", "valid": "val",
                      "validation": "val", "test": "test", "testing": "test"}


#: How far three percentages may miss 100 (or three fractions 1, by a hundredth of that) and still be taken as
#: a whole split: "33.3,33.3,33.3" is, "33,33,33" (99) is not.
RATIO_ROUNDING = 0.5


def parse_ratios(ratios: Sequence[float] | str, percent: bool = False) -> tuple[float, float, float]:
    """The one rule for split ratios (the Data page's Split refuses the same): three percentages adding up to
    100, ``(70, 15, 15)`` or ``"70,15,15"``, or three fractions adding up to 1, ``(0.7, 0.15, 0.15)``, each sum
    within :data:`RATIO_ROUNDING`; the training part above zero. Returns fractions summing to 1. Anything else
    is refused with one sentence ("ratios add up to 120, not 100"), never scaled to fit. ``percent``: the numbers
    are percentages (the Data page's boxes), so only a sum of 100 is whole: 1 %, 0 %, 0 % is not a fraction's 1."""
    if isinstance(ratios, str):
        try:
            ratios = [float(x) for x in ratios.replace("/", ",").split(",")]
        except ValueError:
            raise ValueError(f"ratios {ratios!r} must be three numbers like 70,15,15") from None
    vals = [float(x) for x in ratios]
    if len(vals) != 3:
        raise ValueError("give three ratios: train, validation, test (for example 70,15,15)")
    if any(v < 0 for v in vals):
        raise ValueError("ratios cannot be negative")
    total = sum(vals)
    if (percent or abs(total - 1) > RATIO_ROUNDING / 100) and abs(total - 100) > RATIO_ROUNDING:
        if not percent and 0 < total < 2 and all(v < 1 for v in vals):  # fractions meant
            raise ValueError(f"ratios add up to {total:g}, not 1: give three fractions that add up to 1, "
                             "like 0.7,0.15,0.15")
        raise ValueError(f"ratios add up to {total:g}, not 100: give three percentages that add up to 100, "
                         "like 70,15,15")
    if vals[0] == 0:
        raise ValueError("the training split cannot be empty: give it a ratio above zero")
    return vals[0] / total, vals[1] / total, vals[2] / total


def target_counts(n: int, ratios: Sequence[float]) -> dict[str, int]:
    """How many of ``n`` images go to each split; every non-empty class keeps at least one train image."""
    train_r, val_r, test_r = parse_ratios(ratios)
    n_val = round(n * val_r)
    n_test = round(n * test_r)
    while n > 0 and n - n_val - n_test < 1:
        if n_test >= n_val and n_test > 0:
            n_test -= 1
        elif n_val > 0:
            n_val -= 1
    return {"train": n - n_val - n_test, "val": n_val, "test": n_test}


def stratified_assignment(free: list[int], fixed: dict[int, str], ratios: Sequence[float],
                          rng: random.Random, groups: Sequence[Sequence[int]] = (),
                          elsewhere: dict[int, str] | None = None) -> dict[int, str]:
    """Assign the ``free`` images of one class so the whole class follows ``ratios``.

    ``fixed`` images (kept test images, folder splits) count toward their split's target but are
    not moved. A split whose fixed images are more than its share (4 kept test pictures, a Test ratio of 0 %)
    keeps them, and the rest of the class is divided among the other splits by their ratios (50/50/0 gives train
    and validation as many each, not validation more). Returns ``{image_id: split}`` for the free images.

    ``groups``: images that must share a split (copies and near copies of one picture; ids of other classes are
    passed over). A group's free images go as one unit; a group with a fixed image takes its split
    (:func:`pinned_split`, which says what a group with fixed images in two splits does), and so does a group with
    an image of another class whose split is known (``elsewhere``: image id -> split, not counted in this class). A
    unit goes to test or validation when that brings the split closer to its target, so pairs keep the ratios within
    a picture. Without groups the draw is the one it always was.
    """
    known = {**(elsewhere or {}), **fixed}
    draw = GroupDraw(groups)
    draw.know([*free, *known])
    draw.place(known)
    return assign_class(free, fixed, ratios, rng, draw)


def assign_class(free: list[int], fixed: dict[int, str], ratios: Sequence[float], rng: random.Random,
                 draw: GroupDraw) -> dict[int, str]:
    """:func:`stratified_assignment` of one class with the groups of a whole draw (:class:`GroupDraw`, which knows
    ``free`` and every picture whose split is known already, with those splits)."""
    n = len(free) + len(fixed)
    target = target_counts(n, ratios)
    out: dict[int, str] = {}
    units = _units(free, draw, out)
    have = {s: 0 for s in SPLITS}
    for split in [*fixed.values(), *out.values()]:
        have[split] += 1
    over = [s for s in SPLITS if have[s] > target[s]]
    if over and "train" not in over:
        share = [0.0 if s in over else r for s, r in zip(SPLITS, parse_ratios(ratios))]
        rest = target_counts(n - sum(have[s] for s in over), [r / sum(share) for r in share])
        target = {s: have[s] if s in over else rest[s] for s in SPLITS}
    need = {s: max(0, target[s] - have[s]) for s in SPLITS}
    rng.shuffle(units)
    for split in ("test", "val"):
        taken, units = _take(units, need[split])
        out.update((iid, split) for unit in taken for iid in unit)
    for unit in units:
        out.update((iid, "train") for iid in unit)
    return out


def _take(units: list[list[int]], need: int, room: float = math.inf) -> tuple[list[list[int]], list[list[int]]]:
    """The one rule of taking units (in their order) into a split that wants ``need`` more pictures: a unit is taken
    when it brings the split closer to that than it was without it, and when it leaves ``room`` above zero (the
    pictures that must stay where they are). Returns the taken units and the rest."""
    taken, rest = [], []
    for unit in units:
        if len(unit) < 2 * need and len(unit) < room:
            need -= len(unit)
            room -= len(unit)
            taken.append(unit)
        else:
            rest.append(unit)
    return taken, rest


def pinned_split(splits: Sequence[str]) -> str:
    """The split of a group's free images when some of its images keep a split (the test split kept, a folder's
    split): theirs. Fixed images in two splits stay where they are (a copy left across splits, which Split says);
    the free ones then go to the first of those in train, val, test, so no further picture of validation or test
    repeats one that training has."""
    return next(s for s in SPLITS if s in splits)


class GroupDraw:
    """``groups`` (pictures that must share a split) for a whole draw, class after class, built once: the pictures
    become known as the draw reaches them (:meth:`know`; a group joins only its known pictures, as it always did) and
    their splits are placed as they are known (:meth:`place`), so that a later class's picture follows its group."""

    def __init__(self, groups: Sequence[Sequence[int]] = ()) -> None:
        self._holding: dict[int, list[Sequence[int]]] = {}  # image -> the groups that hold it
        for g in groups:
            for iid in g:
                self._holding.setdefault(iid, []).append(g)
        self._first: dict[int, int] = {}  # id(group) -> its first known image
        self._known = Unions()  # the known images of the groups, joined
        self._splits: dict[int, set[str]] = {}  # root -> the splits of its placed images

    def know(self, ids) -> None:
        """The pictures ``ids`` join their groups (those in no group are passed over)."""
        for iid in ids:
            if iid not in self._holding or iid in self._known:
                continue
            self._known.add(iid)
            for g in self._holding[iid]:
                roots = self._known.join(self._first.setdefault(id(g), iid), iid)
                if roots:
                    self._splits.setdefault(roots[0], set()).update(self._splits.pop(roots[1], ()))

    def place(self, splits: dict[int, str]) -> None:
        """The known pictures of ``splits`` (image id -> split) have those splits."""
        for iid, split in splits.items():
            if iid in self._known:
                self._splits.setdefault(self._known.find(iid), set()).add(split)

    def root(self, iid: int) -> int | None:
        """The group of known picture ``iid`` (its smallest known picture); None when no other known picture
        shares it."""
        if iid not in self._known or self._known.size(iid) < 2:
            return None
        return self._known.find(iid)

    def splits(self, root: int) -> set[str]:
        """The splits placed in the group ``root``."""
        return self._splits.get(root, set())


def _units(free: list[int], draw: GroupDraw, pinned: dict[int, str]) -> list[list[int]]:
    """``free`` as units to draw, in the order of their first image in ``free``: each group's free images one unit
    (groups sharing an image are one), every other image its own. A group with placed images puts its free ones in
    ``pinned`` (:func:`pinned_split`) instead."""
    units: dict[tuple[str, int], list[int]] = {}
    for iid in free:
        root = draw.root(iid)
        if root is None:
            units[("one", iid)] = [iid]
        elif draw.splits(root):
            pinned[iid] = pinned_split(sorted(draw.splits(root)))
        else:
            units.setdefault(("group", root), []).append(iid)
    return list(units.values())


def labelled_unsplit(counts: dict[int | None, dict[str | None, int]]) -> int:
    """How many labelled images have no split, from :meth:`Project.counts` (class id -> split -> n)."""
    return sum(by_split.get(None, 0) for class_id, by_split in counts.items() if class_id is not None)


def needs_auto_split(counts: dict[int | None, dict[str | None, int]]) -> bool:
    """The rule before training: labelled images and none of the images split yet -> split them
    :data:`AUTO_SPLIT` (seed :data:`AUTO_SPLIT_SEED`) first. Once any image is split, splitting is left
    to the user. ``counts`` as :meth:`Project.counts` gives them."""
    if any(n for by_split in counts.values() for split, n in by_split.items() if split in SPLITS):
        return False
    return labelled_unsplit(counts) > 0


def split_for_added(counts: dict[int | None, dict[str | None, int]]) -> str | None:
    """The split of a picture the user adds with a class from what a model saw (Predict's "Add to dataset", the
    camera): "train" once the project has splits, so that the next training run learns from it (a project split
    already is never split again by itself: :func:`needs_auto_split`); None while nothing is split, so that the
    split before training takes it with the rest. ``counts`` as :meth:`Project.counts` gives them."""
    if any(n for by_split in counts.values() for split, n in by_split.items() if split in SPLITS):
        return "train"
    return None


#: The share of each class's training pictures :func:`carve_validation` moves to validation by default.
CARVE_SHARE = 0.15


def labelled_per_split(counts: dict[int | None, dict[str | None, int]]) -> dict[str, int]:
    """Labelled pictures per split, from :meth:`Project.counts` (or any class id -> split -> n mapping)."""
    return {s: sum(by_split.get(s, 0) for cid, by_split in counts.items() if cid is not None) for s in SPLITS}


#: What a split says when no picture has a class (only labelled pictures are split): the shared start of the Data
#: page's sentence (health.NOTHING_TO_SPLIT) and of ``cnnstudio split``'s, each going on with its own way of giving
#: pictures a class. Never "no class has enough training pictures": the user has labelled nothing yet.
NOTHING_LABELLED = "Nothing to split yet because no picture has a class"


def nothing_labelled(counts: dict[int | None, dict[str | None, int]]) -> bool:
    """Whether no picture has a class, from :meth:`Project.counts`: a split then has nothing to divide, and both Split
    surfaces say :data:`NOTHING_LABELLED` instead of splitting (and instead of :func:`why_no_validation`)."""
    return not any(n for cid, by_split in counts.items() if cid is not None for n in by_split.values())


def needs_validation(counts: dict[int | None, dict[str | None, int]]) -> bool:
    """Labelled pictures in train and test but none in val (a project imported from ``train/`` and ``test/``
    folders only, whose folder splits a re-split keeps): the fix is :func:`carve_validation`, which the Data
    page's Split does by default then and its health warning offers as a button."""
    n = labelled_per_split(counts)
    return n["train"] > 0 and n["test"] > 0 and n["val"] == 0


#: What a split without validation pictures leaves training without: the shared half of every sentence that says
#: so (the dataset health warning, ``cnnstudio split``'s result).
NO_VALIDATION_EFFECT = "training will have nothing to choose the best epoch with"
RESPLIT = "resplit"  # SplitPlan.action: divide the labelled pictures with the ratios (Project.assign_splits)
CARVE = "carve"  # SplitPlan.action: take validation from each class's training pictures (carve_validation)


@dataclass(frozen=True)
class SplitPlan:
    """What Split does, the Data page's button and ``cnnstudio split`` alike: see :func:`plan_split`."""
    action: str  # RESPLIT or CARVE
    ratios: tuple[float, float, float]  # the ratios asked for, as fractions (parse_ratios)
    resplit_test: bool = False  # RESPLIT: draw the test split again too (else its pictures stay, topped up)
    resplit_folders: bool = False  # RESPLIT: draw pictures whose split came from a train/val/test folder again

    @property
    def share(self) -> float:
        """CARVE: the share of each class's training pictures that becomes validation (the validation ratio)."""
        return self.ratios[1]


def plan_split(counts: dict[int | None, dict[str | None, int]], ratios: Sequence[float] | str,
               resplit_test: bool = False, resplit_folders: bool = False, *, ratios_asked: bool = False,
               folder_splits: bool = False) -> SplitPlan:
    """The one rule of Split. Labelled pictures in train and test but none in validation (:func:`needs_validation`:
    a project imported from ``train/`` and ``test/`` folders only, whose splits a re-split keeps, so validation
    would stay empty): the validation ratio's share of each class's training pictures becomes validation, test
    and everything else unchanged (CARVE). Otherwise, or when the validation ratio is 0 or the test or folder
    splits are to be drawn again: a re-split with the ratios, the same share of each class in each split
    (RESPLIT). ``counts`` as :meth:`Project.counts` gives them; ``ratios`` as :func:`parse_ratios` takes them (its
    refusals raised).

    ``ratios_asked``: the user typed these ratios (``cnnstudio split --ratios``). They are then applied (RESPLIT),
    unless ``folder_splits`` (:func:`train_from_folders`: the training pictures keep their ``train/`` folder's
    split, so a re-split would leave validation empty and only carving gives it pictures)."""
    fractions = parse_ratios(ratios)
    carve = (needs_validation(counts) and fractions[1] > 0 and not resplit_test and not resplit_folders
             and (folder_splits or not ratios_asked))
    return SplitPlan(CARVE if carve else RESPLIT, fractions, resplit_test, resplit_folders)


def kept_test_over_share(counts: dict[int | None, dict[str | None, int]], ratios: Sequence[float] | str) -> bool:
    """Whether the test pictures a re-split keeps are more than the test ratio's share of some class (a project split
    70/0/30, re-split 70/15/15): that class's train and validation then get less than the ratios ask, and only
    drawing the test split again (``resplit_test``) gives the ratios. ``counts`` as :meth:`Project.counts` gives
    them, before the split."""
    for class_id, by_split in counts.items():
        if class_id is None:
            continue
        n = sum(k for split, k in by_split.items() if split in SPLITS or split is None)
        if by_split.get("test", 0) > target_counts(n, ratios)["test"]:
            return True
    return False


def kept_test_words(who: str, kept: int, added: int, share: str | None, redraw: str) -> str:
    """What a re-split that kept the test pictures says (never silent: the Data page's Split and ``cnnstudio split``
    alike, each naming itself ``who`` and its way to draw the test split again ``redraw``, "add --resplit-test"):
    "cnnstudio split kept the 12 test pictures you had (unseen by any model, so test scores stay comparable) and added
    2; add --resplit-test to draw the test split again." ``kept``: the test pictures before the split; ``added``: how
    many it added to them; ``share``: the test ratio as the surface writes it ("15%") when the kept pictures are more
    than its share of some class (:func:`kept_test_over_share`), else None."""
    had = f"{who} kept the {kept:,} test picture{'s' if kept != 1 else ''} you had (unseen by any model, so test " \
          "scores stay comparable)"
    if share is not None:
        return (f"{had}; they are more than the {share} test share, so train and validation got less than the ratios "
                f"ask: {redraw} to draw the test split again with them.")
    return f"{had}{f' and added {added:,}' if added else ''}; {redraw} to draw the test split again."


def apply_split(project, plan: SplitPlan, seed: int = AUTO_SPLIT_SEED,
                groups: Sequence[Sequence[int]] = ()) -> dict[str, int]:
    """Do ``plan`` on ``project`` (one transaction) with ``seed``, each of ``groups`` (copies of one picture) kept in
    one split; returns how many pictures each split has after it, as :meth:`Project.assign_splits` does. The Data
    page does the same through its undoable commands."""
    from .records import ImageFilter  # records imports this module

    if plan.action == CARVE:
        carve_validation(project, plan.share, seed, groups)
        return {s: project.count(ImageFilter(split=s)) for s in SPLITS}
    return project.assign_splits(plan.ratios, seed=seed, resplit_test=plan.resplit_test,
                                 resplit_folder_splits=plan.resplit_folders, groups=groups)


NO_VAL_RATIO = "ratio"  # why_no_validation: the validation ratio was 0
NO_VAL_FOLDERS = "folders"  # ... the training pictures keep the split of their train/ folder, and there is no test
NO_VAL_FEW = "few"  # ... no class has training pictures to spare (one each, or a share that rounds to none)


def why_no_validation(plan: SplitPlan, train_from_folders: bool) -> str:
    """Why a split done by ``plan`` left no validation picture, which says what fixes it: NO_VAL_RATIO (give
    validation a share), NO_VAL_FOLDERS (draw the folder splits again: ``train_from_folders``, some labelled
    training pictures' split came from a ``train/`` folder, which a re-split keeps) or NO_VAL_FEW (more pictures per
    class). Both Split surfaces say it after a split that leaves validation empty, each in its own words; a project
    with no labelled picture is :func:`nothing_labelled`'s case, said before any split."""
    if plan.ratios[1] == 0:
        return NO_VAL_RATIO
    if plan.action == RESPLIT and train_from_folders and not plan.resplit_folders:
        return NO_VAL_FOLDERS
    return NO_VAL_FEW


def train_from_folders(project) -> bool:
    """Whether some labelled training picture's split came from a ``train/`` folder (kept by a re-split)."""
    from .records import ImageFilter  # records imports this module

    return any(r.split_source == "folder" and r.class_id is not None
               for r in project.records(project.ids(ImageFilter(split="train"))))


def choose_validation(train_by_class: dict[int, Sequence[int]], share: float = CARVE_SHARE,
                      seed: int = AUTO_SPLIT_SEED, groups: Sequence[Sequence[int]] = ()) -> list[int]:
    """Which training pictures go to validation: per class (stratified), seeded, ``round(share * n)`` of its
    ``n`` pictures, at least one, and never the class's last one (a class of one gives none). Sorted ids.
    ``groups`` (copies of one picture) go as a unit, taken when that brings the class closer to its share; a group's
    pictures of a later class follow the earlier class's choice. Without groups, the choice it always was."""
    if not 0 < share < 1:
        raise ValueError(f"the validation share must be between 0 and 1, not {share!r}")
    out: list[int] = []
    draw = GroupDraw(groups)
    for cid in sorted(train_by_class):
        ids = sorted(train_by_class[cid])
        draw.know(ids)
        pinned: dict[int, str] = {}
        units = _units(ids, draw, pinned) if len(ids) >= 2 else []
        random.Random(f"{seed}:{cid}").shuffle(units)
        chosen = [i for i, split in pinned.items() if split == "val"]
        need = min(len(ids) - 1, max(1, round(share * len(ids)))) - len(chosen)
        taken, _ = _take(units, need, room=len(ids) - len(chosen))  # a training picture of the class stays
        chosen += [i for unit in taken for i in unit]
        val = set(chosen)
        draw.place({i: "val" if i in val else "train" for i in ids})
        out += chosen
    return sorted(out)


def carve_validation(project, share: float = CARVE_SHARE, seed: int = AUTO_SPLIT_SEED,
                     groups: Sequence[Sequence[int]] = ()) -> dict:
    """Move :func:`choose_validation` of the project's labelled training pictures to val in one transaction (each of
    ``groups`` as a unit); test and everything else stay. Returns the moved pictures' previous (split, source), which
    :meth:`Project.restore_splits` puts back (undo); ``{}`` when nothing moved."""
    from .records import ImageFilter  # records imports this module

    by_class: dict[int, list[int]] = {}
    for r in project.records(project.ids(ImageFilter(split="train"))):
        if r.class_id is not None:
            by_class.setdefault(r.class_id, []).append(r.id)
    chosen = choose_validation(by_class, share, seed, groups)
    return project.set_split(chosen, "val") if chosen else {}

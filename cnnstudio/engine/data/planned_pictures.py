"""How many pictures a run would train and be validated on, counted before Start from the project's counts: the
one rule. Torch-free.

It counts what a run then does with the pictures themselves, so that what the pages say beforehand and what the
run does agree:

- nothing split yet (:func:`~cnnstudio.project.splits.needs_auto_split`): Start splits each class
  :data:`~cnnstudio.project.splits.AUTO_SPLIT` first (:func:`~cnnstudio.project.splits.target_counts`, per class:
  a class of 3 pictures keeps all 3 for training);
- then the validation split's labelled pictures; when it has none, the run holds part of each class's training
  pictures out for itself (:func:`~cnnstudio.engine.data.entries.hold_out_validation`, counted by
  :func:`~cnnstudio.project.hold_out.held_out_count`: 15 %, at least one, none from a class of fewer than 5).

Read by the Train page's Auto estimate (``settings.planned_pictures``), by whether a search can compare its trials
(``tune.validation_pictures.too_few_for_validation``), by whether a search's final run on every training
picture applies (``ui.tune.search_blocker.final_run_applies``: only when its trials hold pictures out) and, class by
class (``per_class``), by whether the default recipe's Start will try transfer learning too
(``runs.recipe.compares``: the median class's training pictures).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...project.splits import AUTO_SPLIT, needs_auto_split, target_counts
from ...project.hold_out import held_out_count


@dataclass(frozen=True)
class PlannedPictures:
    """What a new run of the project would use (validation on)."""
    train: int  # pictures it trains on (the held-out ones not counted)
    val: int  # pictures it is validated on: the validation split's, else the held-out ones (0: none at all)
    held_out: int  # of ``val``, those held out of the training pictures for the run only (0 with a validation split)
    per_class: tuple[int, ...] = ()  # ``train`` class by class: each labelled class's, in the order of ``counts``

    @property
    def train_without_validation(self) -> int:
        """The pictures a run with validation switched off trains on: nothing is held out then."""
        return self.train + self.held_out


def planned_pictures(counts: dict) -> PlannedPictures:
    """The pictures a new run would train and be validated on (see the module doc). ``counts``: class id (None:
    unlabelled) -> split (None: no split) -> pictures, as ``Project.counts()`` gives them; unlabelled pictures are
    never trained or validated on."""
    labelled = [per for cid, per in counts.items() if cid is not None]
    if needs_auto_split(counts):
        per_class = [target_counts(sum(per.values()), AUTO_SPLIT) for per in labelled]
    else:
        per_class = labelled
    train = [per.get("train", 0) for per in per_class]
    val = sum(per.get("val", 0) for per in per_class)
    if val:
        return PlannedPictures(sum(train), val, 0, tuple(train))
    kept = [n - held_out_count(n) for n in train]
    held = sum(train) - sum(kept)
    return PlannedPictures(sum(kept), held, held, tuple(kept))

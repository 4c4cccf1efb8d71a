"""Whether a search can compare its trials: the validation pictures a trial would be scored on. Qt-free, torch-free.

A search ranks its trials by validation accuracy. A trial is an ordinary run, so it is validated on the project's
validation split, or, when that is empty, on the pictures a run holds out of the training ones
(:func:`cnnstudio.engine.data.entries.hold_out_validation`: only classes with
:data:`~cnnstudio.project.hold_out.HOLD_OUT_MIN_CLASS` training pictures or more give some). A project too small
for either cannot be searched: every trial would fail "no validation accuracy". How many there would be is the one
rule of :func:`cnnstudio.engine.data.planned_pictures.planned_pictures` (the Train page's Auto estimate counts with
it too).

One rule, said in one neutral sentence (:data:`TOO_FEW_FOR_VALIDATION`; each surface adds its own next step: the
Tune page's "Add pictures on the Data page.", ``cnnstudio tune``'s "add pictures with 'cnnstudio import'"), read in
two places:

- :func:`too_few_for_validation` from the project's counts (``Project.counts()``), as they are before Start: the
  Tune page's ``search_blocker`` asks it before a search starts (unsplit pictures counted as Start splits them),
  and ``cnnstudio tune`` before it splits a project;
- :func:`cnnstudio.engine.tune.study.prepare` from the run's own plan, so a search refuses the same project
  before anything is written.
"""

from __future__ import annotations

from ..data.planned_pictures import planned_pictures

#: Why a search cannot start (or had to stop) on a project too small to keep validation pictures aside.
TOO_FEW_FOR_VALIDATION = ("This project has too few pictures to keep some aside for validation, which a search needs "
                          "to compare its trials.")


def too_few_for_validation(counts: dict) -> str:
    """:data:`TOO_FEW_FOR_VALIDATION` when a search on this project could not score its trials (``counts`` as
    ``Project.counts()``: no validation picture planned), else "" (also without any labelled picture: the Train
    page's rule says that first)."""
    return TOO_FEW_FOR_VALIDATION if labelled_any(counts) and not planned_pictures(counts).val else ""


def labelled_any(counts: dict) -> bool:
    return any(n for cid, per in counts.items() if cid is not None for n in per.values())

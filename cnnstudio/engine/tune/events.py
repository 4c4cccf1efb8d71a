"""What a study tells its consumer (the CLI's progress lines, the Tune page), as small dataclasses.

They go through the GUI's child process as JSON lines (:func:`to_json` / :func:`from_json`), like the
trainer's events do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..events import event_from_json, event_to_json



@dataclass(frozen=True)
class StudyStarted:
    study: str
    storage: str  # where the study lives, for people (a path or a URL without its password)
    space: dict
    objective: str  # accuracy | accuracy+size
    pruning: bool
    trials_before: int  # trials the study already had (Continue)
    note: str = ""  # what the search leaves out of the space asked (space.batch_cap), one sentence, or ""


@dataclass(frozen=True)
class TrialStarted:
    number: int
    run_id: str
    params: dict


@dataclass(frozen=True)
class TrialEpoch:
    number: int
    run_id: str
    epoch: int
    epochs: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float


@dataclass(frozen=True)
class TrialEnded:
    number: int
    run_id: str
    state: str  # complete | pruned | failed
    val_accuracy: float  # the best epoch's (nan when none)
    val_loss: float
    parameters: int  # the model's size
    seconds: float
    params: dict = field(default_factory=dict)
    reason: str = ""  # why a trial failed or stopped early ("time limit", "stopped", the error)
    stopped: bool = False  # failed for Optuna, but stopped from outside (results.STOPPED_REASONS), not by itself


@dataclass(frozen=True)
class FinalStarted:
    """The best trial's settings start training on every training picture (:mod:`.final`)."""
    run_id: str
    trial: int  # the trial whose settings and design it trains
    epochs: int
    train_images: int  # all the project's training pictures (the trials held some out for validation)


@dataclass(frozen=True)
class FinalEpoch:
    run_id: str
    epoch: int
    epochs: int
    train_loss: float
    train_accuracy: float


@dataclass(frozen=True)
class FinalEnded:
    run_id: str
    trial: int
    state: str  # finished | stopped | failed
    test_accuracy: float  # measured once, at its end (nan when it did not finish)
    seconds: float
    reason: str = ""  # why it stopped or failed


@dataclass(frozen=True)
class StudyEnded:
    reason: str  # trials | time | stopped | failing (its trials kept failing: summary["ended_why"] says why)
    summary: dict  # :func:`cnnstudio.engine.tune.results.summarize`


TUNE_EVENTS = (StudyStarted, TrialStarted, TrialEpoch, TrialEnded, FinalStarted, FinalEpoch, FinalEnded, StudyEnded)
_BY_NAME = {c.__name__: c for c in TUNE_EVENTS}


def to_json(ev) -> dict:
    return event_to_json(ev)


def from_json(d: dict):
    """The event :func:`to_json` wrote, or ``None`` for anything else."""
    return event_from_json(d, _BY_NAME)

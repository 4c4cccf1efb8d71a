"""What the trainer tells the world: small frozen dataclasses of ints, floats and strings, never tensors.

The CLI, the tests and the GUI worker iterate the same generator (:func:`cnnstudio.engine.train.trainer.fit`
or :func:`cnnstudio.engine.runs.lifecycle.train`) and look at these. A missing number (validation accuracy when
there is no validation split) is ``float('nan')``, which plots as a gap; :func:`event_to_json` writes it
as ``null``.

Order of one run::

    [DataProgress...] RunStarted (BatchEnd... EpochEnd [CheckpointSaved])... RunFinished | RunStopped | RunFailed

(:class:`CheckpointSaved` after the epochs whose checkpoint was written: the first, then at most every 20 seconds,
and the last; :mod:`cnnstudio.engine.train.saving`.)

A run asked for an early look (``fit(..., early_check=f)``: the search does, :mod:`cnnstudio.engine.tune.study`)
also sends one :class:`ValCheck` among the first epoch's BatchEnd events.

Exactly one of the three terminal events is always last.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

NAN = float("nan")


@dataclass(frozen=True)
class DataProgress:
    """Decoding the pictures into tensors (once; later runs read the cache)."""
    done: int
    total: int
    message: str = ""


@dataclass(frozen=True)
class RunStarted:
    run_id: str
    epochs: int  # total epochs planned
    start_epoch: int  # 1 for a new run, later when resuming
    batches_per_epoch: int
    train_images: int
    val_images: int
    device: str  # a readable name
    threads: int
    parameters: int
    precision: str = "fp32"  # fp32 | bf16 | fp16 (mixed precision on a CUDA card: engine/train/precision.py)
    speed_notes: str = ""  # what was done for speed, in words: "channels_last; compiled (12.1 s); batch 512 (Auto ...)"


@dataclass(frozen=True)
class BatchEnd:
    """Sent every few batches (at most ~10 per second) and at the end of every epoch.

    ``loss`` and ``accuracy`` are the means over the batches since the previous BatchEnd.
    """
    epoch: int  # 1-based
    batch: int  # 1-based, within the epoch
    batches: int
    loss: float
    accuracy: float
    lr: float
    images_per_second: float


@dataclass(frozen=True)
class EpochEnd:
    epoch: int
    epochs: int
    train_loss: float
    train_accuracy: float
    val_loss: float  # nan without a validation split
    val_accuracy: float  # nan without a validation split
    elapsed: float  # seconds of training so far in this run (all sessions)
    eta: float  # seconds left, estimated
    is_best: bool
    lr: float = NAN
    images_per_second: float = NAN


@dataclass(frozen=True)
class ValCheck:
    """The validation pictures scored once part-way through the first epoch, when the run was asked to
    (``early_check``): the search judges a trial there, so a hopeless one stops before its first epoch ends.
    Not a point of the curves: the epoch's own :class:`EpochEnd` follows as usual."""
    epoch: int
    batch: int  # after this many batches of the epoch
    batches: int
    val_loss: float
    val_accuracy: float


@dataclass(frozen=True)
class CheckpointSaved:
    epoch: int
    path: str


@dataclass(frozen=True)
class RunFinished:
    run_id: str
    epochs: int  # epochs actually trained
    best_epoch: int
    best_val_accuracy: float  # nan without a validation split
    train_seconds: float
    images_per_second: float
    reason: str = "completed"  # "completed" | "early_stopping"
    test_accuracy: float = NAN  # filled by the run layer after evaluation
    model_path: str = ""
    peak_gpu_memory_gb: float = NAN  # a CUDA run's most memory in use on the card while training (GiB); nan elsewhere
    note: str = ""  # a sentence the run's end says as it is: a frozen backbone's fine-tuning that did not beat its head


@dataclass(frozen=True)
class RunStopped:
    run_id: str
    epoch: int  # last completed epoch (0: none); resuming continues after it
    best_epoch: int
    reason: str = "stopped by the user"
    model_path: str = ""


@dataclass(frozen=True)
class RunFailed:
    run_id: str
    epoch: int
    reason: str  # what happened, one sentence
    advice: str = ""  # what to do about it
    details: str = ""  # a traceback for bug reports, empty for expected failures


Event = DataProgress | RunStarted | BatchEnd | EpochEnd | CheckpointSaved | RunFinished | RunStopped | RunFailed
TERMINAL = (RunFinished, RunStopped, RunFailed)


_BY_NAME = {cls.__name__: cls for cls in (DataProgress, RunStarted, BatchEnd, EpochEnd, ValCheck, CheckpointSaved,
                                           RunFinished, RunStopped, RunFailed)}


def event_to_json(ev) -> dict:
    """``{"event": "EpochEnd", ...fields}`` with NaN/inf written as null (valid JSON)."""
    d = {"event": type(ev).__name__}
    for k, v in asdict(ev).items():
        d[k] = None if isinstance(v, float) and not math.isfinite(v) else v
    return d


def event_from_json(d: dict, kinds: dict[str, type] | None = None):
    """The event :func:`event_to_json` wrote (``null`` floats back to NaN); ``None`` for an unknown type.
    ``kinds``: the event classes by name (default: the trainer's; the tuner passes its own).

    Fields the writer did not know (an older sender) keep their defaults; fields this version does not
    know (a newer sender) are ignored.
    """
    cls = (_BY_NAME if kinds is None else kinds).get(d.get("event")) if isinstance(d, dict) else None
    if cls is None:
        return None
    kw = {}
    for f in fields(cls):
        if f.name in d:
            v = d[f.name]
            kw[f.name] = NAN if v is None and f.type == "float" else v
    try:
        return cls(**kw)
    except TypeError:  # a required field is missing
        return None

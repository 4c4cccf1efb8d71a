"""Training settings (one JSON-able dataclass) and the default recipe.

:class:`TrainSettings` is everything a run needs besides the data and the architecture: loss,
optimiser, learning-rate schedule, batch size, epochs, early stopping, validation on or off, seed, device,
threads, augmentation and preprocessing. It is stored in every run's ``config.json``.

The default recipe (:func:`default_settings`, used by ``cnnstudio train DIR`` with no options and by
the GUI's "Train" button) aims at a good model within about a minute on a laptop CPU:

- the ``default`` preset architecture (see :mod:`cnnstudio.engine.model.presets`);
- AdamW + one-cycle learning rate (warm up for 30% of the steps, then cosine down): fast and forgiving;
- label smoothing 0.1, weight decay 5e-4 (no decay on biases and normalisation layers);
- ``epochs = 0``: the trainer times a few batches first and picks the number of epochs that fits
  ``time_budget_s`` (between ``min_epochs`` and ``max_epochs``), because one-cycle needs to know the
  length of the run in advance;
- augmentation that is safe for almost any picture: small rotation (10 degrees), small shift (10%) and
  zoom (0.9-1.1). No flips: a mirrored 2, b, arrow or left hand is a different thing; turn flips on for
  photos that keep their meaning mirrored. No colour jitter by default: colour may be what tells classes
  apart.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..data.augment import AugmentSettings
from ..errors import EngineError
from ..data.preprocess import Preprocess
from ..model.cost import DEFAULT_BATCH_SIZE

OPTIMIZERS = ("adam", "adamw", "sgd")
SCHEDULES = ("constant", "cosine", "one_cycle")
CLASS_WEIGHTS = ("none", "balanced")
DEFAULT_PRESET = "default"


class SettingsError(EngineError):
    """Training settings out of range or of the wrong type. ``key``: the setting a range check refused ("lr"), and
    ``rule`` what it must be ("must be a number from 1e-12 to 1e+09, not -1"), so that a command can say it of the
    option the value came from ("--lr must be ..."); both "" for other errors."""

    def __init__(self, message: str, key: str = "", rule: str = ""):
        super().__init__(message)
        self.key, self.rule = key, rule


def _check_number(name: str, v: Any, lo: float, hi: float, integer: bool = False) -> None:
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and (not integer or isinstance(v, int))
    if not ok or not (lo <= v <= hi) or (isinstance(v, float) and math.isnan(v)):
        kind = "a whole number" if integer else "a number"
        bounds = (f"{int(lo)} to {int(hi)}" if integer else f"{lo:g} to {hi:g}")  # a seed's 2**63 - 1 in full
        rule = f"must be {kind} from {bounds}, not {v!r}"
        raise SettingsError(f"'{name}' {rule}", key=name, rule=rule)


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 10  # 0: choose from time_budget_s
    time_budget_s: float = 50.0  # only used when epochs == 0
    min_epochs: int = 3
    max_epochs: int = 60
    batch_size: int = DEFAULT_BATCH_SIZE  # the one the Model page's memory estimate counts (model/cost.py)
    optimizer: str = "adamw"  # adam | adamw | sgd
    lr: float = 1e-3  # the peak learning rate for one_cycle
    momentum: float = 0.9  # sgd only
    weight_decay: float = 1e-4
    schedule: str = "one_cycle"  # constant | cosine | one_cycle
    label_smoothing: float = 0.0
    class_weights: str = "none"  # none | balanced (inverse class frequency, for imbalanced data)
    early_stopping_patience: int = 0  # stop after this many epochs without a better model; 0: off
    # False: no validation at all: nothing held out, the last epoch is kept, no early stopping (``--no-val``)
    validation: bool = True
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda | cuda:N | mps
    threads: int = 0  # CPU threads; 0: the number of physical cores
    channels_last: str = "auto"  # auto (on for conv nets on the CPU) | on | off
    eval_batch_size: int = 256
    # on a CUDA card: bf16 autocast (fp16 + a gradient scaler on older cards); never on the CPU (precision.py)
    mixed_precision: bool = True
    # torch.compile the step: auto (on a CUDA card for runs long enough to repay it) | on | off (compiled.py)
    compile: str = "auto"
    # on a CUDA card: the largest batch that fits, learning rate scaled with it (batch_size.py); CPU: batch_size
    auto_batch_size: bool = False
    # with a pretrained backbone: after the head, fine-tune the whole network for this many epochs (0: off)
    fine_tune_epochs: int = 0
    fine_tune_lr_factor: float = 0.1  # the fine-tuning learning rate is lr times this
    augment: AugmentSettings = field(default_factory=AugmentSettings)
    preprocess: Preprocess = field(default_factory=Preprocess)

    def __post_init__(self) -> None:
        _check_number("epochs", self.epochs, 0, 100000, integer=True)
        _check_number("time_budget_s", self.time_budget_s, 1, 10**7)
        _check_number("min_epochs", self.min_epochs, 1, 100000, integer=True)
        _check_number("max_epochs", self.max_epochs, self.min_epochs, 100000, integer=True)
        _check_number("batch_size", self.batch_size, 1, 65536, integer=True)
        _check_number("eval_batch_size", self.eval_batch_size, 1, 65536, integer=True)
        _check_number("lr", self.lr, 1e-12, 1e9)
        _check_number("momentum", self.momentum, 0, 0.9999)
        _check_number("weight_decay", self.weight_decay, 0, 10)
        _check_number("label_smoothing", self.label_smoothing, 0, 0.99)
        _check_number("early_stopping_patience", self.early_stopping_patience, 0, 100000, integer=True)
        _check_number("seed", self.seed, 0, 2**63 - 1, integer=True)
        _check_number("threads", self.threads, 0, 1024, integer=True)
        _check_number("fine_tune_epochs", self.fine_tune_epochs, 0, 100000, integer=True)
        _check_number("fine_tune_lr_factor", self.fine_tune_lr_factor, 1e-6, 1)
        if self.optimizer not in OPTIMIZERS:
            raise SettingsError(f"unknown optimizer {self.optimizer!r}: use {', '.join(OPTIMIZERS)}")
        if self.schedule not in SCHEDULES:
            raise SettingsError(f"unknown schedule {self.schedule!r}: use {', '.join(SCHEDULES)}")
        if self.class_weights not in CLASS_WEIGHTS:
            raise SettingsError(f"class_weights must be one of {', '.join(CLASS_WEIGHTS)}")
        if self.channels_last not in ("auto", "on", "off"):
            raise SettingsError("channels_last must be auto, on or off")
        for name in ("validation", "mixed_precision", "auto_batch_size"):
            if not isinstance(getattr(self, name), bool):
                raise SettingsError(f"'{name}' must be true or false, not {getattr(self, name)!r}")
        if self.compile not in ("auto", "on", "off"):
            raise SettingsError("compile must be auto, on or off")
        if not isinstance(self.device, str) or not self.device:
            raise SettingsError("device must be auto, cpu, cuda or mps")
        if not isinstance(self.augment, AugmentSettings) or not isinstance(self.preprocess, Preprocess):
            raise SettingsError("augment and preprocess must be AugmentSettings and Preprocess")

    def to_json(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if k not in ("augment", "preprocess")}
        d["augment"] = self.augment.to_json()
        d["preprocess"] = self.preprocess.to_json()
        return d

    @classmethod
    def from_json(cls, d: dict, preprocess: "Preprocess | None" = None) -> "TrainSettings":
        """Settings from JSON (a run's config, a --settings file). ``preprocess``: the pictures' size and colours
        to use when ``d`` does not say (a file holding only {"epochs": 1} trains at the size the project's
        pictures suggest, as no file at all does, not at the default 28 x 28 grey)."""
        if not isinstance(d, dict):
            raise SettingsError("training settings must be a JSON object")
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise SettingsError(f"unknown training setting(s): {', '.join(sorted(unknown))}")
        kw = dict(d)
        if "augment" in kw:
            kw["augment"] = AugmentSettings.from_json(kw["augment"])
        if "preprocess" in kw:
            kw["preprocess"] = Preprocess.from_json(kw["preprocess"])
        elif preprocess is not None:
            kw["preprocess"] = preprocess
        try:
            return cls(**kw)
        except TypeError as e:
            raise SettingsError(f"bad training settings: {e}") from None

    def replace(self, **changes) -> "TrainSettings":
        return replace(self, **changes)


# -- Auto: how many epochs (epochs == 0) -----------------------------------------------------------------
VAL_COST = 1 / 3  # scoring a validation picture costs about a third of training on one (no backward pass)


def _epoch_seconds(train_images: int, val_images: int, images_per_second: float) -> float:
    if not images_per_second > 0:
        return math.inf
    return train_images / images_per_second + val_images * VAL_COST / images_per_second


FAST_DEVICE_EPOCH_FACTOR = 5


def epoch_cap(settings: TrainSettings, device_type: str = "cpu") -> int:
    """The most epochs Auto trains: ``max_epochs`` on the CPU and Apple's MPS; on a CUDA card up to
    :data:`FAST_DEVICE_EPOCH_FACTOR` times as many, so the time budget buys a better model rather than the
    same model sooner (the default recipe's 40 epochs of 4,000 MNIST digits took 12 s of its 50 on an H200)."""
    return settings.max_epochs * (FAST_DEVICE_EPOCH_FACTOR if device_type == "cuda" else 1)


def auto_epochs(settings: TrainSettings, train_images: int, val_images: int, images_per_second: float,
                device_type: str = "cpu") -> int:
    """The number of epochs Auto trains (the trainer's rule, after timing a few batches): as many as fit in
    ``time_budget_s`` at ``images_per_second``, between ``min_epochs`` and :func:`epoch_cap`."""
    cap = epoch_cap(settings, device_type)
    per_epoch = _epoch_seconds(train_images, val_images, images_per_second)
    epochs = int(settings.time_budget_s / per_epoch) if per_epoch > 0 else cap
    return max(settings.min_epochs, min(cap, epochs))


def auto_text(settings: TrainSettings, train_images: int, val_images: int, images_per_second: float | None,
              device_type: str = "cpu") -> str:
    """What Auto will do, said before Start: "about 40 epochs, ~10 s" from a speed measured before (a run's
    pictures per second), or the rule itself when no speed is known yet. ``device_type``: where the run will
    train (a CUDA card allows more epochs: :func:`epoch_cap`).

    Only an estimate, and it says so: Start times a few training steps of its own (``Trainer.probe``) and the
    rule decides from that speed, which is not the speed a run reports (that counts every batch of every epoch,
    the slow first ones too; the timed steps are often two or three times faster). So the words give the range
    the rule keeps to, and a run of 12 epochs after "about 4" is what they said could happen."""
    cap = epoch_cap(settings, device_type)
    budget = f"about {settings.time_budget_s:.0f} s"
    if not (isinstance(images_per_second, (int, float)) and images_per_second > 0 and train_images > 0):
        return (f"Auto: as many epochs as fit in {budget} ({settings.min_epochs} to {cap}), "
                "chosen after timing a few batches.")
    epochs = auto_epochs(settings, train_images, val_images, images_per_second, device_type)
    seconds = epochs * _epoch_seconds(train_images, val_images, images_per_second)
    why = (" (the most Auto trains: your pictures are quick to learn from)" if epochs == cap
           else " (the fewest Auto trains)" if epochs == settings.min_epochs and seconds > settings.time_budget_s
           else "")
    took = f"~{seconds:.0f} s" if seconds < 90 else f"~{seconds / 60:.0f} min"
    return (f"Auto: about {epochs} epochs, {took}{why}, at the speed of your last run "
            f"({images_per_second:,.0f} pictures/s). An estimate: Start times a few batches first and then "
            f"decides, so it may train more or fewer ({settings.min_epochs} to {cap}).")


SHORT_SHARE = 0.2  # an Auto run that trained its epochs in less than this share of its time budget says so


def device_kind(name: str) -> str:
    """The kind of device ("cpu", "mps" or "cuda") a run's record names (``device_name``'s words: "CPU (2 threads)",
    "Apple GPU (Metal)", else a graphics card's name), for :func:`epoch_cap`."""
    text = str(name or "")
    return "cpu" if not text or text.startswith("CPU") else "mps" if text.startswith("Apple") else "cuda"


def auto_fell_short(settings: TrainSettings, epochs: int, seconds: float, device_type: str = "cpu") -> int | None:
    """For an Auto run (``settings.epochs == 0``) that trained all the ``epochs`` it chose in ``seconds``, less than
    :data:`SHORT_SHARE` of its time budget: the epochs that fit the budget at the pace it really trained (more than it
    chose, at most :func:`epoch_cap`). Auto decides from a few timed steps before the run, and one slow timing (other
    programs busy at that moment) once chose 6 epochs that took 5 s of a 50 s budget. None otherwise: a run told its
    epochs, one at Auto's cap (its pictures are quick to learn from), one that used its time."""
    if settings.epochs != 0 or not (epochs > 0 and 0 < seconds < SHORT_SHARE * settings.time_budget_s):
        return None
    cap = epoch_cap(settings, device_type)
    fit = min(cap, int(epochs * settings.time_budget_s / seconds))
    return fit if epochs < cap and fit > epochs else None


def auto_short_words(settings: TrainSettings, epochs: int, seconds: float, device_type: str = "cpu") -> str:
    """:func:`auto_fell_short` in one sentence for the end of a run ("" when it does not apply): "Auto chose 6 epochs
    after a slow first timing: they took 5.0 s of the about 50 s it may use, and about 40 fit at this run's pace." The
    window and the terminal each add their own way to train that many."""
    fit = auto_fell_short(settings, epochs, seconds, device_type)
    if fit is None:
        return ""
    took = f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    return (f"Auto chose {epochs} epochs after a slow first timing: they took {took} of the about "
            f"{settings.time_budget_s:.0f} s it may use, and about {fit} fit at this run's pace.")


def planned_pictures(counts: dict, validation: bool = True) -> tuple[int, int]:
    """About how many pictures a new run would train and validate on, from the project's counts per class and
    split (``Project.counts()``): the one rule, :func:`cnnstudio.engine.data.planned_pictures.planned_pictures`
    (unsplit pictures split the way Start splits them; without validation pictures, the share a run holds out of
    each class's training ones). ``validation`` off: every training picture, none validated on."""
    from ..data.planned_pictures import planned_pictures as planned

    p = planned(counts)
    return (p.train, p.val) if validation else (p.train_without_validation, 0)


SAFE_AUGMENT = AugmentSettings(rotation=10.0, translate=0.1, scale_min=0.9, scale_max=1.1)


def default_settings(preprocess: Preprocess | None = None) -> TrainSettings:
    """The default recipe (see the module doc)."""
    return TrainSettings(
        epochs=0, time_budget_s=50.0, min_epochs=3, max_epochs=40,
        batch_size=DEFAULT_BATCH_SIZE, optimizer="adamw", lr=3e-3, weight_decay=5e-4, schedule="one_cycle",
        label_smoothing=0.1, augment=SAFE_AUGMENT,
        preprocess=preprocess or Preprocess(normalization="dataset"),
    )


def suggest_preprocess(project, sample: int = 200) -> Preprocess:
    """Input size and channels that suit a project's pictures (used when the user chose none).

    Grey when every sampled picture is grey, else colour. Side: the median shorter side, kept between
    16 and 64 pixels (small is fast on a CPU; 28x28 digits stay 28x28), rounded to a multiple of 4.
    """
    from PIL import Image

    from ...project.records import ImageFilter

    ids = project.ids(ImageFilter(split="train")) or project.ids(ImageFilter())
    step = max(1, len(ids) // sample)
    records = project.records(ids[::step][:sample])
    if not records:
        return Preprocess(normalization="dataset")
    grey = True
    for r in records:
        try:
            with Image.open(project.root / r.file) as im:
                if im.mode not in ("1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"):
                    if im.mode == "P" and all(
                            c[0] == c[1] == c[2] for c in _palette(im)):
                        continue
                    grey = False
                    break
        except OSError:
            continue
    sides = [min(r.width, r.height) for r in records if r.width and r.height]
    side = int(statistics.median(sides)) if sides else 28
    side = max(16, min(64, int(round(side / 4.0)) * 4))
    return Preprocess(height=side, width=side, channels=1 if grey else 3, normalization="dataset")


def _palette(im) -> list[tuple[int, int, int]]:
    pal = im.getpalette() or []
    return [tuple(pal[i:i + 3]) for i in range(0, len(pal), 3)]

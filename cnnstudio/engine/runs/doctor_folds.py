"""The data check's label fallback: the project's own design, trained briefly on each fold's other folds.

Without a pretrained backbone's features (:mod:`cnnstudio.engine.runs.doctor`), the wrong-label check asks the
design stored for the Model page (:mod:`.saved_pages`: its layers and its input settings; the
``default`` preset made for the pictures' suggested size when the page never stored one, as the page itself
shows) for out-of-sample probabilities: for each of the K folds, the design is built afresh (seeded) and trained
by the ordinary trainer (:func:`~cnnstudio.engine.train.trainer.fit`: the batched uint8 tensor pipeline, the
default recipe's optimiser, schedule and label smoothing, no augmentation, no validation) on the other K-1
folds, then predicts the held-out fold.

Budget: each fold's model sees from :data:`MIN_SEEN` to :data:`MAX_SEEN` training pictures (epochs of its
K-1 folds; a small project trains more epochs, 4,000 training pictures or more train one). In between, the
trainer's Auto rule (:func:`~cnnstudio.engine.train.settings.auto_epochs`) picks in the first fold, after
timing a few batches, as many epochs as fit in :data:`FOLD_SECONDS`; the other folds train as many, so every
picture is scored by an equally trained model.

Measured (benchmarks' MNIST, 5,000 28 x 28 digits, 10 % of the labels changed, 2 CPU cores shared with other
work, the ``default`` design, one epoch of 4,000 pictures per fold): a fold (train 4,000, predict 1,000) took
6 s when the cores were quiet, the same as the trainer alone on 4,000 pictures (505-662 pictures/s), and 9 to
45 s under load (80-250 pictures/s). Quiet, the whole first check is about 50 s, under the issue's 60 s: at
most ~18 s before the labels (decoding, duplicates, quality: 18 s observed under load), 5 x 6 s of folds,
then cleanlab. Whole checks observed under load: 154 s and 235 s. Found: 448 of the 500 changed labels
(recall 0.90) among 471 flagged (precision 0.95), the suggested label right for 436. A fast design (LeNet-5,
~5,900 pictures/s quiet) takes about 1 s a fold.

Also here, for both classifiers: the folds (:func:`folds_for`: stratified, near copies of one picture in one fold),
the linear classifier per fold on fixed features (:func:`probe_probabilities`), and the check's one progress total
(:func:`scaled`).

A design that cannot be built for the pictures (broken, a pretrained backbone whose weights are missing,
training that fails) raises :class:`DesignUnusable` with the reason; the check then falls back to a linear
classifier on the pixels and says why.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Generator, Sequence

import torch

from ...project.records import ImageRecord
from ...project.store import Project
from ..data.entries import Entry
from ..data.prepare import ImageSet, iter_load_pixels, resolve_preprocess
from ..data.preprocess import Preprocess
from ..data.augment import AugmentSettings
from ..device import one_thread
from ..errors import Cancelled, DataError, EngineError
from ..events import BatchEnd, DataProgress, RunFailed, RunStarted, RunStopped
from ..model.build import build_from_json
from ..train.settings import default_settings
from ..train.linear_probe import fit_linear_probe
from ..train.trainer import TrainData, fit
from ..use.evaluate import predict_probabilities
from .lifecycle import check_input, resolve_spec
from .design_words import your_design
from .run_naming import describe_design
from .saved_pages import SavedPagesUnreadable, saved_input, saved_spec

SCALE = 100  # the data check's progress: one total from start to end, each step its share (:func:`scaled`)
PROBE_L2 = 0.03  # the linear classifier's regularisation (benchmarks/bench_doctor.py: precision 0.90 at 0.03,
#                  0.66 at 0.001: a weak penalty lets each fold's classifier learn the wrong labels too)
# What the check says it is doing meanwhile (shown by ui/data/check_panel.py and the CLI's progress line): plain words,
# not "cross-validating the labels"; each round trains without one part of the pictures and looks at that part.
CHECKING = "checking each label against models trained without it"
PROBE_STEPS = 40  # L-BFGS iterations per fold: 40 finds what 100 find (precision 0.90, recall 0.83), 3x faster
FOLD_SECONDS = 5.0  # Auto's time budget for one fold's training (fold 1 picks the epochs, the others follow) ...
MIN_SEEN = 2000  # ... between this many pictures seen per fold (~30 steps: a small project trains more epochs)
MAX_SEEN = 4000  # ... and this many (from 4,000 training pictures on: one epoch, nothing to time)


class DesignUnusable(EngineError):
    """The project's design cannot be trained on these pictures (the reason is a plain sentence)."""


@dataclass(frozen=True)
class FoldDesign:
    spec_json: dict
    preprocess: Preprocess  # sized to the design's input
    title: str  # "Recommended design", "Small VGG", "your design (2 convolutions)" (run_naming.describe_design)

    def words(self, epochs: int) -> str:
        who = your_design(self.title)
        return f"{who} trained for {epochs} epoch{'s' if epochs != 1 else ''} per fold"


def project_design(project: Project) -> FoldDesign:
    """The design the Model page holds for ``project``, with its input settings (:mod:`.saved_pages`)."""
    try:
        spec = saved_spec(project)
        pp = saved_input(project, spec)
        spec_json, preset = resolve_spec(spec, None, pp)
    except SavedPagesUnreadable as e:
        raise DesignUnusable(str(e)) from None
    except (EngineError, KeyError, TypeError, ValueError) as e:
        raise DesignUnusable(f"the design stored for the Model page cannot be read ({e})") from None
    return FoldDesign(spec_json, check_input(spec_json, pp), describe_design(spec_json, preset))


def scaled(gen: Generator, start: int, end: int) -> Generator[DataProgress, None, object]:
    """Run ``gen`` (a step that yields :class:`DataProgress` with counts of its own) to its return value, its
    progress mapped onto ``start``..``end`` of :data:`SCALE`: steps with their own counts (pictures decoded, folds,
    batches) make one total that never goes back, for the CLI's line and the GUI's bar."""
    last = start
    while True:
        try:
            ev = next(gen)
        except StopIteration as done:
            return done.value
        if isinstance(ev, DataProgress):
            frac = min(max(ev.done / ev.total, 0.0), 1.0) if ev.total > 0 else 0.0
            last = max(last, start + int((end - start) * frac))
            ev = DataProgress(last, SCALE, ev.message)
        yield ev


def folds_for(labels: torch.Tensor, k: int, together: Sequence[Sequence[int]] = (), seed: int = 0) -> torch.Tensor:
    """A fold number per picture, each class dealt round-robin in a seeded order (stratified); the pictures of
    each set in ``together`` (near copies of one picture) then share the fold of the set's first one, so no
    classifier judges a picture after learning its copy's label (with that copy's label, a copy labelled
    otherwise made the original "look like" the copy's class)."""
    g = torch.Generator().manual_seed(seed)
    fold = torch.empty(len(labels), dtype=torch.long)
    for c in labels.unique():
        pos = torch.nonzero(labels == c).flatten()
        pos = pos[torch.randperm(len(pos), generator=g)]
        fold[pos] = torch.arange(len(pos)) % k
    for members in together:
        if len(members) > 1:
            fold[list(members)] = int(fold[members[0]])
    return fold


def design_step(round_: int, rounds: int) -> str:
    """What the check does in round ``round_`` of ``rounds`` with the user's design (one fold held out)."""
    return f"checking each label against your design trained without it: round {round_} of {rounds}"


def probe_probabilities(feats, y, fold, k: int, classes: int, stop) -> Generator:
    """Out-of-sample probabilities from a linear classifier per fold on fixed features."""
    probs = torch.zeros((len(y), classes))
    for f in range(k):
        if stop is not None and stop.is_set():
            raise Cancelled("the data check was stopped")
        train, held = fold != f, fold == f
        with one_thread():  # the probe's matrices are small (3,000 x 1,280 by 5 classes); not across the event
            probe = fit_linear_probe(feats[train], y[train], classes, l2=PROBE_L2, max_iter=PROBE_STEPS)
            probs[held] = probe.probabilities(feats[held])
        yield DataProgress(f + 1, k, CHECKING)
    return probs


def iter_fold_probabilities(project: Project, records: Sequence[ImageRecord], y: torch.Tensor, fold: torch.Tensor,
                            num_classes: int, *, stop: threading.Event | None = None,
                            design: FoldDesign | None = None
                            ) -> Generator[DataProgress, None, tuple[torch.Tensor, str]]:
    """Out-of-sample probabilities ``(N, num_classes)`` for ``records`` (labels ``y``, fold numbers ``fold``)
    from the project's design, and what was used in words. Raises :class:`DesignUnusable`, or ``Cancelled``
    when ``stop`` is set (checked before every batch)."""
    design = design or project_design(project)
    try:
        build_from_json(design.spec_json, num_classes)  # before any work: it must build for these classes
    except EngineError as e:
        raise DesignUnusable(f"{your_design(design.title)} cannot be built for these pictures: {e}") from None
    entries = [Entry(r.id, r.sha256, r.file, int(c), "", "") for r, c in zip(records, y.tolist())]
    try:
        pixels, rows, in_memory, _ = yield from scaled(iter_load_pixels(project.root, entries, design.preprocess,
                                                                        stop=stop), 0, SCALE // 5)
    except DataError as e:
        raise DesignUnusable(f"the pictures cannot be prepared for your design: {e}") from None
    everyone = ImageSet(pixels, y.clone(), [r.id for r in records], rows, in_memory)
    pp = resolve_preprocess(design.preprocess, everyone)  # "dataset" normalisation: no labels involved
    k = int(fold.max()) + 1
    n_train = max(1, int((fold != 0).sum()))
    least, most = -(-MIN_SEEN // n_train), -(-MAX_SEEN // n_train)
    settings = default_settings(pp).replace(
        epochs=0, time_budget_s=FOLD_SECONDS, min_epochs=least, max_epochs=max(least, most),
        validation=False, early_stopping_patience=0, augment=AugmentSettings())
    epochs = least if least >= most else 0  # 0: Auto, in the first fold
    probs = torch.zeros((len(y), num_classes))
    for f in range(k):
        if stop is not None and stop.is_set():
            raise Cancelled("the data check was stopped")
        yield DataProgress(SCALE // 5 + f * (SCALE - SCALE // 5) // k, SCALE,
                           design_step(f + 1, k))
        held = torch.nonzero(fold == f).flatten()
        train = everyone.subset(torch.nonzero(fold != f).flatten().tolist())
        torch.manual_seed(f)
        _, model = build_from_json(design.spec_json, num_classes)
        data = TrainData(train, None, pp)
        batches = 1
        if epochs == 0:  # Auto times a few batches first, with no events of its own: the words say why the bar waits
            yield DataProgress(SCALE // 5, SCALE, f"{design_step(1, k)}, timing a few batches to choose the epochs")
        for ev in fit(model, data, settings.replace(epochs=epochs, seed=f), stop=stop):
            if isinstance(ev, RunStarted):
                epochs, batches = ev.epochs, ev.batches_per_epoch
            elif isinstance(ev, BatchEnd):
                done = (f * epochs + ev.epoch - 1) * batches + ev.batch
                yield DataProgress(SCALE // 5 + done * (SCALE - SCALE // 5) // (k * epochs * batches), SCALE,
                                   f"{design_step(f + 1, k)}, epoch {ev.epoch} of {epochs}")
            elif isinstance(ev, RunStopped):
                raise Cancelled("the data check was stopped")
            elif isinstance(ev, RunFailed):
                raise DesignUnusable(f"training {your_design(design.title)} failed: {ev.reason}")
        device = next(model.parameters()).device
        probs[held] = predict_probabilities(model, everyone.subset(held.tolist()), pp, device,
                                            settings.eval_batch_size)
    return probs, design.words(epochs)


__all__ = ["CHECKING", "DesignUnusable", "FOLD_SECONDS", "MAX_SEEN", "MIN_SEEN", "PROBE_L2", "PROBE_STEPS", "SCALE",
           "FoldDesign", "design_step", "folds_for", "iter_fold_probabilities", "probe_probabilities", "project_design", "scaled"]

"""Whether a picture looks unlike the pictures a model learned from: a hint, never a promise.

A softmax always names a class, and a model shown a pink square may be "66 % sure" it is a digit: the unsure rule
(:mod:`.unsure`) reads only the probabilities and cannot tell. This reads what the model itself sees. A picture's
*features* are the input of the model's output layer (its last fully connected layer: :func:`output_layer`), the
numbers the answer is made from, L2-normalised. A picture's *novelty* is one minus the cosine similarity of its features
to those of its :data:`K`-th nearest training picture (a stratified, seeded sample of at most :data:`SAMPLE` of them;
compared :data:`CHUNK` pictures at a time, never an N x N matrix): near 0 for a picture like several the model learned
from, larger the less it looks like any.

Where "unlike" begins is measured, not guessed: the validation pictures (held out of training, so new to the model
as the user's pictures are) are scored the same way, and the threshold is the value that at most :data:`FLAG_RATE`
of them exceed (the conformal quantile: the ⌈(1 - rate)(n + 1)⌉-th smallest of n scores, so a new picture like the
validation ones is flagged with a chance of at most :data:`FLAG_RATE`, on average over runs). That needs :data:`MIN_VALIDATION` validation
pictures; a run with fewer (none at all: a search's final run on every picture) gets no hint: :func:`load_or_fit`
says why and nothing is guessed. Why 5 % rather than 1 % (benchmarks/bench_novelty.py, the sample digits, 3 epochs,
269 validation pictures): the default recipe flags 3 % of the held-out test digits at 5 % (none at 1 %) and every
noise, flat-colour, shape and photo-like picture at either (their novelty from 0.27, the thresholds 0.12 and 0.16);
the classic design, a dense layer of 128 before its output, flags 6 % of the test digits at 5 % (3 % at 1 %) and
all of those pictures, where 1 % lets 5 % of the shapes through. 1 % needs 99 validation pictures (5 %: 19), and its
threshold, about the 3rd largest validation score, moves more from run to run.

It is computed once per trained model (:func:`load_or_fit`, when a run is first used to predict) and kept in the run's
folder as :data:`CACHE_NAME` (safetensors: the sample's features, the threshold, the validation scores; written to a
temporary name and renamed). A cache of another model (the run trained on) or of another version is computed again,
and so is a damaged one; a read-only project computes it in memory and goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import torch
from torch import nn

from ...project.imaging import ImageRejected
from ..data.cache import TensorCache, iter_fill
from ..data.entries import Entry
from ..data.prepare import drive
from ..data.preprocess import image_to_uint8
from ..errors import Cancelled
from .batching import CPU_EVAL_BATCH, scoring_batch
from .neighbours import normalised
from .novelty_words import FLAG_RATE, HINT, HINT_TIP, MIN_VALIDATION, NO_OUTPUT_LAYER, NO_VALIDATION

K = 5  # the k-th nearest training picture: one odd training picture alike is not enough
SAMPLE = 2000  # training pictures compared with, at most (stratified by class, seeded)
CHUNK = 512  # pictures compared with the sample at a time
CACHE_NAME = "novelty.safetensors"
VERSION = 1

ProgressFn = Callable[[int, int, str], None]
FeaturesFn = Callable[[Sequence[Entry]], torch.Tensor]  # pictures -> (n read, D) output-layer inputs


# ---------------------------------------------------------------------------- the model's features
def output_layer(model: nn.Module) -> nn.Linear | None:
    """The model's last fully connected layer (its output layer: a catalog design ends in one, after a backbone
    too), or None when it has none."""
    layers = getattr(model, "layers", None)
    if isinstance(layers, nn.Sequential) and len(layers) and isinstance(layers[-1], nn.Linear):
        return layers[-1]
    linear = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return linear[-1] if linear else None


@contextlib.contextmanager
def features_of(model: nn.Module):
    """Within the block, each forward pass of ``model`` in this thread puts its output layer's input, flattened to
    ``(N, D)``, in the list yielded (nothing without an output layer). Another thread's passes are not caught, so two
    threads may predict with one model."""
    got: list[torch.Tensor] = []
    layer = output_layer(model)
    if layer is None:
        yield got
        return
    me = threading.get_ident()

    def hook(_module, args):
        if threading.get_ident() == me and args:
            got.append(args[0].detach().flatten(1))

    handle = layer.register_forward_pre_hook(hook)
    try:
        yield got
    finally:
        handle.remove()


def kth_similarity(queries: torch.Tensor, sample: torch.Tensor, k: int, chunk: int = CHUNK) -> torch.Tensor:
    """``(N,)``: each of ``queries`` (normalised features) its cosine similarity to its ``k``-th most similar row of
    ``sample`` (normalised), ``chunk`` queries at a time."""
    n = queries.shape[0]
    out = torch.empty(n)
    if n == 0 or sample.shape[0] == 0:
        return out.fill_(-1.0)
    k = max(1, min(k, sample.shape[0]))
    sample = sample.to(queries.device, torch.float32)
    for start in range(0, n, chunk):
        block = queries[start:start + chunk].float() @ sample.T
        out[start:start + chunk] = block.topk(k, dim=1).values[:, k - 1].cpu()
    return out


# ---------------------------------------------------------------------------- the measured rule
@dataclass(frozen=True)
class Novelty:
    """A model's training sample and threshold: :meth:`scores` and :meth:`unlike` for new pictures' features."""

    sample: torch.Tensor  # (N, D) float32, normalised features of the training sample
    threshold: float  # a novelty above this is "unlike"
    validation: torch.Tensor  # (V,) the validation pictures' novelty, which set the threshold
    key: str  # the model and pictures it was computed for
    k: int = K
    seconds: float = 0.0  # how long computing it took (0 when read from the cache)
    cached: bool = False

    def scores(self, features: torch.Tensor) -> torch.Tensor:
        """``(N,)`` novelty of pictures whose output-layer inputs are ``features`` (``(N, D)``)."""
        return 1.0 - kth_similarity(normalised(features), self.sample, self.k)

    def unlike(self, scores: torch.Tensor) -> list[bool]:
        return [bool(s > self.threshold) for s in scores.tolist()]


def threshold_for(validation: torch.Tensor, rate: float = FLAG_RATE) -> float | None:
    """The score that at most ``rate`` of pictures like the validation ones exceed: the ⌈(1 - rate)(n + 1)⌉-th smallest
    of the ``n`` validation scores; None when there are too few for that (it would be past the largest)."""
    n = int(validation.numel())
    rank = math.ceil((1 - rate) * (n + 1))
    if n == 0 or rank > n:
        return None
    return float(validation.sort().values[rank - 1])


def stratified_sample(entries: Sequence[Entry], cap: int = SAMPLE, seed: int = 0) -> list[Entry]:
    """At most ``cap`` of ``entries``, each class its share (at least one picture of each), seeded; all when fewer."""
    if len(entries) <= cap:
        return list(entries)
    by_class: dict[int, list[Entry]] = {}
    for e in sorted(entries, key=lambda e: e.id):
        by_class.setdefault(e.label, []).append(e)
    take = {label: max(1, round(cap * len(members) / len(entries))) for label, members in by_class.items()}
    while sum(take.values()) > cap:  # rounding up went past the cap: the largest share gives one back
        take[max(take, key=lambda label: (take[label], -label))] -= 1
    rng = random.Random(seed)
    out: list[Entry] = []
    for label in sorted(by_class):
        out += rng.sample(by_class[label], min(take[label], len(by_class[label])))
    return sorted(out, key=lambda e: e.id)


def cache_key(predictor, sample: Sequence[Entry], validation: Sequence[Entry]) -> str:
    """What a kept result was computed for: the model's weights (their checksum in the bundle's manifest), the
    pictures, and this module's rule."""
    h = hashlib.sha256()
    weights = ((getattr(predictor.bundle, "manifest", None) or {}).get("weights") or {}).get("sha256", "")
    h.update(json.dumps([VERSION, K, FLAG_RATE, weights, [e.sha256 for e in sample],
                         [e.sha256 for e in validation]]).encode())
    return h.hexdigest()


def _pixels(root: Path, entries: Sequence[Entry], pp, progress: ProgressFn | None, stop) -> tuple[list[int],
                                                                                                  torch.Tensor]:
    """The pictures decoded as the model takes them (through the project's picture cache, which a run's training
    filled), passing over those that cannot be read: ``(positions read, (n, C, H, W) uint8)``."""
    def decode(positions: list[int]) -> tuple[list[str], torch.Tensor]:
        shas, got = [], []
        for i in positions:
            try:
                got.append(image_to_uint8(root / entries[i].file, pp))
                shas.append(entries[i].sha256)
            except (ImageRejected, OSError):
                continue
        return shas, (torch.stack(got) if got else torch.empty((0, *pp.input_shape), dtype=torch.uint8))

    cache = TensorCache(root, pp)
    index, fresh, _ = drive(iter_fill(cache, [e.sha256 for e in entries], decode, chunk=256,
                                      message="reading the training pictures", stop=stop,
                                      cancelled="comparing with the training pictures was stopped"), progress)
    mapped = cache.mapped(max(index.values()) + 1) if index else None
    read, rows = [], []
    for i, e in enumerate(entries):
        if e.sha256 in fresh:
            read.append(i)
            rows.append(fresh[e.sha256])
        elif e.sha256 in index and mapped is not None:
            read.append(i)
            rows.append(mapped[index[e.sha256]].clone())
    return read, (torch.stack(rows) if rows else torch.empty((0, *pp.input_shape), dtype=torch.uint8))


def _features(predictor, pixels: torch.Tensor, stop, progress: ProgressFn | None) -> torch.Tensor:
    """The output-layer inputs of ``pixels``, an evaluation's batch at a time (256 on the CPU, capped by memory: 1.6x
    faster than a dropped picture's 32 here)."""
    batch = scoring_batch(predictor.model, tuple(predictor.input_shape), predictor.device, CPU_EVAL_BATCH)
    out = []
    for start in range(0, pixels.shape[0], batch):
        if stop is not None and stop.is_set():
            raise Cancelled("comparing with the training pictures was stopped")
        _probs, feats = predictor.scores(pixels[start:start + batch], features=True)
        out.append(feats)
        if progress:
            progress(start + feats.shape[0], pixels.shape[0], "comparing with the training pictures")
    return torch.cat(out) if out else torch.empty((0, 0))


def model_features(predictor, project_root: str | os.PathLike, progress: ProgressFn | None = None,
                   stop: threading.Event | None = None) -> FeaturesFn:
    """How :func:`fit` gets pictures' features by default: decoded as the model takes them, then run through the
    model, each picture's output-layer input."""
    def features(entries: Sequence[Entry]) -> torch.Tensor:
        _read, pixels = _pixels(Path(project_root), entries, predictor.preprocess, progress, stop)
        return _features(predictor, pixels, stop, progress)

    return features


def samples(entries: Sequence[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The training sample and the validation sample of a run's ``entries`` (:func:`stratified_sample` of each split),
    drawn in this one place for :func:`fit` and :func:`load_or_fit`."""
    return (stratified_sample([e for e in entries if e.split == "train"]),
            stratified_sample([e for e in entries if e.split == "val"]))


def fit(predictor, project_root: str | os.PathLike, entries: Sequence[Entry], progress: ProgressFn | None = None,
        stop: threading.Event | None = None, features: FeaturesFn | None = None) -> tuple[Novelty | None, str]:
    """``(Novelty, "")`` for ``predictor``'s model trained on ``entries`` (a run's pictures, each in its split), or
    ``(None, why)``: too few validation pictures, or a model without an output layer. ``features``: how to get the
    pictures' output-layer inputs (default :func:`model_features`; a frozen backbone's run reads its kept ones)."""
    t0 = time.perf_counter()
    if output_layer(predictor.model) is None:
        return None, NO_OUTPUT_LAYER
    return _fit(predictor, project_root, *samples(entries), progress, stop, features, t0)


def _fit(predictor, project_root: str | os.PathLike, sample: list[Entry], validation: list[Entry],
         progress: ProgressFn | None, stop: threading.Event | None, features: FeaturesFn | None,
         t0: float) -> tuple[Novelty | None, str]:
    """:func:`fit` with the samples drawn (:func:`samples`), for a model with an output layer; ``t0`` when it began."""
    if len(validation) < MIN_VALIDATION or not sample:
        return None, NO_VALIDATION
    features = features or model_features(predictor, project_root, progress, stop)
    train = normalised(features(sample))
    val_feats = features(validation)
    if train.shape[0] == 0 or val_feats.shape[0] < MIN_VALIDATION:
        return None, NO_VALIDATION
    val_scores = 1.0 - kth_similarity(normalised(val_feats), train, K)
    threshold = threshold_for(val_scores)
    if threshold is None:
        return None, NO_VALIDATION
    return Novelty(train, threshold, val_scores, cache_key(predictor, sample, validation),
                   seconds=time.perf_counter() - t0), ""


# ---------------------------------------------------------------------------- kept in the run's folder
def read_cache(path: Path, key: str) -> Novelty | None:
    """The kept result at ``path`` when it was computed for ``key``; None when there is none, it is another's, or it
    is damaged (then it is computed again)."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            if meta.get("key") != key or meta.get("version") != str(VERSION):
                return None
            sample, validation = f.get_tensor("sample").float(), f.get_tensor("validation").float()
            threshold, k = float(meta["threshold"]), int(meta["k"])
    except Exception:  # noqa: BLE001 - no file, a damaged or foreign one: computed again
        return None
    if sample.dim() != 2 or validation.dim() != 1 or not math.isfinite(threshold):
        return None
    return Novelty(sample, threshold, validation, key, k, cached=True)


def write_cache(path: Path, novelty: Novelty) -> bool:
    """Keep ``novelty`` at ``path`` (a temporary file renamed into place); False when the disk says no (a read-only
    project): the result is used from memory."""
    from safetensors.torch import save_file

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        save_file({"sample": novelty.sample.to(torch.float16).contiguous(), "validation": novelty.validation},
                  str(tmp), metadata={"key": novelty.key, "version": str(VERSION), "threshold": repr(novelty.threshold),
                                      "k": str(novelty.k)})
        os.replace(tmp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False


def load_or_fit(predictor, project_root: str | os.PathLike, run_folder: str | os.PathLike, entries: Sequence[Entry],
                progress: ProgressFn | None = None, stop: threading.Event | None = None,
                features: FeaturesFn | None = None) -> tuple[Novelty | None, str]:
    """The novelty rule of ``predictor``'s model (a run's, trained on ``entries``): kept in ``run_folder`` from an
    earlier time, else computed (:func:`fit`) and kept there. ``(None, why)`` when there is no hint for this run."""
    t0 = time.perf_counter()
    sample, validation = samples(entries)
    if len(validation) < MIN_VALIDATION:
        return None, NO_VALIDATION
    if output_layer(predictor.model) is None:
        return None, NO_OUTPUT_LAYER
    path = Path(run_folder) / CACHE_NAME
    kept = read_cache(path, cache_key(predictor, sample, validation))
    if kept is not None:
        return kept, ""
    novelty, why = _fit(predictor, project_root, sample, validation, progress, stop, features, t0)
    if novelty is not None:
        write_cache(path, novelty)
    return novelty, why


__all__ = ["CACHE_NAME", "FLAG_RATE", "FeaturesFn", "HINT", "HINT_TIP", "K", "MIN_VALIDATION", "NO_VALIDATION",
           "Novelty", "SAMPLE", "features_of", "fit", "kth_similarity", "load_or_fit", "model_features", "output_layer",
           "read_cache", "samples", "stratified_sample", "threshold_for", "write_cache"]

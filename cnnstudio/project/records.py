"""What the store hands out: class and image records, and the filter a page of images is chosen by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .errors import ProjectError
from .splits import SPLITS

UNLABELLED = -1  # filter value: images with no class


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    color: str
    position: int


@dataclass(frozen=True)
class ImageRecord:
    id: int
    sha256: str
    file: str  # relative to the project folder
    original_name: str
    class_id: int | None
    split: str | None
    split_source: str
    width: int
    height: int
    size_bytes: int
    source_path: str
    added_at: float


@dataclass(frozen=True)
class ImageFilter:
    """Which images a page shows. ``class_id=UNLABELLED`` means images without a class."""

    class_id: int | None = None
    split: str | None = None  # "train", "val", "test", or "none" for unassigned
    trashed: bool = False

    def where(self) -> tuple[str, list]:
        clauses, args = ["trashed_at IS NOT NULL" if self.trashed else "trashed_at IS NULL"], []
        if self.class_id == UNLABELLED:
            clauses.append("class_id IS NULL")
        elif self.class_id is not None:
            clauses.append("class_id = ?")
            args.append(self.class_id)
        if self.split == "none":
            clauses.append("split IS NULL")
        elif self.split is not None:
            if self.split not in SPLITS:
                raise ProjectError(f"unknown split {self.split!r}: use train, val, test or none")
            clauses.append("split = ?")
            args.append(self.split)
        return " AND ".join(clauses), args


_IMAGE_COLS = ("id, sha256, file, original_name, class_id, split, split_source, width, height, "
               "size_bytes, source_path, added_at")


def _record(row: Sequence) -> ImageRecord:
    return ImageRecord(*row)

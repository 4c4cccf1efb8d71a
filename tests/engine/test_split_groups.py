"""The copies Split keeps together, found from the pictures (engine/runs/split_groups.py): a picture and its resized,
re-compressed copy are one group, different pictures none; an unreadable picture is in no group; progress and stop."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image

from cnnstudio.engine.errors import Cancelled
from cnnstudio.engine.runs.split_groups import find_split_groups
from cnnstudio.project import ImageFilter, import_paths


def _picture(rng: np.random.Generator) -> Image.Image:
    """A picture with some detail: a random 12 x 12 colour grid, smoothly enlarged to 64 x 64."""
    return Image.fromarray(rng.integers(0, 256, (12, 12, 3), dtype=np.uint8)).resize((64, 64), Image.BILINEAR)


def _dataset(folder, per_class: int = 12):
    rng = np.random.default_rng(0)
    for cls in ("a", "b"):
        (folder / cls).mkdir(parents=True)
        for i in range(per_class):
            _picture(rng).save(folder / cls / f"{cls}{i}.png")
    original = Image.open(folder / "a" / "a3.png").convert("RGB")
    original.resize((56, 56), Image.BICUBIC).save(folder / "a" / "a3 copy.jpg", quality=80)  # resized, re-compressed
    return folder


def _ids_by_name(project) -> dict[str, int]:
    return {r.original_name: r.id for r in project.records(project.ids(ImageFilter()))}


def test_a_resized_recompressed_copy_is_grouped_with_its_original_and_nothing_else(project, tmp_path):
    import_paths(project, [_dataset(tmp_path / "src")], labels_from_folders=True)
    ids = _ids_by_name(project)
    assert len(ids) == 25  # the copy is another file: the importer keeps it
    seen = []
    groups = find_split_groups(project, progress=lambda done, total, message: seen.append((done, total, message)))
    assert groups == [sorted([ids["a3.png"], ids["a3 copy.jpg"]])]
    assert seen and all(done <= total for done, total, _ in seen) and seen[-1][0] == seen[-1][1]
    assert any("looking for copies" in message for _, _, message in seen)


def test_an_unreadable_picture_is_in_no_group(project, tmp_path):
    import_paths(project, [_dataset(tmp_path / "src")], labels_from_folders=True)
    ids = _ids_by_name(project)
    broken = project.records([ids["a3 copy.jpg"]])[0]
    (project.root / broken.file).write_bytes(b"not a picture any more")
    assert find_split_groups(project) == []


def test_unlabelled_pictures_are_not_looked_at_and_stop_cancels(project, tmp_path):
    import_paths(project, [_dataset(tmp_path / "src")], labels_from_folders=True)
    ids = _ids_by_name(project)
    project.set_labels([ids["a3 copy.jpg"]], None)
    assert find_split_groups(project) == []
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled, match="nothing was split"):
        find_split_groups(project, stop=stop)

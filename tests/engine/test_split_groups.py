"""The copies Split keeps together, found from the pictures (engine/runs/split_groups.py): a picture and its resized,
re-compressed copy are one group, different pictures none; an unreadable picture is in no group; progress and stop."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image

from cnnstudio.engine.errors import Cancelled
from cnnstudio.engine.runs.split_groups import COMPARING, READING, find_split_groups
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
    said = {message for _, _, message in seen}  # whole sentences, each step's (a dialog shows them under its own)
    assert {READING, COMPARING} <= said and all(m[:1].isupper() and m.endswith("…") for m in said)


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


def test_split_finds_copies_by_the_data_checks_own_rule(project, tmp_path, monkeypatch):
    """One rule (engine/runs/near_copies.py) for Check data and Split: its bars raised past any likeness, Split finds
    no near copy either."""
    from cnnstudio.engine.runs import near_copies

    import_paths(project, [_dataset(tmp_path / "src")], labels_from_folders=True)
    assert len(find_split_groups(project)) == 1
    monkeypatch.setattr(near_copies, "CERTAIN", 2.0)
    monkeypatch.setattr(near_copies, "FRAMED_SAME", 2.0)
    assert find_split_groups(project) == []


def test_how_far_apart_the_colours_of_a_copy_may_be_is_a_parameter():
    """Split lets a copy's colours differ twice as much as the data check does (split_groups.SAME_COLOURS), through
    the check's own colour step; pairs compared once are remembered in ``known``."""
    import torch

    from cnnstudio.engine.data import quality
    from cnnstudio.engine.data.prepare import drive
    from cnnstudio.engine.runs import split_groups

    assert split_groups.SAME_COLOURS == 2 * quality.PALETTE_SAME
    grey = torch.full((576, 3), 0.5)
    palettes = [grey, grey + 1.5 * quality.PALETTE_SAME / 3 ** 0.5]  # 1.5 times the check's bar apart
    linked, cand = torch.ones(2, 1, dtype=torch.bool), torch.tensor([[1], [0]])
    assert drive(quality.iter_colour_links(palettes.__getitem__, linked, cand)).tolist() == [[False], [False]]
    known: dict = {}
    looser = drive(quality.iter_colour_links(palettes.__getitem__, linked, cand, most=split_groups.SAME_COLOURS,
                                             known=known))
    assert looser.tolist() == [[True], [True]] and known == {(0, 1): True}

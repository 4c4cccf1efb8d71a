"""The data check on colour pictures (the QA report's F-4 and F-5), end to end: real files, real features.

Same-class pictures of one shape on backgrounds of different colours are not "almost identical", and a
sharp shape on a background of the same brightness is not "almost one colour"; a re-encoded, a resized
and a cropped copy are near duplicates, and a solid colour with noise is flat.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from cnnstudio.engine.runs import doctor
from cnnstudio.project import Project, import_paths

from .test_quality import SAME_BRIGHTNESS, jpeg, saved, square_on, triangle

BACKGROUNDS = [(190, 180, 80), (200, 110, 190), (160, 90, 60), (170, 60, 130), (90, 160, 120), (140, 100, 150),
               (170, 170, 150), (70, 120, 180)]


def make_project(tmp_path: Path) -> Project:
    """Eight dogs on other backgrounds, three copies of dogs, eight birds (the QA's), a solid colour with noise."""
    src = tmp_path / "src"
    dogs = [square_on(bg, size=[(160, 120), (200, 150), (320, 240)][i % 3], at=(3 * i - 10, 4 - i))
            for i, bg in enumerate(BACKGROUNDS)]
    for i, im in enumerate(dogs):
        saved(src / "dog", f"dog{i}.{'jpg' if i % 2 else 'png'}", im)
    w, h = dogs[0].size
    saved(src / "dog", "dog0-resaved.jpg", jpeg(dogs[0], 60))
    saved(src / "dog", "dog1-small.png", dogs[1].resize((dogs[1].width // 2, dogs[1].height // 2)))
    saved(src / "dog", "dog2-cropped.png", dogs[2].crop((4, 3, dogs[2].width - 4, dogs[2].height - 3)))
    for i, bg in enumerate(SAME_BRIGHTNESS * 2):
        saved(src / "bird", f"bird{i}.{'jpg' if i % 2 else 'png'}", triangle(bg, size=[(200, 150), (120, 200)][i % 2]))
    noise = np.array((60, 140, 90), float)[None, None] + np.random.default_rng(1).normal(0, 12, (150, 200, 3))
    saved(src / "bird", "noise.png", Image.fromarray(noise.clip(0, 255).astype(np.uint8)))
    p = Project.create(tmp_path / "p")
    import_paths(p, [src], labels_from_folders=True)
    return p


def test_one_shape_on_other_backgrounds_is_not_a_copy_and_not_flat(tmp_path: Path):
    p = make_project(tmp_path)
    name = {r.id: r.original_name for r in p.records(p.ids())}

    report = doctor.check_data(p, kinds=("duplicates", "leaks", "quality"))
    groups = sorted(sorted(name[i] for i in f.images) for f in report.of_kind("near_duplicate"))
    assert groups == [["dog0-resaved.jpg", "dog0.png"], ["dog1-small.png", "dog1.jpg"],
                      ["dog2-cropped.png", "dog2.png"]] and not report.of_kind("leak")
    assert [name[f.images[0]] for f in report.of_kind("quality") if f.what == "flat"] == ["noise.png"]
    pair = report.of_kind("near_duplicate")[0]
    assert [(f.text, len(f.images)) for f in doctor.fixes_for(pair)] == [("Trash the other one", 1),
                                                                          ("Keep them all", 2)]

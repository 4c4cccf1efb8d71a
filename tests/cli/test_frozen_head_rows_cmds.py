"""A frozen pretrained backbone whose last layer is fitted exactly (engine/runs/frozen_run.py) has no epochs: its
head is fitted at 7 strengths of regularisation. ``cnnstudio train --epochs 3`` on it gave 7 rows called "epoch 1/7"
and "best epoch 1 of 7" without a word; it now says once, before training, that Epochs and the learning rate are not
used, and calls its rows strengths, as the Train page does (engine/runs/head_rows.py); ``cnnstudio runs`` too."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli.helpers import run
from tests.cli.test_saved_pages_help import help_text
from tests.engine.test_data import make_project
from tests.engine.test_frozen_run import frozen_spec

FITTED = "the last layer fitted at 7 strengths of regularisation, the best on validation kept"
NOT_USED = "Epochs and learning rate are not used for a frozen backbone's head"


@pytest.fixture
def frozen(tmp_path):
    make_project(tmp_path / "proj", per_class=12, side=12).close()
    spec = tmp_path / "frozen.json"
    frozen_spec(side=32).save(spec)
    return tmp_path / "proj", spec


def test_train_says_strengths_not_epochs(frozen, capsys):
    proj, spec = frozen
    code, out, err = run(capsys, "train", proj, "--spec", spec, "--epochs", "3", "--batch-size", "16",
                         "--device", "cpu")
    assert code == 0, err
    assert err.count(NOT_USED) == 1  # said once
    note = next(i for i, line in enumerate(err.splitlines()) if NOT_USED in line)
    start = next(i for i, line in enumerate(err.splitlines()) if line.startswith("Run "))
    assert note < start  # before training
    assert "Run " in err and "its last layer fitted at 7 strengths of regularisation, 16 train" in err
    rows = [line for line in err.splitlines() if re.match(r"(strength|epoch) \d", line)]
    assert [r.split()[0:2] for r in rows] == [["strength", f"{n}/7"] for n in range(1, 8)]
    assert not re.search(r"\bepochs? \d", err + out)  # no "epoch 3/7", "7 epochs", "best epoch 1 of 7"
    assert f"finished: {FITTED}, validation accuracy" in out and "best epoch" not in out


def test_fine_tuned_rows_are_strengths_then_its_epochs(frozen, capsys):
    proj, spec = frozen
    code, out, err = run(capsys, "train", proj, "--spec", spec, "--fine-tune-epochs", "1", "--batch-size", "16",
                         "--device", "cpu")
    assert code == 0, err
    assert "strength 7/7" in err and "fine-tuning epoch 1/1" in err and "epoch 8/8" not in err
    assert "then 1 fine-tuning epoch of 1 batch" in err
    assert "the last layer fitted at 7 strengths of regularisation, then 1 fine-tuning epoch" in out
    assert "best epoch" not in out


def test_runs_list_does_not_count_strengths_as_epochs(frozen, capsys):
    proj, spec = frozen
    code, _, err = run(capsys, "train", proj, "--spec", spec, "--batch-size", "16", "--device", "cpu", "--quiet",
                       "--json")
    assert code == 0, err
    code, out, _ = run(capsys, "runs", proj)
    row = next(line for line in out.splitlines() if line.startswith("20"))
    assert row.split()[2] == "–"  # the epochs column: no epochs, not 7
    assert f": {FITTED}" in out
    code, out, _ = run(capsys, "runs", proj, "--json")
    item = out["runs"][0]
    assert item["epochs"] == 0 and item["head"]["strengths"] == 7 and item["fitted"] == FITTED
    assert item["best_epoch"] is None  # the head's own fit kept: no epoch of it


def _chosen(proj, run_id) -> int:
    """The strength the head kept: the last of its rows (metrics.jsonl) it marked best."""
    rows = [json.loads(line) for line in (proj / "runs" / run_id / "metrics.jsonl").read_text().splitlines()]
    return [m["epoch"] for m in rows[:7] if m["is_best"]][-1]


@pytest.mark.parametrize("tune", [0, 1])
def test_json_gives_no_strength_as_an_epoch(frozen, capsys, tune):
    """QA: ``train --json`` and ``runs --json`` gave a head's rows as epochs ("epochs": 7, "best_epoch": 3 of a run
    that trained none); "epochs" and "best_epoch" now count its fine-tuning's epochs alone, "head" its strengths."""
    proj, spec = frozen
    code, out, err = run(capsys, "train", proj, "--spec", spec, "--fine-tune-epochs", tune, "--batch-size", "16",
                         "--device", "cpu", "--quiet", "--json")
    assert code == 0, err
    chosen = _chosen(proj, out["run"])
    assert out["epochs"] == tune and out["head"]["strengths"] == 7 and out["head"]["chosen"] == chosen
    # the model kept: the head's own fit (no epoch of it), or the fine-tuning's epoch that beat it
    assert out["head"]["kept"] is (out["best_epoch"] is None)
    assert out["best_epoch"] in ((None,) if tune == 0 else (None, 1))
    code, listed, _ = run(capsys, "runs", proj, "--json")
    item = next(it for it in listed["runs"] if it["id"] == out["run"])
    keys = ("epochs", "best_epoch", "head")
    assert {k: item[k] for k in keys} == {k: out[k] for k in keys}  # the runs list says the same
    for command in ("train", "runs"):  # the help says what they are
        said = help_text(capsys, command)
        assert '"epochs" and "best_epoch" count only the epochs' in said and 'listed under "head"' in said



def test_import_run_json_gives_no_strength_as_an_epoch(frozen, tmp_path, capsys):
    """A head fitted exactly in a job elsewhere, brought home: ``import-run --json`` says its rows as ``train`` does."""
    proj, spec = frozen
    code, packed, err = run(capsys, "pack", proj, "--spec", spec, "--batch-size", "16", "--out", tmp_path / "job.zip",
                            "--quiet", "--json")
    assert code == 0, err
    code, trained, err = run(capsys, "train", packed["job"], "--device", "cpu", "--quiet", "--json")
    assert code == 0, err
    assert trained["epochs"] == 0 and trained["head"]["strengths"] == 7
    code, out, err = run(capsys, "import-run", proj, tmp_path / "job" / "runs" / packed["run"], "--json")
    assert code == 0, err
    assert out["epochs"] == 0 and out["best_epoch"] is None and out["head"] == trained["head"]

"""`cnnstudio train --no-val` and how `cnnstudio runs` lists a run without validation."""

from __future__ import annotations

import json
import re

from cnnstudio.project import ImageFilter, Project
from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec


def test_train_no_val_keeps_the_last_epoch_and_runs_says_no_validation(tmp_path, capsys):
    p = make_project(tmp_path / "proj")
    p.set_split(p.ids(ImageFilter(split="val")), "train")  # without --no-val some would be held out
    p.close()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, out, err = run(capsys, "train", tmp_path / "proj", "--spec", spec, "--epochs", "2", "--batch-size", "8",
                         "--device", "cpu", "--no-val", "--json")
    assert code == 0, err
    assert "no validation: the last epoch is kept" in err.splitlines() and "held out" not in err
    assert out["best_epoch"] == out["epochs"] == 2
    assert out["metrics"]["val_accuracy"] is None and out["metrics"]["look_at_test"]  # a test score, not looked at
    run_dir = tmp_path / "proj" / "runs" / out["run"]
    assert json.loads((run_dir / "config.json").read_text())["settings"]["validation"] is False
    assert json.loads((run_dir / "dataset.json").read_text())["held_out_for_validation"] == 0

    code, listing, _ = run(capsys, "runs", tmp_path / "proj", "--json")
    assert code == 0 and listing["runs"][0]["validation"] is False
    code, text, _ = run(capsys, "runs", tmp_path / "proj")
    assert code == 0
    row = next(line for line in text.splitlines() if line.startswith(out["run"]))
    assert "no validation" in row and "not looked at" in row  # its test score only once looked at (seen_scores)
    assert not re.search(r"\d+(\.\d)?% \(\d+–\d+%\)", row)
    assert "Do not pick it by its test score" in text
    look = f"cnnstudio evaluate {tmp_path / 'proj'} --run {out['run']} --split test"
    assert text.splitlines().count(next(ln for ln in text.splitlines() if ln.startswith("not looked at: "))) == 1
    assert text.rstrip().endswith(look) and listing["runs"][0]["test_seen"] is False
    assert run(capsys, "evaluate", tmp_path / "proj", "--run", out["run"], "--split", "test")[0] == 0  # the one look
    code, text, _ = run(capsys, "runs", tmp_path / "proj")
    row = next(line for line in text.splitlines() if line.startswith(out["run"]))
    assert re.search(r"\d+(\.\d)?% \(\d+–\d+%\)", row)  # the test score with its 95% range, looked at now
    assert "not looked at" not in text and run(capsys, "runs", tmp_path / "proj", "--json")[1]["runs"][0]["test_seen"]

    # asked for its validation scores, it says it has none and which pictures it can be scored on
    code, _, err = run(capsys, "evaluate", tmp_path / "proj", "--run", out["run"], "--split", "val")
    assert code != 0
    assert (f"run {out['run']} was trained without validation pictures, so it cannot be scored on them: score it "
            "on its test pictures instead") in err

    # a run keeps its own settings: --no-val cannot be given to --resume
    code, _, err = run(capsys, "train", tmp_path / "proj", "--resume", out["run"], "--no-val")
    assert code != 0 and "--resume" in err
    with Project.open(tmp_path / "proj") as p:
        assert p.ids(ImageFilter(split="val")) == []  # the project's splits untouched

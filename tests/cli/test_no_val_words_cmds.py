"""QA and review of runs trained without validation, on real tiny runs: `cnnstudio evaluate` of a --no-val run says what
`cnnstudio runs` and the Train page say of it ("no validation"), and its advice never judges it on its test pictures,
looked at or not; `cnnstudio runs` offers the look at a test score for the best run only, and only while it is not
looked at; `--fine-tune-epochs` is refused wherever the engine would not fine-tune (under torchrun too)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from cnnstudio.cli.evaluate_cmds import NO_VAL_RUN_WORDS, VAL_WORDS
from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec

ROOT = Path(__file__).resolve().parents[2]


def _train(capsys, proj, spec, *extra) -> str:
    code, out, err = run(capsys, "train", proj, "--spec", spec, "--epochs", "2", "--batch-size", "8", "--device", "cpu",
                         *extra, "--json")
    assert code == 0, err
    return out["run"]


def test_evaluate_of_a_no_val_run_says_what_runs_says_and_its_advice_never_quotes_test(tmp_path, capsys):
    make_project(tmp_path / "proj").close()  # 8 validation pictures, 8 test ones
    proj, spec = tmp_path / "proj", tmp_path / "tiny.json"
    tiny_spec().save(spec)
    run_id = _train(capsys, proj, spec, "--no-val")
    code, listing, _ = run(capsys, "runs", proj, "--json")
    assert code == 0 and listing["runs"][0]["validation"] is False  # "no validation" in the list

    code, ev, _ = run(capsys, "evaluate", proj, "--run", run_id, "--json")
    assert code == 0 and ev["split"] == "val" and ev["images"] == 8
    assert ev["validation"] is False and ev["split_note"].startswith(NO_VAL_RUN_WORDS)
    assert VAL_WORDS not in ev["split_note"]  # never "the ones to compare runs by": runs does not rank it by them
    code, text, _ = run(capsys, "evaluate", proj, "--run", run_id)
    assert text.splitlines()[1].startswith(NO_VAL_RUN_WORDS)

    # the one look at its test score, then its advice again: the validation pictures it never trained on, never test
    assert run(capsys, "evaluate", proj, "--run", run_id, "--split", "test")[0] == 0
    for split in ("test", "val"):
        code, ev, _ = run(capsys, "evaluate", proj, "--run", run_id, "--split", split, "--json")
        assert code == 0
        assert not any(a["evidence"].get("split") == "test" for a in ev["advice"]), ev["advice"]
        assert not any("test pictures" in a["text"] for a in ev["advice"]), ev["advice"]
        assert any(a["evidence"].get("split") == "val" for a in ev["advice"])  # "Only 8 validation pictures…"

    # a run with validation says it is one to compare runs by
    other = _train(capsys, proj, spec)
    code, ev, _ = run(capsys, "evaluate", proj, "--run", other, "--json")
    assert code == 0 and ev["validation"] is True and ev["split_note"].startswith(VAL_WORDS)


def test_runs_offers_the_test_look_for_the_best_run_only_while_unseen(tmp_path, capsys):
    make_project(tmp_path / "proj").close()
    proj, spec = tmp_path / "proj", tmp_path / "tiny.json"
    tiny_spec().save(spec)
    ids = [_train(capsys, proj, spec, "--seed", str(seed)) for seed in (1, 2)]
    code, listing, _ = run(capsys, "runs", proj, "--json")
    (best,) = [r["id"] for r in listing["runs"] if r["best"]]
    (other,) = [i for i in ids if i != best]
    said = [line for line in run(capsys, "runs", proj)[1].splitlines() if line.startswith("not looked at: ")]
    assert len(said) == 1 and said[0].endswith(f"cnnstudio evaluate {proj} --run {best} --split test")

    assert run(capsys, "evaluate", proj, "--run", best, "--split", "test")[0] == 0  # the best's, looked at
    code, text, _ = run(capsys, "runs", proj)
    said = [line for line in text.splitlines() if line.startswith("not looked at: ")]
    assert code == 0 and len(said) == 1  # the other run's score is still blank: why, said once
    assert f"--run {other}" not in text and "--split test" not in text  # QA: it named the run that is not the best
    assert said[0].endswith("A run's test score shows here once you look at it on purpose.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fine_tune_epochs_are_refused_under_torchrun(tmp_path):
    """Reviewer: under torchrun a frozen backbone is never fine-tuned (frozen_run.uses_frozen_path: one process), yet
    --fine-tune-epochs was taken and silently ignored. One process of a torchrun group (gloo) says why, makes no
    run."""
    from tests.engine.test_frozen_run import frozen_spec

    make_project(tmp_path / "proj").close()
    frozen_spec(side=32).save(tmp_path / "frozen.json")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CUDA_VISIBLE_DEVICES": "", "OMP_NUM_THREADS": "1",
           "RANK": "0", "WORLD_SIZE": "1", "LOCAL_RANK": "0", "LOCAL_WORLD_SIZE": "1",
           "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(_free_port()), "CNNSTUDIO_DIST_TIMEOUT": "20"}
    proc = subprocess.run([sys.executable, "-m", "cnnstudio", "train", str(tmp_path / "proj"), "--spec",
                           str(tmp_path / "frozen.json"), "--fine-tune-epochs", "1", "--device", "cpu"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (
        "cnnstudio: error: --fine-tune-epochs fine-tunes only outside torchrun, and this run trains under it (1 "
        "process), where only the layers after the frozen backbone train: train it without torchrun or --nproc to "
        "fine-tune it")
    assert not any((tmp_path / "proj" / "runs").glob("*/config.json"))  # nothing made

"""`cnnstudio pack`, `cnnstudio train JOB.zip`, `cnnstudio import-run`: one JSON object, one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.cli.helpers import error_out, run
from tests.engine.test_data import make_project
from tests.engine.test_jobs import job_settings, plain_spec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def proj_dir(tmp_path):
    make_project(tmp_path / "proj").close()
    return tmp_path / "proj"


def test_pack_train_elsewhere_import(proj_dir, tmp_path, capsys):
    spec = tmp_path / "plain.json"
    plain_spec().save(spec)
    config = tmp_path / "run-config.json"  # a run's config.json shape: settings + spec
    config.write_text(json.dumps({"settings": job_settings(epochs=1).to_json(), "spec": plain_spec().to_json()}))
    code, packed, err = run(capsys, "pack", proj_dir, "--run-config", config, "--name", "gpu run",
                            "--out", tmp_path / "job.zip", "--json")
    assert code == 0, err
    assert packed["images"] == 40 and packed["train"] == "cnnstudio train job.zip" and packed["bytes"] > 0
    assert "Packing images" in err

    away = tmp_path / "gpu-box"
    away.mkdir()
    shutil.move(packed["job"], away / "job.zip")
    code, out, err = run(capsys, "train", away / ".." / "gpu-box" / "job.zip", "--device", "cpu", "--json")
    assert code == 0, err
    assert out["status"] == "finished" and out["run"] == packed["run"] and out["processes"] == 1
    assert out["import"].endswith(f"runs/{packed['run']}") and "epoch 1/1" in err
    assert ".." not in out["import"]  # the path to bring home is said whole, not as typed (QA cli #20)

    code, again, err = run(capsys, "train", away / "job", "--json")  # the unpacked folder works too
    assert code == 1 and error_out(again, err) and "already been trained" in err and err.count("\n") == 1

    from cnnstudio.engine.use.figures import percent

    here = tmp_path / "copy"  # the same run imported into a copy of the project, said in words
    shutil.copytree(proj_dir, here)
    code, said, err = run(capsys, "import-run", here, away / "job" / "runs" / packed["run"])
    assert code == 0, err
    assert said == (f"Imported run {packed['run']} (finished): val accuracy {percent(out['metrics']['val_accuracy'])}. "
                    f"See 'cnnstudio runs {here}'.\n")  # its test score once looked at (seen_scores), not here

    code, imported, err = run(capsys, "import-run", proj_dir, away / "job" / "runs" / packed["run"], "--json")
    assert code == 0, err
    from cnnstudio.cli.common import shell_command

    look = shell_command("cnnstudio", "evaluate", proj_dir, "--run", packed["run"], "--split", "test")
    assert imported == {"run": packed["run"], "name": "gpu run", "status": "finished", "best_epoch": 1,
                        "epochs": 1, "val_accuracy": out["metrics"]["val_accuracy"],
                        "test_seen": False, "look_at_test": look}  # its test figure only once looked at on purpose
    assert "test_accuracy" not in out["metrics"] and out["metrics"]["test_seen"] is False  # not looked at: left out
    code, listing, _ = run(capsys, "runs", proj_dir, "--json")
    assert [(r["id"], r["status"], r["data_changed"]) for r in listing["runs"]] == [(packed["run"], "finished", False)]
    code, ev, err = run(capsys, "evaluate", proj_dir, "--split", "test", "--json")
    code, listing, _ = run(capsys, "runs", proj_dir, "--json")
    assert code == 0 and ev["run"] == packed["run"] and ev["accuracy"] == pytest.approx(
        listing["runs"][0]["test_accuracy"])


def test_pack_without_run_config_uses_a_preset_or_the_default(proj_dir, tmp_path, capsys):
    code, out, err = run(capsys, "pack", proj_dir, "--preset", "classic", "--epochs", "3", "--out",
                         tmp_path / "classic", "--json")
    assert code == 0, err
    cfg = json.loads((tmp_path / "classic" / "runs" / out["run"] / "config.json").read_text())
    assert cfg["preset"] == "classic" and cfg["settings"]["epochs"] == 3
    code, out, err = run(capsys, "pack", proj_dir, "--out", tmp_path / "default.zip", "--quiet")
    assert code == 0 and "Packed run" in out and "import-run" in out and err == ""


def test_bad_input_one_line_errors(proj_dir, tmp_path, capsys):
    code, packed, err = run(capsys, "pack", proj_dir, "--out", tmp_path / "job.zip", "--json", "--quiet")
    assert code == 0, err
    (tmp_path / "notrun").mkdir()
    (tmp_path / "bad.json").write_text("{nope")
    with zipfile.ZipFile(tmp_path / "m.zip", "w") as z:  # a model bundle's files: not a run
        z.writestr("manifest.json", "{}")
        z.writestr("model.safetensors", b"weights")
    cases = [
        (["pack", proj_dir, "--out", tmp_path / "job.zip"], "already exists"),
        (["pack", proj_dir, "--out", tmp_path / "x.zip", "--run-config", tmp_path / "bad.json"], "not valid JSON"),
        (["pack", proj_dir, "--out", tmp_path / "x.zip", "--preset", "no_such"], "no preset"),
        (["pack", tmp_path / "nope", "--out", tmp_path / "x.zip"], "does not exist"),
        (["train", tmp_path / "job.zip", "--epochs", "3"], "carries its own settings"),
        (["train", tmp_path / "job.zip", "--nproc", "0"], "--nproc must be 1 or more, not 0"),
        (["import-run", proj_dir, tmp_path / "notrun"], "notrun is not a training run"),
        (["import-run", proj_dir, tmp_path / "m.zip"], "error: m.zip is not a training run"),
        (["import-run", proj_dir, tmp_path / "missing.zip"], "does not exist"),
    ]
    for argv, message in cases:
        code, out, err = run(capsys, *argv)
        assert code != 0 and error_out(out, err), argv
        assert err.count("\n") == 1 and message in err, (argv, err)


def test_import_of_other_data_is_refused_with_what_differs(proj_dir, tmp_path, capsys):
    from cnnstudio.project import Project

    code, packed, err = run(capsys, "pack", proj_dir, "--spec", _spec(tmp_path), "--epochs", "1", "--out",
                            tmp_path / "job.zip", "--json", "--quiet")
    assert code == 0, err
    code, out, err = run(capsys, "train", tmp_path / "job.zip", "--json", "--quiet")
    assert code == 0, err
    with Project.open(proj_dir) as p:
        p.delete_images(sorted(p.ids())[:2])
    code, out, err = run(capsys, "import-run", proj_dir, tmp_path / "job", "--json")
    assert code == 1 and error_out(out, err) and err.count("\n") == 1
    assert "trained on 40 images: 2 of them are not among this project's labelled images" in err


def _spec(tmp_path: Path) -> Path:
    path = tmp_path / "plain.json"
    plain_spec().save(path)
    return path


def test_the_cli_still_starts_without_torch():
    code = ("import sys, cnnstudio.cli as c; p = c.build_parser(); "
            "assert {'pack', 'import-run'} <= set(p._subparsers._group_actions[0].choices); "
            "assert 'torch' not in sys.modules, 'the CLI imported torch at start'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)

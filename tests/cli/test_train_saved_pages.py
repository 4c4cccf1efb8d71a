"""`cnnstudio train DIR` and `pack DIR` train what the window's pages are set to, and say so; options override."""

from __future__ import annotations

import json
import zipfile

from cnnstudio.engine.model.design import META_SPEC
from cnnstudio.project import Project, run_records
from tests.cli.helpers import error_out, run
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_saved_pages import PAGE_FORM, _store_pages


def _project(tmp_path, form=PAGE_FORM):
    with make_project(tmp_path / "proj") as project:
        _store_pages(project, form=form)
    return tmp_path / "proj"


def _config(folder, run_id):
    with Project.open(folder) as project:
        return run_records.get_run(project, run_id).config


def test_train_with_no_options_trains_the_pages_design_and_settings(tmp_path, capsys):
    folder = _project(tmp_path, form={**PAGE_FORM, "epochs": 1, "batch_size": 8})
    code, out, err = run(capsys, "train", folder, "--json")
    assert code == 0, err
    cfg = _config(folder, out["run"])
    assert cfg["spec"] == tiny_spec().to_json() and not cfg["preset"]
    s = cfg["settings"]
    assert (s["epochs"], s["batch_size"], s["optimizer"], s["lr"], s["seed"]) == (1, 8, "sgd", 0.05, 7)
    assert s["augment"]["hflip"] is True and s["preprocess"]["resize"] == "letterbox"
    assert out["epochs"] == 1
    assert "Design and settings: as set on the Model and Train pages" in err
    assert "--preset NAME or --spec FILE trains another design" in err


def test_an_option_changes_one_setting_and_a_preset_replaces_the_pages(tmp_path, capsys):
    folder = _project(tmp_path, form={**PAGE_FORM, "epochs": 3, "batch_size": 8})
    code, out, err = run(capsys, "train", folder, "--epochs", "1", "--json")
    assert code == 0, err
    s = _config(folder, out["run"])["settings"]
    assert s["epochs"] == 1 and s["optimizer"] == "sgd"  # the option wins; the page's other settings stay

    code, out, err = run(capsys, "train", folder, "--preset", "lenet5", "--epochs", "1", "--json")
    assert code == 0, err
    cfg = _config(folder, out["run"])
    assert cfg["preset"] == "lenet5" and cfg["settings"]["optimizer"] == "adamw"  # the recipe's, not the page's
    assert "Model and Train pages" not in err


def test_a_design_that_cannot_be_read_stops_with_one_sentence(tmp_path, capsys):
    folder = _project(tmp_path)
    with Project.open(folder) as project:
        project.set_meta(META_SPEC, "{broken")
    code, out, err = run(capsys, "train", folder, "--json")
    assert code == 1 and error_out(out, err)
    assert "the Model page's design saved in the project cannot be read" in err
    assert "--preset or --spec" in err and "Traceback" not in err


def test_pack_takes_the_pages_too(tmp_path, capsys):
    folder = _project(tmp_path)
    code, out, err = run(capsys, "pack", folder, "--out", tmp_path / "job.zip", "--json")
    assert code == 0, err
    assert "as set on the Model and Train pages" in err
    with zipfile.ZipFile(out["job"]) as zf:
        cfg = json.loads(zf.read(next(n for n in zf.namelist() if n.endswith("/config.json"))))
    assert cfg["spec"] == tiny_spec().to_json() and cfg["settings"]["optimizer"] == "sgd"


def test_tune_searches_from_the_pages_own_design(tmp_path, capsys):
    folder = _project(tmp_path, form={**PAGE_FORM, "epochs": 1, "batch_size": 8})
    (tmp_path / "space.json").write_text(json.dumps({"epochs": 1, "params": {"lr": {"low": 0.001, "high": 0.01, "log": True}}}))
    code, out, err = run(capsys, "tune", folder, "--space", tmp_path / "space.json", "--trials", "1", "--no-final",
                         "--threads", "1", "--json")
    assert code == 0, err
    assert "as set on the Model and Train pages" in err and "searches from another design" in err
    cfg = _config(folder, out["best"]["run"])
    assert cfg["spec"] == tiny_spec().to_json()  # an own design: only the settings are searched
    assert cfg["settings"]["optimizer"] == "sgd" and cfg["settings"]["seed"] == 7  # the Train page's

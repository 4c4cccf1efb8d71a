"""Small words of the command line (QA): export of an exported file says what export needs; evaluate's
``data_changed`` is a boolean as in ``runs --json``, its sentence in ``data_changed_words``; the first line of a run
trained in several processes says how many."""

from __future__ import annotations

import pytest

from cnnstudio.cli.train_result import _EpochLine
from cnnstudio.engine.events import RunStarted
from cnnstudio.project import Project
from tests.cli.helpers import error_out, run
from tests.engine.test_data import make_project, tiny_spec


@pytest.fixture
def trained(tmp_path):
    """A project with one run of one epoch."""
    make_project(tmp_path / "proj").close()
    tiny_spec().save(tmp_path / "tiny.json")
    from cnnstudio.cli import main

    assert main(["train", str(tmp_path / "proj"), "--spec", str(tmp_path / "tiny.json"), "--epochs", "1",
                 "--batch-size", "8", "--quiet", "--json"]) == 0
    return tmp_path


def test_export_of_an_exported_file_says_what_export_needs(trained, capsys):
    (trained / "out dir").mkdir()  # export makes no missing folder (test_export_replace_cmds.py)
    code, out, err = run(capsys, "export", trained / "proj", "--out", trained / "out dir" / "model.pt", "--json")
    assert code == 0, err
    code, out, err = run(capsys, "export", trained / "out dir" / "model.pt", "--out", trained / "f.zip", "--json")
    assert code == 1 and error_out(out, err) and err.count("\n") == 1
    assert "predict" not in err and "export needs the project folder" in err and "model.pt is a TorchScript" in err


def test_evaluate_says_data_changed_as_a_boolean_with_its_words(trained, capsys):
    code, ev, err = run(capsys, "evaluate", trained / "proj", "--json")
    assert code == 0 and ev["data_changed"] is False and ev["data_changed_words"] == ""
    with Project.open(trained / "proj") as p:
        one = p.ids()[0]
        p.set_labels([one], None)
    code, ev, err = run(capsys, "evaluate", trained / "proj", "--json")
    assert code == 0 and ev["data_changed"] is True and isinstance(ev["data_changed_words"], str) and ev["data_changed_words"]
    code, listing, _ = run(capsys, "runs", trained / "proj", "--json")
    assert {type(r["data_changed"]) for r in listing["runs"]} == {bool}


def test_the_first_line_of_a_run_in_several_processes_says_how_many(capsys):
    start = RunStarted("r1", epochs=1, start_epoch=1, batches_per_epoch=1, train_images=8, val_images=2,
                       device="CPU (1 thread)", threads=1, parameters=100)
    _EpochLine(False, processes=2)(start)
    err = capsys.readouterr().err
    assert err.startswith("Run r1: 1 epoch of 1 batch, 8 train / 2 validation pictures") and ", in 2 processes" in err
    _EpochLine(False)(RunStarted("r2", 3, 1, 5, 8, 2, "CPU (1 thread)", 1, 100))
    err = capsys.readouterr().err
    assert "3 epochs of 5 batches" in err and "processes" not in err


def test_evaluate_and_report_find_a_run_by_its_name(trained, capsys):
    code, listing, _ = run(capsys, "runs", trained / "proj", "--json")
    [only] = listing["runs"]
    code, ev, err = run(capsys, "evaluate", trained / "proj", "--run", only["name"], "--split", "val", "--json")
    assert code == 0 and ev["run"] == only["id"], err
    code, _, err = run(capsys, "evaluate", trained / "proj", "--run", "no such run", "--json")
    assert code == 1 and "there is no run “no such run” in this project (see 'cnnstudio runs')" in err

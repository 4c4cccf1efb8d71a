"""`runs --rename` and `train --name` refuse a name on two lines, as `class rename` does: it would split the
runs table's row."""

from __future__ import annotations

from tests.cli.helpers import error_out, run, usage_error
from cnnstudio.project import Project, run_records
from tests.engine.test_data import make_project


def test_a_run_name_with_a_line_break_is_refused(tmp_path, capsys):
    with make_project(tmp_path / "proj") as p:
        run_records.run_dir(p, "r1").mkdir()
        run_records.add_run(p, "r1", "first")
    proj = tmp_path / "proj"
    for name in ("two\nlines", "tab\there"):
        code, out, err = run(capsys, "runs", proj, "--rename", "r1", name, "--json")
        assert code == 1 and error_out(out, err)
        assert err.strip() == "cnnstudio: error: a run name cannot contain line breaks or tabs"
        code, out, err = run(capsys, "train", proj, "--epochs", "1", "--name", name, "--json")
        assert code == 1 and error_out(out, err) and "a run name cannot contain line breaks or tabs" in err
    with Project.open(proj) as p:
        assert [(r.id, r.name) for r in run_records.list_runs(p)] == [("r1", "first")]
    assert [d.name for d in (proj / "runs").iterdir()] == ["r1"]  # no folder left by the refused train
    code, text, _ = run(capsys, "runs", proj)
    assert len(text.strip().splitlines()) == 2  # the header and one row


def test_an_empty_run_id_is_refused_not_taken_for_no_option(tmp_path, capsys):
    with make_project(tmp_path / "proj") as p:
        run_records.run_dir(p, "r1").mkdir()
        run_records.add_run(p, "r1", "first")
    proj = tmp_path / "proj"
    for argv, words in ((["--delete", ""], "--delete cannot be empty"), (["--delete", "  "], "--delete cannot be empty"),
                        (["--rename", "", "x"], "--rename cannot be empty")):
        code, out, err = usage_error(capsys, "runs", proj, *argv, "--json")
        assert code == 2 and out["exit_code"] == 2 and words in err and words in out["error"], argv
    with Project.open(proj) as p:
        assert [(r.id, r.name) for r in run_records.list_runs(p)] == [("r1", "first")]


def test_a_run_is_found_by_its_name_where_its_id_is_asked_for(tmp_path, capsys):
    with make_project(tmp_path / "proj") as p:
        for run_id, name in (("r1", "first"), ("r2", "twin"), ("r3", "twin")):
            run_records.run_dir(p, run_id).mkdir()
            run_records.add_run(p, run_id, name)
    proj = tmp_path / "proj"
    code, out, _ = run(capsys, "runs", proj, "--rename", "first", "kept", "--json")
    assert code == 0 and out == {"run": "r1", "name": "kept"}
    code, out, _ = run(capsys, "runs", proj, "--rename", "kept", "kept again")  # said in words: quoted as the app does
    assert code == 0 and out == "Renamed run r1 to “kept again”.\n"
    code, out, _ = run(capsys, "runs", proj, "--rename", "kept again", "kept", "--json")
    code, out, err = run(capsys, "runs", proj, "--rename", "first", "x", "--json")  # no run has that name now
    assert code == 1 and error_out(out, err)
    assert err.strip() == "cnnstudio: error: there is no run “first” in this project (see 'cnnstudio runs')"
    code, out, err = run(capsys, "runs", proj, "--delete", "twin", "--json")  # two runs have it: which one?
    assert code == 1 and "2 runs are named “twin”: give the id of the one you mean (see 'cnnstudio runs')" in err
    code, out, _ = run(capsys, "runs", proj, "--delete", "kept", "--json")
    assert code == 0 and out == {"run": "r1", "deleted": True}
    with Project.open(proj) as p:
        assert [r.id for r in run_records.list_runs(p)] == ["r3", "r2"]


def test_the_runs_table_marks_data_changed_and_says_a_trials_design_once(tmp_path, capsys):
    import json

    from cnnstudio.cli.runs_cmds import DATA_CHANGED, _name_says

    with make_project(tmp_path / "proj") as p:
        for run_id in ("r1", "r2"):
            run_records.run_dir(p, run_id).mkdir()
            run_records.add_run(p, run_id, f"run {run_id}")
        # r1 trained on one picture the project no longer holds: its data changed since
        (run_records.run_dir(p, "r1") / run_records.DATASET).write_text(json.dumps(
            {"fingerprint": "then", "classes": ["a"], "images": [{"sha256": "0" * 64, "label": "a", "split": "train"}]}))
    code, text, _ = run(capsys, "runs", tmp_path / "proj")
    rows = {line.split()[0]: line for line in text.splitlines()}
    assert code == 0 and f"({DATA_CHANGED})" in rows["r1"] and DATA_CHANGED not in rows["r2"]
    assert any(line.startswith(f"{DATA_CHANGED}: ") and "train a new run" in line for line in text.splitlines())
    code, out, _ = run(capsys, "runs", tmp_path / "proj", "--json")
    assert [r["data_changed"] for r in out["runs"]] == [False, True]  # newest first: r2, r1
    trial = "Recommended design (depth 3) · Auto epochs · search s2, trial 3"
    assert _name_says(trial, "Search s2, trial 3: 4 convolutions")
    assert not _name_says(trial, "Search s2, trial 4: 4 convolutions") and not _name_says("packed", "Small VGG")
    assert _name_says("Small VGG · 40 epochs", "Small VGG")

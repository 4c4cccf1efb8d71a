"""`runs --rename` and `train --name` refuse a name on two lines, as `class rename` does: it would split the
runs table's row."""

from __future__ import annotations

from tests.cli.helpers import error_out, run
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
    for argv, words in ((["--delete", ""], "--delete needs a run id"), (["--delete", "  "], "--delete needs a run id"),
                        (["--rename", "", "x"], "--rename needs a run id")):
        code, out, err = run(capsys, "runs", proj, *argv, "--json")
        assert code == 1 and error_out(out, err) and words in err, argv
    with Project.open(proj) as p:
        assert [(r.id, r.name) for r in run_records.list_runs(p)] == [("r1", "first")]

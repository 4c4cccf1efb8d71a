"""`cnnstudio runs` says why a failed run failed (text and --json), from the run's row, which keeps the reason even
when error.txt could not be written (a full disk). A real run that failed on a picture deleted by hand."""

from __future__ import annotations

from cnnstudio.engine.events import RunFailed
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.project import run_records
from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


def test_runs_says_why_a_failed_run_failed_even_without_its_error_file(tmp_path, capsys):
    with make_project(tmp_path / "proj") as p:
        run_id = runs.create_run(p, settings(epochs=1), tiny_spec())
        p.image_path(p.ids()[0]).unlink()  # deleted by hand: the run cannot read it
        last = list(runs.run(p, run_id))[-1]
        assert isinstance(last, RunFailed)
        (run_records.run_dir(p, run_id) / "error.txt").unlink()  # as on a full disk: only the row has the reason
    reason = last.reason.splitlines()[0]
    code, out, err = run(capsys, "runs", tmp_path / "proj")
    assert code == 0, err
    assert f"failed: {run_id}: {reason}" in out.splitlines()
    code, listing, _ = run(capsys, "runs", tmp_path / "proj", "--json")
    assert listing["runs"][0]["status"] == "failed" and listing["runs"][0]["error"] == reason


def test_a_run_that_did_not_fail_has_no_reason(tmp_path, capsys):
    with make_project(tmp_path / "proj") as p:
        runs.create_run(p, settings(epochs=1), tiny_spec())
    code, listing, _ = run(capsys, "runs", tmp_path / "proj", "--json")
    assert listing["runs"][0]["error"] is None
    code, out, _ = run(capsys, "runs", tmp_path / "proj")
    assert "failed:" not in out

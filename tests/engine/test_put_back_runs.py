"""A copy of project.db put back is older than some runs: their folders are in runs/ but the copy has no row for
them. Opening the project from the copy (the window's button, or the files renamed by hand as the damaged-project
sentence says) lists them again from their own files and says how many; ``import-run`` of such a folder lists it
too (the "already in this project" check asks the database). Real jobs trained on a tiny project, real SQLite."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.runs.jobs import import_run, train_job
from cnnstudio.project import Project, run_records
from cnnstudio.project.db_backup import BACKUP_NAME
from cnnstudio.project.put_back import put_back, put_back_words
from tests.cli.helpers import run
from tests.engine.test_jobs import make_job


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("job")
    proj_dir, job = make_job(tmp, epochs=1)
    assert isinstance(list(train_job(job))[-1], RunFinished)
    return proj_dir, next((tmp / "job" / "runs").iterdir())


def _copy_then_train(trained, tmp_path):
    """The project with its copy of project.db written before the run came in: (folder, run id)."""
    proj_dir, run_folder = trained
    root = tmp_path / "proj"
    shutil.copytree(proj_dir, root)
    (root / BACKUP_NAME).unlink(missing_ok=True)
    with Project.open(root):
        pass  # closing writes the copy: due (none yet), and the project holds pictures
    assert (root / BACKUP_NAME).is_file()
    with Project.open(root) as p:
        run_id = import_run(p, run_folder, name="Mine")
        summary = run_records.get_run(p, run_id).summary
    return root, run_id, summary


def _runs(root) -> list:
    with Project.open(root) as p:
        return run_records.list_runs(p)


def test_the_copy_put_back_by_the_button_lists_the_runs_found_in_runs_and_says_how_many(trained, tmp_path):
    root, run_id, summary = _copy_then_train(trained, tmp_path)
    (root / "project.db").write_bytes(b"")  # damaged
    assert put_back(root) == ""
    with Project.open(root) as p:
        assert p.runs_back == 1 and p.put_back_from is not None
        info = run_records.get_run(p, run_id)
        assert info.status == "finished" and info.summary.get("test_accuracy") == summary.get("test_accuracy")
        assert run_records.has_model(p, run_id)
        assert put_back_words(p.put_back_from, p.runs_back).endswith(
            ", except the trained runs: 1 run found in the project's runs folder was added back to the runs list")
    with Project.open(root) as p:  # once: the mark is gone with the opening that used it
        assert p.runs_back == 0 and p.put_back_from is None and [r.id for r in run_records.list_runs(p)] == [run_id]


def test_the_copy_renamed_by_hand_as_the_cli_says_lists_the_runs_again(trained, tmp_path, capsys):
    root, run_id, _ = _copy_then_train(trained, tmp_path)
    db = root / "project.db"
    db.write_bytes(os.urandom(8192))
    code, _, err = run(capsys, "runs", root)
    assert code != 0 and "rename project.db to project.db.damaged, then rename project.db.bak to project.db" in err
    os.replace(db, root / "project.db.damaged")  # what the sentence says, step by step
    os.replace(root / BACKUP_NAME, db)
    code, out, err = run(capsys, "runs", root)
    assert code == 0 and run_id in out and "No runs yet" not in out
    assert "1 run found in the project's runs folder was added back to the runs list." in err
    assert [r.id for r in _runs(root)] == [run_id]


def test_import_run_of_a_folder_in_runs_without_its_row_lists_it(trained, tmp_path, capsys):
    root, run_id, _ = _copy_then_train(trained, tmp_path)
    con = sqlite3.connect(root / "project.db", isolation_level=None)
    con.execute("DELETE FROM runs")  # a database without the run, its folder still there (no copy's mark)
    con.close()
    assert _runs(root) == []
    code, out, err = run(capsys, "import-run", root, root / "runs" / run_id, "--json")
    assert code == 0, err
    assert [r.id for r in _runs(root)] == [run_id] and (root / "runs" / run_id / "model").is_dir()
    code, _, err = run(capsys, "import-run", root, root / "runs" / run_id)  # now the database has it
    assert code != 0 and f"run {run_id} is already in this project" in err

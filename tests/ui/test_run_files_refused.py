"""The Train page's reads of the best run give nothing, never an error, when the database refuses (review of
aa72d23: its ``_shown_gone`` called run_records.best_run directly, and neither it nor run_files.best_run caught
sqlite3.Error). Real project, real SQLite: another program leaves the run index unreadable."""

from __future__ import annotations

import sqlite3

import pytest

from cnnstudio.project import run_records
from cnnstudio.project.store import DB_NAME
from cnnstudio.ui.train import run_files

from ..engine.test_best_same_pictures import SIDE, finished
from ..engine.test_data import make_project


def test_the_best_run_is_none_when_the_database_refuses(tmp_path):
    proj = make_project(tmp_path / "proj", per_class=6, side=SIDE)
    try:
        run_id = finished(proj, "only", 0.9)
        assert run_files.best_run(proj).id == run_id
        con = sqlite3.connect(proj.root / DB_NAME)
        con.execute("ALTER TABLE runs RENAME TO runs_elsewhere")  # the run index, gone from under the page
        con.commit()
        con.close()
        with pytest.raises(sqlite3.Error):  # what the page met
            run_records.best_run(proj)
        assert run_files.best_run(proj) is None
        assert run_files.best_run_why(proj, run_id) is None
    finally:
        proj.close()

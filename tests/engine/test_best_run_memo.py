"""Choosing the best run does no work twice and writes nothing (review of aa72d23: every call of the best run, from
the Evaluate bar, the Predict box, the Train page, reports, read every older run's dataset.json again and, when the
runs' validation pictures differed, every picture record; and ``cnnstudio predict`` wrote rows). Real projects, real
run folders, real SQLite; the reads are counted, not replaced."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cnnstudio.project import run_records as R
from cnnstudio.project.records import ImageFilter
from cnnstudio.project.store import DB_NAME, Project
from cnnstudio.project.val_pictures import VAL_FINGERPRINT

from .test_best_same_pictures import add_pictures, finished
from .test_data import make_project

SIDE = 12


def _two_kinds_of_runs(tmp_path: Path) -> tuple[Project, str, str]:
    """A run scored on the validation pictures of before and one on today's (their records hold no fingerprint:
    runs recorded before it was kept, as the trainer's end is not run here)."""
    proj = make_project(tmp_path / "proj", per_class=12, side=SIDE)
    old = finished(proj, "old", 0.95)
    add_pictures(proj, tmp_path / "more", seed=5)
    proj.assign_splits((60, 20, 20), seed=3)
    new = finished(proj, "new", 0.80)
    return proj, old, new


def _counting(monkeypatch) -> dict[str, int]:
    counts = {"dataset.json": 0, "records": 0}
    read_text, records = Path.read_text, Project.records

    def counted_read(self, *a, **k):
        if self.name == R.DATASET:
            counts["dataset.json"] += 1
        return read_text(self, *a, **k)

    def counted_records(self, *a, **k):
        counts["records"] += 1
        return records(self, *a, **k)

    monkeypatch.setattr(Path, "read_text", counted_read)
    monkeypatch.setattr(Project, "records", counted_records)
    return counts


def test_asking_again_reads_no_run_file_and_no_picture(tmp_path, monkeypatch):
    proj, old, new = _two_kinds_of_runs(tmp_path)
    try:
        counts = _counting(monkeypatch)
        assert R.best_run(proj).id == new
        assert counts["dataset.json"] >= 2 and counts["records"] >= 1  # the first time: both runs, today's pictures
        counts.update({"dataset.json": 0, "records": 0})
        for _ in range(5):
            assert R.best_run(proj).id == new and R.best_run_why(proj, over=old)[0].id == new
        assert counts == {"dataset.json": 0, "records": 0}
    finally:
        proj.close()


def test_choosing_writes_nothing(tmp_path):
    proj, old, new = _two_kinds_of_runs(tmp_path)
    try:
        written = proj.connections.changes_except(None)
        assert R.best_run(proj).id == new
        assert proj.connections.changes_except(None) == written
        assert not any(VAL_FINGERPRINT in r.summary or "val_pictures" in r.summary for r in R.list_runs(proj))
        proj.close()
        seen = Project.open(tmp_path / "proj", read_only=True)  # for viewing: the same choice, no file read twice
        try:
            assert R.best_run(seen).id == new
            assert R.best_run_why(seen, over=old)[1] == R.BEST_OTHER_PICTURES
        finally:
            seen.close()
    finally:
        proj.close()


def test_another_programs_change_is_seen(tmp_path):
    proj, old, new = _two_kinds_of_runs(tmp_path)
    try:
        assert R.best_run(proj).id == new
        con = sqlite3.connect(proj.root / DB_NAME)  # the command line splits the pictures again
        with con:
            ids = proj.ids(ImageFilter(split="val"))[:3]
            con.execute(f"UPDATE images SET split = 'train' WHERE id IN ({','.join('?' * len(ids))})", ids)
        con.close()
        # no run was scored on the validation pictures now: every run is compared, as before
        assert R.best_run(proj).id == old
    finally:
        proj.close()

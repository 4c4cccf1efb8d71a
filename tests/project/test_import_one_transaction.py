"""``import_paths(one_transaction=True)`` (a camera burst): the files go in chunk by chunk under the journal, the
rows in one transaction at the end; a write that fails leaves no row and no file."""

from __future__ import annotations

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project import importer
from cnnstudio.project.disk import DiskError
from tests.conftest import write_image


def _frames(folder, n):
    return [write_image(folder / f"frame-{i:05d}.png", color=(10 + 7 * i, 40, 60)) for i in range(n)]


def _row_transactions(project: Project) -> list[list[str]]:
    """Records the statements of this thread's connection, one list per transaction."""
    blocks: list[list[str]] = []

    def trace(sql: str) -> None:
        if sql.startswith("BEGIN"):
            blocks.append([])
        elif blocks:
            blocks[-1].append(sql)

    project._con().set_trace_callback(trace)
    return blocks


def test_every_row_of_the_import_goes_in_one_transaction(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_FILES", 2)  # so the ordinary import would commit four chunks
    project = Project.create(tmp_path / "p")
    files = _frames(tmp_path / "burst", 7)
    blocks = _row_transactions(project)
    report = import_paths(project, files, class_name="cat", one_transaction=True, workers=1)
    project._con().set_trace_callback(None)
    with_rows = [b for b in blocks if any(s.startswith("INSERT INTO images") for s in b)]
    assert len(with_rows) == 1 and sum(s.startswith("INSERT INTO images") for s in with_rows[0]) == 7
    assert with_rows[0][-1] == "COMMIT"
    assert len(report.imported) == 7 and report.classes_created == ["cat"]
    recs = project.records(report.imported)
    assert [r.original_name for r in recs] == [f.name for f in files]  # in the order taken
    assert len({r.added_at for r in recs}) == 1
    assert all((project.root / r.file).is_file() for r in recs)
    assert not project._con().execute("SELECT * FROM pending_files").fetchall()

    blocks = _row_transactions(project)  # the ordinary import, for comparison: a transaction a chunk
    import_paths(project, _frames(tmp_path / "more", 12)[7:], class_name="cat", workers=1)
    project._con().set_trace_callback(None)
    assert len([b for b in blocks if any(s.startswith("INSERT INTO images") for s in b)]) > 1


def test_a_write_that_fails_leaves_no_row_and_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_FILES", 2)
    project = Project.create(tmp_path / "p")
    files = _frames(tmp_path / "burst", 7)
    real, calls = importer._write_atomic, []

    def full_after_a_while(path, data, incoming):
        calls.append(path)
        if len(calls) > 9:  # the third chunk: two chunks' files (and thumbnails) are written already
            raise OSError(28, "No space left on device")
        real(path, data, incoming)

    monkeypatch.setattr(importer, "_write_atomic", full_after_a_while)
    with pytest.raises(DiskError):
        import_paths(project, files, class_name="cat", one_transaction=True, workers=1)
    con = project._con()
    assert con.execute("SELECT COUNT(*) FROM images").fetchone()[0] == 0
    assert not con.execute("SELECT * FROM pending_files").fetchall()
    left = [p for p in (project.root / "images").rglob("*") if p.is_file() and ".incoming" not in p.parts]
    assert left == []
    assert project.classes() == []  # nothing half-made: not even the class

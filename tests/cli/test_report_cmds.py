"""`cnnstudio report`: a path that cannot take the report is named as the user gave it, in one line."""

from __future__ import annotations

from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec


def test_report_into_an_existing_folder_says_it_is_a_folder(tmp_path, capsys):
    make_project(tmp_path / "proj").close()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, _, err = run(capsys, "train", tmp_path / "proj", "--spec", spec, "--epochs", "1", "--json")
    assert code == 0, err
    folder = tmp_path / "emptydir"
    folder.mkdir()
    code, out, err = run(capsys, "report", tmp_path / "proj", "--out", folder)
    assert code == 1 and out == ""
    assert err == (f"cnnstudio: error: {folder} is a folder: give a file name, such as "
                   f"{folder / 'report.html'}\n")
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".*.tmp"))
    code, out, err = run(capsys, "report", tmp_path / "proj", "--out", folder / "report.html", "--json")
    assert code == 0 and out["report"] == str(folder / "report.html"), err


def test_report_never_replaces_a_file_it_did_not_write(tmp_path, capsys):
    """A mistyped --out once replaced the project's database (the whole project lost), a run's config.json,
    a user's picture or notes, and as root even /dev/full. Only a new .html file, or a report written before."""
    make_project(tmp_path / "proj").close()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, _, err = run(capsys, "train", tmp_path / "proj", "--spec", spec, "--epochs", "1", "--json")
    assert code == 0, err
    db = tmp_path / "proj" / "project.db"
    notes, page = tmp_path / "notes.txt", tmp_path / "mine.html"
    notes.write_text("my notes")
    page.write_text("<html><title>my page</title></html>")
    before = {p: p.read_bytes() for p in (db, notes, page)}
    for out, said in ((db, "give a file name ending in .html, such as " + str(db.with_suffix(".html"))),
                      (notes, "ending in .html"), (tmp_path / "r.pdf", "ending in .html"),
                      ("-", "such as report.html"),
                      (page, f"{page} is already there and is not a report CNN Studio wrote; choose another "
                             "name (it was left as it is)")):
        code, _, err = run(capsys, "report", tmp_path / "proj", "--out", out)
        assert code == 1 and said in err and err.count("\n") == 1, (out, err)
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "r.pdf").exists() and not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*"))
    code, out, err = run(capsys, "info", tmp_path / "proj", "--json")
    assert code == 0 and out["images"] > 0  # the project still opens
    mine = tmp_path / "report.html"
    code, out, err = run(capsys, "report", tmp_path / "proj", "--out", mine, "--json")
    assert code == 0 and mine.stat().st_size == out["bytes"], err
    mine.write_text(mine.read_text() + "<!-- an older report -->")
    code, out, err = run(capsys, "report", tmp_path / "proj", "--out", mine, "--json")  # a report: replaced
    assert code == 0 and "an older report" not in mine.read_text(), err


def test_report_refuses_a_path_that_is_not_an_ordinary_file(tmp_path):
    import os

    import pytest

    from cnnstudio.engine.errors import EngineError
    from cnnstudio.engine.runs.report_paths import report_path

    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    with pytest.raises(EngineError, match="is not an ordinary file"):
        report_path(fifo)
    assert report_path(tmp_path / "new.HTML") == tmp_path / "new.HTML"

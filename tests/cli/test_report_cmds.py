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
    assert err == (f"cnnstudio: error: {folder} is a folder: give the report a file name, such as "
                   f"{folder / 'report.html'}\n")
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".*.tmp"))
    code, out, err = run(capsys, "report", tmp_path / "proj", "--out", folder / "report.html", "--json")
    assert code == 0 and out["report"] == str(folder / "report.html"), err

"""A zip given to train / tune that is not a job is named for what it is: a damaged (cut short) job, a model
bundle, another zip; never "a file, not a project folder"."""

from __future__ import annotations

import zipfile

from tests.cli.helpers import error_out, run
from tests.engine.test_data import make_project, tiny_spec


def test_zips_that_are_not_jobs_are_named_for_what_they_are(tmp_path, capsys):
    make_project(tmp_path / "proj").close()
    tiny_spec().save(tmp_path / "tiny.json")
    code, packed, err = run(capsys, "pack", tmp_path / "proj", "--out", tmp_path / "job.zip", "--spec",
                            tmp_path / "tiny.json", "--epochs", "1", "--quiet", "--json")
    assert code == 0, err
    job = (tmp_path / "job.zip").read_bytes()
    (tmp_path / "cut.zip").write_bytes(job[: len(job) // 2])  # copied half-way
    with zipfile.ZipFile(tmp_path / "foreign.zip", "w") as zf:
        zf.writestr("notes.txt", "hello")
    code, _, err = run(capsys, "train", tmp_path / "proj", "--spec", tmp_path / "tiny.json", "--epochs", "1",
                       "--quiet", "--json")
    assert code == 0, err
    code, _, err = run(capsys, "export", tmp_path / "proj", "--out", tmp_path / "model.zip", "--json")
    assert code == 0, err
    cases = {"cut.zip": "cut.zip is a damaged zip file", "foreign.zip": "not a job made by 'cnnstudio pack'",
             "model.zip": "model.zip is a model bundle, not a job"}
    for name, words in cases.items():
        for argv in (["train", tmp_path / name], ["tune", tmp_path / name, "--trials", "1"]):
            code, out, err = run(capsys, *argv, "--json")
            assert code == 1 and error_out(out, err) and err.count("\n") == 1, argv
            assert words in err and "not a project folder" not in err, (argv, err)

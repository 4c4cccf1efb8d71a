"""A run whose folder is gone (deleted by hand, a copy made without runs/): every command says the same one
sentence, and `runs` marks it."""

from __future__ import annotations

import shlex

import pytest

from tests.cli.helpers import error_out, run
from cnnstudio.project import Project, run_records
from tests.conftest import write_image
from tests.engine.test_data import make_project

RUN = "20250101-000000-abcd"


@pytest.fixture
def proj_dir(tmp_path):
    with make_project(tmp_path / "proj") as p:  # a finished run's row, and no folder: its files are gone
        run_records.add_run(p, RUN, "lost", status="finished",
                            summary={"best_epoch": 2, "last_epoch": 2, "val_accuracy": 0.9, "test_accuracy": 0.8})
        assert run_records.files_missing(p, RUN, "finished")
    return tmp_path / "proj"


def test_every_command_says_the_files_are_missing(proj_dir, tmp_path, capsys):
    with Project.open(proj_dir) as p:
        sentence = run_records.files_missing_sentence(RUN, folder=p.root)
    command = f"cnnstudio runs {proj_dir} --delete {RUN}"  # with the project folder the command needs
    assert f"runs/{RUN}" in sentence and f"'{command}'" in sentence and "Delete in the Train page" in sentence
    picture = write_image(tmp_path / "x.png")
    for argv in (["evaluate", proj_dir], ["evaluate", proj_dir, "--run", RUN],
                 ["predict", proj_dir, picture], ["predict", proj_dir, "--run", RUN, picture],
                 ["advise", proj_dir, "--run", RUN], ["report", proj_dir, "--out", tmp_path / "r.html"],
                 ["report", proj_dir, "--run", RUN, "--out", tmp_path / "r.html"]):
        code, out, err = run(capsys, *argv, "--json")
        assert code == 1 and error_out(out, err), argv
        assert err.strip() == f"cnnstudio: error: {sentence}", argv
    assert not (tmp_path / "r.html").exists()

    code, out, _ = run(capsys, "runs", proj_dir, "--json")
    assert code == 0 and out["runs"][0]["files_missing"] is True
    code, text, _ = run(capsys, "runs", proj_dir)
    row = next(line for line in text.splitlines() if line.startswith(RUN))
    assert "files missing" in row and "finished" not in row
    assert f"files missing: {sentence}" in text

    code, _, err = run(capsys, *shlex.split(command)[1:])  # the way out the sentence names works, pasted
    assert code == 0, err
    code, _, err = run(capsys, "evaluate", proj_dir)
    assert code == 1 and "train one first" in err


def test_a_finished_run_without_its_model_says_so(proj_dir, tmp_path, capsys):
    with Project.open(proj_dir) as p:  # the folder is back, its model/ is not: deleted by hand
        run_records.run_dir(p, RUN).mkdir()
        assert run_records.missing_part(p, RUN, "finished") == f"runs/{RUN}/model"
        assert not run_records.files_missing(p, RUN, "stopped")  # a stopped run may have no model yet
    sentence = run_records.files_missing_sentence(RUN, f"runs/{RUN}/model", proj_dir)
    assert sentence.startswith(f"the trained model of run {RUN} is missing (runs/{RUN}/model)")
    for argv in (["evaluate", proj_dir], ["predict", proj_dir, "--run", RUN, write_image(tmp_path / "x.png")]):
        code, out, err = run(capsys, *argv)
        assert code == 1 and err.strip() == f"cnnstudio: error: {sentence}", argv
    code, out, _ = run(capsys, "runs", proj_dir, "--json")
    assert out["runs"][0]["files_missing"] is True
    code, text, _ = run(capsys, "runs", proj_dir)
    assert f"files missing: {sentence}" in text


def test_a_run_with_its_files_is_not_marked(proj_dir, capsys):
    with Project.open(proj_dir) as p:
        (run_records.run_dir(p, RUN) / run_records.MODEL_DIR).mkdir(parents=True)
        assert not run_records.files_missing(p, RUN, "finished")
    code, out, _ = run(capsys, "runs", proj_dir, "--json")
    assert out["runs"][0]["files_missing"] is False
    code, text, _ = run(capsys, "runs", proj_dir)
    assert "files missing" not in text

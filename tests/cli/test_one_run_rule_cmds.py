"""Every command that takes a run takes it the same way (common.named_run: its id, or the name of one run, the rule
of run_records.resolve_run), says the same sentence for a run the project does not have, and refuses an empty one;
every file a command writes goes in a folder that is there (common.check_out_folder), on a real project with a real
trained run."""

from __future__ import annotations

import pytest

from cnnstudio.engine.use.export_paths import missing_folder
from cnnstudio.project import Project, run_records
from tests.cli.helpers import error_out, run, usage_error
from tests.engine.test_data import make_project, tiny_spec

UNKNOWN = "cnnstudio: error: there is no run “nope” in this project (see 'cnnstudio runs')"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A project with one run trained for an epoch, named "first": (project folder, its id, a picture)."""
    from cnnstudio.cli import main

    root = tmp_path_factory.mktemp("one_run")
    make_project(root / "proj").close()
    spec = root / "tiny.json"
    tiny_spec().save(spec)
    assert main(["train", str(root / "proj"), "--spec", str(spec), "--epochs", "1", "--batch-size", "4",
                 "--threads", "1", "--name", "first", "--quiet", "--json"]) == 0
    with Project.open(root / "proj") as p:
        (info,) = run_records.list_runs(p)
    return root / "proj", info.id, next((root / "proj-src").rglob("*.png"))


def _commands(proj, picture, out, word):
    """Each command with its run option set to ``word``."""
    return {
        "predict": ["predict", proj, picture, "--run", word],
        "export": ["export", proj, "--run", word, "--out", out / "m.zip"],
        "evaluate": ["evaluate", proj, "--run", word, "--split", "val"],
        "advise": ["advise", proj, "--run", word],
        "report": ["report", proj, "--run", word, "--out", out / "r.html"],
        "runs --design": ["runs", proj, "--design", word],
        "train --resume": ["train", proj, "--resume", word],
        "train --restart": ["train", proj, "--restart", word],
    }


def test_every_command_takes_a_run_by_its_name(trained, tmp_path, capsys):
    proj, run_id, picture = trained
    for what, argv in _commands(proj, picture, tmp_path, "first").items():
        code, out, err = run(capsys, *argv, "--json")
        if what.startswith("train"):  # found by its name: refused for what it is, a finished run, said by its id
            assert code == 1 and error_out(out, err), what
            assert f"run {run_id} has already finished" in err, (what, err)
            continue
        assert code == 0, (what, err)
        assert out["run"] == run_id, what  # every command's JSON says which run it used
    code, out, _ = run(capsys, "export", proj, "--run", "first", "--out", tmp_path / "m2.zip")
    assert code == 0 and out.startswith("Exported run 'first' as a model bundle")


def test_an_unknown_run_is_the_same_sentence_everywhere(trained, tmp_path, capsys):
    proj, _, picture = trained
    for what, argv in _commands(proj, picture, tmp_path, "nope").items():
        code, out, err = run(capsys, *argv, "--json")
        assert code == 1 and error_out(out, err), what
        assert err.strip() == UNKNOWN, (what, err)
    assert not any(tmp_path.iterdir())  # nothing written


def test_an_empty_run_is_refused_everywhere_never_taken_for_the_best_or_a_new_run(trained, tmp_path, capsys):
    proj, _, picture = trained
    for what, argv in _commands(proj, picture, tmp_path, " ").items():
        option = argv[argv.index(" ") - 1]
        code, out, err = usage_error(capsys, *argv, "--json")
        command = argv[0]
        said = f"{option} cannot be empty (see 'cnnstudio {command} --help')"
        assert (code, out) == (2, {"error": said, "exit_code": 2}), what
        assert err.strip() == f"cnnstudio {command}: error: {said}", (what, err)
    with Project.open(proj) as p:
        assert len(run_records.list_runs(p)) == 1  # no new run trained by `train --resume ''`
    assert not any(tmp_path.iterdir())


def test_an_empty_word_is_never_the_current_folder_or_no_option(trained, tmp_path, capsys, monkeypatch):
    """An unset shell variable ("" or spaces) where a folder, a file or a name goes: a usage error naming it, and
    nothing done (before, `predict DIR ""` classified the current folder and `--csv ""` wrote no CSV)."""
    proj, _, picture = trained
    monkeypatch.chdir(tmp_path)
    for argv, what in ((["predict", proj, ""], "IMAGE_OR_FOLDER"), (["predict", proj, picture, "--csv", ""], "--csv"),
                       (["export", proj, "--out", " "], "--out"), (["report", proj, "--out", ""], "--out"),
                       (["pack", proj, "--out", ""], "--out"), (["import", proj, ""], "PATH"),
                       (["evaluate", ""], "DIR"), (["train", proj, "--name", ""], "--name"),
                       (["runs", proj, "--save-design", "first", ""], "--save-design"),
                       (["tune", proj, "--study", ""], "--study")):
        code, out, err = usage_error(capsys, *argv)
        assert code == 2 and out == "", argv
        assert err.strip() == f"cnnstudio {argv[0]}: error: {what} cannot be empty (see 'cnnstudio {argv[0]} --help')"
    code, _, err = usage_error(capsys, "class", "rename", proj, "top", " ")  # an action's own arguments too
    assert code == 2 and err.strip() == ("cnnstudio class rename: error: NEW_NAME cannot be empty (see 'cnnstudio "
                                         "class rename --help')")
    assert not any(tmp_path.iterdir())
    with Project.open(proj) as p:
        assert len(run_records.list_runs(p)) == 1 and [c.name for c in p.classes()] == ["bottom", "top"]


def test_predict_finds_the_bundle_once_and_its_hint_is_the_named_runs(trained, tmp_path, capsys, monkeypatch):
    """The novelty hint is looked up for the bundle predict resolved, so a run named by its name has it too (before,
    the hint resolved the name again as an id and said there was no such run)."""
    from cnnstudio.engine.use import predict

    proj, _, picture = trained
    real, calls = predict.resolve_model_path, []

    def counted(*a, **kw):
        calls.append(a)
        return real(*a, **kw)

    monkeypatch.setattr(predict, "resolve_model_path", counted)
    code, out, err = run(capsys, "predict", proj, picture, "--run", "first")
    assert code == 0, err
    assert len(calls) == 1
    assert "no run" not in out and "there is no hint" in out.lower()  # 8 validation pictures: too few for a hint


def test_a_file_is_never_written_into_a_folder_that_is_not_there(trained, tmp_path, capsys):
    """predict --csv, export --out, report --out, pack --out and runs --save-design: one sentence, nothing made."""
    proj, run_id, picture = trained
    gone = tmp_path / "no such folder"
    sentence = f"cnnstudio: error: {missing_folder(gone / 'x')}"
    for argv in (["predict", proj, picture, "--csv", gone / "p.csv"],
                 ["export", proj, "--out", gone / "m.onnx"],
                 ["report", proj, "--out", gone / "r.html"],
                 ["pack", proj, "--out", gone / "job.zip", "--quiet"],
                 ["runs", proj, "--save-design", "first", gone / "design.json"]):
        code, out, err = run(capsys, *argv, "--json")
        assert code == 1 and error_out(out, err), argv
        assert err.strip() == sentence, (argv, err)
    assert not gone.exists()
    with Project.open(proj) as p:
        assert [r.id for r in run_records.list_runs(p)] == [run_id]  # pack added no run
    # a folder where the file goes: one sentence too, naming a file to give instead
    folder = tmp_path / "here"
    folder.mkdir()
    for argv, example in ((["predict", proj, picture, "--csv", folder], "predictions.csv"),
                          (["export", proj, "--format", "onnx", "--out", folder], "model.onnx"),
                          (["report", proj, "--out", folder], "report.html"),
                          (["runs", proj, "--save-design", "first", folder], "design.json")):
        code, out, err = run(capsys, *argv, "--json")
        assert code == 1 and error_out(out, err), argv
        assert err.strip() == f"cnnstudio: error: {folder} is a folder: give a file name, such as {folder / example}"
    assert not any(folder.iterdir())


def test_a_project_without_a_trained_model_is_said_alike(tmp_path, capsys):
    """predict, export, evaluate, advise and report without a run to use: one sentence (lifecycle.pick_run's, the
    run the Predict page's Model box and evaluate choose), nothing written."""
    make_project(tmp_path / "proj").close()
    picture = next((tmp_path / "proj-src").rglob("*.png"))
    said = {run(capsys, *argv, "--json")[2].strip() for argv in (
        ["evaluate", tmp_path / "proj"], ["advise", tmp_path / "proj"],
        ["report", tmp_path / "proj", "--out", tmp_path / "r.html"], ["predict", tmp_path / "proj", picture],
        ["export", tmp_path / "proj", "--out", tmp_path / "m.zip"])}
    assert said == {"cnnstudio: error: this project has no trained model yet: train one first ('cnnstudio train')"}
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "m.zip").exists()
    # the lists say what to do with the command to paste, the folder in it, as every other next step
    folder = tmp_path / "my proj"
    make_project(folder).close()
    assert run(capsys, "runs", folder)[1].strip() == f"No runs yet: train one with: cnnstudio train '{folder}'"
    assert run(capsys, "tune", folder, "--list")[1].strip() == (
        f"No studies yet: start one with: cnnstudio tune '{folder}'")


def test_predict_and_export_use_the_run_evaluate_and_the_predict_page_use(tmp_path, capsys):
    """No finished run, one stopped run with a model: it is the run (lifecycle.pick_run, the Model box's "Newest
    run"), not "no finished training run" in two commands while evaluate and the window use it."""
    from cnnstudio.engine.runs.lifecycle import pick_run
    from tests.engine.test_predict import add_finished_run

    with make_project(tmp_path / "proj") as p:
        add_finished_run(p, "r-stopped", 0.7, ["bottom", "top"], status="stopped")
        assert pick_run(p).id == "r-stopped"
    picture = next((tmp_path / "proj-src").rglob("*.png"))
    code, out, err = run(capsys, "predict", tmp_path / "proj", picture, "--json")
    assert code == 0 and out["run"] == "r-stopped", err
    code, out, err = run(capsys, "export", tmp_path / "proj", "--out", tmp_path / "m.zip", "--json")
    assert code == 0 and out["run"] == "r-stopped", err

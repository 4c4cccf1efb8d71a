"""``cnnstudio tune``: the JSON result, progress on stderr, --list / --show, bad input in one line."""

from __future__ import annotations

import json

import pytest

from cnnstudio.project import Project, run_records
from cnnstudio.cli.tune_cmds import ADD_PICTURES
from tests.cli.helpers import run
from tests.engine.test_data import make_project
from tests.engine.test_tune import settings

SPACE = {"epochs": 2, "params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}, "blocks": {"low": 1, "high": 2},
                                 "width": 0.25}}


@pytest.fixture
def files(tmp_path):
    make_project(tmp_path / "proj").close()
    (tmp_path / "space.json").write_text(json.dumps(SPACE))
    (tmp_path / "settings.json").write_text(json.dumps(settings().to_json()))
    return tmp_path


def _tune(capsys, files, *more):
    return run(capsys, "tune", files / "proj", "--space", files / "space.json", "--settings",
               files / "settings.json", "--threads", "1", *more)


def test_tune_json_list_and_show(files, capsys):
    code, out, err = _tune(capsys, files, "--trials", "3", "--study", "first", "--seed", "3", "--json")
    assert code == 0, err
    assert out["study"] == "first" and out["trials"] == 3 and out["complete"] + out["pruned"] + out["failed"] == 3
    assert set(out) >= {"best", "pareto", "importances", "said", "starting_point"}
    assert set(out["best"]) >= {"run", "val_accuracy", "params"} and out["best"]["test_seen"] is False
    assert "test_accuracy" not in out["best"]  # looked at once, on purpose (seen_scores): the command that looks
    assert out["best"]["look_at_test"] == (f"cnnstudio evaluate {files / 'proj'} --run {out['best']['run']} "
                                           "--split test")
    assert "Study first" in err and err.count("\ntrial ") + err.startswith("trial ") == 3  # a line per trial
    with Project.open(files / "proj") as p:
        assert run_records.get_run(p, out["best"]["run"]).summary["study"] == "first"
    code, listed, _ = run(capsys, "tune", files / "proj", "--list", "--json")
    assert code == 0 and [s["study"] for s in listed["studies"]] == ["first"] and listed["studies"][0]["trials"] == 3
    assert listed["studies"][0]["name"] == "Search first"  # the window's one name for it
    code, shown, _ = run(capsys, "tune", files / "proj", "--show", "first", "--json")
    assert code == 0 and len(shown["rows"]) == 3 and shown["best"]["run"] == out["best"]["run"]
    code, text, _ = run(capsys, "tune", files / "proj", "--show", "first")
    assert code == 0 and "study first: 3 trials" in text and "Best: trial" in text
    # one word for a trial that ran to its end, as the counts say it ("2 finished"): never Optuna's "complete"
    rows = [ln for ln in text.splitlines() if ln.startswith("  trial ")]
    assert len(rows) == 3 and "complete" not in text + err
    states = {"finished": out["complete"], "pruned": out["pruned"]}
    assert {w: sum(f"  {w} " in ln for ln in rows) for w in states} == states
    assert sum(f"  {w} " in ln for ln in err.splitlines() for w in states) == out["complete"] + out["pruned"]
    # continued with the same --trials: it holds them already, and says so first rather than end in silence
    held = shown["complete"] + shown["pruned"]
    code, text, err = _tune(capsys, files, "--trials", str(held), "--study", "first")
    assert code == 0 and "\ntrial " not in err
    assert text.splitlines()[0] == (f"This search already has {held} trials: nothing to do (ask for more with "
                                    f"--trials {2 * held}).")
    # a study named as --list names it either way, the window's name too, as a run by its id or its name
    code, by_name, _ = run(capsys, "tune", files / "proj", "--show", "Search first", "--json")
    assert code == 0 and by_name == shown
    code, text, err = _tune(capsys, files, "--trials", str(held), "--study", "Search first")
    assert code == 0 and text.startswith(f"This search already has {held} trials")  # continued, not a new study
    code, listed, _ = run(capsys, "tune", files / "proj", "--list", "--json")
    assert [s["study"] for s in listed["studies"]] == ["first"]


def _one_line_error(capsys, files, *args, words):
    runs_before = sorted(p.name for p in (files / "proj" / "runs").iterdir()) if (files / "proj" / "runs").exists() else []
    code, out, err = run(capsys, "tune", files / "proj", *args)
    assert code != 0 and out == "" and err.strip().count("\n") == 0 and words in err, err
    assert not (files / "proj" / "tune").exists()
    runs_after = sorted(p.name for p in (files / "proj" / "runs").iterdir()) if (files / "proj" / "runs").exists() else []
    assert runs_after == runs_before  # nothing written


def test_bad_input_is_one_line_and_writes_nothing(files, capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"params": {"lerning_rate": {"low": 0.1, "high": 1}}}))
    _one_line_error(capsys, files, "--space", bad, words="unknown parameter 'lerning_rate'")
    bad.write_text(json.dumps({"params": {"lr": {"low": 0.1, "high": 0.1}}}))
    _one_line_error(capsys, files, "--space", bad, words="the range is empty")
    bad.write_text("{not json")
    _one_line_error(capsys, files, "--space", bad, words="not valid JSON")
    _one_line_error(capsys, files, "--storage", "postgresql+psycopg://nobody@127.0.0.1:1/x?connect_timeout=2",
                    "--trials", "1", words="cannot open the study storage")
    _one_line_error(capsys, files, "--show", "nothing", words="no studies yet")
    _one_line_error(capsys, files, "--trials", "0", "--space", files / "space.json",
                    words="--trials must be 1 or more, not 0")
    _one_line_error(capsys, files, "--seed", str(2**32), "--study", "seedless",
                    words=f"--seed must be a whole number from 0 to {2**32 - 1}, not {2**32}")
    one = tmp_path / "one"
    run(capsys, "new", one, "--json")
    code, out, err = run(capsys, "tune", one, "--trials", "1")
    assert code == 1 and out == "" and err.strip().count("\n") == 0 and "two classes" in err
    assert not (one / "tune").exists()


@pytest.mark.parametrize("args, words", [
    (["--list", "--trials", "1"], "--trials is for a search, not for --list: leave it out"),
    (["--show", "first", "--trials", "1", "--seed", "0", "--no-prune"],
     "--trials, --seed and --no-prune are for a search, not for --show: leave them out"),
    (["--show", "first", "--objective", "accuracy"], "--objective is for a search, not for --show"),
])
def test_list_and_show_refuse_the_options_of_a_search(files, capsys, args, words):
    _one_line_error(capsys, files, *args, words=words)


def test_list_and_show_together_are_refused(files, capsys):
    with pytest.raises(SystemExit) as e:
        run(capsys, "tune", files / "proj", "--list", "--show", "first")
    err = capsys.readouterr().err
    assert e.value.code == 2 and err.count("\n") == 1
    assert "argument --show: not allowed with argument --list (see 'cnnstudio tune --help')" in err


def test_a_trial_stopped_by_the_time_limit_is_said_stopped_not_failed(files, capsys):
    # 1,000 epochs: far past the limit of 0.03 minutes (200 ran to their end on a quick, warm machine)
    (files / "long.json").write_text(json.dumps({"epochs": 1000, "params": {"lr": {"low": 0.01, "high": 0.1}}}))
    code, out, err = run(capsys, "tune", files / "proj", "--space", files / "long.json", "--settings",
                         files / "settings.json", "--threads", "1", "--minutes", "0.03", "--no-final",
                         "--no-prune", "--study", "timed", "--json")
    assert code == 0, err
    assert out["stopped"] == 1 and out["stopped_reasons"] == {"time limit": 1} and out["failed"] == 1  # Optuna's
    line = next(ln for ln in err.splitlines() if ln.startswith("trial "))
    assert "stopped (time limit)" in line and "failed" not in line
    code, shown, _ = run(capsys, "tune", files / "proj", "--show", "timed", "--json")
    assert [(r["state"], r["reason"], r["stopped"]) for r in shown["rows"]] == [("failed", "time limit", True)]
    code, text, _ = run(capsys, "tune", files / "proj", "--show", "timed")
    assert text.startswith("study timed: 1 trial (0 finished, 0 pruned, 0 failed, 1 stopped (time limit))")
    assert "  trial   1  stopped (time limit) val" in text and "failed val" not in text  # trials counted from 1
    assert "No trial finished, so this search has no best settings to offer." in text and "yet" not in text


def test_the_result_says_the_best_trial_by_validation_only_and_how_to_score_the_kept_run(files, capsys):
    """A search chooses by validation: its last lines give no test score for the best trial (a project with a
    validation split has no final run), and name the command that scores the run kept."""
    code, text, err = _tune(capsys, files, "--trials", "2", "--study", "words", "--no-prune")
    assert code == 0, err
    lines = text.splitlines()
    assert lines[0].startswith("study words: 2 trials (")
    best = next(ln for ln in lines if ln.startswith("best: "))
    assert best.startswith("best: trial ") and " validation " in best and "test" not in best
    run_id = best.split("run ")[1].split(":")[0]
    assert lines[-1] == ("test score: not said for a trial, which a search chooses by validation; score the run you "
                         f"keep with: cnnstudio evaluate {files / 'proj'} --run {run_id} --split test")
    assert "There are not enough finished trials to tell which settings matter" in text
    assert [ln.split()[:2] for ln in err.splitlines() if ln.startswith("trial ")] == [["trial", "1"], ["trial", "2"]]
    with Project.open(files / "proj") as p:  # its run is named as people read it
        assert run_records.get_run(p, run_id).name.endswith(f"search words, trial {best.split()[2][:-1]}")


def test_the_words_of_a_trial_state():
    from cnnstudio.cli.tune_cmds import _counts, _state

    assert _state("failed", "time limit") == "stopped (time limit)"
    assert _state("failed", "stopped") == "stopped (Ctrl-C or Stop)"
    assert _state("failed", "out of memory") == "failed" and _state("pruned", "") == "pruned"
    summary = {"study": "s", "trials": 6, "complete": 2, "pruned": 1, "failed": 3, "stopped": 2,
               "stopped_reasons": {"time limit": 1, "stopped": 1}}
    assert _counts(summary) == "study s: 6 trials (2 finished, 1 pruned, 1 failed, 2 stopped (1 time limit, 1 Ctrl-C or Stop))"
    assert _counts({**summary, "failed": 0, "stopped": 0, "stopped_reasons": {}}).endswith("1 pruned, 0 failed)")
    assert _counts({**summary, "trials": 1}).startswith("study s: 1 trial (")
    from cnnstudio.cli.tune_show import _search_name

    assert _search_name("tune-20261202-144254") == "Search 2 Dec 14:42:54" and _search_name("first") == ""
    # an id the app made: the window's one name beside it (re-QA tune #10b)
    assert _counts({**summary, "study": "tune-20261202-144254"}).startswith(
        "study tune-20261202-144254 (Search 2 Dec 14:42:54): 6 trials (")


def test_trials_help_says_what_is_counted(capsys):
    with pytest.raises(SystemExit):
        run(capsys, "tune", "--help")
    help_text = " ".join(capsys.readouterr().out.split())
    assert "until the study holds N finished or pruned ones (failed trials and those stopped by a time limit or " \
           "Ctrl-C do not count)" in help_text


def test_the_search_model_s_test_score_is_said_only_once_looked_at(files, capsys):
    """The final run (a project without a validation split has one) is the search's model: its test score is for
    the end (project/seen_scores.py), so the result gives the command that looks, and says the score once looked."""
    from cnnstudio.engine.tune.results import LOOK_LATER
    from cnnstudio.project import ImageFilter

    with Project.open(files / "proj") as p:
        p.set_split(p.ids(ImageFilter(split="val")), "train")  # the trials hold training pictures out
    code, out, err = _tune(capsys, files, "--trials", "1", "--study", "kept", "--no-prune", "--json")
    assert code == 0, err
    final = out["final"]
    look = f"cnnstudio evaluate {files / 'proj'} --run {final['run']} --split test"
    assert final["state"] == "finished" and final["test_seen"] is False and "test_accuracy" not in final
    assert final["look_at_test"] == look and "test pictures" not in out["said"] and out["said"].endswith(LOOK_LATER)
    assert out["best"]["test_seen"] is False and "look_at_test" not in out["best"]  # a trial: not the model
    assert "final: finished " in err and "test" not in next(ln for ln in err.splitlines() if ln.startswith("final: f"))
    code, listed, _ = run(capsys, "tune", files / "proj", "--show", "kept", "--json")
    assert listed["final"]["look_at_test"] == look and "look_at_test" not in listed["best"]
    code, runs, _ = run(capsys, "runs", files / "proj", "--json")  # the runs list says the same
    assert code == 0 and [r["look_at_test"] for r in runs["runs"] if "look_at_test" in r] == [look]
    code, text, _ = run(capsys, "tune", files / "proj", "--show", "kept")
    assert code == 0 and text.splitlines()[-1] == f"test score: look at it once you have chosen this model with: {look}"
    code, ev, err = run(capsys, "evaluate", files / "proj", "--run", final["run"], "--split", "test", "--json")
    assert code == 0, err
    code, shown, _ = run(capsys, "tune", files / "proj", "--show", "kept", "--json")
    assert shown["final"]["test_seen"] is True and shown["final"]["test_accuracy"] == pytest.approx(ev["accuracy"])
    assert "look_at_test" not in shown["final"] and "on the test pictures; that run is the search's model." in \
        shown["said"]


def test_an_unsplit_project_is_split_first_as_train_does(files, capsys):
    with Project.open(files / "proj") as p:
        from cnnstudio.project import ImageFilter

        p.set_split(p.ids(ImageFilter()), None)  # labelled, never split
    code, out, err = _tune(capsys, files, "--trials", "1", "--study", "unsplit", "--no-prune", "--json")
    assert code == 0, err
    assert "note: no pictures were split yet: split them train 28, val 6, test 6 (change with 'cnnstudio split')" in err
    assert out["trials"] == 1 and out["complete"] == 1


def test_a_project_too_small_to_keep_validation_pictures_is_refused_in_one_line(tmp_path, capsys):
    from cnnstudio.engine.tune.validation_pictures import TOO_FEW_FOR_VALIDATION

    with make_project(tmp_path / "few", per_class=3) as p:
        from cnnstudio.project import ImageFilter

        p.set_split(p.ids(ImageFilter()), None)  # split on the way in: 3 a class leaves none for validation
    code, out, err = run(capsys, "tune", tmp_path / "few", "--trials", "2")
    assert code == 1 and out == "" and err.strip().endswith(f"{TOO_FEW_FOR_VALIDATION} {ADD_PICTURES}"), err
    assert "Data page" not in err  # a terminal's next step, not the window's
    assert not (tmp_path / "few" / "tune").exists()
    with Project.open(tmp_path / "few") as p:
        assert run_records.list_runs(p) == []


def test_a_tiny_unsplit_project_is_refused_before_it_is_split(tmp_path, capsys):
    """3 pictures a class, never split: the split it would get keeps none aside, so nothing is split or written
    (re-QA tune #4)."""
    from cnnstudio.engine.tune.validation_pictures import TOO_FEW_FOR_VALIDATION
    from cnnstudio.project import ImageFilter

    with make_project(tmp_path / "few", per_class=3) as p:
        p.set_split(p.ids(ImageFilter()), None)
        before = p.counts()
    code, out, err = run(capsys, "tune", tmp_path / "few", "--trials", "1")
    assert code == 1 and out == "" and err.strip().endswith(f"{TOO_FEW_FOR_VALIDATION} {ADD_PICTURES}"), err
    assert "split them" not in err and "Data page" not in err
    with Project.open(tmp_path / "few") as p:
        assert p.counts() == before  # still not split
        assert run_records.list_runs(p) == []
    assert not (tmp_path / "few" / "tune").exists()


def test_a_space_file_is_told_by_its_json_keys(files, capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"params": {"batch_size": {"choices": []}}}))
    _one_line_error(capsys, files, "--space", bad, words="'batch_size': 'choices' must be a non-empty list")


def test_a_continued_study_keeps_what_it_began_with_not_the_pages(files, capsys):
    """``--study NAME`` of a study that exists, without --settings: its later trials train the starting settings,
    design and space the study began with (as the Tune page's Continue), not the Train page's (QA: a continued
    study trained 40 Auto epochs where its first trials trained 15)."""
    from tests.engine.test_saved_pages import PAGE_FORM, _store_pages

    (files / "space.json").write_text(json.dumps({"params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}}}))
    code, _, err = _tune(capsys, files, "--trials", "1", "--study", "kept", "--no-prune", "--no-final", "--json")
    assert code == 0, err
    with Project.open(files / "proj") as p:  # the window since: another design and 1 epoch on its pages
        _store_pages(p, form={**PAGE_FORM, "epochs": 1})
    code, out, err = run(capsys, "tune", files / "proj", "--study", "kept", "--trials", "2", "--threads", "1",
                         "--no-prune", "--no-final", "--json")
    assert code == 0, err
    assert "Continuing search kept with the settings to try, design and starting settings it began with" in err
    assert "searches from" not in err  # not the pages' note
    code, shown, _ = run(capsys, "tune", files / "proj", "--show", "kept", "--json")
    assert [r["state"] for r in shown["rows"]] == ["complete", "complete"]
    with Project.open(files / "proj") as p:
        configs = [run_records.get_run(p, r["run"]).config for r in shown["rows"]]
    assert [run_records.run_settings(c)["epochs"] for c in configs] == [2, 2]  # settings.json's, not the page's 1
    assert configs[0]["spec"] == configs[1]["spec"]
    # options for a new search, given on continue: said not to be used, in one sentence
    code, out, err = _tune(capsys, files, "--trials", "2", "--study", "kept")
    assert code == 0 and ("it began with, so that its trials stay comparable: --settings and --space are not used "
                          "(start a new search to use them).") in err


def test_batch_sizes_above_the_training_pictures_are_left_out_and_said_once(files, capsys):
    """QA: 32/64/128 tried with 34 training pictures. The project trains on 24: 32 and 64 are not tried, said once;
    the study keeps the space as asked (Continue and the Tune page's form compare with it)."""
    space = {"epochs": 1, "params": {"lr": {"low": 1e-3, "high": 0.1, "log": True},
                                     "batch_size": {"choices": [8, 32, 16, 64]}}}
    (files / "space.json").write_text(json.dumps(space))
    code, out, err = _tune(capsys, files, "--trials", "4", "--study", "cap", "--no-prune", "--json")
    assert code == 0, err
    said = ("Batch sizes 32 and 64 are left out of the search: a trial trains on 24 pictures, fewer than such a "
            "batch holds.")
    assert err.count(said) == 1
    code, shown, _ = run(capsys, "tune", files / "proj", "--show", "cap", "--json")
    assert {r["params"]["batch_size"] for r in shown["rows"]} <= {8, 16}
    assert shown["space"]["params"]["batch_size"] == {"choices": [8, 32, 16, 64]}


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="SIGINT to a child process is POSIX")
def test_a_stopped_tune_with_json_says_how_to_continue_on_stderr(files):
    """QA: with --json, Ctrl-C between trials left stderr without the command that continues the search (plain mode
    says it in its words); stdout stays one JSON object holding it too."""
    from pathlib import Path

    from tests.cli.helpers import ctrl_c_after

    proj = files / "proj"
    code, out, err = ctrl_c_after(["tune", proj, "--space", files / "space.json", "--settings",
                                   files / "settings.json", "--threads", "1", "--trials", "50", "--study", "qa",
                                   "--no-final", "--json"], "trial ", Path(__file__).resolve().parents[2])
    assert code == 130, err
    obj = json.loads(out)
    assert obj["continue"] == f"cnnstudio tune {proj} --study qa"
    assert f"stopped: continue with: cnnstudio tune {proj} --study qa" in err.splitlines()

"""cnnstudio runs shows a run's test score only once it was looked at on purpose (project/seen_scores.py, as the
Train page's runs list): cnnstudio evaluate on the test pictures is that look; on the validation pictures it is not,
and a blank cell is said once, with the command that looks."""

from __future__ import annotations

from tests.cli.helpers import run, split_project


def _row(text: str, run_id: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(run_id))


def test_the_test_score_shows_once_evaluate_looked_at_it(tmp_path, capsys):
    proj = split_project(capsys, tmp_path)
    code, out, _ = run(capsys, "train", proj, "--preset", "lenet5", "--epochs", "1", "--device", "cpu", "--json")
    assert code == 0 and out["metrics"]["test_seen"] is False and "test_accuracy" not in out["metrics"]  # as said
    run_id = out["run"]
    code, text, _ = run(capsys, "runs", proj)
    assert code == 0 and "not looked at" in _row(text, run_id)
    said = [line for line in text.splitlines() if line.startswith("not looked at: ")]
    assert len(said) == 1 and said[0].endswith(f"cnnstudio evaluate {proj} --run {run_id} --split test")
    code, listing, _ = run(capsys, "runs", proj, "--json")  # scripts are told the same: no figure, the command
    (row,) = listing["runs"]
    assert "test_accuracy" not in row and row["test_seen"] is False
    assert row["look_at_test"] == out["metrics"]["look_at_test"] == said[0].rsplit(": ", 1)[1]
    assert run(capsys, "evaluate", proj, "--run", run_id, "--split", "val")[0] == 0  # validation: no look at test
    assert "not looked at" in _row(run(capsys, "runs", proj)[1], run_id)
    assert run(capsys, "evaluate", proj, "--run", run_id)[0] == 0  # its default split, validation: no look either
    assert "not looked at" in _row(run(capsys, "runs", proj)[1], run_id)
    assert run(capsys, "evaluate", proj, "--run", run_id, "--split", "test")[0] == 0  # the one look, on purpose
    code, text, _ = run(capsys, "runs", proj)
    assert "not looked at" not in text and _row(text, run_id).count("%") == 4  # validation and test, with ranges
    code, listing, _ = run(capsys, "runs", proj, "--json")
    assert listing["runs"][0]["test_seen"] is True and 0 <= listing["runs"][0]["test_accuracy"] <= 1
    assert "look_at_test" not in listing["runs"][0]


def test_a_second_runs_test_score_comes_with_a_warning_line(tmp_path, capsys):
    """QA: with one run's test score looked at, cnnstudio evaluate --split test on another said nothing: looking at
    both and keeping the better one makes the test pictures a choice. One warning line on stderr ("warning" in
    --json), and the scores follow."""
    proj = split_project(capsys, tmp_path)
    ids = []
    for name in ("first", "second"):
        code, out, err = run(capsys, "train", proj, "--preset", "lenet5", "--epochs", "1", "--device", "cpu",
                             "--name", name, "--json")
        assert code == 0, err
        ids.append(out["run"])
    code, out, err = run(capsys, "evaluate", proj, "--run", ids[0], "--split", "test", "--json")
    assert code == 0 and out["warning"] == "" and "warning" not in err  # the first look: nothing to warn of
    code, text, err = run(capsys, "evaluate", proj, "--run", ids[1], "--split", "test")
    said = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert code == 0 and said == [
        "warning: You have already looked at the test score of “first”. Looking at another run's test score and "
        "keeping the better one turns the test pictures into a choice: their score is then no longer an honest "
        "estimate."]
    assert "test split" in text.splitlines()[0]  # the scores still follow
    code, out, err = run(capsys, "evaluate", proj, "--run", ids[1], "--split", "test", "--json")
    assert code == 0 and out["warning"] == ""  # its own test score again: no new choice

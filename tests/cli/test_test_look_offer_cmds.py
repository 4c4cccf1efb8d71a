"""Reviewer: the command line offers a look at a test score by one rule (seen_scores.look_offered): `cnnstudio runs`
offered it for the best run only, but a plain `cnnstudio evaluate` offered it for any run, even after another run's
test score was seen. Now both offer it for the best run only, only while no run's test score was looked at; and
`cnnstudio report`, which marks a run's test score looked at, warns as `evaluate --split test` does when another
run's was looked at already. Real tiny runs."""

from __future__ import annotations

import pytest

from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec


@pytest.fixture
def two_runs(tmp_path, capsys):
    """A project with two short real runs: (folder, best run id, the other run id)."""
    make_project(tmp_path / "proj").close()  # validation and test pictures
    proj, spec = tmp_path / "proj", tmp_path / "tiny.json"
    tiny_spec().save(spec)
    ids = []
    for seed in (1, 2):
        code, out, err = run(capsys, "train", proj, "--spec", spec, "--epochs", "1", "--batch-size", "8", "--device",
                             "cpu", "--seed", str(seed), "--json")
        assert code == 0, err
        ids.append(out["run"])
    code, listing, _ = run(capsys, "runs", proj, "--json")
    (best,) = [r["id"] for r in listing["runs"] if r["best"]]
    (other,) = [i for i in ids if i != best]
    return proj, best, other


def _look(proj, run_id) -> str:
    return f"cnnstudio evaluate {proj} --run {run_id} --split test"


def test_evaluate_offers_the_test_look_for_the_best_run_only_while_no_test_score_was_seen(two_runs, capsys):
    proj, best, other = two_runs
    code, ev, err = run(capsys, "evaluate", proj, "--run", other, "--json")
    assert code == 0, err
    assert ev["split"] == "val" and ev["test_look"] == "" and "--split test" not in ev["split_note"]  # not the best
    code, ev, _ = run(capsys, "evaluate", proj, "--run", best, "--json")
    assert ev["test_look"] == _look(proj, best) and ev["split_note"].endswith(_look(proj, best))

    assert run(capsys, "evaluate", proj, "--run", other, "--split", "test")[0] == 0  # another run's, looked at
    code, ev, _ = run(capsys, "evaluate", proj, "--run", best, "--json")
    assert code == 0 and ev["test_look"] == "" and "--split test" not in ev["split_note"]  # no invitation to a 2nd
    code, text, _ = run(capsys, "runs", proj)  # the runs list, by the same rule: no command either
    assert code == 0 and "--split test" not in text
    assert [line for line in text.splitlines() if line.startswith("not looked at: ")][0].endswith(
        "A run's test score shows here once you look at it on purpose.")


def test_a_report_warns_when_another_runs_test_score_was_looked_at(two_runs, tmp_path, capsys):
    proj, best, other = two_runs
    code, out, err = run(capsys, "report", proj, "--run", other, "--out", tmp_path / "a.html", "--json")
    assert code == 0 and out["warning"] == "" and "warning" not in err  # the first look: nothing to warn of
    code, text, err = run(capsys, "report", proj, "--run", best, "--out", tmp_path / "b.html")
    assert code == 0 and text.startswith(f"Wrote the report of run {best}")
    assert err.startswith("warning: You have already looked at the test score of ")  # as evaluate --split test says
    assert "no longer an honest estimate" in err
    code, out, err = run(capsys, "report", proj, "--run", best, "--out", tmp_path / "b.html", "--json")
    assert code == 0 and out["warning"] == "" and "warning" not in err  # its own looked at already: chooses nothing

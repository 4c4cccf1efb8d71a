"""How ``cnnstudio train`` ends a run, beside the rest of the app: its validation accuracy with the 95 % range that
``cnnstudio runs``, the Train page and Evaluate's run box give it (QA: "validation accuracy 44.4%" alone), and the
run files it reads named by run_records (a run id that is none reads nothing)."""

from __future__ import annotations

import pytest

from cnnstudio.cli.train_rows import RunConfigs, run_config, run_metrics
from cnnstudio.engine.use.figures import score_text
from cnnstudio.project import Project, run_records
from tests.cli.helpers import run
from tests.engine.test_data import make_project
from tests.engine.test_frozen_run import frozen_spec


@pytest.fixture
def frozen(tmp_path):
    """A project and a frozen backbone's design (seconds to train on a CPU, offline weights)."""
    make_project(tmp_path / "proj", per_class=12, side=12).close()
    spec = tmp_path / "frozen.json"
    frozen_spec(side=32).save(spec)
    return tmp_path / "proj", spec


def test_the_end_says_the_score_with_its_range_as_runs_does(frozen, capsys):
    proj, spec = frozen
    code, out, err = run(capsys, "train", proj, "--spec", spec, "--batch-size", "16", "--device", "cpu", "--quiet")
    assert code == 0, err
    with Project.open(proj, read_only=True) as project:
        (info,) = run_records.list_runs(project)
    s = info.summary
    scored = score_text(s["val_accuracy"], run_records.scored_pictures(s, "val"))
    assert "–" in scored and f", validation accuracy {scored}, " in out  # "75.0% (47–91%)"
    code, listed, _ = run(capsys, "runs", proj)
    assert scored in listed  # the runs list's words for the same score

    # its files, read by run_records' names; a run id that is none (a path) reads nothing
    assert run_config(proj, info.id)["settings"] and len(run_metrics(proj, info.id)) == 7
    sneaky = f"../{proj.name}/runs/{info.id}"
    assert run_config(proj, sneaky) is None and run_metrics(proj, sneaky) == []
    configs = RunConfigs(proj)
    assert configs(info.id) is configs(info.id)  # read once, then kept
    assert configs("20990101-000000-abcd") is None  # not there (yet): not kept as none

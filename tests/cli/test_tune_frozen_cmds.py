"""``cnnstudio tune`` of a frozen pretrained design with a linear head: refused in one sentence that says what to
do, as the Tune page says it (engine/tune/space.py's rule), before any trial trains."""

from __future__ import annotations

import json

from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.tune.space import FROZEN_NOTHING_TO_SEARCH
from cnnstudio.project import Project, run_records
from tests.cli.helpers import run
from tests.engine.test_data import make_project
from tests.engine.test_tune_frozen import _settings, _spec


def test_tune_refuses_a_frozen_linear_head_in_one_sentence(tmp_path, capsys):
    make_project(tmp_path / "proj", per_class=12, side=12).close()
    (tmp_path / "spec.json").write_text(json.dumps(_spec([layer("dropout", p=0.2)])))
    (tmp_path / "settings.json").write_text(json.dumps(_settings().to_json()))
    code, _out, err = run(capsys, "tune", tmp_path / "proj", "--spec", tmp_path / "spec.json", "--settings",
                          tmp_path / "settings.json", "--trials", "4", "--threads", "1")
    assert code != 0 and FROZEN_NOTHING_TO_SEARCH in err, err
    with Project.open(tmp_path / "proj") as p:
        assert run_records.list_runs(p) == []  # no trial trained

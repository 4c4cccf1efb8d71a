"""`cnnstudio train DIR` without --settings or a saved Train page trains the default recipe with its batch sized to
the project's pictures (engine/runs/recipe.project_recipe), as the Train page's Recommended settings do, not the
engine's fixed 64 (QA: 33 pictures trained in one update an epoch)."""

from __future__ import annotations

from cnnstudio.engine.data.planned_pictures import planned_pictures
from cnnstudio.engine.runs.recipe import recipe_batch_size
from cnnstudio.project import Project, run_records
from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec


def test_train_takes_the_recipes_batch_unless_one_is_given(tmp_path, capsys):
    make_project(tmp_path / "proj").close()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    batches = []
    for extra in ((), ("--batch-size", "16")):
        code, out, err = run(capsys, "train", tmp_path / "proj", "--spec", spec, "--epochs", "1", "--device", "cpu",
                             "--json", *extra)
        assert code == 0, err
        with Project.open(tmp_path / "proj") as p:
            batches.append(run_records.get_run(p, out["run"]).config["settings"]["batch_size"])
            train = planned_pictures(p.counts()).train
    assert batches == [recipe_batch_size(train), 16] and batches[0] == 8  # 24 training pictures: batches of 8


def test_pack_takes_the_recipes_batch_too(tmp_path, capsys):
    import json
    import zipfile

    make_project(tmp_path / "proj").close()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, out, err = run(capsys, "pack", tmp_path / "proj", "--spec", spec, "--out", tmp_path / "job.zip", "--json")
    assert code == 0, err
    with zipfile.ZipFile(out["job"]) as zf:
        cfg = json.loads(zf.read(next(n for n in zf.namelist() if n.endswith("/config.json"))))
    assert cfg["settings"]["batch_size"] == 8  # 24 training pictures, as `cnnstudio train DIR` takes them

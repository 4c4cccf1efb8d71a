"""`cnnstudio runs` says each run's design where its name does not; `--design RUN_ID` lists its layers as the Model
page does; `--save-design RUN_ID FILE` writes a design the Model page's Open… and `train --spec` read, never over a
file that is not a design."""

from __future__ import annotations

import json

from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.project import run_records
from tests.cli.helpers import error_out, run, usage_error
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings

DENSE = ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4), layer("relu"), layer("flatten"),
                                   layer("linear", out_features=12)])


def _project(tmp_path):
    with make_project(tmp_path / "proj", per_class=6) as p:
        dense = runs.create_run(p, settings(epochs=1), DENSE)
        old = runs.create_run(p, settings(epochs=1), tiny_spec(), name="Your design · 1 epoch")
        cfg = run_records.get_run(p, old).config  # a run made before designs were said by their layers
        run_records.update_run(p, old, config={**cfg, "design": "your own design"})
    return tmp_path / "proj", dense, old


def test_the_list_says_each_design_where_the_name_does_not(tmp_path, capsys):
    proj, dense, old = _project(tmp_path)
    code, out, _ = run(capsys, "runs", proj, "--json")
    assert code == 0
    designs = {r["id"]: r["design"] for r in out["runs"]}
    assert designs == {dense: "your design (1 convolution, 1 fully connected layer)", old: "your design (1 convolution)"}
    code, text, _ = run(capsys, "runs", proj)
    rows = {line.split()[0]: line for line in text.splitlines()[1:]}
    assert rows[dense].endswith("Your design (1 convolution, 1 fully connected layer) · 1 epoch")  # said once
    assert rows[old].endswith("Your design · 1 epoch  [your design (1 convolution)]")


def test_a_runs_layers_and_its_design_as_a_file(tmp_path, capsys):
    proj, dense, _ = _project(tmp_path)
    code, text, _ = run(capsys, "runs", proj, "--design", dense)
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == f"Run {dense}: Your design (1 convolution, 1 fully connected layer) · 1 epoch"
    assert lines[1] == "Input: 8 × 8 pixels, grey, stretched to fit"
    assert [line.split("→")[0].split(None, 1)[1].strip() for line in lines[3:8]] == [
        "conv 4 3x3", "ReLU", "flatten", "fully connected 12", "output, 2 classes"]
    assert lines[3].endswith("→ 4 × 8 × 8") and lines[7].endswith("→ 2 numbers")
    assert f"--save-design {dense} design.json" in lines[-1]
    code, out, _ = run(capsys, "runs", proj, "--design", dense, "--json")
    assert out["spec"] == DENSE.to_json() and out["layers"][0] == {"number": 1, "label": "conv 4 3x3",
                                                                   "output": "4 × 8 × 8"}
    path = tmp_path / "design.json"
    code, out, _ = run(capsys, "runs", proj, "--save-design", dense, path, "--json")
    assert code == 0 and out == {"run": dense, "file": str(path),
                                 "design": "your design (1 convolution, 1 fully connected layer)"}
    assert ModelSpec.load(path) == DENSE  # what the Model page's Open… reads
    code, _, _ = run(capsys, "runs", proj, "--save-design", dense, path)  # a design file it wrote: replaced
    assert code == 0 and json.loads(path.read_text())["layers"][0]["type"] == "conv2d"


def test_no_file_is_written_over_that_is_not_a_design_and_a_bad_run_id_is_said(tmp_path, capsys):
    proj, dense, _ = _project(tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    code, out, err = run(capsys, "runs", proj, "--save-design", dense, notes, "--json")
    assert code == 1 and error_out(out, err) and "exists and is not a model design" in err
    assert notes.read_text() == "mine"
    code, out, err = run(capsys, "runs", proj, "--save-design", dense, tmp_path, "--json")
    assert code == 1 and error_out(out, err) and "is a folder" in err
    code, out, err = run(capsys, "runs", proj, "--design", "nope", "--json")
    assert code == 1 and error_out(out, err) and "there is no run “nope”" in err
    for argv, words in ((["--design", " "], "--design cannot be empty"),
                        (["--save-design", "", "x.json"], "--save-design cannot be empty")):
        code, out, err = usage_error(capsys, "runs", proj, *argv, "--json")
        assert code == 2 and words in err and words in out["error"], argv

"""No look at a run's test score unless on purpose (project/seen_scores.py), QA: a report shows the test score, so
writing one marks it looked at and says so; an exported model's metadata carries no test figure while nobody looked;
a plain `cnnstudio evaluate` scores the validation pictures and says how to look at test on purpose."""

from __future__ import annotations

import json
import zipfile

import pytest

from cnnstudio.project import ImageFilter
from cnnstudio.project.seen_scores import REPORT_LOOK_WORDS
from cnnstudio.project.split_roles import TEST_FOR_THE_END
from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec


@pytest.fixture
def trained(tmp_path, capsys):
    """A project (training, validation and test pictures) with one short real run: (folder, run id)."""
    make_project(tmp_path / "proj").close()
    tiny_spec().save(tmp_path / "tiny.json")
    code, out, err = run(capsys, "train", tmp_path / "proj", "--spec", tmp_path / "tiny.json", "--epochs", "1",
                         "--batch-size", "8", "--device", "cpu", "--seed", "1", "--json")
    assert code == 0, err
    return tmp_path / "proj", out["run"]


def _seen(capsys, proj) -> bool:
    code, listing, _ = run(capsys, "runs", proj, "--json")
    assert code == 0
    return listing["runs"][0]["test_seen"]


def test_a_report_shows_the_test_score_so_it_marks_it_looked_at_and_says_so(trained, tmp_path, capsys):
    proj, run_id = trained
    assert not _seen(capsys, proj)
    code, text, err = run(capsys, "report", proj, "--out", tmp_path / "r.html")
    assert code == 0, err
    assert text.splitlines() == [f"Wrote the report of run {run_id} to {tmp_path / 'r.html'}.", REPORT_LOOK_WORDS]
    assert "Test" in (tmp_path / "r.html").read_text(encoding="utf-8")  # the test score is in it
    assert _seen(capsys, proj)
    code, listing, _ = run(capsys, "runs", proj)
    assert "not looked at" not in listing
    code, out, _ = run(capsys, "report", proj, "--out", tmp_path / "r.html", "--json")
    assert code == 0 and out["shows_test"] is True


def test_a_report_of_a_run_without_test_pictures_marks_nothing(tmp_path, capsys):
    project = make_project(tmp_path / "proj")
    project.assign_splits((80, 20, 0), seed=0, resplit_test=True)
    project.close()
    tiny_spec().save(tmp_path / "tiny.json")
    code, out, err = run(capsys, "train", tmp_path / "proj", "--spec", tmp_path / "tiny.json", "--epochs", "1",
                         "--device", "cpu", "--json")
    assert code == 0, err
    code, text, _ = run(capsys, "report", tmp_path / "proj", "--out", tmp_path / "r.html")
    assert code == 0 and REPORT_LOOK_WORDS not in text
    code, out, _ = run(capsys, "report", tmp_path / "proj", "--out", tmp_path / "r.html", "--json")
    assert code == 0 and out["shows_test"] is False  # scripts are told too
    assert not _seen(capsys, tmp_path / "proj")


def _onnx_metrics(path) -> dict:
    import onnx

    props = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    return json.loads(props["metrics"])


def _torchscript_metrics(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.endswith("extra/cnnstudio.json"))
        return json.loads(zf.read(name))["metrics"]


def _bundle_metrics(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))["metrics"]


def test_an_export_carries_no_test_figure_until_it_was_looked_at(trained, tmp_path, capsys):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    proj, run_id = trained
    readers = {"onnx": ("m.onnx", _onnx_metrics), "torchscript": ("m.pt", _torchscript_metrics),
               "bundle": ("m.zip", _bundle_metrics)}
    for fmt, (name, read) in readers.items():
        code, _, err = run(capsys, "export", proj, "--format", fmt, "--out", tmp_path / name, "--json")
        assert code == 0, err
        metrics = read(tmp_path / name)
        assert "val_accuracy" in metrics and not any(k.startswith("test_") for k in metrics), (fmt, metrics)
    kept = json.loads((proj / "runs" / run_id / "model" / "manifest.json").read_text())["metrics"]
    assert "test_accuracy" in kept  # the run's own model keeps it: only what leaves the project is left without
    assert not _seen(capsys, proj)  # an export is no look
    assert run(capsys, "evaluate", proj, "--split", "test")[0] == 0  # the one look, on purpose
    for fmt, (name, read) in readers.items():
        code, _, err = run(capsys, "export", proj, "--format", fmt, "--out", tmp_path / name, "--json")
        assert code == 0, err
        assert 0 <= read(tmp_path / name)["test_accuracy"] <= 1, fmt


def test_a_plain_evaluate_scores_the_validation_pictures_and_says_how_to_look_at_test(trained, capsys):
    proj, run_id = trained
    look = f"cnnstudio evaluate {proj} --run {run_id} --split test"
    code, text, err = run(capsys, "evaluate", proj)
    assert code == 0, err
    lines = text.splitlines()
    assert ", val split:" in lines[0] and TEST_FOR_THE_END not in text
    assert lines[1] == ("Scored on the validation pictures, the ones to compare runs by. Test pictures are for the "
                        f"end: look at this run's test score once, on purpose, with: {look}")
    assert not _seen(capsys, proj)  # no look at test
    code, ev, _ = run(capsys, "evaluate", proj, "--json")
    assert code == 0 and ev["split"] == "val" and ev["test_look"] == look
    assert run(capsys, "evaluate", proj, "--split", "test")[0] == 0
    assert _seen(capsys, proj)
    code, ev, _ = run(capsys, "evaluate", proj, "--json")  # looked at already: no command to look again
    assert ev["split"] == "val" and ev["test_look"] == ""
    assert ev["split_note"] == "Scored on the validation pictures, the ones to compare runs by."


def test_a_run_without_validation_pictures_is_not_scored_on_test_unasked(tmp_path, capsys):
    project = make_project(tmp_path / "proj")
    project.set_split(project.ids(ImageFilter(split="val")), "train")  # as test_no_validation_cmds trains one
    project.close()
    proj = tmp_path / "proj"
    tiny_spec().save(tmp_path / "tiny.json")
    code, out, err = run(capsys, "train", proj, "--spec", tmp_path / "tiny.json", "--epochs", "1", "--device", "cpu",
                         "--no-val", "--json")
    assert code == 0, err
    run_id = out["run"]
    code, text, err = run(capsys, "evaluate", proj)
    assert code == 1 and text == ""
    assert err == (f"cnnstudio: error: run {run_id} was trained without validation pictures, and its test pictures "
                   f"are for the end: look at its test score once, on purpose, with: cnnstudio evaluate {proj} "
                   f"--run {run_id} --split test\n")
    assert not _seen(capsys, proj)
    code, ev, _ = run(capsys, "evaluate", proj, "--split", "test", "--json")
    assert code == 0 and ev["split"] == "test"


def test_a_report_of_a_project_open_for_viewing_only_says_the_look_was_not_kept(tmp_path, capsys):
    """QA: on a read-only project the report said "so that score now counts as looked at" while nothing was kept and
    'cnnstudio runs' still said "not looked at"."""
    import shutil

    from cnnstudio.project.seen_scores import REPORT_VIEWING_WORDS
    from tests.disk_helpers import remount, small_disk

    make_project(tmp_path / "src-proj").close()
    tiny_spec().save(tmp_path / "tiny.json")
    with small_disk(tmp_path / "disk", "40m") as disk:
        shutil.copytree(tmp_path / "src-proj", disk / "proj")
        code, _, err = run(capsys, "train", disk / "proj", "--spec", tmp_path / "tiny.json", "--epochs", "1",
                           "--batch-size", "8", "--device", "cpu", "--json")
        assert code == 0, err
        remount(disk, read_only=True)
        try:
            code, text, err = run(capsys, "report", disk / "proj", "--out", tmp_path / "r.html")
            assert code == 0, err
            assert text.splitlines()[1:] == [REPORT_VIEWING_WORDS] and REPORT_LOOK_WORDS not in text
            assert "open for viewing only" in REPORT_VIEWING_WORDS
            code, out, err = run(capsys, "report", disk / "proj", "--out", tmp_path / "r.html", "--json")
            assert code == 0 and out["shows_test"] is True and out["test_seen"] is False, err
            assert not _seen(capsys, disk / "proj")
        finally:
            remount(disk, read_only=False)

"""`cnnstudio lr-find`, in-process: one JSON object on stdout, a readable summary, one-line errors."""

from __future__ import annotations

import json

import pytest

from cnnstudio.project import Project, run_records
from tests.cli.helpers import error_out, run
from tests.engine.test_data import make_project, tiny_spec


@pytest.fixture
def proj_dir(tmp_path):
    make_project(tmp_path / "proj").close()
    return tmp_path / "proj"


@pytest.fixture
def inputs(tmp_path):
    """A tiny design and settings for it (8x8 grey, small batches, one thread): a test of well under a second."""
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"batch_size": 8, "threads": 1, "device": "cpu", "preprocess": {
        "height": 8, "width": 8, "channels": 1, "normalization": "dataset"}}), encoding="utf-8")
    return spec, settings


def test_json_shape_and_text(proj_dir, inputs, capsys):
    spec, settings = inputs
    code, out, err = run(capsys, "lr-find", proj_dir, "--spec", spec, "--settings", settings, "--json")
    assert code == 0, err
    assert set(out) >= {"suggested_lr", "curve", "seconds"}
    curve = out["curve"]
    assert all(isinstance(p, list) and len(p) == 2 for p in curve) and 10 < len(curve) <= 100
    lrs = [p[0] for p in curve]
    assert all(b > a for a, b in zip(lrs, lrs[1:])) and lrs[0] <= out["suggested_lr"] <= lrs[-1]
    assert out["seconds"] > 0 and "Trying learning rates" in err  # progress on stderr
    with Project.open(proj_dir) as p:
        assert run_records.list_runs(p) == []  # nothing saved

    code, text, _ = run(capsys, "lr-find", proj_dir, "--spec", spec, "--settings", settings, "--quiet")
    assert code == 0 and text.startswith("Suggested learning rate: ") and "steps" in text
    # one rate to use and the command that trains with it; no library or schedule named (QA CLI 14)
    from cnnstudio.cli.common import shell_command

    first, second = text.splitlines()[:2]
    said = first.removeprefix("Suggested learning rate: ").split(" ")[0].rstrip(".")
    assert float(said) > 0 and first.endswith(".") and said == f"{float(said):.2g}"  # two figures, as typed
    assert second == "Train with it: " + shell_command("cnnstudio", "train", proj_dir, "--spec", spec, "--settings",
                                                      settings, "--lr", said)
    assert "fastai" not in text and "one-cycle" not in text
    from cnnstudio.cli.lr_find_cmds import describe
    from cnnstudio.engine.train.lr_range import LrRangeResult

    both = LrRangeResult(suggested_lr=0.0702, curve=[(1e-5, 2.3), (0.0702, 1.1), (1.0, 9.0)], seconds=1.0, steps=3,
                        diverged=True, valley_lr=0.00143, rule="valley bottom")
    assert describe(both).splitlines()[0] == "Suggested learning rate: 0.07 (a safer, slower choice: 0.0014)."


def test_bad_input_one_line_non_zero(proj_dir, inputs, tmp_path, capsys):
    spec, settings = inputs
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"lr": "fast"}), encoding="utf-8")
    Project.create(tmp_path / "empty").close()
    cases = [
        (["lr-find", tmp_path / "empty", "--json"], "two classes"),
        (["lr-find", tmp_path / "nope", "--json"], "does not exist"),
        (["lr-find", proj_dir, "--preset", "no_such", "--json"], "no preset"),
        (["lr-find", proj_dir, "--spec", tmp_path / "missing.json", "--json"], "no file"),
        (["lr-find", proj_dir, "--settings", broken, "--json"], "not valid JSON"),
        (["lr-find", proj_dir, "--settings", wrong, "--json"], "'lr'"),
    ]
    for argv, expected in cases:
        code, out, err = run(capsys, *argv)
        assert code != 0 and error_out(out, err), argv
        assert len(err.strip().splitlines()) == 1 and expected in err, (argv, err)
    with pytest.raises(SystemExit) as e:  # argparse: a preset and a spec; exit 2, one line too
        run(capsys, "lr-find", proj_dir, "--preset", "default", "--spec", spec)
    err = capsys.readouterr().err
    assert e.value.code == 2 and len(err.strip().splitlines()) == 1 and "not allowed" in err


def test_the_help_says_the_settings_lr_is_checked_but_not_used(proj_dir, inputs, tmp_path, capsys):
    with pytest.raises(SystemExit):
        run(capsys, "lr-find", "--help")
    assert "its lr must be valid but is not used" in " ".join(capsys.readouterr().out.split())
    spec, settings = inputs
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**json.loads(settings.read_text()), "lr": -1}))
    code, out, err = run(capsys, "lr-find", proj_dir, "--spec", spec, "--settings", bad, "--json")
    assert code == 1 and error_out(out, err) and "'lr' must be a number" in err

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


def test_a_frozen_networks_exactly_fitted_head_is_refused_in_one_sentence(proj_dir, capsys):
    """QA qa1: `lr-find --preset mobilenet_v2_transfer` spent a minute and suggested "--lr 0.049" for a run that uses
    no learning rate; now it says so, before any test, in the window's words (Find's tooltip)."""
    code, out, err = run(capsys, "lr-find", proj_dir, "--preset", "mobilenet_v2_transfer", "--quiet")
    assert code == 1 and out == ""
    assert err == ("cnnstudio: error: “MobileNetV2 transfer, frozen” uses no learning rate, so there is none to find: "
                   "its pretrained network stays frozen and only its last layer is fitted, exactly.\n")


def test_rates_are_said_in_plain_decimals_as_the_train_pages_field_shows_them():
    """QA qa1: the window said "5.9e-03" beside a field reading 0.00300, the CLI "0.0059": one wording for both."""
    from cnnstudio.engine.runs.lr_find import rate_words, suggestion_words, taken_rate
    from cnnstudio.engine.train.lr_range import LrRangeResult

    assert [rate_words(v) for v in (0.005923, 0.00035, 0.0487, 3e-05, 3.0, 10.0)] == [
        "0.0059", "0.00035", "0.049", "0.00003", "3", "10"]
    assert taken_rate(0.005923) == 0.0059 and taken_rate(1e-7) == 0.00001  # the field's least step
    one_cycle = LrRangeResult(suggested_lr=0.005923, curve=[(1e-5, 2.3), (0.0059, 1.1), (1.0, 9.0)], seconds=1.0,
                              steps=3, diverged=True, valley_lr=0.000351, rule="valley bottom")
    assert suggestion_words(one_cycle) == "Suggested learning rate: 0.0059 (a safer, slower choice: 0.00035)."
    constant = LrRangeResult(suggested_lr=0.005923, curve=one_cycle.curve, seconds=1.0, steps=3, diverged=True,
                             valley_lr=0.005923, rule="valley")
    assert suggestion_words(constant) == "Suggested learning rate: 0.0059."


def test_like_tests_an_earlier_runs_design_and_the_advice_says_it(tmp_path, capsys):
    """`lr-find --like RUN` tests that run's design and settings (as `train --like` trains them), its train command
    keeps --like, and the advice's "Find a learning rate" names the run (it tested the saved or default design)."""
    from cnnstudio.engine.runs.advice import action_command
    from cnnstudio.engine.runs.advice_actions import action
    from tests.cli.helpers import split_project

    proj = split_project(capsys, tmp_path)
    code, out, _ = run(capsys, "train", proj, "--preset", "lenet5", "--epochs", "1", "--device", "cpu", "--json")
    assert code == 0
    rid = out["run"]
    code, out, err = run(capsys, "lr-find", proj, "--like", rid, "--quiet")
    assert code == 0, err
    assert f"--like {rid}" in out and "--lr " in out
    code, _, err = run(capsys, "lr-find", proj, "--like", "no-such-run", "--quiet")
    assert code != 0 and "no-such-run" in err
    assert action_command({**action("lr_find", {}), "run": rid}, "P") == f"cnnstudio lr-find P --like {rid}"

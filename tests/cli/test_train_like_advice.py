"""QA: after `cnnstudio train P --preset lenet5 --lr 0.01`, `cnnstudio advise P` printed `cnnstudio train P --lr 0.03`,
which trained the Recommended design, not LeNet-5, silently; "-> Turn on early stopping" had no command at all, and
`train --help` no option for it. An advice's command trains the advised run's own design and settings with only the
advised change (`train --like RUN`), and every action a finding offers has a command whose options exist."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from cnnstudio.cli import build_parser
from cnnstudio.cli.train_cmds import AUGMENT_LEVELS as CLI_LEVELS
from cnnstudio.engine.runs.advice_actions import (ACTION_KINDS, AUGMENT_LEVELS, NEXT_RUN, WHERE_IT_TRAINED, action,
                                                  apply_action, for_run)
from cnnstudio.engine.runs.advice_output import action_command
from cnnstudio.engine.train.settings import SAFE_AUGMENT, TrainSettings
from tests.cli.helpers import run, split_project, usage_error


def _config(proj, run_id) -> dict:
    return json.loads((proj / "runs" / run_id / "config.json").read_text())


def _train_again(capsys, command: str) -> dict:
    """The command pasted (through the CLI's main()), its new run's config.json."""
    words = shlex.split(command)
    assert words[:2] == ["cnnstudio", "train"], command
    code, out, err = run(capsys, *words[1:], "--quiet", "--json")
    assert code == 0, err
    return _config(Path(words[2]), out["run"])


@pytest.fixture
def lenet(tmp_path, capsys):
    """QA's run: LeNet-5 at 0.01, on a CPU, 1 epoch: (project folder, run id)."""
    proj = split_project(capsys, tmp_path)
    code, out, err = run(capsys, "train", proj, "--preset", "lenet5", "--lr", "0.01", "--epochs", "1",
                         "--device", "cpu", "--seed", "3", "--quiet", "--json")
    assert code == 0, err
    return proj, out["run"]


def _same_but(old: dict, new: dict, changed: dict) -> None:
    """``new`` settings are ``old`` with ``changed`` (where it trained aside)."""
    drop = set(WHERE_IT_TRAINED)
    want = {k: v for k, v in {**old, **changed}.items() if k not in drop}
    assert {k: v for k, v in new.items() if k not in drop} == want


def test_the_advices_commands_train_the_advised_runs_design_with_only_the_advised_change(lenet, capsys):
    proj, run_id = lenet
    old = _config(proj, run_id)
    st = TrainSettings.from_json(old["settings"])
    code, text, _ = run(capsys, "advise", proj, "--run", run_id)
    assert code == 0
    offered = [line.split(": ", 1)[1] for line in text.splitlines() if line.strip().startswith("-> ")]
    assert offered and all(c.startswith("cnnstudio ") for c in offered), text  # every action with its command
    trains = [c for c in offered if c.startswith("cnnstudio train ")]
    assert trains and all(f"--like {run_id}" in c for c in trains if "--resume" not in c), text
    new = _train_again(capsys, trains[0])  # the advice's own command, pasted: LeNet-5 again, not the recipe
    assert new["preset"] == "lenet5" and new["spec"] == old["spec"] and new["settings"]["optimizer"] == "adamw"
    assert new["settings"]["lr"] == 0.01 or "--lr" in trains[0]
    for kind in NEXT_RUN:
        if kind == "lr_find":
            continue
        act = for_run(action(kind, st, trained=1), run_id)
        command = action_command(act, str(proj))
        assert command.startswith(f"cnnstudio train {proj} --like {run_id} "), command
        if kind == "train_more":  # 21 epochs: its command, not its training, is what differs
            assert command.endswith(f"--epochs {act['settings']['epochs']}")
            continue
        new = _train_again(capsys, command)
        assert new["preset"] == "lenet5" and new["design"] == old["design"] == "LeNet-5", (kind, new["design"])
        assert new["spec"] == old["spec"]
        changed = apply_action(st, act).to_json()
        _same_but(old["settings"], new["settings"],
                  {k: changed[k] for k in act["settings"]} if kind not in ("lower_lr", "raise_lr")
                  else {"lr": pytest.approx(act["settings"]["lr"], rel=1e-3)})


def test_every_action_a_finding_offers_has_a_command_whose_options_train_accepts():
    st = TrainSettings(epochs=2, lr=0.003)
    extra = {"resume": {"trained": 1, "planned": 3, "run": "r1"}, "train_more": {"trained": 2},
             "look_at_mistakes": {"classes": ["a", "b"], "split": "val"}, "add_pictures": {"split": "val"}}
    parser = build_parser()
    for kind in ACTION_KINDS:
        act = for_run(action(kind, st, **extra.get(kind, {})), "r1")
        command = action_command(act, "P")
        assert command.startswith("cnnstudio "), (kind, command)
        words = shlex.split(command)[1:]
        args = parser.parse_args(words)  # an option train lacks: argparse exits
        if words[0] == "train" and kind in NEXT_RUN:
            assert args.like == "r1", (kind, command)
    on = st.replace(augment=SAFE_AUGMENT)
    assert action_command(for_run(action("augment", on), "r1"), "P") == "cnnstudio train P --like r1 --augment strong"
    assert action_command(for_run(action("augment", st), "r1"), "P") == "cnnstudio train P --like r1 --augment safe"
    assert action_command(for_run(action("early_stopping", st), "r1"), "P") == (
        "cnnstudio train P --like r1 --early-stopping 5")
    assert action_command(for_run(action("balance", st), "r1"), "P") == (
        "cnnstudio train P --like r1 --class-weights balanced")
    assert CLI_LEVELS == AUGMENT_LEVELS  # the option's choices are the engine's levels
    with pytest.raises(ValueError):
        action("no_such_kind", st)


def test_the_new_train_options_set_their_settings(lenet, capsys):
    proj, run_id = lenet
    code, out, err = run(capsys, "train", proj, "--preset", "lenet5", "--epochs", "1", "--device", "cpu",
                         "--early-stopping", "3", "--class-weights", "balanced", "--augment", "safe", "--quiet",
                         "--json")
    assert code == 0, err
    st = _config(proj, out["run"])["settings"]
    assert st["early_stopping_patience"] == 3 and st["class_weights"] == "balanced"
    assert st["augment"] == SAFE_AUGMENT.to_json()
    code, _, err = run(capsys, "train", proj, "--early-stopping", "-1")
    assert code != 0 and "--early-stopping must be 0 or more" in err
    code, _, err = usage_error(capsys, "train", proj, "--like", run_id, "--preset", "lenet5")
    assert code == 2 and "not allowed with" in err
    code, _, err = run(capsys, "train", proj, "--like", "no-such-run")
    assert code != 0 and "no-such-run" in err

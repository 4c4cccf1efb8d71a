"""A run whose loss stopped being a number is offered the command that trains it again with a lower learning rate
(the Train page advice's rule, advice_actions "lower_lr"), never --resume, which would go on at the rate that just
failed; the command pasted trains."""

from __future__ import annotations

import shlex

from tests.cli.helpers import run, split_project


def test_a_diverged_run_offers_a_lower_learning_rate_not_resume(tmp_path, capsys):
    proj = split_project(capsys, tmp_path)
    code, text, _ = run(capsys, "train", proj, "--preset", "classic", "--optimizer", "sgd", "--lr", "1e9",
                        "--epochs", "3", "--device", "cpu", "--seed", "0")
    assert code == 1 and "training diverged" in text and "--resume" not in text
    offer = text.splitlines()[-1]
    assert offer.startswith("Train it again with the learning rate at 0.1: cnnstudio train ")  # sgd's usual rate
    words = shlex.split(offer.split(": ", 1)[1])
    assert words[words.index("--lr") + 1] == "0.1" and words[words.index("--device") + 1] == "cpu"
    assert words[words.index("--like") + 1]  # the failed run's own design and settings, only the rate changed
    code, out, _ = run(capsys, "train", proj, "--preset", "classic", "--optimizer", "sgd", "--lr", "1e9",
                       "--epochs", "3", "--device", "cpu", "--seed", "0", "--json")
    assert code == 1 and out["lower_lr"] == 0.1 and "resume" not in out and "--lr 0.1" in out["train_again"]
    code, out, _ = run(capsys, *words[1:], "--json")  # the command as offered, pasted
    assert code == 0 and out["status"] == "finished"
    from cnnstudio.engine.runs.lifecycle import read_config
    from cnnstudio.project import Project

    with Project.open(proj, read_only=True) as project:  # the failed run's design and settings, the rate lowered
        config, settings = read_config(project, out["run"])
    assert config.get("preset") == "classic" and settings.optimizer == "sgd" and settings.lr == 0.1

"""`cnnstudio train --fine-tune-epochs N` (QA: only a ``fine_tune_epochs`` key in a --settings JSON said it): for a
design with a frozen pretrained backbone, the whole network trains N epochs more after the head; refused in one
sentence for any other design, before a run is made."""

from __future__ import annotations

from cnnstudio.project import Project, run_records
from tests.cli.helpers import run
from tests.engine.test_data import make_project
from tests.engine.test_frozen_run import frozen_spec

REFUSED = ("--fine-tune-epochs is only for a design with a frozen pretrained backbone (such as the preset "
           "mobilenet_v2_transfer), and this design has none")


def test_help_says_what_fine_tuning_does(capsys):
    import pytest

    with pytest.raises(SystemExit):
        run(capsys, "train", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "--fine-tune-epochs N" in text and "--fine-tune-lr-factor X" in text
    assert ("for a design with a frozen pretrained backbone (the transfer presets): after its last layer is trained, "
            "train the whole network N epochs more at a lower learning rate") in text


def test_fine_tune_epochs_are_refused_without_a_frozen_pretrained_backbone(tmp_path, capsys):
    make_project(tmp_path / "proj").close()
    code, out, err = run(capsys, "train", tmp_path / "proj", "--preset", "classic", "--fine-tune-epochs", "2")
    assert code != 0 and out == "" and err.strip() == f"cnnstudio: error: {REFUSED}"
    unfrozen = tmp_path / "unfrozen.json"
    frozen_spec(freeze=False, side=32).save(unfrozen)
    code, _, err = run(capsys, "train", tmp_path / "proj", "--spec", unfrozen, "--fine-tune-epochs", "1")
    assert code != 0 and REFUSED in err
    code, _, err = run(capsys, "train", tmp_path / "proj", "--preset", "classic", "--fine-tune-lr-factor", "0.5")
    assert code != 0 and "--fine-tune-lr-factor is only for a design with a frozen pretrained backbone" in err
    code, _, err = run(capsys, "train", tmp_path / "proj", "--preset", "classic", "--fine-tune-epochs", "-1")
    assert code != 0 and "--fine-tune-epochs must be 0 or more, not -1" in err
    with Project.open(tmp_path / "proj") as p:
        assert run_records.list_runs(p) == []  # nothing made


def test_fine_tune_epochs_train_a_frozen_backbone_further(tmp_path, capsys):
    make_project(tmp_path / "proj", per_class=12, side=12).close()
    spec = tmp_path / "frozen.json"
    frozen_spec(side=32).save(spec)
    code, out, err = run(capsys, "train", tmp_path / "proj", "--spec", spec, "--fine-tune-epochs", "1",
                         "--fine-tune-lr-factor", "0.5", "--batch-size", "16", "--device", "cpu", "--json")
    assert code == 0, err
    with Project.open(tmp_path / "proj") as p:
        info = run_records.get_run(p, out["run"])
    settings = info.config["settings"]
    assert settings["fine_tune_epochs"] == 1 and settings["fine_tune_lr_factor"] == 0.5
    assert info.summary["device"] == "CPU (head and fine-tuning)"
    assert out["epochs"] == 1 and out["head"]["strengths"] == 7  # its epochs alone, the strengths apart (train_rows)

"""`cnnstudio train`'s options for a graphics card (issue 21), on the CPU: they are stored in the run's
settings, the CPU trains as before (fp32), and the run's record says the precision beside the device."""

from __future__ import annotations

import pytest

from cnnstudio.project import Project
from cnnstudio.project import run_records
from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec


def test_speed_flags_are_settings_and_the_record_says_the_precision(tmp_path, capsys):
    make_project(tmp_path / "proj").close()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, out, err = run(capsys, "train", tmp_path / "proj", "--spec", spec, "--epochs", "1", "--batch-size", "auto",
                         "--no-mixed-precision", "--compile", "off", "--device", "cpu", "--json")
    assert code == 0, err
    with Project.open(tmp_path / "proj") as p:
        info = run_records.get_run(p, out["run"])
    assert info.config["settings"]["mixed_precision"] is False and info.config["settings"]["compile"] == "off"
    assert info.config["settings"]["auto_batch_size"] is True and info.config["settings"]["batch_size"] == 8
    assert info.summary["precision"] == "fp32" and info.summary["device"].startswith("CPU")
    assert "speed_notes" not in info.summary  # nothing was done differently on the CPU

    with pytest.raises(SystemExit) as bad:  # argparse's own exit
        run(capsys, "train", tmp_path / "proj", "--batch-size", "many")
    assert bad.value.code == 2 and "a whole number or auto, not 'many'" in capsys.readouterr().err

"""`cnnstudio validate` and a design's limits: --input applies to every preset, the input side range, the number of
layers, settings left out of a file, and the training memory estimate with its warning."""

from __future__ import annotations

import json

import pytest

from cnnstudio.cli import main
from cnnstudio.project.memory import total_ram
from cnnstudio.engine.model.spec import FORMAT
from tests.cli.test_model_cmds import run_json


def _file(tmp_path, layers, side=28, channels=1):
    path = tmp_path / "design.json"
    path.write_text(json.dumps({"format": FORMAT, "input": {"height": side, "width": side, "channels": channels},
                                "layers": layers}))
    return str(path)


def test_input_applies_to_a_transfer_preset(capsys):
    rc, data = run_json(capsys, "validate", "--preset", "mobilenet_v2_transfer", "--input", "64x64x3", "--classes", "3")
    assert rc == 0 and data["input"] == {"height": 64, "width": 64, "channels": 3}
    assert any("at 64 × 64 its pretrained features work less well" in n for n in data["notes"])
    rc, data = run_json(capsys, "validate", "--preset", "mobilenet_v2_transfer", "--input", "64x64x1", "--classes", "3")
    assert rc == 1 and "use RGB input for a pretrained backbone" in data["errors"][0]


def test_the_input_side_range_is_the_pages(capsys):
    # a design is made whole or refused (ModelSpec): one sentence, the range the Input tab gives
    rc, data = run_json(capsys, "validate", "--preset", "classic", "--input", "3x28x1", "--classes", "2")
    assert rc == 1
    assert data == {"error": "the input's height in pixels must be a whole number from 4 to 2048, not 3",
                    "exit_code": 1}
    assert main(["validate", "--preset", "classic", "--input", "3x28x1", "--classes", "2"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == ("cnnstudio: error: the input's height in pixels must be a whole number "
                                         "from 4 to 2048, not 3")


def test_a_file_with_too_many_layers_is_one_line(capsys, tmp_path):
    path = _file(tmp_path, [{"type": "relu"}] * 3000)
    assert main(["validate", path, "--classes", "2"]) == 1
    err = capsys.readouterr().err
    assert err == (f"cnnstudio: error: {path} holds a design CNN Studio cannot use — the design has 3,000 layers, more than the 200 CNN Studio allows: "
                   "remove layers (a deep network such as VGG-19 is 60 layers here, ResNet-34 with residual blocks "
                   "21)\n")


def test_settings_left_out_of_a_file_get_their_defaults(capsys, tmp_path):
    path = _file(tmp_path, [{"type": "conv2d", "params": {"out_channels": 8}}, {"type": "max_pool2d"}])
    rc, data = run_json(capsys, "validate", path, "--classes", "2")
    assert rc == 0 and data["layers"][0]["label"] == "conv 8 3x3" and data["layers"][1]["output_shape"] == [8, 14, 14]
    assert main(["layers"]) == 0
    assert "a setting a spec leaves out gets its default" in capsys.readouterr().out


def test_the_memory_estimate_and_its_warning(capsys, tmp_path):
    rc, data = run_json(capsys, "validate", "--preset", "classic", "--input", "28x28x1", "--classes", "10")
    assert rc == 0 and data["memory"]["per_picture_bytes"] > 4 * 28 * 28 and data["warnings"] == []
    assert main(["validate", "--preset", "classic", "--input", "28x28x1", "--classes", "10"]) == 0
    out = capsys.readouterr().out
    assert "multiply-adds per picture\nmemory in training: weights and training state about " in out
    assert "plus about 419 KB per picture (a batch of 64: " in out  # the command's batch: the default
    huge = _file(tmp_path, [{"type": "conv2d", "params": {"out_channels": 256}}] * 2 + [{"type": "global_avg_pool"}],
                 2048, 3)
    rc, data = run_json(capsys, "validate", huge, "--classes", "2")
    assert rc == 0 and data["ok"] is True  # a warning, not a mistake
    if total_ram() is not None:
        assert len(data["warnings"]) == 1 and data["warnings"][0].startswith("A batch of 64 pictures would need about")
        assert main(["validate", huge, "--classes", "2"]) == 0
        assert "\nwarning: A batch of 64 pictures would need about" in capsys.readouterr().out


def test_validate_says_which_batch_its_warning_counts(capsys):
    """The command has no batch size of its own: its help says the warning counts the default batch of 64."""
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    assert "a batch of 64 pictures (the default batch size)" in " ".join(capsys.readouterr().out.split())

"""`cnnstudio layers` and `cnnstudio validate`, run in-process and (once) as a real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio.cli import main
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.presets import PRESETS
from cnnstudio.engine.model.spec import ModelSpec

REPO = Path(__file__).resolve().parents[2]


def run_json(capsys, *argv) -> tuple[int, dict]:
    rc = main([*argv, "--json"])
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one JSON object on stdout
    return rc, json.loads(out)


def write_spec(path: Path, spec: ModelSpec) -> Path:
    spec.save(path)
    return path


def test_layers_json_lists_layers_presets_and_backbones(capsys):
    rc, data = run_json(capsys, "layers")
    assert rc == 0 and set(data) == {"layers", "presets", "backbones"}
    conv = next(d for d in data["layers"] if d["type"] == "conv2d")
    assert conv["title"] == "Convolution" and conv["category"] == "convolution"
    pad = next(p for p in conv["params"] if p["name"] == "padding")
    assert pad == {"name": "padding", "kind": "int", "default": "same", "min": 0, "max": 15, "choices": ["same"],
                   "help": pad["help"]}
    assert {"classic", "default", "lenet5", "vgg_small", "resnet_small"} <= {p["name"] for p in data["presets"]}
    mb = next(b for b in data["backbones"] if b["name"] == "mobilenet_v2")
    assert mb["needs_rgb"] is True and mb["feature_dim"] == 1280 and isinstance(mb["weights"]["installed"], bool)


def test_layers_text(capsys):
    assert main(["layers"]) == 0
    out = capsys.readouterr().out
    assert "conv2d" in out and "Max pooling" in out and "Presets" in out and "resnet18" in out


def test_validate_a_preset(capsys):
    rc, data = run_json(capsys, "validate", "--preset", "classic", "--input", "28x28x1", "--classes", "10")
    assert rc == 0 and data["ok"] is True and data["errors"] == []
    assert data["total_params"] == 421_642 and data["total_macs"] > 0
    assert data["layers"][-1]["output_shape"] == [10] and data["layers"][-1]["auto"] is True


def test_validate_a_file_with_mistakes_exits_1(capsys, tmp_path):
    spec = ModelSpec.create(8, 8, 1, [layer("conv2d"), layer("max_pool2d"), layer("max_pool2d"), layer("max_pool2d"),
                                      layer("max_pool2d"), {"type": "conv3d"}])
    path = write_spec(tmp_path / "spec.json", spec)
    rc, data = run_json(capsys, "validate", str(path), "--classes", "3")
    assert rc == 1 and data["ok"] is False
    assert data["errors"] == [
        "layer 5, max-pool 2x2, would shrink the 32 × 1 × 1 feature map to nothing: remove a pooling layer or use a larger input",
        "layer 6: there is no layer called 'conv3d'; did you mean 'conv2d'?",
    ]
    # --input overrides the file's own size: at 32x32 only the unknown layer is left
    rc, data = run_json(capsys, "validate", str(path), "--input", "32x32x1", "--classes", "3")
    assert rc == 1 and len(data["errors"]) == 1 and data["input"] == {"height": 32, "width": 32, "channels": 1}


def test_validate_text_table(capsys, tmp_path):
    path = write_spec(tmp_path / "s.json", PRESETS["lenet5"](28, 28, 1))
    assert main(["validate", str(path), "--classes", "0"]) == 1
    out = capsys.readouterr().out
    assert "conv 6 5x5" in out and "error: the number of classes must be a whole number of at least 1" in out
    assert out.strip().splitlines()[-1] == "1 mistake to fix" and "(s)" not in out  # QA cli #12: counted()


@pytest.mark.parametrize("argv, message", [
    (["validate", "{missing}", "--classes", "2"], "there is no file"),
    (["validate", "{bad}", "--classes", "2"], "bad.json is damaged: it stops part-way (on line 1)"),
    (["validate", "--preset", "classic", "--input", "28x28", "--classes", "2"],
     "--input must look like 28x28x1 (height x width x channels), not '28x28'"),
    (["validate", "--preset", "classic", "--classes", "2"], "has no picture size of its own: give --input"),
    (["validate", "--preset", "lenet", "--input", "28x28x1", "--classes", "2"], "did you mean 'lenet5'?"),
    (["validate", "--classes", "2"], "give a model spec file (SPEC.json) or --preset NAME"),
    (["validate", "{bad}", "--preset", "classic", "--classes", "2"], "not both"),
])
def test_bad_input_is_one_line(capsys, tmp_path, argv, message):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    argv = [a.format(missing=tmp_path / "missing.json", bad=bad) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("cnnstudio: error: ") and err.count("\n") == 1 and message in err


def test_classes_must_be_a_number(capsys):
    with pytest.raises(SystemExit) as e:
        main(["validate", "--preset", "classic", "--input", "28x28x1", "--classes", "ten"])
    assert e.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_layers_json_as_a_real_command_starts_without_torch():
    out = subprocess.run([sys.executable, "-m", "cnnstudio", "layers", "--json"], capture_output=True, text=True,
                         cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["layers"]) >= 15 and data["presets"] and len(data["backbones"]) == 2
    code = ("import argparse, sys\n"
            "from cnnstudio.cli.model_cmds import cmd_layers, cmd_validate\n"
            "cmd_layers(argparse.Namespace(json=True))\n"
            "rc = cmd_validate(argparse.Namespace(spec=None, preset='default', input='28x28x1', classes=10, json=True))\n"
            "assert rc == 0 and 'torch' not in sys.modules, 'the model commands imported torch'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr

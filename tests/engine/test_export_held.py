"""Which run an earlier export holds (QA 13), and a refused target refused before any step of the export (QA 14):
real bundles, real ONNX, TorchScript and bundle exports."""

from __future__ import annotations

import json
import zipfile

import pytest
import torch
from torch import nn

from cnnstudio.engine.model.build import build_model
from cnnstudio.engine.model.presets import PRESETS
from cnnstudio.engine.use.bundle import read_bundle_files, save_bundle
from cnnstudio.engine.use.export import ExportError, export, export_onnx, export_torchscript
from cnnstudio.engine.use.export_held import held_model, held_words, identity, other_export, replace_refused
from cnnstudio.engine.use.export_paths import check_target
from tests.engine.test_predict import CLASSES, PP

pytest.importorskip("onnxruntime")
FORMATS = [("onnx", "model.onnx"), ("torchscript", "model.pt"), ("bundle", "model.zip"), ("bundle", "model")]
NAMES = {"run-a": "LeNet-5 · 4 epochs", "run-b": "Small VGG · 10 epochs"}


def run_bundle(path, run: str | None, seed: int):
    """A real (untrained) model saved as a run saves it: its run's id in the manifest (None: a bundle without one)."""
    torch.manual_seed(seed)
    spec = PRESETS["classic"](PP.height, PP.width, PP.channels)
    extra = {"run": run} if run else None
    return save_bundle(path, build_model(spec, len(CLASSES)), spec, CLASSES, PP, extra=extra)


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    return {"a": run_bundle(root / "a", "run-a", 1), "b": run_bundle(root / "b", "run-b", 2),
            "a-copy": run_bundle(root / "a-copy", None, 1), "other": run_bundle(root / "other", None, 3)}


@pytest.mark.parametrize("fmt,name", FORMATS)
def test_an_export_says_which_run_it_holds_and_another_runs_export_asks_first(bundles, tmp_path, fmt, name):
    out = tmp_path / name
    assert held_model(out, fmt) is None and other_export(bundles["b"], fmt, out) is None  # nothing there yet
    export(bundles["a"], fmt, out)
    a = identity(read_bundle_files(bundles["a"])[0])
    assert a["run"] == "run-a" and len(a["weights"]) == 64
    assert held_model(out, fmt) == a
    # the same run again: replaced without a word; another run: the caller asks first, naming the run
    assert other_export(bundles["a"], fmt, out) is None
    held = other_export(bundles["b"], fmt, out)
    assert held == a
    assert held_words(held, NAMES.get) == "an export of the run “LeNet-5 · 4 epochs”"
    assert held_words(held) == held_words(held, {}.get) == "an export of the run run-a"  # a run not in the project
    assert replace_refused(out, held, NAMES.get) == (f"{out} already holds an export of the run “LeNet-5 · 4 "
                                                     "epochs”: add --replace to replace it, or choose another "
                                                     "name (it was left as it is)")
    # a bundle that does not say its run is known by its weights: the same weights are the same model
    assert other_export(bundles["a-copy"], fmt, out) is None
    assert other_export(bundles["other"], fmt, out) == a
    # the engine itself replaces it (the caller has asked): the file now holds run b
    export(bundles["b"], fmt, out)
    assert held_model(out, fmt)["run"] == "run-b" and other_export(bundles["a"], fmt, out)["run"] == "run-b"


def test_an_export_that_does_not_say_its_model_counts_as_another(bundles, tmp_path):
    """An export made before CNN Studio wrote its run (here: of a bare module) could hold any model: ask."""
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 14 * 14, 3)).eval()
    out = tmp_path / "old.onnx"
    export_onnx(model, out, input_shape=(3, 16, 16), class_names=CLASSES, exporter="torchscript")
    assert held_model(out, "onnx") == {"run": "", "weights": ""}
    held = other_export(bundles["a"], "onnx", out)
    assert held is not None and held_words(held, NAMES.get) == "a model exported earlier"
    pt = tmp_path / "old.pt"
    export_torchscript(model, pt, input_shape=(3, 16, 16), class_names=CLASSES)
    with zipfile.ZipFile(pt) as zf:
        meta = json.loads(zf.read(next(n for n in zf.namelist() if n.endswith("extra/cnnstudio.json"))))
    assert meta["run"] == "" and other_export(bundles["a"], "torchscript", pt) is not None


def test_a_file_cnn_studio_did_not_export_is_refused_before_any_step(bundles, tmp_path):
    """`export --out mine.onnx` printed "Exporting onnx: 0/4" and loaded the model before refusing (QA 14)."""
    mine = tmp_path / "mine.onnx"
    mine.write_bytes(b"the user's own ONNX model")
    report = tmp_path / "report.html"
    report.write_text("<html>the user's report</html>")
    folder = tmp_path / "a-folder.onnx"
    (folder / "inside").mkdir(parents=True)
    cases = [("onnx", mine, "is not an ONNX model CNN Studio exported"),
             ("torchscript", report, "is not a TorchScript model CNN Studio exported"),
             ("bundle", report, "is not a model bundle CNN Studio exported"),
             ("onnx", folder, "is a folder")]
    for fmt, out, said in cases:
        with pytest.raises(ExportError, match=said):
            check_target(fmt, out)
        steps = []
        with pytest.raises(ExportError, match=said):
            export(bundles["a"], fmt, out, progress=lambda d, t, m: steps.append(m))
        assert steps == [], (fmt, steps)  # refused before "Preparing the model"
        assert held_model(out, fmt) is None
    for fn in (export_onnx, export_torchscript):  # called directly, the same
        steps = []
        with pytest.raises(ExportError, match="is not an? (ONNX|TorchScript) model"):
            fn(bundles["a"], report, progress=lambda d, t, m: steps.append(m))
        assert steps == []
    assert mine.read_bytes() == b"the user's own ONNX model" and report.read_text().startswith("<html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder.onnx", "mine.onnx", "report.html"]

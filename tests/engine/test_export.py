"""Export: ONNX checked in onnxruntime, TorchScript via torch.jit.load, bundle copies folder <-> zip."""

from __future__ import annotations

import importlib.util
import json
import re
import zipfile

import numpy as np
import pytest
import torch
from torch import nn

from cnnstudio.engine.use.bundle import load_bundle
from cnnstudio.engine.use.export import (
    ExportError,
    ExportUnavailable,
    export_bundle,
    export_onnx,
    export_torchscript,
    onnx_available,
)
from cnnstudio.engine.data.preprocess import Preprocess
from tests.engine.test_predict import CLASSES, PP, make_bundle

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    path = make_bundle(tmp_path_factory.mktemp("model") / "model", metrics={"val_accuracy": 0.5})
    return load_bundle(path)


def _torch(model, x):
    with torch.inference_mode():
        return model(torch.from_numpy(x)).numpy()


def test_onnx_matches_pytorch_with_any_batch(bundle, tmp_path):
    steps = []
    res = export_onnx(bundle, tmp_path / "m.onnx", progress=lambda d, t, m: steps.append((d, t)))
    assert res.path.is_file() and res.max_abs_diff < 1e-4
    # the maintained (torch.export-based) exporter worked, no silent fallback
    assert res.exporter == ("dynamo" if importlib.util.find_spec("onnxscript") else "torchscript") and not res.notes
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1]
    m = onnx.load(str(res.path))
    assert max(o.version for o in m.opset_import if o.domain in ("", "ai.onnx")) >= 17
    props = {p.key: p.value for p in m.metadata_props}
    assert json.loads(props["class_names"]) == CLASSES
    assert Preprocess.from_json(json.loads(props["preprocess"])) == PP
    assert "float32" in props["input_description"] and "mean" in props["input_description"]
    sess = ort.InferenceSession(str(res.path), providers=["CPUExecutionProvider"])
    assert [i.name for i in sess.get_inputs()] == ["image"]
    assert [o.name for o in sess.get_outputs()] == ["logits", "probabilities"]
    rng = np.random.default_rng(1)
    for n in (1, 4, 7):  # the export traced a batch of 2
        x = rng.standard_normal((n, 3, 16, 16)).astype(np.float32)
        logits, probs = sess.run(None, {"image": x})
        assert np.abs(logits - _torch(bundle.model, x)).max() < 1e-4
        assert np.allclose(probs.sum(1), 1.0, atol=1e-5)


def test_onnx_legacy_exporter_and_plain_module(tmp_path):
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 2)).eval()
    res = export_onnx(model, tmp_path / "plain.onnx", input_shape=(1, 8, 8), class_names=["x", "y"],
                      exporter="torchscript")
    assert res.exporter == "torchscript"
    sess = ort.InferenceSession(str(res.path), providers=["CPUExecutionProvider"])
    x = np.random.default_rng(0).standard_normal((5, 1, 8, 8)).astype(np.float32)
    assert np.abs(sess.run(["logits"], {"image": x})[0] - _torch(model, x)).max() < 1e-4
    with pytest.raises(ExportError, match="input size is unknown"):
        export_onnx(model, tmp_path / "x.onnx")
    with pytest.raises(ExportError, match="opset"):
        export_onnx(model, tmp_path / "x.onnx", input_shape=(1, 8, 8), opset=13)
    assert not (tmp_path / "x.onnx").exists()


def test_onnx_missing_packages_message(bundle, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_onnxruntime(name, *a, **kw):
        if name == "onnxruntime":
            raise ImportError("No module named 'onnxruntime'")
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_onnxruntime)
    ok, why = onnx_available()
    assert not ok and "cnnstudio[export]" in why
    with pytest.raises(ExportUnavailable, match=r"onnxruntime.*not installed"):
        export_onnx(bundle, tmp_path / "m.onnx")


@pytest.mark.filterwarnings("ignore:`torch.jit.load` is deprecated:FutureWarning")
def test_torchscript_matches_pytorch(bundle, tmp_path):
    res = export_torchscript(bundle, tmp_path / "m.pt")
    assert res.max_abs_diff < 1e-4
    extra = {"cnnstudio.json": ""}
    loaded = torch.jit.load(str(res.path), map_location="cpu", _extra_files=extra)
    assert json.loads(extra["cnnstudio.json"])["class_names"] == CLASSES
    x = torch.randn(5, 3, 16, 16)
    with torch.inference_mode():
        assert (loaded(x) - bundle.model(x)).abs().max() < 1e-4


@pytest.mark.parametrize("src_name,out_name", [("src", "copy.zip"), ("src.zip", "copy_folder")])
def test_bundle_copy_converts_folder_and_zip(tmp_path, src_name, out_name):
    src = make_bundle(tmp_path / src_name)
    res = export_bundle(src, tmp_path / out_name)
    assert res.path.is_file() == out_name.endswith(".zip")
    a, b = load_bundle(src), load_bundle(res.path)
    assert b.class_names == CLASSES and b.manifest == a.manifest
    x = torch.randn(2, 3, 16, 16)
    with torch.inference_mode():
        assert torch.equal(a.model(x), b.model(x))
    with pytest.raises(ExportError, match="the model itself"):
        export_bundle(src, src)


def test_a_bundle_copy_reads_the_source_manifest_once_and_keeps_its_bytes(tmp_path, monkeypatch):
    src = make_bundle(tmp_path / "src.zip")
    loaded = load_bundle(src)
    read: list[tuple[str, str]] = []
    real_open = zipfile.ZipFile.open

    def counting_open(self, name, *args, **kwargs):
        read.append((str(self.filename), getattr(name, "filename", name)))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    out = export_bundle(loaded, tmp_path / "copy.zip").path
    assert read.count((str(src), "manifest.json")) == 1  # read once, checked and copied from what was read
    assert read.count((str(out), "manifest.json")) == 1  # the copy, checked
    monkeypatch.undo()
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert a.read("manifest.json") == b.read("manifest.json")  # byte for byte


def test_export_replaces_an_earlier_export_and_nothing_else(tmp_path, bundle):
    src = make_bundle(tmp_path / "src")
    report = tmp_path / "report.html"
    report.write_text("<html>the user's report</html>")
    noted = tmp_path / "shared"
    export_bundle(src, noted)
    (noted / "NOTES.txt").write_text("what this model is for")
    photos = tmp_path / "photos.zip"
    with zipfile.ZipFile(photos, "w") as zf:
        zf.writestr("holiday.jpg", b"not a model")
    for out, said in ((report, "is not a model bundle CNN Studio exported"), (noted, "other files (NOTES.txt)"),
                      (photos, "is not a model bundle CNN Studio exported")):
        before = sorted(p.name for p in out.iterdir()) if out.is_dir() else out.read_bytes()
        with pytest.raises(ExportError, match=re.escape(said)):
            export_bundle(src, out)
        assert (sorted(p.name for p in out.iterdir()) if out.is_dir() else out.read_bytes()) == before
    weights = tmp_path / "weights-from-elsewhere"  # only a model.safetensors: someone's, not an export
    weights.mkdir()
    (weights / "model.safetensors").write_bytes(b"their weights")
    with pytest.raises(ExportError, match="a folder with other files"):
        export_bundle(src, weights)
    assert (weights / "model.safetensors").read_bytes() == b"their weights"
    users_onnx = tmp_path / "theirs.onnx"
    users_onnx.write_bytes(b"an ONNX model from another tool")
    for fn, out in ((export_onnx, report), (export_torchscript, report), (export_onnx, users_onnx)):
        with pytest.raises(ExportError, match="is not an? (ONNX|TorchScript) model CNN Studio exported"):
            fn(bundle, out)
    assert report.read_text() == "<html>the user's report</html>"
    assert users_onnx.read_bytes() == b"an ONNX model from another tool"
    # its own ONNX and TorchScript files, whatever they are called, are replaced: exporting again updates them
    for fn, name in ((export_onnx, "m.onnx"), (export_onnx, "model"), (export_torchscript, "m.ts"),
                     (export_torchscript, "m.pt")):
        fn(bundle, tmp_path / name)
        assert fn(bundle, tmp_path / name).path == tmp_path / name
    # an earlier export, as a folder or a zip, is replaced: exporting again is how a model is updated
    (noted / "NOTES.txt").unlink()
    again = tmp_path / "again.zip"
    export_bundle(src, again)
    assert export_bundle(src, again).path == again and export_bundle(src, noted).path == noted
    assert load_bundle(again).class_names == load_bundle(noted).class_names == CLASSES

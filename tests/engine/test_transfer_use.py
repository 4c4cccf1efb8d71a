"""A transfer-learning model at the transfer presets' input size (224 px, RGB, ImageNet normalisation) is used
like every model: prediction, Grad-CAM, and the exports (ONNX checked in onnxruntime, TorchScript) agree."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.backbones import weights_status
from cnnstudio.engine.model.build import build_model
from cnnstudio.engine.model.design import PRETRAINED_SIDE
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.use.bundle import load_bundle, save_bundle
from cnnstudio.engine.use.export import export_onnx, export_torchscript, onnx_available
from cnnstudio.engine.use.predict import Predictor
from cnnstudio.engine.use.saliency import saliency
from tests.conftest import write_image

pytestmark = pytest.mark.skipif(not weights_status("mobilenet_v2")["installed"],
                                reason="MobileNetV2's pretrained weights are not installed (make installs them)")


def test_a_transfer_model_at_its_input_size_predicts_explains_and_exports(tmp_path):
    torch.manual_seed(0)
    spec = make_preset("mobilenet_v2_transfer", 28, 28, 1)  # grey 28 px pictures: the preset brings its input
    assert spec.input.shape == (3, PRETRAINED_SIDE, PRETRAINED_SIDE)
    pp = Preprocess(height=PRETRAINED_SIDE, width=PRETRAINED_SIDE, channels=3, normalization="imagenet")
    model = build_model(spec, 2)
    bundle = load_bundle(save_bundle(tmp_path / "model", model, spec, ["cat", "dog"], pp))
    picture = write_image(tmp_path / "p.png", (200, 120, 40), size=(37, 29))

    pred = Predictor(bundle).predict(picture)
    assert pred.label in ("cat", "dog") and sum(pred.probabilities.values()) == pytest.approx(1, abs=1e-5)
    cam = saliency(Predictor(bundle), picture)
    assert cam.method == "grad-cam" and cam.map.shape == (PRETRAINED_SIDE, PRETRAINED_SIDE)
    assert cam.label == pred.label

    ts = export_torchscript(bundle, tmp_path / "model.pt")
    assert ts.max_abs_diff is not None and ts.max_abs_diff < 1e-4
    if onnx_available()[0]:
        import onnxruntime as ort

        onnx = export_onnx(bundle, tmp_path / "model.onnx")
        assert onnx.max_abs_diff is not None and onnx.max_abs_diff < 1e-4
        x = np.random.default_rng(0).standard_normal((2, 3, PRETRAINED_SIDE, PRETRAINED_SIDE)).astype("float32")
        sess = ort.InferenceSession(str(onnx.path), providers=["CPUExecutionProvider"])
        logits = sess.run(["logits"], {"image": x})[0]
        with torch.inference_mode():
            want = bundle.model(torch.from_numpy(x)).numpy()
        assert np.allclose(logits, want, atol=1e-4)

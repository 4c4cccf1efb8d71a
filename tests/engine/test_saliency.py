"""Saliency maps: Grad-CAM on a CNN, input-gradient fallback without convolutions, shape and range."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from cnnstudio.engine.use.bundle import load_bundle, save_bundle
from cnnstudio.engine.use.predict import Predictor
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.use.saliency import grad_cam, input_gradient, saliency
from tests.conftest import write_image
from tests.engine.test_predict import CLASSES, make_bundle


def _check(m: np.ndarray, shape) -> None:
    assert m.shape == shape and m.dtype == np.float32
    assert m.min() >= 0.0 and m.max() <= 1.0 and m.max() == pytest.approx(1.0)


def test_grad_cam_on_a_preset_model(tmp_path):
    pred = Predictor(make_bundle(tmp_path / "m"))
    pic = write_image(tmp_path / "p.jpg", (200, 30, 30), size=(40, 30))
    s = saliency(pred, pic)
    _check(s.map, (16, 16))
    assert s.method == "grad-cam" and s.layer
    assert s.label == pred.predict(pic).label and s.target == CLASSES.index(s.label)
    assert s.image.shape == (16, 16, 3) and s.image.dtype == np.uint8
    other = saliency(pred, Image.open(pic), target="bird")
    assert other.label == "bird" and other.target == 2
    _check(saliency(pred, pic, method="input-gradient").map, (16, 16))
    with pytest.raises(ValueError, match="unknown class"):
        saliency(pred, pic, target="fish")


def test_grad_cam_finds_the_bright_square():
    # a fixed "detector": one conv that responds to brightness, summed into class 0
    conv = nn.Conv2d(1, 1, 3, padding=1, bias=False)
    nn.init.constant_(conv.weight, 1.0)
    model = nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1, 2)).eval()
    with torch.no_grad():
        model[4].weight.copy_(torch.tensor([[1.0], [-1.0]]))
        model[4].bias.zero_()
    x = torch.zeros(1, 1, 16, 16)
    x[0, 0, 2:6, 10:14] = 1.0
    cam, cls, layer = grad_cam(model, x, target=0)
    assert cls == 0 and layer == "1"  # the last feature map before pooling: after the ReLU
    _check(cam, (16, 16))
    assert cam[3:5, 11:13].mean() > 0.8 and cam[12:, :4].max() < 0.2


def test_no_conv_falls_back_to_input_gradient(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 2)).eval()
    assert grad_cam(model, torch.rand(1, 3, 8, 8)) is None
    sal, cls = input_gradient(model, torch.rand(1, 3, 8, 8))
    _check(sal, (8, 8))
    pp = Preprocess(height=8, width=8, channels=3)

    def builder(spec, n):
        return spec, nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, n))

    path = save_bundle(tmp_path / "mlp", model, {}, ["a", "b"], pp)
    s = saliency(Predictor(load_bundle(path, builder=builder)), write_image(tmp_path / "p.png", size=(9, 9)))
    assert s.method == "input-gradient" and s.layer == ""
    _check(s.map, (8, 8))


def test_works_inside_inference_mode_and_with_frozen_weights(tmp_path):
    pred = Predictor(make_bundle(tmp_path / "m"))
    for p in pred.model.parameters():
        p.requires_grad_(False)
    try:
        with torch.inference_mode():
            s = saliency(pred, write_image(tmp_path / "p.png", (20, 200, 20), size=(16, 16)))
        assert s.method == "grad-cam"
        assert all(p.grad is None for p in pred.model.parameters())
    finally:
        for p in pred.model.parameters():
            p.requires_grad_(True)

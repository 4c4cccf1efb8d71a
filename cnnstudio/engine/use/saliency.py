"""Where did the network look? A Grad-CAM map for one image, for the GUI to overlay.

:func:`grad_cam` weights the last feature map the network computes before pooling that is still larger
than 1x1 (the output of the last convolution block, after its activation; for a residual block,
after the shortcut is added) by the gradient of the class score, keeps the positive part and scales
it up to the model's input size (Selvaraju et al., 2017). Models without a convolution (an MLP), or
whose map comes out flat (all zero), fall back to :func:`input_gradient`: the absolute gradient of
the class score with respect to the input pixels. Gradients are taken with respect to the input, so
frozen (``requires_grad=False``) backbones work too, and no weight's ``.grad`` is touched.

Both return an ``(H, W)`` float32 NumPy array in ``[0, 1]`` at the model's input size, i.e. aligned
with the preprocessed picture (:attr:`SaliencyMap.image`), not with the original file: with
``center_crop`` or ``letterbox`` resizing the two differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..model.build import design_order

__all__ = ["SaliencyMap", "saliency", "grad_cam", "input_gradient", "find_conv_layers"]


@dataclass(frozen=True)
class SaliencyMap:
    map: np.ndarray  # (H, W) float32 in [0, 1], at the model's input size
    image: np.ndarray  # (H, W, 3) uint8: the picture as the model saw it (greyscale repeated)
    target: int  # class index the map explains
    label: str  # its name
    confidence: float  # softmax probability of that class
    method: str  # "grad-cam" or "input-gradient"
    layer: str = ""  # the convolution used by Grad-CAM ("" for input-gradient)


def find_conv_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """Every 2-D convolution in registration order (for Sequential-like models, execution order)."""
    return [(name, m) for name, m in model.named_modules() if isinstance(m, nn.Conv2d)]


def _normalise01(a: torch.Tensor) -> torch.Tensor | None:
    a = torch.nan_to_num(a.float(), nan=0.0, posinf=0.0, neginf=0.0)
    lo, hi = a.min(), a.max()
    if not torch.isfinite(hi - lo) or float(hi - lo) <= 1e-12:
        return None
    return (a - lo) / (hi - lo)


def _target_of(logits: torch.Tensor, target: int | None) -> int:
    if target is None:
        return int(logits[0].argmax())
    if not 0 <= int(target) < logits.shape[1]:
        raise ValueError(f"class index {target} is out of range (the model has {logits.shape[1]} classes)")
    return int(target)


_NOT_FEATURES = (nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Dropout, nn.Dropout2d,
                 nn.Flatten, nn.Identity)


def grad_cam(model: nn.Module, x: torch.Tensor, target: int | None = None,
             layer: nn.Module | str | None = None) -> tuple[np.ndarray, int, str] | None:
    """Grad-CAM for one normalised input ``x`` of shape (1, C, H, W).

    Returns ``(map, target, layer_name)``, or ``None`` when the model has no convolution or the map
    is flat (then use :func:`input_gradient`). ``layer``: a module or its dotted name. By default the
    last feature map the network computes that is larger than 1x1, before pooling: the output of
    the last convolution block (after its normalisation and activation; for a residual block, after
    the shortcut is added), as in the Grad-CAM paper.
    """
    if isinstance(layer, str):
        named = dict(model.named_modules())
        if layer not in named:
            raise ValueError(f"the model has no layer named {layer!r}")
        watched = [(layer, named[layer])]
    elif layer is not None:
        watched = [(n, m) for n, m in model.named_modules() if m is layer] or [("layer", layer)]
    else:
        if not find_conv_layers(model):
            return None
        watched = [(n, m) for n, m in model.named_modules()
                   if m is not model and not isinstance(m, _NOT_FEATURES)]
    names = {id(m): n for n, m in watched}
    outputs: list[tuple[str, torch.Tensor]] = []  # in the order the modules finish

    def hook(module: nn.Module, _inp: Any, out: Any) -> None:
        if isinstance(out, torch.Tensor) and out.dim() == 4:
            outputs.append((names[id(module)], out))

    handles = [m.register_forward_hook(hook) for _, m in watched]
    try:
        with torch.inference_mode(False), torch.enable_grad(), design_order(model):  # maps before pooling
            x = x.detach().clone().requires_grad_(True)  # gradients flow even through frozen backbones
            logits = model(x)
            cls = _target_of(logits, target)
            usable = [(n, o) for n, o in outputs if o.requires_grad and o.shape[-1] * o.shape[-2] > 1]
            if not usable:
                return None
            name, act = usable[-1]
            (grad,) = torch.autograd.grad(logits[0, cls], act, retain_graph=False, allow_unused=True)
    finally:
        for h in handles:
            h.remove()
    if grad is None:
        return None
    with torch.no_grad():
        weights = grad[0].mean(dim=(1, 2))  # (K,)
        cam = F.relu((weights[:, None, None] * act[0].detach()).sum(0))
        cam = F.interpolate(cam[None, None], size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)[0, 0]
        cam01 = _normalise01(cam)
    if cam01 is None:
        return None
    return cam01.cpu().numpy().astype(np.float32), cls, name


def input_gradient(model: nn.Module, x: torch.Tensor, target: int | None = None) -> tuple[np.ndarray, int]:
    """Plain gradient saliency: |d score / d pixel|, max over channels, lightly smoothed, in [0, 1]."""
    with torch.inference_mode(False), torch.enable_grad():
        x = x.detach().clone().requires_grad_(True)
        logits = model(x)
        cls = _target_of(logits, target)
        (grad,) = torch.autograd.grad(logits[0, cls], x)
    with torch.no_grad():
        sal = grad[0].abs().amax(0)
        sal = F.avg_pool2d(sal[None, None], 3, stride=1, padding=1, count_include_pad=False)[0, 0]
        hi = torch.quantile(sal.flatten(), 0.99) if sal.numel() > 1 else sal.max()
        if float(hi) > 0:
            sal = sal.clamp(max=hi)
        sal01 = _normalise01(sal)
    if sal01 is None:
        return np.zeros(tuple(x.shape[-2:]), dtype=np.float32), cls
    return sal01.cpu().numpy().astype(np.float32), cls


def saliency(model_or_bundle: Any, image: Any, target: int | str | None = None,
             method: str = "auto") -> SaliencyMap:
    """A saliency map for one image (file path, PIL image or (C,H,W) uint8 tensor).

    ``model_or_bundle``: a :class:`~cnnstudio.engine.use.predict.Predictor`, a loaded bundle or a bundle
    path. ``target``: class index or name (default: the predicted class). ``method``: ``"auto"``
    (Grad-CAM, falling back to input gradients), ``"grad-cam"`` or ``"input-gradient"``.
    Raises :class:`~cnnstudio.project.imaging.ImageRejected` for a file that cannot be read.
    """
    from .predict import Predictor

    predictor = model_or_bundle if isinstance(model_or_bundle, Predictor) else Predictor(model_or_bundle)
    if isinstance(target, str):
        if target not in predictor.class_names:
            raise ValueError(f"unknown class {target!r}; the model knows {', '.join(predictor.class_names)}")
        target = predictor.class_names.index(target)
    if method not in ("auto", "grad-cam", "input-gradient"):
        raise ValueError(f"unknown saliency method {method!r}: use auto, grad-cam or input-gradient")
    u8 = predictor.to_uint8(image)
    x = predictor.to_input(u8[None])
    model = predictor.model
    result = None
    if method in ("auto", "grad-cam"):
        result = grad_cam(model, x, target)
        if result is None and method == "grad-cam":
            raise ValueError("this model has no convolution with a spatial feature map for Grad-CAM")
    if result is not None:
        sal, cls, layer, used = result[0], result[1], result[2], "grad-cam"
    else:
        sal, cls = input_gradient(model, x, target)
        layer, used = "", "input-gradient"
    with torch.inference_mode():
        probs = torch.softmax(model(x).float(), dim=1)[0]
    pic = u8.permute(1, 2, 0).cpu().numpy()
    if pic.shape[2] == 1:
        pic = np.repeat(pic, 3, axis=2)
    return SaliencyMap(map=sal, image=np.ascontiguousarray(pic), target=cls, label=predictor.class_names[cls],
                       confidence=float(probs[cls]), method=used, layer=layer)

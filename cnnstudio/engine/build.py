"""Turn a checked :class:`ModelSpec` into an ``nn.Module``: nothing reaches PyTorch unchecked.

:func:`build_model` runs :func:`~cnnstudio.engine.validate.validate` first and raises
:class:`SpecError` (all messages joined) when the design has mistakes. The module it returns maps
``(N, C, H, W)`` float pictures to ``(N, num_classes)`` logits (softmax only when predicting), works
in ``torch.channels_last`` memory format, and keeps its design on itself (``model.spec``,
``model.num_classes``) for the model bundle.

State-dict names are ``layers.<i>.*`` (the modules of the validation plan: the spec's layers, any
inserted flatten, then the output layer) and ``backbone.*`` for a torchvision backbone.
"""

from __future__ import annotations

import os

import torch
from torch import nn

from .backbones import make_backbone
from .errors import SpecError
from .spec import ModelSpec
from .validate import ValidationReport, validate


class Network(nn.Module):
    """A catalog-built classifier: optional backbone (pooled features), then ``layers`` ending in the output layer."""

    def __init__(self, layers: nn.Sequential, spec: ModelSpec, num_classes: int,
                 backbone: nn.Module | None = None, freeze_backbone: bool = False):
        super().__init__()
        self.backbone = backbone
        self.layers = layers
        self.spec = spec
        self.num_classes = num_classes
        self.freeze_backbone = bool(backbone is not None and freeze_backbone)
        if self.freeze_backbone:
            for p in self.backbone.parameters():
                p.requires_grad_(False)
            self.backbone.eval()

    def train(self, mode: bool = True):
        """As usual, but a frozen backbone stays in eval mode so its batch-norm statistics stay fixed."""
        super().train(mode)
        if self.freeze_backbone:
            self.backbone.eval()
        return self

    def trainable_parameters(self):
        return [p for p in self.parameters() if p.requires_grad]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.backbone is not None:
            x = self.backbone(x)
        return self.layers(x)


def build_model(spec: ModelSpec, num_classes: int, *, load_pretrained: bool = True,
                weights_file: str | os.PathLike | None = None, report: ValidationReport | None = None) -> Network:
    """The ``nn.Module`` for ``spec`` with an output layer of ``num_classes`` units.

    Raises :class:`SpecError` if :func:`validate` finds mistakes. With a pretrained backbone the weights
    are found offline (``weights_file``, else the spec's ``weights_file``, else the usual places) and
    :class:`WeightsNotFound` is raised when there are none; ``load_pretrained=False`` skips that (for
    loading a trained model whose own weights replace them anyway).
    """
    if report is None or report.spec != spec or report.num_classes != num_classes:
        report = validate(spec, num_classes)
    if not report.ok:
        raise SpecError("; ".join(report.errors))
    backbone = None
    bb = spec.backbone
    if bb is not None:
        backbone = make_backbone(
            bb.name,
            channels=spec.input.channels,
            pretrained=bb.pretrained and load_pretrained,
            weights_file=weights_file if weights_file is not None else bb.weights_file,
        )
    modules = [step.layer.factory(step.in_shape, step.params) for step in report.plan]
    return Network(nn.Sequential(*modules), spec, num_classes, backbone, freeze_backbone=bool(bb and bb.freeze))

"""A linear classifier on fixed features (softmax regression, L2-regularised, full-batch L-BFGS).

The fast model of the data check (a probe per cross-validation fold on frozen backbone features): a few
thousand pictures train in well under a second on a laptop CPU, and the result is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass
class LinearProbe:
    weight: torch.Tensor  # (classes, D)
    bias: torch.Tensor  # (classes,)
    mean: torch.Tensor  # (D,) feature centring learnt on the training rows
    scale: torch.Tensor  # (D,)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        return ((x.float() - self.mean) / self.scale) @ self.weight.T + self.bias

    def probabilities(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.logits(x), 1)


def fit_linear_probe(x: torch.Tensor, y: torch.Tensor, num_classes: int, *, l2: float = 1e-3,
                     max_iter: int = 200) -> LinearProbe:
    """Fit on features ``x`` (N, D) and labels ``y`` (N,); features are standardised first."""
    x = x.float()
    mean = x.mean(0)
    scale = x.std(0).clamp_min(1e-3)
    w, b = fit_softmax((x - mean) / scale, y, num_classes, l2, max_iter=max_iter)
    return LinearProbe(w, b, mean, scale)


def fit_softmax(z: torch.Tensor, y: torch.Tensor, num_classes: int, l2: float,
                warm: tuple[torch.Tensor, torch.Tensor] | None = None,
                max_iter: int = 200) -> tuple[torch.Tensor, torch.Tensor]:
    """Softmax regression with an L2 penalty on (standardised) features ``z``, full-batch L-BFGS, started
    from zero or from ``warm`` (weight, bias). Returns (weight, bias)."""
    w = (warm[0].clone() if warm is not None else torch.zeros((num_classes, z.shape[1]))).requires_grad_(True)
    b = (warm[1].clone() if warm is not None else torch.zeros(num_classes)).requires_grad_(True)
    opt = torch.optim.LBFGS([w, b], lr=1.0, max_iter=max_iter, history_size=20, line_search_fn="strong_wolfe",
                            tolerance_grad=1e-6, tolerance_change=1e-9)

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(z @ w.T + b, y) + l2 * (w * w).sum()
        loss.backward()
        return loss

    with torch.enable_grad():
        opt.step(closure)
    return w.detach(), b.detach()

"""``torch.compile`` for many models in one process (the Tune step's trials): PyTorch keeps at most 8 compiled
versions of one ``forward``, then runs eagerly without a word. Each run must really compile, and a compile
that made nothing must say so rather than "compiled"."""

from __future__ import annotations

import torch
from torch import nn

from cnnstudio.engine.train.compiled import compile_model

CPU = torch.device("cpu")


class Deep(nn.Module):
    """One class, one ``forward`` code object, as every designed network shares; each depth a new graph."""

    def __init__(self, depth: int):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return x


def warm_up(forward) -> None:
    forward(torch.randn(3, 4)).sum().backward()


def test_nine_architectures_in_one_process_are_each_compiled():
    made = []

    def backend(gm, example_inputs):
        made.append(len(made))
        return gm.forward

    for depth in range(1, 10):
        before = len(made)
        compiled, words = compile_model(Deep(depth), CPU, warm_up,
                                        lambda m, d: torch.compile(m, backend=backend))
        assert compiled is not None and words.startswith("compiled ("), (depth, words)
        assert len(made) > before, f"the model of depth {depth} ran without being compiled"


def test_a_compile_that_made_no_graph_says_so():
    with torch.compiler.set_stance("force_eager"):  # torch.compile then runs the model as it is
        compiled, words = compile_model(Deep(2), CPU, warm_up, lambda m, d: torch.compile(m, backend="eager"))
    assert compiled is None
    assert words == "compiling made nothing (PyTorch ran the model as it was): trained without compiling"

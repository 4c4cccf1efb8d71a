"""Which glossary word (:mod:`cnnstudio.project.glossary`) explains which part of the Model page. Qt-free and
torch-free.

The page keeps the precise word (Convolution, kernel size, MACs...) and adds the plain-language sentence as its
tooltip: these functions give the tooltip text for a layer category, a layer type, a layer setting, or a term.
"""

from __future__ import annotations

from ...project.glossary import tip

CATEGORY_TERMS = {"convolution": "convolution", "pooling": "pooling", "normalisation": "batch norm",
                  "regularisation": "dropout", "dense": "fully connected"}
PARAM_TERMS = {"kernel_size": "kernel size", "stride": "stride", "padding": "padding", "out_channels": "out channels"}


def term_tip(*terms: str) -> str:
    """The glossary's '<term>: <meaning>' lines for ``terms``."""
    return tip(*terms)


def category_tip(category: str) -> str:
    """The glossary's sentence for a catalog category ("" when it has none)."""
    term = CATEGORY_TERMS.get(category)
    return tip(term) if term else ""


def layer_tip(layer_type) -> str:
    """A layer type's tooltip: its help, then the glossary's sentence for its kind of layer when there is one."""
    extra = category_tip(layer_type.category)
    return f"{layer_type.title}: {layer_type.help}" + (f"\n\n{extra}" if extra else "")


def param_tip(layer_type, spec) -> str:
    """A setting's tooltip: its help and range, and the glossary's sentence for its name (kernel size, dropout's
    p) when there is one."""
    base = f"{spec.help} ({spec.describe()}; default {spec.default})"
    term = PARAM_TERMS.get(spec.name) or ("dropout" if layer_type is not None and layer_type.type == "dropout"
                                          else None)
    return base + (f"\n\n{tip(term)}" if term else "")

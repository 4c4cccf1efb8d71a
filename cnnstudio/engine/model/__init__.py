"""Design: the design being edited and its rules (design), the layer catalog, model specs, validation with shapes,
the training memory a design needs (cost), building, backbones, presets.

This package's ``__init__`` imports nothing: the catalog (and so the Model page's forms) loads without torch.
"""

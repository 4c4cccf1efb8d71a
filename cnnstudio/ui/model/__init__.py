"""The Model step: the layer-stack designer, input preprocessing and augmentation settings with previews."""

"""CNN Studio: train a convolutional neural network on your own pictures, point and click."""

__version__ = "0.1.0"

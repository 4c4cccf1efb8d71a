"""Errors the engine raises. Every message is a plain sentence a user can act on."""

from __future__ import annotations


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class SpecError(EngineError):
    """A model spec (JSON or in memory) is malformed or describes a network that cannot be built."""


class WeightsNotFound(EngineError):
    """Pretrained weights for a backbone are not on this computer (nothing is ever downloaded)."""


class DataError(EngineError):
    """The project's data cannot be used for training (too few classes, unreadable image...)."""


class Cancelled(EngineError):
    """Preparing the data was stopped by the user."""

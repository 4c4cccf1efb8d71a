"""Whether a finished run's Auto epochs used far less time than Auto may use, from the run's record: the one rule
(:func:`~cnnstudio.engine.train.settings.auto_fell_short`) applied to a run, for the Train page's finished line
(ui/train/run_words.py) and the result of ``cnnstudio train`` (cli/train_result.py), which each add their own way
to train that many epochs."""

from __future__ import annotations

from ..errors import EngineError
from ..train.settings import TrainSettings, auto_fell_short, auto_short_words, device_kind
from .frozen_run import frozen_head_words


def fell_short(config: dict | None, device: str, epochs: int, seconds: float,
               reason: str = "completed") -> tuple[str, int] | None:
    """``(sentence, epochs that fit)`` for a run whose Auto epochs took less than a fifth of its time budget
    (:func:`~cnnstudio.engine.train.settings.auto_short_words`); None otherwise, and for a run told its epochs, one
    that stopped early (``reason``), a frozen backbone's head (it has no epochs to choose) or no readable ``config``
    (the run record's config). ``device``: the name its record keeps ("CPU (2 threads)", "NVIDIA H200"); ``epochs``
    and ``seconds``: what it trained (RunFinished's ``epochs`` and ``train_seconds``)."""
    if not isinstance(config, dict) or reason != "completed" or frozen_head_words(config) is not None:
        return None
    settings = config.get("settings")
    try:
        settings = TrainSettings.from_json(settings)
    except (EngineError, TypeError, ValueError):
        return None
    kind = device_kind(device)
    fit = auto_fell_short(settings, epochs, seconds, kind)
    return (auto_short_words(settings, epochs, seconds, kind), fit) if fit is not None else None


__all__ = ["fell_short"]

"""When a model's disagreement with a label points at a wrong label: the bars the data check measured
(:mod:`.doctor_labels`) and the skill they are judged on, torch-free so the Evaluate page's mistakes
(ui/evaluate/mistake_words.py) use the same rule without importing PyTorch."""

from __future__ import annotations

from ..use.intervals import wilson_interval

TRUSTED_SKILL = 0.5  # skill from which a model's answers point at single pictures. Measured
#   (tests/engine/test_doctor_weak.py's circles and squares, 41 pictures): a design that named about half right
#   (skill below 0) flagged 22 pictures, 2 of them mislabelled; the pretrained features on digits: skill 0.87
STRONG_SKILL = 0.75  # below it (and from TRUSTED_SKILL), only disagreements the model is CONFIDENT of are shown: the
CONFIDENT = 0.85  # recommended design on 200 circles and squares (10 mislabelled), skill 0.64: 15 flagged, 9 true; the
#   8 it was 85 % sure of or more all true. Digits: 0.82 (LeNet-5 per fold), 0.87 and more (the pretrained features)


def skill(right: int, total: int, most_common: int) -> float:
    """How far a model's answers on ``total`` pictures (``right`` of them right) can be trusted: 0 is as good as always
    answering the most common class (``most_common`` pictures), 1 all right; from the lower end of the 95% range of
    the share right, so that a few pictures prove little."""
    if total <= 0:
        return 0.0
    chance = most_common / total
    low, _ = wilson_interval(right, total)
    return (low - chance) / (1.0 - chance) if chance < 1 else 0.0


__all__ = ["CONFIDENT", "STRONG_SKILL", "TRUSTED_SKILL", "skill"]

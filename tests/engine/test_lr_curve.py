"""A run's learning rate at every step, found again from the rates its metrics keep (engine/train/lr_curve.py)."""

from __future__ import annotations

from cnnstudio.engine.train.lr_curve import schedule_points
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.engine.train.step_rules import lr_at


def _rows(settings, batches, planned, trained):
    return [{"epoch": e, "lr": lr_at(e * batches - 1, planned * batches, settings)} for e in range(1, trained + 1)]


def test_the_steps_are_found_from_the_epochs_rates():
    s = TrainSettings(epochs=6, batch_size=8, lr=0.003)
    x, y = schedule_points(s.to_json(), 6, _rows(s, 7, 6, 4))  # stopped after 4 of 6 epochs, 7 batches each
    assert len(x) == 28 and x[0] == 1 / 7 and x[-1] == 4
    assert y == [lr_at(i, 42, s) for i in range(28)]


def test_rates_the_rule_does_not_give_back_draw_no_steps():
    s = TrainSettings(epochs=6, batch_size=8, lr=0.003)
    other = s.replace(lr=0.01)  # Auto on a card changed the rate: the saved rates are not this rule's
    assert schedule_points(s.to_json(), 6, _rows(other, 7, 6, 3)) is None
    assert schedule_points(s.to_json(), 2, _rows(s, 7, 6, 3)) is None  # more epochs kept than planned
    assert schedule_points(s.to_json(), 6, []) is None and schedule_points(None, 6, _rows(s, 7, 6, 2)) is None

"""How many pictures one scoring pass takes is one rule by device (engine/device.py): evaluation and prediction
(engine/use/batching.py) and the trainer's validation follow it. On the CPU the validation batch is the run's
``eval_batch_size``, as before; on a CUDA card it is the card's larger batch, capped by the card's free memory and
never below the setting.

This computer has no card: the card's branch is checked with its free memory given (``memory_budget`` stands in
for ``torch.cuda.mem_get_info``), and the trainer's use of the rule with a real CPU run."""

from __future__ import annotations

from cnnstudio.engine import device
from cnnstudio.engine.model.cost import inference_bytes
from cnnstudio.engine.train import run_setup, trainer
from cnnstudio.engine.use import batching
from tests.engine.test_trainer import settings, toy_data, toy_model

MB = 2**20


def test_one_rule_evaluation_and_prediction_take_it_from_the_device_module():
    assert batching.batch_for is device.batch_for and batching.GPU_BATCH == device.GPU_BATCH == 1024
    assert batching.fitting_batch is device.fitting_batch and batching.memory_budget is device.memory_budget
    assert device.batch_for("cpu", 256) == 256 and device.batch_for("mps", 32) == 32
    assert device.batch_for("cuda", 256) == 1024 and device.batch_for("cuda:0", 2048) == 2048
    assert device.batch_for("cuda", 256, requested=64) == 64


def test_validation_on_the_cpu_keeps_the_setting_and_measures_nothing():
    def measure(*_):
        raise AssertionError("the CPU's batch is the setting: nothing to measure")
    assert device.validation_batch("cpu", 256, measure) == 256
    assert device.validation_batch("cpu", 7, measure) == 7
    assert device.validation_batch("mps", 256, measure) == 256
    assert device.validation_batch("cuda", 4096, measure) == 4096  # a setting above the card's batch is kept


def test_validation_on_a_card_takes_more_pictures_as_its_memory_allows(monkeypatch):
    free = {"bytes": 0}
    monkeypatch.setattr(device, "memory_budget", lambda dev: free["bytes"])
    per_picture = 10 * MB
    free["bytes"] = 64 * 2**30  # a large card: the card's batch
    assert device.validation_batch("cuda", 256, lambda: per_picture) == device.GPU_BATCH
    free["bytes"] = 600 * per_picture  # room for 600 pictures: 600
    assert device.validation_batch("cuda", 256, lambda: per_picture) == 600
    free["bytes"] = 100 * per_picture  # less room than the setting's batch: the setting, as before the card's rule
    assert device.validation_batch("cuda", 256, lambda: per_picture) == 256

    def broken():
        raise RuntimeError("no estimate for this model")
    assert device.validation_batch("cuda", 256, broken) == 256  # a cap that cannot be measured keeps the setting


def test_the_trainer_validates_with_the_rule_and_the_models_own_picture_size(monkeypatch):
    asked = []

    def spy(dev, setting, measure, *args):
        asked.append((str(dev), setting, measure, args))
        return device.validation_batch(dev, setting, measure, *args)
    monkeypatch.setattr(run_setup, "validation_batch", spy)  # the run's set-up asks it
    model, data = toy_model(), toy_data()
    events = list(trainer.fit(model, data, settings(epochs=2, device="cpu", eval_batch_size=16)))
    assert type(events[-1]).__name__ == "RunFinished"
    assert len(asked) == 1  # once per run (the model and its picture size do not change): each validation uses it
    for dev, setting, measure, args in asked:
        assert (dev, setting, measure) == ("cpu", 16, inference_bytes)
        assert args[0] is model and tuple(args[1]) == tuple(data.preprocess.input_shape)
    assert measure(*args) > 0  # the measure the card's cap would use works on this model

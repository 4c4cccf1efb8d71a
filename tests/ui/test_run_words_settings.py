"""The settings line of a run's details on the Train page (ui/train/run_words.py settings_words, Qt-free): a frozen
backbone's head says what it did, not the Epochs and learning rate it does not use."""

from __future__ import annotations

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.project.run_records import RunInfo
from cnnstudio.ui.train.run_words import settings_words


def _info(spec, settings, device="CPU") -> RunInfo:
    config = {"settings": settings.to_json(), "spec": spec.to_json(), "preprocess": settings.preprocess.to_json()}
    return RunInfo("r1", "a run", 0.0, "finished", config, {"device": device}, "")


def test_a_frozen_heads_details_say_what_it_did_not_epochs_and_a_learning_rate():
    # QA: MobileNetV2, frozen, Epochs 1: "adamw lr 0.003 (one-cycle) · batch 64 · epochs 1" of a run that fitted its
    # last layer exactly at 7 strengths of regularisation
    pp = Preprocess(height=224, width=224, channels=3, normalization="imagenet")
    settings = default_settings(pp).replace(epochs=1)
    words = settings_words(_info(make_preset("mobilenet_v2_transfer", 28, 28, 1), settings, "CPU (head only)"))
    assert words == ("the backbone's features computed once (no augmentation); the last layer fitted exactly at 7 "
                     "strengths of regularisation (the best on the validation pictures kept); Epochs and learning "
                     "rate are not used for a frozen backbone's head · seed 0 · trained on CPU (head only)")
    assert "epochs 1" not in words and "one-cycle" not in words
    tuned = settings_words(_info(make_preset("mobilenet_v2_transfer", 28, 28, 1), settings.replace(fine_tune_epochs=2)))
    assert "; then the whole network fine-tuned for 2 epochs at lr 0.0003 · seed 0" in tuned
    # a network from scratch: its settings, as before
    grey = Preprocess(height=28, width=28, channels=1, normalization="dataset")
    plain = settings_words(_info(make_preset("default", 28, 28, 1), default_settings(grey).replace(epochs=5)))
    assert plain == ("AdamW at learning rate 0.003 (one-cycle schedule) · batch size 64 · 5 epochs · seed 0 · "
                     "trained on CPU")


def test_settings_that_are_not_an_object_are_taken_as_none():
    # QA: a run whose config.json held "settings": [...] or "..." crashed the Train page's run details
    from cnnstudio.ui.train.run_words import validation_sentence

    for broken in ([1, 2], "adamw", 3, None):
        info = RunInfo("r1", "a run", 0.0, "finished", {"settings": broken}, {"held_out_for_validation": 4}, "")
        assert settings_words(info) == ""
        assert "4 training pictures held out" in validation_sentence(info)  # no settings: as for an older run


def test_a_list_of_details_keeps_each_short_item_whole():
    # QA: the runs list's details broke "→ 4" from "numbers", "max-" from "pool"
    from cnnstudio.ui.train.run_words import KEEP_WHOLE, NBSP, WORD_JOINER, plain_words, whole_items

    layers = "3 global average pool → 4 numbers · 4 max-pool 2x2 → 32 × 4 × 4"
    kept = whole_items(layers)
    assert kept == ("3\xa0global\xa0average\xa0pool\xa0→\xa04\xa0numbers\xa0· "  # the one place a line may break
                    "4\xa0max-\u2060pool\xa02x2\xa0→\xa032\xa0×\xa04\xa0×\xa04")
    assert kept.count(" ") == 1 and plain_words(kept) == layers
    long_item = "the backbone's features computed once (no augmentation)"  # a sentence wraps between its words
    assert len(long_item) > KEEP_WHOLE and whole_items(f"{long_item} · seed 0") == f"{long_item}{NBSP}· seed{NBSP}0"
    assert WORD_JOINER not in whole_items("a-b " * 20)  # too long to keep whole: its hyphens may end a line


def test_a_learning_rate_has_3_significant_digits_on_the_train_page_as_on_the_tune_page():
    # QA: a search's trial said "learning rate 0.00272895" on the Train page and "0.00273" on the Tune page
    from cnnstudio.engine.runs.settings_words import setting_number, settings_rows
    from cnnstudio.ui.tune.tune_state import number_text

    for v in (0.00272895, 1e-06, 0.0003, 0.03, 0.123456, 2.0, 0.000999999):
        assert setting_number(v) == number_text(v)
    grey = Preprocess(height=28, width=28, channels=1, normalization="dataset")
    settings = default_settings(grey).replace(lr=0.00272895, weight_decay=0.000123456, label_smoothing=0.0512345)
    info = _info(make_preset("default", 28, 28, 1), settings)
    assert settings_words(info).startswith("AdamW at learning rate 0.00273 (one-cycle schedule)")
    rows = dict(settings_rows(info.config))
    assert rows["Learning rate"] == "0.00273 (the peak of the one-cycle schedule)"
    assert rows["Weight decay"] == "0.000123" and rows["Label smoothing"] == "0.0512"

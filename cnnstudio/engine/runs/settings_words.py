"""A run's training settings in the words the app uses on its Train and Model pages, for a reader who never saw
the app (the run report's "training settings" table): "Epochs: Auto (7 trained)", "Normalisation: ImageNet mean
and standard deviation", the design's name, not ``epochs 0`` or ``preprocess.mean [0.0]``.

:func:`settings_rows` reads a run's own record (config.json and its summary), so it needs no torch: only the
settings that mean something to a reader are listed, and the internal ones (the batch for evaluation,
torch.compile, the memory layout, threads...) only when they were changed from their default. Normalisation
and size come from the preprocessing the run actually used (config.json's ``preprocess``: the training set's
mean and standard deviation filled in), never from the settings' placeholders.

The Train page's optimizer, schedule and device choices are built from this module's tables. The Model page's
input choices (ui/model/inputs.py: RESIZE_TEXT, NORM_TEXT) are shorter labels for a list box, not these sentences.
"""

from __future__ import annotations

import math
from typing import Any

from ...project.counting import counted
from ...project.run_records import run_settings

# the one table of these words: the Train page's choices are built from them (ui/train/settings_form.py)
OPTIMIZER_WORDS = {"adamw": "AdamW", "adam": "Adam", "sgd": "SGD with momentum"}
SCHEDULE_WORDS = {"one_cycle": "One-cycle", "cosine": "Cosine decay", "constant": "Constant"}
SCHEDULE_NOTES = {"one_cycle": "warm up, then down"}  # said after the name where there is room (the report)
DEVICE_AUTO = "Automatic (the fastest)"
RESIZE_WORDS = {"squash": "stretched to fit", "center_crop": "the middle cropped",
                "letterbox": "fitted, padded with black"}
NORM_WORDS = {"unit": "Pixels 0 to 1 (divided by 255)", "dataset": "Training set mean and standard deviation",
              "imagenet": "ImageNet mean and standard deviation (what the pretrained backbone expects)"}
PADDING_WORDS = {"zeros": "black", "border": "the edge repeated", "reflection": "the edge mirrored"}
ON_OFF = {"on": "on", "off": "off", "auto": "automatic"}


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def setting_number(v: float) -> str:
    """A searched setting's value (learning rate, weight decay, label smoothing) as the Tune page writes it, to 3
    significant digits and without an exponent: 0.00272895 -> "0.00273", 1e-06 -> "0.000001", 2.0 -> "2"."""
    if float(v).is_integer():
        return str(int(v))
    if not math.isfinite(v):
        return "?"
    digits = max(0, 2 - math.floor(math.log10(abs(v))))
    text = f"{v:.{min(digits, 10)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _values(vs) -> str:
    return ", ".join(f"{float(v):.3f}" for v in vs) if isinstance(vs, (list, tuple)) else "?"


def epochs_text(st: dict, summary: dict) -> str:
    """ "Auto (15 trained in 29 s): as many as fit in about 50 s (3 to 40), counted from a few batches timed before
    the run" (without its time: "Auto (7 trained): as many as fit in about 50 s (3 to 40)"); "10 (6 trained, stopped
    early: no more progress)"; "10"."""
    trained = summary.get("epochs") if _num(summary.get("epochs")) else summary.get("last_epoch")
    trained = int(trained) if _num(trained) else None
    early = summary.get("reason") == "early_stopping"
    planned = st.get("epochs")
    if not planned:
        took = summary.get("train_seconds")
        took = f" in {took:.0f} s" if _num(took) and math.isfinite(took) and trained is not None else ""
        done = f" ({trained} trained{took})" if trained is not None else ""
        budget = st.get("time_budget_s")
        rule = (f": as many as fit in about {budget:.0f} s ({st.get('min_epochs')} to {st.get('max_epochs')})"
                if _num(budget) else "")
        if rule and took:  # why 15 in 29 s of 50: the count was fixed before the run, from its first batches
            rule += ", counted from a few batches timed before the run"
        return f"Auto{done}{rule}" + (", stopped early: no more progress" if early else "")
    if trained is None or trained == planned:
        return f"{planned}"
    why = ", stopped early: no more progress" if early else ""
    return f"{planned} ({trained} trained{why})"


def augment_text(aug: dict, channels: int = 3) -> str:
    """ "Turned up to 10°, shifted up to 10%, zoomed 0.9 to 1.1" or "None: the pictures as they are"."""
    if not isinstance(aug, dict):
        return "?"
    parts = []
    if aug.get("hflip"):
        parts.append("mirrored left–right")
    if aug.get("vflip"):
        parts.append("mirrored top–bottom")
    if aug.get("rotation"):
        parts.append(f"turned up to {aug['rotation']:g}°")
    if aug.get("translate"):
        parts.append(f"shifted up to {aug['translate'] * 100:g}%")  # "%" as figures.percent writes it
    lo, hi = aug.get("scale_min", 1.0), aug.get("scale_max", 1.0)
    if lo != 1 or hi != 1:
        parts.append(f"zoomed {lo:g} to {hi:g}")
    for key, what in (("brightness", "brightness"), ("contrast", "contrast"), ("saturation", "colour strength")):
        if aug.get(key) and (key != "saturation" or channels == 3):
            parts.append(f"{what} changed up to {aug[key] * 100:g}%")
    if aug.get("erasing"):
        parts.append(f"a random rectangle blanked in {aug['erasing'] * 100:g}% of them")
    geometric = aug.get("rotation") or aug.get("translate") or lo != 1 or hi != 1
    if geometric and aug.get("padding", "zeros") != "zeros":
        parts.append(f"gaps filled with {PADDING_WORDS.get(aug['padding'], aug['padding'])}")
    if not parts:
        return "None: the pictures as they are"
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + " (training pictures only)"


def input_text(pp: dict) -> str:
    """ "64 × 64 pixels, colour, stretched to fit"."""
    if not isinstance(pp, dict):
        return "?"
    colours = "grey" if pp.get("channels") == 1 else "colour"
    return (f"{pp.get('width')} × {pp.get('height')} pixels, {colours}, "
            f"{RESIZE_WORDS.get(pp.get('resize'), pp.get('resize'))}")


def normalisation_text(pp: dict) -> str:
    """The normalisation the run used, with the training set's own values where it measured them."""
    if not isinstance(pp, dict):
        return "?"
    norm = pp.get("normalization")
    words = NORM_WORDS.get(norm, str(norm))
    if norm == "dataset":
        mean, std = pp.get("mean"), pp.get("std")
        measured = isinstance(mean, (list, tuple)) and isinstance(std, (list, tuple))
        if measured and (any(mean) or any(s != 1 for s in std)):
            words += f" (mean {_values(mean)}, standard deviation {_values(std)})"
    return words


def device_text(st: dict, summary: dict) -> str:
    """Where it trained: "CPU (2 threads)", "NVIDIA H200, bf16 mixed precision"; the setting when it never ran."""
    device = summary.get("device")
    if not isinstance(device, str) or not device:
        device = DEVICE_AUTO if st.get("device", "auto") == "auto" else str(st.get("device"))
        return device
    precision = summary.get("precision")
    return device + (f", {precision} mixed precision" if isinstance(precision, str) and precision != "fp32" else "")


def design_text(cfg: dict) -> str:
    """The design's name as the runs list says it ("Recommended design", "MobileNetV2 transfer, frozen", "Your
    design (3 convolutions, 1 fully connected layer)"), never a preset's key."""
    from .run_naming import run_design_words

    words = run_design_words(cfg if isinstance(cfg, dict) else {})
    return words[0].upper() + words[1:]


def _internal_rows(st: dict) -> list[tuple[str, str]]:
    """The settings a reader need not know, said only when they differ from their default."""
    from ..train.settings import TrainSettings

    d = TrainSettings()
    rows = []
    if st.get("eval_batch_size", d.eval_batch_size) != d.eval_batch_size:
        rows.append(("Batch for evaluation", f"{st['eval_batch_size']} pictures at a time"))
    if st.get("threads", d.threads) != d.threads:
        rows.append(("Processor threads", f"{st['threads']}"))
    if st.get("channels_last", d.channels_last) != d.channels_last:
        rows.append(("Channels-last memory layout", ON_OFF.get(st["channels_last"], str(st["channels_last"]))))
    if st.get("compile", d.compile) != d.compile:
        rows.append(("Compiled with torch.compile", ON_OFF.get(st["compile"], str(st["compile"]))))
    if st.get("mixed_precision", d.mixed_precision) != d.mixed_precision:
        rows.append(("Mixed precision (graphics card)", "on" if st["mixed_precision"] else "off"))
    return rows


def settings_rows(cfg: dict, summary: dict | None = None) -> list[tuple[str, str]]:
    """``[(setting, value in words), ...]`` of a run (``cfg``: its config.json, ``summary``: its record's summary,
    for what it did: the epochs trained, the device); its design is :func:`design_text`."""
    from .frozen_run import frozen_head_words

    summary = summary or {}
    st = run_settings(cfg)
    pp = cfg.get("preprocess") if isinstance(cfg.get("preprocess"), dict) else st.get("preprocess") or {}
    rows: list[tuple[str, str]] = [("Input pictures", input_text(pp)), ("Normalisation", normalisation_text(pp))]
    head = frozen_head_words(cfg)
    if head is not None:  # epochs, optimiser and learning rate are not used: say what it did instead
        rows.append(("Training", head[0].upper() + head[1:]))
    else:
        rows.append(("Epochs", epochs_text(st, summary)))
        batch = f"{st.get('batch_size')}"
        if st.get("auto_batch_size"):
            batch += " (on a graphics card: the largest that fits, the learning rate raised with it)"
        rows.append(("Batch size", batch))
        lr = st.get("lr")
        peak = " (the peak of the one-cycle schedule)" if st.get("schedule") == "one_cycle" else ""
        rows.append(("Learning rate", f"{setting_number(lr)}{peak}" if _num(lr) else "?"))
        opt = OPTIMIZER_WORDS.get(st.get("optimizer"), str(st.get("optimizer")))
        if st.get("optimizer") == "sgd" and _num(st.get("momentum")):
            opt += f" {st['momentum']:g}"
        rows.append(("Optimizer", opt))
        schedule = SCHEDULE_WORDS.get(st.get("schedule"), str(st.get("schedule")))
        note = SCHEDULE_NOTES.get(st.get("schedule"))
        rows.append(("Schedule", f"{schedule} ({note})" if note else schedule))
        rows.append(("Augmentation", augment_text(st.get("augment"), pp.get("channels", 3))))
        rows.append(("Weight decay", setting_number(st["weight_decay"]) if _num(st.get("weight_decay")) else "?"))
        smoothing = st.get("label_smoothing")
        rows.append(("Label smoothing", setting_number(smoothing) if _num(smoothing) and smoothing else "Off"))
        patience = st.get("early_stopping_patience")
        rows.append(("Early stopping", f"after {counted(patience, 'epoch')} without progress"
                     if _num(patience) and patience else "Off"))
        if _num(st.get("fine_tune_epochs")) and st["fine_tune_epochs"]:
            rows.append(("Then fine-tune", f"{counted(st['fine_tune_epochs'], 'epoch')} at "
                                           f"{st.get('fine_tune_lr_factor', 0.1):g} × the learning rate"))
    if st.get("class_weights") == "balanced":
        rows.append(("Balance classes", "On: pictures of rare classes count more"))
    if st.get("validation") is False:
        rows.append(("Validation", "None: nothing held out, the last epoch is kept"))
    held = summary.get("held_out_for_validation")
    if _num(held) and held:
        rows.append(("Validation", f"No validation split: {counted(held, 'training picture')} held out"))
    rows.append(("Seed", f"{st.get('seed')}"))
    rows.append(("Device", device_text(st, summary)))
    notes = summary.get("speed_notes")
    if isinstance(notes, str) and notes and (head is None or notes.lower() != head.lower()):  # said once
        rows.append(("For speed", notes[0].upper() + notes[1:]))
    return rows + _internal_rows(st)


__all__ = ["augment_text", "design_text", "epochs_text", "normalisation_text", "settings_rows"]

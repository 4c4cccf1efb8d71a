"""The report as a reader who never saw the app reads it: the training settings in the app's words (no internal
keys, no placeholder mean next to "imagenet"), the design's name, and the warning when the data changed since the
run was trained (the Evaluate page's words)."""

from __future__ import annotations

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.report import build_report, data_change_note, write_report
from cnnstudio.engine.runs.run_naming import describe_design
from cnnstudio.engine.runs.settings_words import NORM_WORDS, design_text, epochs_text, settings_rows
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.project.records import ImageFilter
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings

RAW_KEYS = ("time_budget_s", "channels_last", "compile", "eval_batch_size", "preprocess.", "mobilenet_v2_transfer",
            "[0.0]", "[1.0]", "one_cycle", "adamw")


def transfer_config(**changes) -> dict:
    """A config.json as create_run writes it for the recommended transfer recipe (the settings' own preprocess keeps
    the placeholder mean 0 and std 1 next to 'imagenet'), with ``changes`` to the settings."""
    st = default_settings(Preprocess(height=32, width=32, channels=3, normalization="imagenet")).replace(**changes)
    spec = make_preset("mobilenet_v2_transfer", 32, 32, 3).to_json()
    return {"settings": st.to_json(), "spec": spec, "preset": "mobilenet_v2_transfer",
            "design": describe_design(spec, "mobilenet_v2_transfer"), "preprocess": st.preprocess.to_json()}


def test_a_transfer_runs_settings_are_words_without_internal_keys():
    rows = dict(settings_rows(transfer_config(), {"epochs": 7, "device": "CPU (2 threads)", "precision": "fp32"}))
    text = repr(rows)
    assert not [k for k in RAW_KEYS if k in text], text
    assert rows["Normalisation"] == NORM_WORDS["imagenet"]
    assert rows["Input pictures"] == "32 × 32 pixels, colour, stretched to fit"
    assert rows["Device"] == "CPU (2 threads)"
    assert design_text(transfer_config()) == "MobileNetV2 transfer, frozen"
    # the internal ones appear only once changed, in words
    assert not {"Batch for evaluation", "Compiled with torch.compile", "Channels-last memory layout"} & set(rows)
    changed = dict(settings_rows(transfer_config(eval_batch_size=64, compile="off", channels_last="on")))
    assert changed["Batch for evaluation"] == "64 pictures at a time"
    assert changed["Compiled with torch.compile"] == "off" and changed["Channels-last memory layout"] == "on"


def test_epochs_say_auto_and_how_many_were_trained():
    st = default_settings().to_json()
    assert epochs_text(st, {"epochs": 7}) == "Auto (7 trained): as many as fit in about 50 s (3 to 40)"
    assert epochs_text({**st, "epochs": 10}, {"epochs": 10}) == "10"
    assert epochs_text({**st, "epochs": 10}, {"epochs": 6, "reason": "early_stopping"}) == \
        "10 (6 trained, stopped early: no more progress)"


@pytest.fixture
def trained(tmp_path):
    project = make_project(tmp_path / "proj")
    events = list(runs.train(project, settings(epochs=1), tiny_spec()))
    yield project, events[-1].run_id
    project.close()


def test_the_report_says_when_the_data_changed_since_training(trained, tmp_path):
    project, run_id = trained
    rep = build_report(project, run_id)
    assert rep.data_change == ""
    html = write_report(project, run_id, tmp_path / "before.html").read_text(encoding="utf-8")
    assert "class='changed'" not in html
    # the settings table in words: the dataset normalisation with the values the run measured
    words = dict(rep.settings_words)
    assert words["Epochs"] == "1"
    cfg, _ = runs.read_config(project, run_id)
    mean, std = cfg["preprocess"]["mean"][0], cfg["preprocess"]["std"][0]
    assert words["Normalisation"] == (f"{NORM_WORDS['dataset']} (mean {mean:.3f}, standard deviation {std:.3f})")
    assert (mean, std) != (0.0, 1.0)  # what the run measured, not the settings' placeholder
    assert not [k for k in RAW_KEYS if k in html.split("id='settings'")[1].split("</section>")[0]]
    assert rep.design == "Your design (1 convolution)" and "Design: Your design (1 convolution)." in html

    classes = project.classes()
    for image_id in project.ids(ImageFilter(split="test"))[:2]:  # relabel two test pictures
        now = project.image(image_id).class_id
        project.set_labels([image_id], next(c.id for c in classes if c.id != now))
    note = data_change_note(runs.data_changed(project, run_id))
    assert note == ("The data changed since this model was trained: 2 images relabelled: these scores are for the "
                    "pictures and labels it was trained with.")
    assert build_report(project, run_id).data_change == note
    html = write_report(project, run_id, tmp_path / "after.html").read_text(encoding="utf-8")
    summary = html.split("<section id='summary'>")[1].split("</section>")[0]
    assert f"<p class='changed'>&#9888; {note}</p>" in summary


def test_a_frozen_runs_words_are_said_once():
    from cnnstudio.engine.runs.frozen_run import frozen_head_words

    cfg = transfer_config()
    head = frozen_head_words(cfg)
    rows = settings_rows(cfg, {"epochs": 7, "speed_notes": head})  # the run's summary keeps the same words
    assert [name for name, _ in rows].count("Training") == 1 and "For speed" not in dict(rows)
    other = settings_rows(cfg, {"speed_notes": "channels-last memory layout: 1.3x faster"})
    assert dict(other)["For speed"] == "Channels-last memory layout: 1.3x faster"


def test_a_class_the_model_never_answered_has_a_dash_for_precision_and_says_why():
    """As the Evaluate page and `cnnstudio evaluate` (precision_words): "–", not "0%", where no picture was predicted
    as the class (0 of 0); the class it did answer keeps its percentage."""
    from types import SimpleNamespace

    from cnnstudio.engine.runs.report import _scores
    from cnnstudio.engine.runs.report_html import _per_class
    from cnnstudio.engine.use.precision_words import NEVER_ANSWERED

    ev = {"images": 4, "accuracy": 0.5, "classes": ["circle", "square"], "confusion_matrix": [[2, 0], [2, 0]],
          "per_class": {"circle": {"precision": 0.5, "recall": 1.0, "f1": 0.667, "support": 2},
                        "square": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2}}}
    scores = _scores({"val": ev})
    assert [row["answered"] for row in scores[0]["per_class"]] == [True, False]
    html = _per_class(SimpleNamespace(scores=scores))
    square = next(row for row in html.split("<tr>") if "square" in row).split("</td>")
    assert square[1].endswith(">–</span>") and "0%" not in square[1]  # its precision cell
    assert NEVER_ANSWERED in html and "50.0%" in html


def test_a_mistakes_probability_is_never_100_percent_in_the_report():
    """A mistake the model was 1.0 sure of (float32 rounding) reads "> 99.9% sure", as the window and `cnnstudio
    evaluate` write it (figures.probability_percent), never "100% sure"."""
    from types import SimpleNamespace

    from cnnstudio.engine.runs.report_html import _mistakes

    group = {"split": "val", "images": 10, "wrong": 2,
             "items": [{"true": "apples", "predicted": "bananas", "confidence": 1.0, "image": ""},
                       {"true": "apples", "predicted": "cherries", "confidence": 0.973, "image": ""}]}
    html = _mistakes(SimpleNamespace(mistakes=[group]))
    assert "(&gt; 99.9% sure)" in html and "100%" not in html and "(97.3% sure)" in html


def test_the_reports_average_precision_leaves_a_dash_out_and_says_over_how_many_classes():
    """QA: the average precision counted a "–" as 0; the report's per-class table ends on the same average as the
    Evaluate page's and cnnstudio evaluate's (precision_words), over the classes that have a precision, and says so."""
    from types import SimpleNamespace

    from cnnstudio.engine.runs.report import _scores
    from cnnstudio.engine.runs.report_html import _per_class

    ev = {"images": 18, "accuracy": 8 / 18, "classes": ["circle", "square", "triangle"],
          "confusion_matrix": [[4, 0, 2], [1, 0, 5], [2, 0, 4]], "macro": {"recall": 8 / 18, "f1": 0.3},
          "per_class": {"circle": {"precision": 4 / 7, "recall": 4 / 6, "f1": 0.6, "support": 6},
                        "square": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 6},
                        "triangle": {"precision": 4 / 11, "recall": 4 / 6, "f1": 0.5, "support": 6}}}
    html = _per_class(SimpleNamespace(scores=_scores({"test": ev})))
    average = next(row for row in html.split("<tr>") if "<th>average</th>" in row)
    assert "46.8%" in average and "31.2%" not in average  # (57.1% + 36.4%) / 2, not with the "–" as 0
    assert ("The average precision is over the 2 classes it is defined for: a class the model never answered has no "
            "precision to count.") in html


def test_the_report_says_its_test_score_is_optimistic_once_several_runs_test_scores_were_looked_at(trained):
    """QA: after the test scores of 3 runs were looked at, the report still said its test pictures were "kept out of
    every choice, so their score is the honest estimate"."""
    from html import escape

    from cnnstudio.engine.runs.report_html import WHICH_SCORES, render
    from cnnstudio.project import run_records
    from cnnstudio.project.seen_scores import mark_test_seen

    project, run_id = trained
    rep = build_report(project, run_id)
    assert rep.test_looks == 1 and escape(WHICH_SCORES) in render(rep)  # only its own, the report's look: honest
    for i in range(2):  # two other runs whose test scores were looked at
        other = f"20200101-00000{i}-abc{i}"
        run_records.add_run(project, other, f"other {i}", status="finished")
        assert mark_test_seen(project, other)
    rep = build_report(project, run_id)
    summary = render(rep).split("<section id='summary'>")[1].split("</section>")[0]
    assert rep.test_looks == 3 and escape(WHICH_SCORES) not in summary and "every choice" not in summary
    assert escape("the test scores of 3 runs were looked at: if this run was chosen among them by its test score, its "
                  "test score is optimistic") in summary

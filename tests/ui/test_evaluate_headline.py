"""QA first-run #12: the Evaluate page's first line was dense ("100% of 30 test pictures recognised correctly (likely
89–100%) · top-3: 100% · loss 0.090 · average F1 1.00"); the accuracy sentence stays first and alone, the technical
numbers go to a smaller second line; the page says why a class's range is wide with few pictures (it was in a
tooltip only); and the runs list's headers are words ("Val. acc.", "Pict./s" were abbreviations)."""

from __future__ import annotations

from cnnstudio.ui.evaluate.range_words import range_note
from cnnstudio.ui.train.runs_panel import HEADER_TIPS, HEADERS
from tests.ui.test_training_view import open_trained


def test_the_accuracy_sentence_is_first_and_alone_and_the_page_says_why_a_range_is_wide(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path)
    window.resize(1280, 800)
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    ev = page.result
    first, second = page.summary.text().split("<br>", 1)
    assert "recognised correctly" in first and "likely" in first
    assert "loss" not in first and "F1" not in first and "·" not in first
    assert f"loss {ev['loss']:.3f} · average F1" in second
    per_class = min(m["support"] for m in ev["per_class"].values())
    assert page.range_note.isVisible()
    assert page.range_note.text().startswith(f"Each class has only {per_class} validation picture")
    assert "so its 95% range is wide: one picture more or less right moves its recall by" in page.range_note.text()
    page.range_note.grab().save(str(tmp_path / "note.png"))


def test_the_range_note_words_and_the_runs_list_headers():
    ev = {"split": "val", "per_class": {"a": {"support": 3}, "b": {"support": 5}}}
    assert range_note(ev) == ("The smallest class has only 3 validation pictures, so its 95% range is wide: one "
                              "picture more or less right moves its recall by 33 points. More pictures narrow it.")
    assert range_note({"split": "test", "per_class": {"a": {"support": 40}}}) == ""
    assert HEADERS[2:6] == ("Validation", "Test", "Epochs", "Speed")
    assert not any(h.endswith(".") or "./" in h for h in HEADERS)  # no abbreviations
    assert HEADER_TIPS[2].startswith("Validation accuracy") and HEADER_TIPS[5].startswith("Speed: pictures per second")

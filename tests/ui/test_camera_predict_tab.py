"""The Predict step's "Camera" tab (QA camera report, finding 14): its words without a window."""

from __future__ import annotations

from cnnstudio.ui.camera.live_words import SKIPPED_TIP, figures_line, figures_tip


def test_the_figures_line_counts_in_words():
    assert figures_line(21.7, 5, 1) == ("Live picture: 22 frames a second. 5 predictions shown; 1 frame skipped while "
                                        "the model was busy.")
    assert figures_line(1.2, 1, 0) == ("Live picture: 1 frame a second. 1 prediction shown; 0 frames skipped while the "
                                       "model was busy.")
    assert "12,000 predictions shown; 4,000 frames skipped" in figures_line(30, 12_000, 4_000)
    line = figures_line(30, 2, 3)
    assert figures_tip(line) == f"{line}\n{SKIPPED_TIP}" and figures_tip("") == ""


"""An "Evaluate again" that fails (a picture file damaged since) says why and leaves no scores of before under its
error, as if they were this evaluation's (QA: the old scores stayed, live, under the red message)."""

from __future__ import annotations

import shutil

from cnnstudio.project.records import ImageFilter
from tests.ui.test_training_view import open_trained


def test_a_failed_evaluation_shows_its_error_and_no_scores_of_before(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path)
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    assert page.result is not None and page.scores.isVisibleTo(page)
    p = window.session.project
    split = page.split
    victim = p.records(p.ids(ImageFilter(split=split)))[0]
    (p.root / victim.file).write_bytes(b"not a picture any more")
    shutil.rmtree(p.root / "cache" / "tensors", ignore_errors=True)  # no decoded copy left to fall back on
    with qtbot.waitSignal(page.evaluated, timeout=60_000):
        page.again.click()
    assert "cannot be evaluated" in page.summary.text() and victim.original_name in page.summary.text()
    assert page.result is None and not page.scores.isVisibleTo(page)

"""After a run ends, the Train page's progress bar says how it ended: a stopped run's bar greyed out with "Stopped at
6%", never a lit "6%" beside "Stopped after epoch 1" that reads as still running (QA 5, k12.png); a finished run's
bar full, "Finished"; the next run's bar counts "%" again."""

from __future__ import annotations

import re

from cnnstudio.engine.events import EpochEnd, RunFinished, RunStopped
from tests.ui.test_training_view import open_tiny, train_once


def test_the_bar_says_stopped_then_finished_then_counts_again(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    page.settings_form.batch_size.setValue(2)
    page.settings_form.epochs.setValue(500)
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as ended:
        assert page.start()
        assert page.progress.format() == "%p%" and page.progress.isEnabled()
        qtbot.waitUntil(lambda: isinstance(page.last_event, EpochEnd), timeout=60_000)
        page.stop()
    assert isinstance(ended.args[0], RunStopped) and page.status.text().startswith("Stopped after epoch")
    bar = page.progress
    assert not bar.isEnabled() and bar.value() < bar.maximum()
    assert re.fullmatch(r"Stopped at \d+%", bar.text()), bar.text()

    seen = []
    page.settings_form.epochs.setValue(2)
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as ended:
        assert page.start()
        seen.append((bar.format(), bar.isEnabled()))
    assert seen == [("%p%", True)]  # while it trains: the percentage, lit
    assert isinstance(ended.args[0], RunFinished)
    assert bar.text() == "Finished" and bar.isEnabled() and bar.value() == bar.maximum()

"""QA transfer #7: a frozen pretrained backbone whose last layer is fitted exactly has no epochs (its rows are the
strengths of regularisation it tried), and the Train page no longer calls them epochs: not in its line under the
status ("7 of 7 epochs trained"), its finished line ("best epoch 7 of 7"), its plots' axes and legend, nor under
Epochs ("Auto: about 40 epochs"). A real run through the page, then that run and a run from scratch clicked in the
runs list."""

from __future__ import annotations

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.runs.head_rows import STRENGTH_AXIS
from cnnstudio.ui.train.run_words import plain_words
from tests.ui.test_train_page_finder_and_status import frozen_design
from tests.ui.test_training_view import open_tiny, train_once


def _axis(plot) -> str:
    return plot.getAxis("bottom").labelText


def test_a_frozen_heads_strengths_are_never_called_epochs(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    scratch = train_once(qtbot, page, epochs=1)  # a network from scratch: epochs
    assert isinstance(scratch, RunFinished)
    assert _axis(page.plots.loss_plot) == "epoch"
    frozen_design(window)
    page.settings_form.epochs.setValue(3)
    qtbot.waitUntil(lambda: "strengths of regularisation" in page.settings_form.auto_note.text())
    note = page.settings_form.auto_note.text()
    assert "the last layer fitted exactly at 7 strengths of regularisation" in note and "about" not in note
    page.settings_form.fine_tune.setValue(2)  # fine-tuned afterwards: its own epochs, Epochs still unused
    qtbot.waitUntil(lambda: "fine-tuned for 2 epochs" in page.settings_form.auto_note.text())
    assert "7 strengths of regularisation" in page.settings_form.auto_note.text()
    page.settings_form.fine_tune.setValue(0)
    ev = train_once(qtbot, page, epochs=3)
    assert isinstance(ev, RunFinished) and ev.epochs == 7
    page.plots.flush()
    stats, status = page.stats.text(), page.status.text()
    assert stats.startswith("last layer fitted at 7 strengths of regularisation · ")
    assert f"best strength {ev.best_epoch} (validation accuracy" in stats
    assert status.startswith("Finished: the last layer fitted at 7 strengths of regularisation, the best on "
                             "validation kept, validation accuracy ")
    assert "epoch" not in stats + status
    assert all(_axis(p) == STRENGTH_AXIS for p in (page.plots.loss_plot, page.plots.acc_plot, page.plots.lr_plot))
    # the word explained where it is read: the glossary's plain words on the axis
    assert page.plots.loss_plot.getAxis("bottom").toolTip().startswith("strength of regularisation: How strongly")
    assert "kept: best on validation" in page.plots.legend.text() and "best epoch" not in page.plots.legend.text()
    said = page.plots.acc_plot.accessibleDescription()  # the plot in words, for a screen reader
    assert said.startswith("Accuracy: strength 7 of 7, training ") and "epoch" not in said
    # clicked in the runs list: the run from scratch says epochs, the frozen head strengths
    page.runs.select([scratch.run_id])
    assert _axis(page.plots.loss_plot) == "epoch" and "best epoch 1 of 1" in page.status.text()
    page.runs.select([ev.run_id])
    assert _axis(page.plots.loss_plot) == STRENGTH_AXIS
    assert f"kept: strength {ev.best_epoch} · validation accuracy" in plain_words(page.runs.details.text())
    assert "Finished: the last layer fitted at 7 strengths of regularisation" in plain_words(page.status.text())

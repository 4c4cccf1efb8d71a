"""QA qa1: the Train page's "Find" is off with a reason when it has nothing to test (a frozen pretrained network's
last layer fitted exactly uses no learning rate; a design that is not valid, as Start is off), the finder says its
rates as the CLI does (plain decimals, the safer choice offered in both), and the status line's "the newest run"
follows the runs list."""

from __future__ import annotations

import pytest

from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.lr_find import finder_refusal, rate_words, safer_rate, suggestion_words, taken_rate
from cnnstudio.ui.train.lr_find_dialog import TOOLTIP
from tests.ui.test_training_view import open_tiny, open_trained


def frozen_design(window) -> ModelSpec:
    """The transfer preset's head (dropout, then the output layer) on a frozen pretrained MobileNetV2, at 48 px."""
    designer = window.workspace.model_page
    spec = ModelSpec.create(48, 48, 3, [layer("dropout", p=0.2)],
                            backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": True})
    designer.tabs.preprocess_panel.set_values(48, 48, 3, "squash", "imagenet")
    designer.set_spec(spec)
    assert designer.is_valid(), designer.reason()
    return spec


def test_find_is_off_for_a_frozen_networks_exactly_fitted_head_and_says_why(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    find = page.settings_form.find_lr
    assert find.isEnabled() and find.toolTip() == TOOLTIP
    frozen_design(window)
    refusal = finder_refusal(page.designer.spec(), page.settings())
    assert refusal == ("“MobileNetV2 transfer, frozen” uses no learning rate, so there is none to find: its "
                       "pretrained network stays frozen and only its last layer is fitted, exactly.")
    qtbot.waitUntil(lambda: not find.isEnabled())
    assert find.toolTip() == refusal and page.controls.start_button.isEnabled()  # Start trains it; Find has nothing to find
    # fine-tuning afterwards uses a rate, but one the test (on the frozen head) cannot measure: said so (QA: it
    # suggested 0.07 for a fine-tuning that ran at 0.0003)
    tuned = finder_refusal(page.designer.spec(), page.settings().replace(fine_tune_epochs=2))
    assert tuned == ("“MobileNetV2 transfer, frozen” uses its learning rate only to fine-tune the whole network (at "
                     "0.1 × it) after its last layer is fitted exactly, which the finder cannot measure: lower the "
                     "rate if the fine-tuning's training loss jumps up.")
    # a head of one's own layers trains at the learning rate: Find is on
    page.designer.set_spec(ModelSpec.create(48, 48, 3, [layer("linear", out_features=8), layer("relu")],
                                            backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": True}))
    qtbot.waitUntil(lambda: find.isEnabled())
    assert find.toolTip() == TOOLTIP


def test_find_is_off_with_starts_reason_while_the_design_is_not_valid(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    find = page.settings_form.find_lr
    assert find.isEnabled()
    page.designer.set_spec(ModelSpec.create(8, 8, 1, [layer("flatten"), layer("conv2d", out_channels=4)]))
    assert not page.designer.is_valid()
    qtbot.waitUntil(lambda: not find.isEnabled())
    assert not page.controls.start_button.isEnabled() and page.reason()
    assert find.toolTip() == page.reason()  # the words that keep Start off, not an error dialog over an empty plot
    page.designer.undo_stack.undo()  # the valid design back
    qtbot.waitUntil(lambda: find.isEnabled())
    assert find.toolTip() == TOOLTIP


def test_the_finder_says_its_rates_as_the_cli_does_and_offers_the_safer_one(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    form = page.settings_form
    form.schedule.setCurrentIndex(form.schedule.findData("one_cycle"))  # the rule that takes the valley's bottom
    form.find_lr.click()
    dialog = form.find_lr.dialog
    with qtbot.waitSignal(dialog.ended, timeout=60_000):
        pass
    result = dialog.result
    assert result is not None, dialog.status.text()
    said = rate_words(result.suggested_lr)
    assert dialog.status.text().startswith(suggestion_words(result)) and "e-0" not in dialog.status.text()
    assert dialog.use_button.text() == f"Use {said}" and "e-0" not in said
    safer = safer_rate(result)
    assert dialog.safer_button.isVisible() == (safer is not None)
    if safer is not None:
        assert dialog.safer_button.text() == f"Use the safer {rate_words(safer)}"
        with qtbot.waitSignal(dialog.rate_chosen):
            dialog.safer_button.click()
        assert form.lr.value() == pytest.approx(taken_rate(safer))
    else:
        with qtbot.waitSignal(dialog.rate_chosen):
            dialog.use_button.click()
        assert form.lr.value() == pytest.approx(taken_rate(result.suggested_lr))
    assert float(form.lr.text()) == float(rate_words(form.lr.value()))  # the field shows the rate said


def test_the_status_lines_newest_run_follows_the_runs_list(window, qtbot, tmp_path):
    first = open_trained(window, qtbot, tmp_path, identical=True)
    first = open_trained(window, qtbot, tmp_path / "again", identical=True)  # a copy opened anew: nothing selected
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    qtbot.waitUntil(lambda: page.runs.selected_ids() == [first])
    assert page.status.text() == f"Ready. Shown: the newest run, “{page.runs.run_info(first).name}”."
    # a newer run made elsewhere (a search's trial, `cnnstudio train`): the list is read again, the line follows
    project = page.session.project
    spec = ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4), layer("relu"), layer("global_avg_pool")])
    settings = page.settings().replace(epochs=1, threads=1)
    newer = runs.create_run(project, settings, spec, name="A newer run")
    list(runs.run(project, newer))
    page.runs.refresh()
    qtbot.waitUntil(lambda: page.runs.selected_ids() == [newer])
    assert page.status.text() == "Ready. Shown: the newest run, “A newer run”."
    assert page.run_id == newer
    # a run the user clicked stays shown, and the line names it, when yet another run comes
    page.runs.select([first])
    assert page.status.text().startswith(f"Shown: “{page.runs.run_info(first).name}”.")
    third = runs.create_run(project, settings, spec, name="A third run")
    list(runs.run(project, third))
    page.runs.refresh()
    assert page.runs.selected_ids() == [first] and page.run_id == first
    assert "newest" not in page.status.text()

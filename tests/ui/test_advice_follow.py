"""What the advice buttons do in the window (QA of the Evaluate page): "Train 20 more epochs" sets up *that* run again
(its design and settings, then the epochs) and the Train page says so; "Look at the mistakes" lists the mistakes
between its two classes, on the validation pictures its numbers come from, and the title says when the page shows
other pictures than the advice quotes."""

from __future__ import annotations

import pytest

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs.advice_actions import MORE_EPOCHS, set_up_words
from cnnstudio.engine.train.settings import SAFE_AUGMENT
from cnnstudio.project.run_records import find_run, run_settings
from tests.ui.test_training_view import open_tiny, open_trained, train_once


def test_train_more_epochs_sets_up_that_run_again(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path, identical=True)  # nothing can be learned: "Train 20 more epochs"
    form, model = page.settings_form, window.workspace.model_page
    form.lr.setValue(0.004)
    assert isinstance(train_once(qtbot, page), RunFinished)
    info = find_run(window.session.project, page.run_id)
    trained_spec = ModelSpec.from_json(info.config["spec"]).to_json()

    # the user goes on with another design, augmentation and settings
    model.set_spec(ModelSpec.create(8, 8, 1, [layer("flatten"), layer("linear", out_features=5), layer("relu")]))
    model.set_augment(SAFE_AUGMENT.to_json())
    form.lr.setValue(0.05)
    form.batch_size.setValue(8)
    assert model.spec().to_json() != trained_spec

    ev = window.workspace.evaluate_page
    with qtbot.waitSignal(ev.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    assert ev.run_id == info.id
    more = next(b for b in ev.advice.buttons
                if b.text() == f"Train a new run for {1 + MORE_EPOCHS} epochs (this one had 1)")
    assert "its design and settings" in more.toolTip()
    more.click()
    assert window.workspace.nav.currentRow() == 2 and not page.running  # the Train page; nothing started
    assert model.spec().to_json() == trained_spec and not model.augment().enabled  # the run's own design
    own = run_settings(info.config)
    assert form.lr.value() == pytest.approx(own["lr"]) == pytest.approx(0.004)
    assert form.batch_size.value() == own["batch_size"] == 4 and form.epochs.value() == 1 + MORE_EPOCHS
    said = set_up_words(info.name, {"id": "train_more", "settings": {"epochs": 1 + MORE_EPOCHS}})
    assert said.startswith(f"Set up from run “{info.name}”: its design and settings, for {1 + MORE_EPOCHS} epochs.")
    assert page.status.text() == said and window.statusBar().currentMessage() == said
    # what Start trains now: that run's settings, but for the epochs
    settings = page.settings()
    assert (settings.lr, settings.batch_size, settings.augment, settings.preprocess.to_json()) == (
        pytest.approx(0.004), 4, model.augment(), own["preprocess"])
    # the design came back as one step of the Model page's history: Ctrl+Z there gives the user's back
    assert model.undo_stack.undoText() == f"Use the design of run “{info.name}”"


def test_look_at_the_mistakes_lists_those_of_the_two_classes(window, qtbot, tmp_path):
    # three classes of identical pictures: the model calls every picture the same class, the advice names two
    open_trained(window, qtbot, tmp_path, identical=True, classes=("a", "b", "c"))
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    assert page.result["split"] == "val"  # the page opens on the validation pictures; the user picks the test ones
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        page.split_combo.setCurrentIndex(page.split_combo.findData("test"))
        page.split_combo.activated.emit(page.split_combo.currentIndex())
    assert page.result["split"] == "test"
    confused = next(a for a in page.advice.items if a.kind == "confused")
    pair = confused.evidence["classes"]
    # its numbers are the validation pictures' (where a label may be fixed), and the title says so over the test ones
    assert confused.evidence["split"] == "val" and "validation pictures). Look at those pictures" in confused.text
    assert "numbers are from the validation pictures" in page.advice.title.text()
    page.show_cell(0, 0)  # the QA's step: a cell's pictures shown first
    look = page.advice.buttons[page.advice.items.index(confused)]
    assert look.text() == "Look at the mistakes"
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        look.click()
    assert window.workspace.nav.currentRow() == 4 and page.split_combo.currentData() == "val"
    assert page.tabs.currentIndex() == 0  # the Mistakes tab
    everything = page.result["misclassified"]
    listed = [page.mistakes.item(r, 1).text() for r in range(page.mistakes.rowCount())]
    wanted = [m for m in everything if {m["true"], m["predicted"]} <= set(pair)]
    assert len(listed) == len(wanted) == confused.evidence["mixed_up"] < len(everything)
    assert all(t.split("  →  ")[0] in pair and t.split("  →  ")[1] in pair for t in listed)
    assert page.tabs.tabText(0) == f"Mistakes ({len(wanted)} of {len(everything)})"
    assert page.mistakes_note.text().startswith(f"The {len(wanted)} mistakes between “{pair[0]}” and “{pair[1]}”")
    assert page.mistakes_tab.all_button.isVisible() and page.advice.title.text() == "<b>What this means</b>"

    page.mistakes_tab.all_button.click()
    assert page.mistakes.rowCount() == len(everything) and page.tabs.tabText(0) == f"Mistakes ({len(everything)})"
    assert not page.mistakes_tab.all_button.isVisible()
    # choosing other pictures lists all of theirs: the two classes' list does not follow
    page.advice.buttons[[a.kind for a in page.advice.items].index("confused")].click()  # the panel was made again
    assert page.mistakes.rowCount() == len(wanted)
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        page.split_combo.setCurrentIndex(page.split_combo.findData("test"))
        page.split_combo.activated.emit(page.split_combo.currentIndex())
    assert page.tabs.tabText(0) == f"Mistakes ({len(page.result['misclassified'])})"

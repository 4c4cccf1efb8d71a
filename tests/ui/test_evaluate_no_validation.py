"""Re-QA N1: a run trained without validation pictures ("No validation", a Tune final run) has no validation scores.
The Evaluate page opened on "Validation pictures" anyway and showed a red engine error over empty tables. It opens
on the pictures the run can be scored on, says why in one sentence, and its box does not offer the split the run has
no pictures in (split_words' rule; the box itself in split_box.py)."""

from __future__ import annotations

from cnnstudio.engine.events import RunFinished
from cnnstudio.project import Project, import_paths
from cnnstudio.project.run_records import list_runs
from cnnstudio.ui.evaluate.split_words import (NO_TEST_TIP, NO_VAL, NO_VAL_TIP, TEST_FOR_THE_END, first_split,
                                               has_pictures, split_note, usable_split)
from tests.ui.test_training_view import tiny_design, train_once, write_pictures


def test_the_rule_opens_on_the_pictures_a_run_has():
    both = {"images": {"train": 8, "val": 4, "test": 4}}
    no_val = {"images": {"train": 12, "val": 0, "test": 4}}
    no_test = {"images": {"train": 12, "val": 4, "test": 0}}
    old = {"val_accuracy": 0.5}  # a run that recorded no counts: both are offered, the engine says if none
    assert first_split(both) == "val" and first_split(no_val) == "test" and first_split(no_test) == "val"
    assert first_split(old) == "val" and has_pictures(old, "test")
    assert not has_pictures(no_val, "val") and not has_pictures(no_test, "test") and has_pictures(no_val, "test")
    assert usable_split(no_val, "val") == "test" and usable_split(no_test, "test") == "val"
    assert usable_split(both, "test") == "test"
    assert split_note("test", no_val) == NO_VAL and split_note("test", both) == TEST_FOR_THE_END
    assert split_note("val", no_test) == "" and split_note("test") == TEST_FOR_THE_END
    assert NO_VAL == ("This model was trained without validation pictures, so it is scored on the test pictures.")
    assert NO_VAL_TIP.endswith(".") and NO_TEST_TIP.endswith(".")


def test_a_run_without_validation_opens_on_the_test_pictures_with_no_error(window, qtbot, tmp_path):
    src = write_pictures(tmp_path / "src")
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [src], labels_from_folders=True)
        p.assign_splits((75, 0, 25), seed=0)
    assert window.open_project(tmp_path / "proj")
    tiny_design(window)
    train = window.workspace.train_page
    train.settings_form.batch_size.setValue(4)
    train.settings_form.no_validation.setChecked(True)
    assert isinstance(train_once(qtbot, train), RunFinished)
    (run,) = list_runs(window.session.project, "finished")
    assert run.summary["images"]["val"] == 0 and run.summary.get("val_accuracy") is None

    window.resize(1024, 614)
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    qtbot.waitUntil(lambda: page.thread is None and page.result is not None, timeout=30_000)
    assert page.split == "test" and page.split_combo.currentData() == "test"
    assert page.result["split"] == "test" and "cannot be evaluated" not in page.summary.text()
    assert "test pictures recognised correctly" in page.summary.text()
    assert page.split_note.isVisible() and page.split_note.text() == NO_VAL  # not "compare on validation pictures"
    val = page.split_combo.model().item(page.split_combo.findData("val"))
    assert not val.isEnabled() and val.toolTip() == NO_VAL_TIP  # not offered, and said why
    assert "no validation pictures" in page.run_combo.currentText()
    page.show_mistakes(("a", "b"), run.id, "val")  # an advice naming the validation pictures: scored on test
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
    assert page.split == "test" and "cannot be evaluated" not in page.summary.text()

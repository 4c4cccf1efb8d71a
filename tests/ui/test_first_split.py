"""The split a first run or search makes on a project with nothing split (ui/train/first_split.py): its progress dialog
says why it opened, Cancel says what did not start (the Train page's "Training did not start: …", the Tune page's
"The search did not start: …") and changes nothing, and the split made is said on both pages by one rule, with the
Data page's counts ("train 1,259, validation 269") and where Ctrl+Z undoes it (the Data page: undo is per page)."""

from __future__ import annotations

from cnnstudio.project import import_paths
from cnnstudio.ui.data import split_task
from cnnstudio.ui.data.split_panel import split_counts
from cnnstudio.ui.train.first_split_words import failed_words, first_words, split_first_words, stopped_words
from tests.conftest import write_dataset
from tests.ui.test_training_view import tiny_design

KEPT = "Kept 30 pairs of near-identical pictures in the same split so the test stays honest."


def test_the_words_of_the_first_split_one_rule_for_both_pages():
    counts = split_counts({"train": 1259, "val": 269, "test": 269})
    assert split_first_words(counts, KEPT) == (
        "The labelled pictures were split first: train 1,259, validation 269, test 269 (change it on the Data page, "
        f"where Ctrl+Z undoes it). {KEPT}")
    assert split_first_words(counts).endswith("where Ctrl+Z undoes it).")  # no copies: nothing after
    assert stopped_words("train") == "Training did not start: you stopped the split (nothing was changed)."
    assert stopped_words("tune") == "The search did not start: you stopped the split (nothing was changed)."
    assert first_words("train") == "Before training: splitting your pictures into train, validation and test…"
    assert first_words("tune").startswith("Before the search: splitting")
    assert failed_words("tune", "Nothing was split: a picture cannot be read.") == (
        "The search did not start. Nothing was split: a picture cannot be read.")


def _unsplit(window, tmp_path) -> None:
    """300 labelled pictures in no split (more than one chunk of the search: Cancel lands while it reads them)."""
    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("a", "b"), per_class=150)],
                 labels_from_folders=True)
    window.session.images_changed.emit()
    window.session.undo_stack.clear()
    tiny_design(window)
    window.workspace.train_page.settings_form.epochs.setValue(1)
    window.workspace.train_page.settings_form.batch_size.setValue(4)


def press_cancel(dialog) -> None:
    """The dialog's Cancel button, as the user presses it (QProgressDialog.cancel() alone stops no search)."""
    from PySide6.QtWidgets import QPushButton

    (button,) = dialog.findChildren(QPushButton)
    button.click()


def _cancel(page, qtbot, start, said) -> None:
    """``start()`` opens the split's dialog (why it opened, above each step); Cancel: ``said()`` says so."""
    finder = page.copies if hasattr(page, "copies") else page.train_page.copies
    assert start() is False and finder.busy  # in a worker: nothing split, nothing started yet
    assert finder.dialog.windowTitle() == "Splitting the pictures"
    press_cancel(finder.dialog)
    qtbot.waitUntil(lambda: not finder.busy and not finder._ending and said(), timeout=60_000)


def test_cancelling_the_split_before_a_first_run_or_search_says_what_did_not_start(window, tmp_path, qtbot,
                                                                                    monkeypatch):
    monkeypatch.setattr(split_task, "QUICK_PICTURES", 10)
    _unsplit(window, tmp_path)
    before = window.session.project.split_snapshot()
    ws = window.workspace
    ws.show_step_key("train")
    train = ws.train_page
    stopped = stopped_words("train")
    _cancel(train, qtbot, train.start, lambda: train.status.text() == stopped)
    assert window.statusBar().currentMessage() == stopped and not train.running  # it read "Nothing was split: …"
    assert window.session.project.split_snapshot() == before and window.session.undo_stack.count() == 0

    ws.show_step_key("tune")
    tune = ws.tune_page
    qtbot.waitUntil(tune.isVisible)
    tune.threads = 1
    _cancel(tune, qtbot, tune.start, lambda: tune.failure.isVisible() and stopped_words("tune") in tune.failure.text())
    assert not tune.running and window.session.project.split_snapshot() == before
    dialog_words = []  # the dialog says why it opened on this page, above each step of the search
    assert train.first_split.find("tune", dialog_words.append, dialog_words.append)  # started: in a worker
    assert train.copies.dialog.labelText() == first_words("tune")
    press_cancel(train.copies.dialog)
    qtbot.waitUntil(lambda: dialog_words == [stopped_words("tune")] and not train.copies._ending, timeout=60_000)


def test_a_first_search_says_its_split_as_the_train_page_does(window, tmp_path, qtbot):
    """The Tune page split silently; now it says the Train page's sentence, and Ctrl+Z on the Data page undoes it."""
    from cnnstudio.engine.tune.events import StudyEnded

    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("a", "b"), per_class=20)],
                 labels_from_folders=True)  # 40 pictures: the copies are looked for at once
    window.session.images_changed.emit()
    window.session.undo_stack.clear()
    tiny_design(window)
    window.workspace.train_page.settings_form.batch_size.setValue(4)
    window.workspace.show_step_key("tune")
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)
    page.threads = 1
    page.form.set_budget(1, None)
    with qtbot.waitSignal(page.study_ended, timeout=120_000) as ended:
        assert page.start()
        said = window.statusBar().currentMessage()
        page.stop()
    assert isinstance(ended.args[0], StudyEnded)
    splits = window.session.summary()["splits"]
    assert said.startswith(split_first_words(split_counts(splits)))
    assert splits["train"] and splits["val"] and splits["test"]
    assert not window.undo_action.isEnabled()  # undo is per page: the split is not the Tune page's step
    window.workspace.show_step_key("data")
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert window.session.summary()["splits"]["train"] == 0

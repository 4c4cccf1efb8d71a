"""The project folder renamed while the window has it open: one sentence, once, and never the crash dialog
(QA: the same sentence stacked up in the message at every retry; Evaluate and Predict said "Train a model first";
the Train page's build raised into an error report). Real folders, real SQLite, real Qt."""

from __future__ import annotations

import os

from PySide6.QtCore import QTimer

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.sentence import sentence
from tests.disk_helpers import write_noise_images


def _open(window, tmp_path, name: str = "Pets"):
    src = write_noise_images(tmp_path / "src", 2, 16)
    with Project.create(tmp_path / name) as p:
        import_paths(p, [src], labels_from_folders=True)
    assert window.open_project(tmp_path / name)
    return tmp_path / name


def _gone_words(window) -> str:
    return sentence(str(window.session.project.gone_error()))


def test_a_refusal_said_again_is_not_added_again_to_the_open_message(window, qtbot, reporter, tmp_path):
    root = _open(window, tmp_path)
    session, ids = window.session, window.session.project.ids()
    os.rename(root, tmp_path / "Pets-moved")
    gone = _gone_words(window)
    with qtbot.waitSignal(reporter.message_shown, timeout=5000) as shown:
        QTimer.singleShot(0, lambda: session.label(ids[:1], None))  # as a click runs it
    for _ in range(2):  # the user tries again, twice
        QTimer.singleShot(0, lambda: session.label(ids[:1], None))
    qtbot.waitUntil(lambda: len(reporter.problems) == 3, timeout=5000)
    assert shown.args[0].text() == gone  # once, not three times
    assert reporter.dialog is None


def _visible_words(widget) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [w.text() for w in widget.findChildren(QLabel) if w.isVisible() and w.text()]


def test_every_step_says_the_folder_is_gone_once_and_no_page_fails(window, qtbot, reporter, tmp_path, qapp):
    root = _open(window, tmp_path)
    workspace = window.workspace
    os.rename(root, tmp_path / "Pets renamed")
    gone = _gone_words(window)
    assert str(root) in gone and "gone" in gone  # the project's own words (store_disk.gone_error)
    for key in ("evaluate", "predict", "train", "model", "tune", "data"):  # as the tester went
        workspace.show_step_key(key)
        qapp.processEvents()
        assert workspace.pages.currentWidget() is workspace.gone, key
        words = _visible_words(window)
        assert words.count(gone) == 1 and not any("Train a model first" in w for w in words), (key, words)
    assert all(lazy.page is None and lazy.failed is None for lazy in workspace.lazy.values())  # none built, none failed
    window.add_class_action.trigger()  # an action started says the same, in the same place, and does nothing
    window._train_menu_opening()  # the Train menu opened: its pages are not built while the folder is gone
    qapp.processEvents()
    assert workspace.pages.currentWidget() is workspace.gone and _visible_words(window).count(gone) == 1
    assert reporter.problems == [] and reporter.dialog is None and reporter.message_box is None

    os.rename(tmp_path / "Pets renamed", root)  # put back: "Look again" shows the step, built as ever
    workspace.show_step_key("train")
    workspace.gone.again.click()
    qapp.processEvents()
    assert workspace.pages.currentWidget() is workspace.lazy["train"] and workspace.built("train") is not None
    assert reporter.problems == [] and reporter.dialog is None


def test_back_in_the_window_the_gone_folder_is_said_in_place_of_the_page(window, qtbot, reporter, tmp_path, qapp):
    from PySide6.QtCore import Qt

    root = _open(window, tmp_path)
    window.workspace.show_step_key("evaluate")
    qapp.processEvents()
    assert window.workspace.built("evaluate") is not None
    os.rename(root, tmp_path / "elsewhere")
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert window.workspace.pages.currentWidget() is window.workspace.gone
    assert _visible_words(window).count(_gone_words(window)) == 1
    window.workspace.gone.close_button.click()  # Close Project: back to the welcome page
    assert window.session is None and reporter.dialog is None


def test_the_project_opens_again_from_where_its_folder_is_now(window, qtbot, reporter, tmp_path, qapp):
    root = _open(window, tmp_path)
    os.rename(root, tmp_path / "Pets 2")
    window.workspace.show_step_key("predict")
    assert window.workspace.pages.currentWidget() is window.workspace.gone
    assert window.open_project(tmp_path / "Pets 2")  # as "Open Project…" does with the folder chosen
    window.workspace.show_step_key("predict")
    qapp.processEvents()
    assert window.workspace.pages.currentWidget() is window.workspace.lazy["predict"]
    assert window.session.project.root == tmp_path / "Pets 2" and window.session.project.count() == 4
    assert reporter.problems == [] and reporter.dialog is None

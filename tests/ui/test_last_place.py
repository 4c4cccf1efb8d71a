"""QA: reopening a project did not come back to where the user was (quit on Train, reopened on Data). The step shown
when the project closed is kept per project folder (ui/last_place.py) and shown when it opens again, after a quit
too; a project opened for the first time starts on the first step."""

from __future__ import annotations

from cnnstudio.ui.main_window import MainWindow

from .test_training_view import make_project


def test_a_project_opens_on_the_step_it_was_left_on(window, qtbot, tmp_path):
    first, second = make_project(tmp_path / "a"), make_project(tmp_path / "b")
    assert window.open_project(first)
    assert window.workspace.current_step() == "data"  # never opened before: the first step
    window.workspace.show_step_key("train")
    window.close()  # Quit on the Train page

    again = MainWindow()  # the app started again
    qtbot.addWidget(again)
    again.show()
    assert again.open_project(second)
    assert again.workspace.current_step() == "data"  # another project, new to the window: not the other's step
    again.workspace.show_step_key("model")
    assert again.open_project(first)  # File > Open: the first project, where it was left
    assert again.workspace.current_step() == "train"
    assert again.workspace.pages.currentWidget() is again.workspace.lazy["train"]
    qtbot.waitUntil(again.workspace.train_page.isVisible)  # built and shown
    assert again.open_project(second)  # and the second where it was left when the first was opened
    assert again.workspace.current_step() == "model"
    again.close()

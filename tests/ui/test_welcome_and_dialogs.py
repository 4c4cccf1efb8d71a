"""The welcome page's recent projects (a click chooses, Open or Enter opens, a double-click opens), file dialogs
that start in the folder used last, Help > Guide with the glossary, and the workspace's ``go_to_step`` contract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QTextBrowser, QWidget

from cnnstudio.project import Project
from cnnstudio.project.glossary import guide_rows
from cnnstudio.ui.settings import add_recent_project, last_folder, remember_folder
from cnnstudio.ui.workspace import STEP_KEYS, STEPS


def _click(view, item, double=False) -> None:
    rect = view.visualItemRect(item)
    click = QTest.mouseDClick if double else QTest.mouseClick
    if double:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    click(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_recent_projects_a_click_chooses_open_or_enter_opens(window, qtbot, tmp_path):
    for name in ("first", "second"):
        Project.create(tmp_path / name).close()
        add_recent_project(tmp_path / name)
    welcome = window.welcome
    welcome.refresh()
    recent = welcome.recent
    assert not welcome.open_recent_button.isEnabled()  # nothing chosen yet
    _click(recent, recent.item(1))  # "first" (the newest is on top)
    assert window.session is None and welcome.chosen_recent() == str((tmp_path / "first").resolve())
    assert welcome.open_recent_button.isEnabled()
    recent.setFocus()
    QTest.keyClick(recent, Qt.Key.Key_Return)
    assert window.session is not None and window.session.project.root.name == "first"
    window.close_project()
    welcome.recent.clearSelection()
    _click(welcome.recent, welcome.recent.item(1), double=True)  # "second" is second now
    assert window.session is not None and window.session.project.root.name == "second"
    window.close_project()
    _click(welcome.recent, welcome.recent.item(1))
    welcome.open_recent_button.click()
    assert window.session.project.root.name == "first"


def test_file_dialogs_start_in_the_folder_used_last(window, qtbot, tmp_path, monkeypatch):
    assert last_folder("project") == str(Path.home())  # nothing remembered yet: the home folder
    starts = []
    (tmp_path / "projects").mkdir()

    def new_project(parent, caption, folder, *a, **kw):
        starts.append(folder)
        return str(tmp_path / "projects" / "p1"), ""

    def choose_folder(parent, caption, folder, *a, **kw):
        starts.append(folder)
        return str(tmp_path / "projects" / "p1")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", new_project)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose_folder)
    window.new_project_dialog()
    assert window.session is not None
    window.close_project()
    window.open_project_dialog()
    assert starts == [str(Path.home()), str(tmp_path / "projects")]
    assert window.session.project.root.name == "p1"
    # importing remembers its own folder, apart from the projects'
    src = tmp_path / "pictures" / "cats"
    src.mkdir(parents=True)
    monkeypatch.setattr(window, "import_paths", lambda paths, rejected: None)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda p, c, folder, *a, **kw: starts.append(folder)
                        or str(src))
    window.import_folder_dialog()
    window.import_folder_dialog()
    assert starts[2:] == [str(Path.home()), str(tmp_path / "pictures")]
    assert last_folder("project") == str(tmp_path / "projects")
    remember_folder("project", tmp_path / "gone")  # a folder that no longer exists: home again
    assert last_folder("project") == str(Path.home())


def test_the_guide_shows_the_steps_and_the_glossary_in_a_scrollable_window(window, qtbot):
    window.show_guide()
    guide = window.guide
    assert guide.isVisible() and not guide.isModal()
    assert guide.find.accessibleName() == "Find a word in the guide"  # a placeholder is no name
    text = guide.findChild(QTextBrowser)
    words = text.toPlainText()
    assert "Words you will meet" in words
    for i, (name, _tip) in enumerate(STEPS, 1):  # the sidebar's steps, numbers and order: 1 Data … 4 Tune …
        assert f"{i} {name}" in words
    assert words.index("3 Train") < words.index("4 Tune") < words.index("5 Evaluate")
    assert "Collect" not in words.split("Words you will meet")[0]
    for term, meaning in guide_rows():
        assert f"{term}: {meaning}" in words
    guide.find.setText("dropout")
    assert "dropout:" in text.toPlainText() and "epoch:" not in text.toPlainText()


class _PageWithSteps(QWidget):
    go_to_step = Signal(str)


def test_a_page_asks_for_another_step_by_its_key(window, qtbot, tmp_path):
    from cnnstudio.ui.workspace import STEP_KEYS, step_index

    assert STEP_KEYS == ["data", "model", "train", "tune", "evaluate", "predict"]
    assert window.create_project(tmp_path / "p")
    page = window.workspace._connect_page(_PageWithSteps())
    page.go_to_step.emit("evaluate")
    assert window.workspace.nav.currentRow() == step_index("evaluate") == 4
    page.go_to_step.emit("data")
    assert window.workspace.current_step() == "data"
    with pytest.raises(KeyError):
        step_index("labels")


def test_the_pages_file_dialogs_start_where_their_kind_was_used_last(window, qtbot, tmp_path, monkeypatch):
    assert window.create_project(tmp_path / "p")
    designs = tmp_path / "designs"
    designs.mkdir()
    starts = []

    def save_as(parent, caption, start, *a, **kw):
        starts.append(start)
        return str(designs / "mine.json"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    model = window.workspace.model_page
    model._save_dialog()
    model._save_dialog()
    assert (designs / "mine.json").is_file()
    assert starts == [str(Path.home() / "model.json"), str(designs / "model.json")]
    assert last_folder("design") == str(designs) and last_folder("report") == str(Path.home())


def test_how_it_works_on_the_welcome_page_numbers_the_steps_as_the_sidebar_does(window, qtbot, tmp_path):
    import subprocess
    import sys

    from PySide6.QtWidgets import QLabel

    from cnnstudio.ui.how_it_works import STEP_WORDS, how_it_works

    assert set(STEP_WORDS) == set(STEP_KEYS)  # every step of the sidebar has its words, and no other
    assert [title for title, _ in how_it_works(STEPS)] == [f"{i}  {n}" for i, (n, _) in enumerate(STEPS, 1)]
    assert "try many" in STEP_WORDS["tune"] and "keeps the best" in STEP_WORDS["tune"]
    with pytest.raises(KeyError):
        how_it_works([("Collect", "")])  # a step the guide has no words for cannot slip through
    code = "import sys; import cnnstudio.ui.how_it_works; assert 'PySide6' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)

    said = [w.text() for w in window.welcome.findChildren(QLabel)]
    steps = [t for t in said if t.startswith("<b>") and "</b><br>" in t]
    assert [t[3:t.index("</b>")] for t in steps] == [f"{i}  {n}" for i, (n, _) in enumerate(STEPS, 1)]
    assert window.create_project(tmp_path / "p")  # the sidebar of an open project: the same titles, in order
    nav = window.workspace.nav
    assert [nav.item(r).text() for r in range(nav.count())] == [t[3:t.index("</b>")] for t in steps]


def test_how_it_works_is_whole_in_a_small_window(window, qtbot):
    """The window opens at 90 % of the screen: 921 x 576 on a 1024 x 640 one (1280 x 800 at 125 %)."""
    from PySide6.QtWidgets import QApplication, QLabel

    window.resize(921, 576)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    steps = [lab for lab in window.welcome.findChildren(QLabel) if lab.wordWrap() and "<br>" in lab.text()]
    assert len(steps) == 6
    for lab in steps:
        assert lab.height() >= lab.heightForWidth(lab.width()), lab.text()[:20]

"""The class panel on a project open for viewing only (QA: Add, Rename, Colour, Merge and Delete stayed on, and
failed when used): each is off, its tooltip the project's words for why (writing_controls.set_writing), also with a
class selected; F2 says why in the status bar instead of asking a name it cannot save. Writable, they are on as
before. Real SQLite, real Qt."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMainWindow

from cnnstudio.project import Project
from cnnstudio.ui.data.class_panel import ClassPanel
from cnnstudio.ui.session import ProjectSession
from tests.engine.test_data import make_project


def _panel(qtbot, project) -> tuple[QMainWindow, ClassPanel]:
    window = QMainWindow()  # for the status bar F2 speaks in
    panel = ClassPanel(ProjectSession(project))
    window.setCentralWidget(panel)
    qtbot.addWidget(window)
    window.show()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))  # a class selected: what Rename, Colour... act on
    return window, panel


def test_a_read_only_projects_class_buttons_are_off_and_say_why(qtbot, tmp_path):
    make_project(tmp_path / "p", per_class=2).close()
    with Project.open(tmp_path / "p") as writable:
        _, panel = _panel(qtbot, writable)
        assert panel.current_class_id() is not None
        assert all(b.isEnabled() for b in panel.buttons.values())
        assert panel.buttons["delete"].toolTip().startswith("Delete the selected class")
        panel.close()
    with Project.open(tmp_path / "p", read_only=True) as project:
        assert project.read_only
        window, panel = _panel(qtbot, project)
        assert panel.current_class_id() is not None
        for key, doing in (("add", "add classes"), ("rename", "change classes"), ("color", "change classes"),
                           ("merge", "change classes"), ("delete", "change classes")):
            said = str(project.write_refused(doing))
            button = panel.buttons[key]
            assert not button.isEnabled(), key
            assert button.toolTip() == said[:1].upper() + said[1:] + ".", (key, button.toolTip())
        panel.refresh()  # the list read again (a change elsewhere): still off
        assert not any(b.isEnabled() for b in panel.buttons.values())
        names = [c.name for c in project.classes()]
        panel.rename_action.trigger()  # F2
        assert QApplication.activeModalWidget() is None and [c.name for c in project.classes()] == names
        said = str(project.write_refused("change classes"))
        assert window.statusBar().currentMessage() == said[:1].upper() + said[1:] + "."

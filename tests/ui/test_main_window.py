from pathlib import Path

from cnnstudio.project import Project
from cnnstudio.ui.settings import recent_projects


def test_welcome_then_sample_project(window, qtbot):
    assert window.stack.currentWidget() is window.welcome
    assert not window.import_files_action.isEnabled()
    assert window.open_sample()  # made in a worker the first time (ui/sample_open.py)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=120_000)
    assert window.stack.currentWidget() is window.workspace
    gallery = window.workspace.data.gallery
    assert gallery.model.rowCount() == 1797
    assert "1,797 pictures" in window.status_label.text()
    assert len(window.session.project.classes()) == 10
    assert recent_projects()[0].endswith("sample-project")
    root = window.session.project.root  # where the copy lives, said once it is open
    assert window.statusBar().currentMessage() == f"The sample project is a copy in {root}: change it freely."
    # the later steps are built when first shown
    assert window.workspace.built("train") is None
    window.workspace.show_step(2)
    assert window.workspace.pages.currentWidget().page is window.workspace.train_page


def test_new_open_recent_and_errors(window, tmp_path, qtbot):
    assert window.create_project(tmp_path / "p1")
    assert window.workspace.data.gallery.empty.isVisible()  # empty state: "drop pictures here"
    window.close_project()
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.recent.item(0).data(0x0100) == str((tmp_path / "p1").resolve())
    assert window.open_project(tmp_path / "p1")
    assert window.windowTitle().startswith("p1")


def test_open_a_folder_that_is_not_a_project_explains(window, tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    assert not window.open_project(tmp_path)
    assert shown == ["This folder is not a CNN Studio project. Choose a project folder, or make a new project."]
    assert window.stack.currentWidget() is window.welcome
    assert not window.open_project(tmp_path / "nowhere")  # `cnnstudio gui nowhere`: a whole sentence
    assert shown[-1] == f"{tmp_path / 'nowhere'} does not exist."


def test_a_folder_of_pictures_is_offered_a_new_project_made_from_them(window, tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from cnnstudio.ui.data.import_flow import FolderOptionsDialog
    from cnnstudio.ui.main_window import MAKE_FROM_PICTURES
    from tests.conftest import write_dataset

    pictures = write_dataset(tmp_path / "holiday", classes=("cat", "dog"), per_class=3)
    asked = []

    def choose_make(box):
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == MAKE_FROM_PICTURES).click()

    monkeypatch.setattr(QMessageBox, "exec", choose_make)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "new"), ""))
    monkeypatch.setattr(FolderOptionsDialog, "exec", lambda self: FolderOptionsDialog.DialogCode.Accepted)
    assert not window.open_project(pictures)
    assert asked == ["This folder is not a CNN Studio project. It holds pictures: make a new project from them, or "
                     "choose a project folder."]
    assert "project.db" not in asked[0]
    assert window.session is not None and window.session.project.root == (tmp_path / "new").resolve()
    qtbot.waitUntil(lambda: not window.importer.busy and window.session.project.count() == 6, timeout=20000)


def test_geometry_is_remembered(qtbot, tmp_path):
    from cnnstudio.ui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.resize(700, 500)
    w.close()
    w2 = MainWindow()
    qtbot.addWidget(w2)
    assert (w2.width(), w2.height()) == (700, 500)
    w2.close()


def test_window_module_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, cnnstudio.ui.main_window; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], check=True)
    assert out.stdout.strip() == "False"


def test_reopened_project_shows_what_was_done(window, tmp_path, qtbot):
    from tests.conftest import write_dataset

    with Project.create(tmp_path / "p") as p:
        from cnnstudio.project import import_paths

        import_paths(p, [write_dataset(tmp_path / "src", ("a", "b"), per_class=3)], labels_from_folders=True)
    assert window.open_project(tmp_path / "p")
    window.session.label(window.session.project.ids()[:2], None)
    window.close_project()
    assert window.open_project(tmp_path / "p")
    assert "2 with no class" in window.status_label.text()


def test_a_new_project_names_the_file_menus_real_import_items(window, tmp_path):
    """QA first-run #10: "use File > Import (Ctrl+I)" named a menu item that does not exist."""
    assert window.create_project(tmp_path / "new")
    said = window.statusBar().currentMessage()
    assert said == ("New project: to begin, drop pictures or folders onto the window, or use File > Import Images… or "
                    "Import Folder…")
    items = [a.text().replace("&", "") for a in window.import_files_action.associatedObjects()[0].actions()]
    assert "Import Images…" in items and "Import Folder…" in items


def test_the_train_menu_has_the_tune_pages_main_button_by_its_name(window, qtbot, tmp_path):
    from cnnstudio.ui.tune.tune_page import QUICK_MINUTES
    from tests.ui.test_tune_page import SPACE, open_tune

    page = open_tune(window, qtbot, tmp_path)
    page.form.set_space(SPACE)
    page.form.set_budget(None, 1)
    window.workspace.show_step(0)
    menu = window._train_menu()
    menu.aboutToShow.emit()
    names = [a.text() for a in menu.actions()]
    assert names.index("&Find Better Settings") == names.index("Start My Searc&h") - 1
    find = next(a for a in menu.actions() if a.text() == "&Find Better Settings")
    assert find.isEnabled() and find.statusTip() == page.quick_button.toolTip()
    from tests.ui.test_tune_quick import _answer

    asked = []
    _answer(asked, go=True)  # the form holds the user's own choices: the button asks before putting the usual back
    with qtbot.waitSignal(page.study_ended, timeout=60_000):
        find.trigger()  # what the page's button does: its page shown, the usual search started
        assert asked and asked[0] is not None
        assert window.workspace.tune_page is page and page.isVisible() and page.running
        assert page.form.budget() == (None, float(QUICK_MINUTES))  # the button's search, not the form's
        menu.aboutToShow.emit()
        assert not find.isEnabled()  # off while the search runs, as the button is
        page.stop_button.click()
    menu.aboutToShow.emit()
    assert find.isEnabled()

"""An import is one step on the Data page's undo stack (ui/import_command.py): a user who imported the wrong folder
presses Ctrl+Z and it is taken back (its new pictures to the trash, the pictures it gave a class unlabelled again, a
class it made gone), and Redo brings it back. Pictures emptied from the trash for good are forgotten by the step."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from cnnstudio.project import UNLABELLED, ImageFilter
from tests.conftest import write_image
from tests.ui.conftest import open_data_page

UNDO_WORDS = "Ctrl+Z on the Data page undoes this import."  # the report's line


@pytest.fixture
def data(window, tmp_path):
    open_data_page(window, tmp_path, ("cat", "dog"), per_class=4)  # 4 pictures without a class, from src/x/
    window.importer.show_report = True
    return window


def _import(window, qtbot, paths, **options):
    with qtbot.waitSignal(window.importer.finished, timeout=20_000) as blocker:
        assert window.importer.start(paths, [], **options)
    window.importer.report_dialog.close()
    return blocker.args[0]


def _new_pictures(tmp_path, n, folder="more/dog"):
    return [write_image(tmp_path / folder / f"new{i}.png", color=(250, 40 * i, 7)) for i in range(n)]


def test_undo_takes_an_import_back_and_redo_brings_it_again(data, qtbot, tmp_path):
    p, stack = data.session.project, data.session.undo_stack
    old = p.ids()
    _new_pictures(tmp_path, 2)  # two new pictures of the class "dog" (there already)
    report = _import(data, qtbot, [tmp_path / "src", tmp_path / "more"], labels_from_folders=True)
    x, dog = p.class_by_name("x"), p.class_by_name("dog")
    assert len(report.imported) == 2 and sorted(report.class_given) == sorted(old)  # src/x/: given the class "x"
    assert stack.count() == 1 and data.undo_action.text() == "&Undo Import 2 pictures"
    assert UNDO_WORDS in data.importer.report_dialog.findChild(QLabel, "summary").text()

    data.undo_action.trigger()
    assert sorted(p.ids(ImageFilter(trashed=True))) == sorted(report.imported)  # in the trash: files kept
    assert all((p.root / r.file).is_file() for r in p.records(report.imported))
    assert sorted(p.ids(ImageFilter(class_id=UNLABELLED))) == sorted(old)  # unlabelled again
    assert p.class_by_name("x") is None and p.class_by_name("dog") == dog  # the class it made goes, once empty
    assert "Undone: Import 2 pictures" in data.statusBar().currentMessage()

    data.redo_action.trigger()
    assert p.ids(ImageFilter(trashed=True)) == [] and sorted(p.ids(ImageFilter(class_id=dog.id))) == sorted(
        report.imported)
    assert p.class_by_name("x") == x and sorted(p.ids(ImageFilter(class_id=x.id))) == sorted(old)

    _import(data, qtbot, [tmp_path / "src"])  # all there already, with their class: it changed nothing, no step
    assert stack.count() == 1 and UNDO_WORDS not in data.importer.report_dialog.findChild(QLabel, "summary").text()


def test_a_picture_the_import_brought_back_from_the_trash_goes_back_there(data, qtbot, tmp_path):
    p = data.session.project
    trashed = p.ids()[0]
    data.session.delete_images([trashed])
    report = _import(data, qtbot, [tmp_path / "src"])  # the same pictures again: the trashed one comes back
    assert report.imported == [] and report.untrashed == [trashed] and not p.in_trash([trashed])
    assert data.undo_action.text() == "&Undo Import 1 picture"
    data.undo_action.trigger()
    assert p.in_trash([trashed]) == {trashed}
    data.redo_action.trigger()
    assert not p.in_trash([trashed])


def test_pictures_emptied_from_the_trash_are_forgotten_by_the_import(data, qtbot, tmp_path):
    p, session, stack = data.session.project, data.session, data.session.undo_stack
    _new_pictures(tmp_path, 3, "more")
    report = _import(data, qtbot, [tmp_path / "more"])
    session.delete_images(report.imported[:1])  # one of them trashed, then emptied for good
    session.empty_trash()
    assert stack.count() == 1 and stack.undoText() == "Import 2 pictures"  # the Trash step went; the import counts 2
    data.undo_action.trigger()
    assert sorted(p.ids(ImageFilter(trashed=True))) == sorted(report.imported[1:])
    session.empty_trash()  # the undone import's pictures deleted for good: the step is only about them, it goes
    assert stack.count() == 0 and not stack.canRedo()
    data.redo_action.trigger()  # nothing to redo: no crash, nothing back
    assert p.count() == 4 and p.count(ImageFilter(trashed=True)) == 0

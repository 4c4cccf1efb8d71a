"""Changes made to the open project by another program while the window is open (QA report "two at once", items 2 and
3): the command line's class deleted, renamed or added, pictures trashed; the Data page reads them again, says so once
and clears an undo history that could touch them; a label or trash of pictures gone says so and reads the gallery
again. A real window on a real project, changed through a second connection (as `cnnstudio` does)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from cnnstudio.project import ImageFilter, Project
from cnnstudio.project.changed_elsewhere import (CHANGED_WORDS, CLASSES, CLASSES_CHANGED_WORDS, PICTURES,
                                                 UNDO_CLEARED_WORDS)
from cnnstudio.ui.data.gallery_model import IdRole
from tests.conftest import write_dataset
from tests.ui.conftest import open_data_page


@pytest.fixture
def data(window, tmp_path, qtbot):
    open_data_page(window, tmp_path, ("circle", "square", "triangle", "hexa"), per_class=8)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.fixture
def cli(data):
    other = Project.open(data.session.project.root)  # another program's connection: the command line's
    yield other
    other.close()


def _names(window) -> list[str]:
    tree = window.workspace.data.classes.tree
    return [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount() - 1)]  # not "No class"


def _select(view, ids):
    model, sel = view.model(), view.selectionModel()
    sel.clearSelection()
    for i in ids:
        sel.select(model.index(model.row_of(i)), QItemSelectionModel.SelectionFlag.Select)
    sel.setCurrentIndex(model.index(model.row_of(ids[0])), QItemSelectionModel.SelectionFlag.NoUpdate)


def test_a_class_deleted_renamed_and_added_elsewhere_is_shown_and_said_once(data, cli, qtbot):
    assert _names(data) == ["circle", "square", "triangle", "hexa"]
    with qtbot.waitSignal(data.changed_elsewhere, timeout=10000) as seen:  # the window's look every 2 seconds
        cli.delete_class(cli.class_by_name("triangle").id)
    assert seen.args == [frozenset({CLASSES})]
    assert _names(data) == ["circle", "square", "hexa"]
    assert data.statusBar().currentMessage() == CHANGED_WORDS
    with qtbot.waitSignal(data.changed_elsewhere, timeout=10000):
        cli.rename_class(cli.class_by_name("circle").id, "round")
        cli.add_class("oval")
    assert _names(data) == ["round", "square", "hexa", "oval"]
    assert [data.workspace.data.gallery.class_filter.itemText(i) for i in range(2, 6)] == ["round", "square",
                                                                                           "hexa", "oval"]


def test_a_key_pressed_before_the_look_labels_nothing_with_a_class_deleted_meanwhile(data, cli, qtbot):
    view = data.workspace.data.gallery.list
    first = view.model().image_id(0)
    _select(view, [first])
    view.setFocus()
    cli.delete_class(cli.class_by_name("triangle").id)  # key 3 is "hexa" now, but the list said "triangle"
    qtbot.keyClick(view, Qt.Key.Key_3)  # at once, before the 2-second look
    assert data.session.project.image(first).class_id is None
    assert data.statusBar().currentMessage() == CLASSES_CHANGED_WORDS
    assert _names(data) == ["circle", "square", "hexa"]  # the list shows the keys as they are now
    qtbot.keyClick(view, Qt.Key.Key_3)  # pressed again, knowingly: "hexa"
    assert data.session.project.image(first).class_id == cli.class_by_name("hexa").id


def test_the_window_s_own_changes_and_imports_are_not_taken_for_another_program_s(data, qtbot, tmp_path):
    said = []
    data.changed_elsewhere.connect(said.append)
    p = data.session.project
    data.session.label(p.ids()[:3], p.class_by_name("square").id)
    data.session.add_class("star")
    data.session.delete_images(p.ids()[3:4])
    with qtbot.waitSignal(data.importer.finished, timeout=30000):  # written by the import's worker thread
        data.import_paths([write_dataset(tmp_path / "more", ("y",), per_class=3)], [], ask=False)
    assert data.watch.check() == frozenset()
    assert said == [] and data.session.undo_stack.count() >= 3  # the history kept


def test_pictures_trashed_elsewhere_leave_the_gallery_keeping_the_selection_of_the_others(data, cli, qtbot):
    view = data.workspace.data.gallery.list
    ids = view.model().ids()
    _select(view, ids[4:6])
    with qtbot.waitSignal(data.changed_elsewhere, timeout=10000) as seen:
        cli.delete_images([ids[0], ids[5]])
    assert seen.args == [frozenset({PICTURES})]
    assert view.model().ids() == [i for i in ids if i not in (ids[0], ids[5])]
    assert view.selected_ids() == [ids[4]]
    assert data.status_label.text().startswith("6 pictures")  # the counts read again


def test_the_gallery_stays_where_it_was_scrolled(data, cli, qtbot):
    gallery = data.workspace.data.gallery
    data.resize(700, 420)
    gallery.size_slider.setValue(256)
    bar = gallery.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 300)
    bar.setValue(bar.maximum() - 10)
    at = bar.value()
    with qtbot.waitSignal(data.changed_elsewhere, timeout=10000):
        cli.set_labels(gallery.model.ids()[:1], cli.class_by_name("square").id)
    assert bar.value() == at


def test_undo_history_is_cleared_when_the_labels_or_classes_changed_elsewhere(data, cli, qtbot):
    p = data.session.project
    triangle = p.class_by_name("triangle").id
    data.session.label(p.ids()[:2], triangle)
    assert data.undo_action.isEnabled()
    with qtbot.waitSignal(data.changed_elsewhere, timeout=10000):
        cli.delete_class(triangle)
        cli.add_class("triangle")  # made again: an undo would put back labels of a class that is not there
    assert data.session.undo_stack.count() == 0 and not data.undo_action.isEnabled()
    assert data.statusBar().currentMessage() == UNDO_CLEARED_WORDS
    data.undo_action.trigger()  # nothing to undo: the project stays as the other program left it
    assert p.count(ImageFilter(class_id=p.class_by_name("triangle").id)) == 0
    assert p.integrity_check() == "ok"


def test_a_class_added_elsewhere_just_before_the_window_adds_one_is_said_and_clears_undo(data, cli, qtbot):
    """The racy path: the command line adds a class after the window's last look, and the window adds one before the
    next (its own change says the classes changed): the command line's class is not taken for the window's."""
    p = data.session.project
    data.session.label(p.ids()[:2], p.class_by_name("square").id)  # a step the other program's class may touch
    assert data.watch.check() == frozenset()  # the last look
    cli.add_class("oval")
    with qtbot.waitSignal(data.changed_elsewhere, timeout=10000) as seen:  # the next look, within 2 seconds
        data.session.add_class("star")
    assert seen.args == [frozenset({CLASSES})]
    assert data.session.undo_stack.count() == 0
    assert data.statusBar().currentMessage() == UNDO_CLEARED_WORDS
    assert _names(data) == ["circle", "square", "triangle", "hexa", "oval", "star"]


@pytest.mark.parametrize("key, not_done", [(Qt.Key.Key_1, "nothing was labelled"),
                                           (Qt.Key.Key_Delete, "nothing was moved to the trash")])
def test_a_label_or_trash_of_a_picture_trashed_elsewhere_says_so_and_reads_the_gallery_again(data, cli, qtbot, key,
                                                                                              not_done):
    view = data.workspace.data.gallery.list
    data.watch.stop()  # the look has not come yet: the action itself finds it out
    data.workspace.data.gallery.list.check_elsewhere = None
    picture = view.model().image_id(2)
    _select(view, [picture])
    view.setFocus()
    cli.delete_images([picture])
    qtbot.keyClick(view, key)
    words = data.statusBar().currentMessage()
    assert words == (f"This picture was moved to the trash or deleted outside this window, so {not_done}: the gallery "
                     "shows the project as it is now.")
    assert view.model().row_of(picture) is None  # read again: it has left the gallery
    assert data.session.project.image(picture).class_id is None
    assert data.session.project.in_trash([picture]) == {picture}  # in the trash once, as the other program left it


def test_the_window_s_own_training_and_run_changes_are_not_taken_for_another_program_s(window, qtbot, tmp_path):
    """Its training child's last write (the run "finished") lands after the last look while it trained; a rename
    and a delete of the runs list are the window's own too."""
    from cnnstudio.engine.events import RunFinished
    from cnnstudio.project.run_records import list_runs
    from tests.ui.test_training_view import open_tiny, train_once

    page = open_tiny(window, tmp_path)
    said = []
    window.changed_elsewhere.connect(said.append)
    assert isinstance(train_once(qtbot, page), RunFinished)
    assert window.watch.check() == frozenset()
    other = Project.open(window.session.project.root)  # another program writes nothing a page shows
    try:
        (run,) = list_runs(window.session.project, "finished")
        page.runs.rename_run(run.id, "mine")
        other.set_meta("something", "else")
        assert window.watch.check() == frozenset()
        page.runs.delete_runs([run.id])
        other.set_meta("something", "more")
        assert window.watch.check() == frozenset()
    finally:
        other.close()
    assert said == []


@pytest.mark.parametrize("key, not_done", [(Qt.Key.Key_1, "nothing was labelled"),
                                           (Qt.Key.Key_Delete, "nothing was moved to the trash")])
def test_a_key_in_the_preview_of_a_picture_trashed_elsewhere_acts_on_no_other_picture(data, cli, qtbot, key,
                                                                                       not_done):
    page = data.workspace.data
    view = page.gallery.list
    shown, *others = view.model().ids()[2:5]
    _select(view, [shown, *others])
    page.preview(shown)
    dialog = page.preview_dialog
    qtbot.waitExposed(dialog)
    cli.delete_images([shown])
    assert data.watch.check() == {PICTURES}  # the gallery read again: the others stay selected
    assert sorted(view.selected_ids()) == sorted(others)
    qtbot.keyClick(dialog, key)
    assert data.statusBar().currentMessage() == (f"This picture was moved to the trash or deleted outside this window, "
                                                 f"so {not_done}: the gallery shows the project as it is now.")
    p = data.session.project
    assert [r.class_id for r in p.records(others)] == [None, None] and p.in_trash(others) == set()
    assert sorted(view.selected_ids()) == sorted(others)
    dialog.accept()


def test_the_selection_kept_after_a_change_elsewhere_is_one_selection_change(data, cli, qtbot):
    """Restored row by row, each row was a selection change the menus read the whole selection for (3,000 pictures
    froze the window: tests/ui/test_gallery_select_many.py)."""
    view = data.workspace.data.gallery.list
    ids = view.model().ids()
    kept = ids[2::2]
    _select(view, kept)
    changes = []
    view.selectionModel().selectionChanged.connect(lambda *_a: changes.append(1))
    cli.delete_images([ids[1]])
    assert data.watch.check() == {PICTURES}
    assert len(changes) <= 1
    assert sorted(view.selected_ids()) == sorted(kept)
    assert view.currentIndex().data(IdRole) == kept[0]

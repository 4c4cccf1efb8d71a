"""QA: at 1,024 x 614 the class list read "circle…", "trian…": its counts took all but about 45 pixels. The "No
split" column steps aside while every picture has its split (its zeros said nothing; ui/data/class_columns.py), and
a name still too long is cut in its middle (the one rule of names, elided_label.NAME_ELIDE), whole in its tooltip."""

from __future__ import annotations

from cnnstudio.ui.data.class_columns import no_split_shown


def test_no_split_shows_only_while_some_picture_is_in_no_split():
    assert not no_split_shown({1: {"train": 28, "val": 6, "test": 6}, None: {}})
    assert not no_split_shown({1: {"train": 28, None: 0}})
    assert no_split_shown({1: {"train": 28}, None: {None: 3}})  # unlabelled pictures in no split
    assert no_split_shown({1: {None: 1}})
    assert no_split_shown({1: {"train": 28}}, coming=2)  # the camera's pictures on their way in
    assert not no_split_shown({})


def test_long_class_names_get_the_no_split_columns_room_and_keep_their_ends(tmp_path, qtbot):
    from PySide6.QtCore import Qt

    from cnnstudio.ui.data.class_panel import NAME_COL, NO_SPLIT_COL, ClassPanel
    from cnnstudio.ui.session import ProjectSession
    from tests.engine.test_data import make_project

    names = ("circle_shapes_filled_big", "triangle_shapes_outlined")
    p = make_project(tmp_path / "proj", classes=names, per_class=4)  # every picture split
    session = ProjectSession(p)
    panel = ClassPanel(session)
    qtbot.addWidget(panel)
    panel.resize(panel.minimumWidth(), 400)
    panel.show()
    qtbot.waitExposed(panel)
    tree, header = panel.tree, panel.tree.header()
    assert tree.isColumnHidden(NO_SPLIT_COL) and tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    room = header.sectionSize(NAME_COL)
    assert sum(header.sectionSize(c) for c in range(tree.columnCount())) <= tree.viewport().width()
    rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    assert {r.text(NAME_COL) for r in rows} >= set(names)
    assert all(r.toolTip(NAME_COL).startswith(r.text(NAME_COL)) for r in rows[:-1])  # whole in the tooltip
    session.set_split(p.ids()[:1], None)  # a picture in no split (undoable, as the gallery does it): the column is back
    assert not tree.isColumnHidden(NO_SPLIT_COL) and header.sectionSize(NAME_COL) < room
    p.close()


def test_a_short_name_shows_whole_beside_the_no_split_column_on_a_small_window(window, tmp_path):
    """QA: at 1,024 x 614, before the first split, "triangle" read "tri…gle" (2 px short): the panel takes the
    longest name's room, a little past its least width, and the window stays 1,024 px wide."""
    from PySide6.QtWidgets import QApplication

    from cnnstudio.project import import_paths
    from cnnstudio.ui.data.class_panel import NAME_COL, NO_SPLIT_COL
    from tests.conftest import write_dataset

    assert window.create_project(tmp_path / "p")
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("circle", "square"), per_class=4)],
                 labels_from_folders=True)
    window.session.add_class("triangle")
    window.session.images_changed.emit()
    window.resize(1024, 614)
    QApplication.processEvents()
    tree = window.workspace.data.classes.tree
    assert not tree.isColumnHidden(NO_SPLIT_COL)  # no picture split yet
    rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    row = next(r for r in rows if r.text(NAME_COL) == "triangle")
    needed = tree.sizeHintForIndex(tree.indexFromItem(row, NAME_COL)).width()
    assert tree.header().sectionSize(NAME_COL) >= needed, (tree.header().sectionSize(NAME_COL), needed)
    assert window.width() == 1024 and window.minimumSizeHint().width() <= 1024


def test_a_seven_letter_name_shows_whole_beside_the_no_split_column_on_a_1366_window(window, tmp_path, qtbot):
    """QA (beginner, shots 07 and 64): at 1,366 x 768, with pictures in no split, "bananas" read "ba…as" while the
    gallery beside had room to spare: the Data page's splitter gives the class list the room its names need."""
    from PySide6.QtWidgets import QApplication

    from cnnstudio.project import import_paths
    from cnnstudio.ui.data.class_panel import NAME_COL, NO_SPLIT_COL
    from tests.conftest import write_dataset

    window.resize(1366, 768)
    assert window.create_project(tmp_path / "p")
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("apples", "bananas", "cherries"),
                                                        per_class=4)], labels_from_folders=True)
    window.session.images_changed.emit()
    QApplication.processEvents()
    tree = window.workspace.data.classes.tree
    assert not tree.isColumnHidden(NO_SPLIT_COL)  # no picture split yet
    row = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(NAME_COL) == "bananas")
    needed = tree.sizeHintForIndex(tree.indexFromItem(row, NAME_COL)).width()
    qtbot.waitUntil(lambda: tree.header().sectionSize(NAME_COL) >= needed)
    assert window.width() == 1366

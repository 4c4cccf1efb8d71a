"""The class list at its narrowest (260 px): the no-class row and every count shown whole."""

from PySide6.QtWidgets import QStyleOptionViewItem

from cnnstudio.project import Project
from cnnstudio.project.sample import open_sample_project
from cnnstudio.resources import sample_dataset_dir
from cnnstudio.ui.data.class_panel import NO_CLASS, NO_SPLIT_COL, ClassPanel
from cnnstudio.ui.session import ProjectSession


def _needs(tree, item, col) -> int:
    """The width the cell's text (and icon) needs, from the tree's own delegate: more than the column is "…"."""
    option = QStyleOptionViewItem()
    option.initFrom(tree)
    return tree.itemDelegate().sizeHint(option, tree.indexFromItem(item, col)).width()


def test_no_class_and_the_counts_fit_the_narrowest_panel(tmp_path, qtbot):
    p: Project = open_sample_project(sample_dataset_dir(), tmp_path / "sample")  # 1,797 pictures, classes 0-9
    p.set_labels(p.ids()[:3], None)
    p.set_split(p.ids()[3:4], None)  # one picture in no split: the "No split" column shows (class_columns.py)
    panel = ClassPanel(ProjectSession(p))
    qtbot.addWidget(panel)
    panel.resize(panel.minimumWidth(), 500)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.minimumWidth() == 244
    for name, button in panel.buttons.items():  # every word whole ("Rename" was cut at 260 px in one row)
        assert button.width() >= button.fontMetrics().horizontalAdvance(button.text()) + 12, name
    tree, header = panel.tree, panel.tree.header()
    last = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert last.text(1) == NO_CLASS and "without a class" in last.toolTip(1)
    assert _needs(tree, last, 1) <= header.sectionSize(1), "the no-class row's name is cut"
    assert not tree.isColumnHidden(NO_SPLIT_COL)
    for col in (0, 2, 3, 4, 5, 6):
        for row in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(row)
            assert _needs(tree, item, col) <= header.sectionSize(col), (item.text(1), col, item.text(col))
    assert sum(header.sectionSize(c) for c in range(7)) <= tree.viewport().width()  # no sideways scroll
    # the pictures of a class in no split: "None" read as "no pictures"; the header says what it counts, whole
    head = tree.headerItem()
    assert head.text(NO_SPLIT_COL) == "No\nsplit"  # on two lines, as narrow as "None" was
    assert head.toolTip(NO_SPLIT_COL) == "Pictures of this class in no split yet"
    for col in range(7):
        assert header.sectionSizeFromContents(col).width() <= header.sectionSize(col), head.text(col)
    p.close()

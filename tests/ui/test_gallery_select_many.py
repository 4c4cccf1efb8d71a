"""Selecting thousands of pictures at once (Ctrl+Z of a label of 3,000, the import report's "show pictures without a
class") is one selection change, so the right-click menus look at the selection once, not once per picture (QA: the
window froze for 43 s, quadratic in the pictures)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from benchmarks.bench_gallery import build_project
from cnnstudio.project import Project
from cnnstudio.ui.data.gallery_view import GalleryPanel, row_ranges
from cnnstudio.ui.session import ProjectSession

N = 3000


@pytest.fixture
def panel(qtbot, tmp_path):
    project = Project.open(build_project(tmp_path, N, sources=12))
    project.add_class("other")
    session = ProjectSession(project)
    panel = GalleryPanel(session)
    panel.list.label_requested.connect(session.label)  # as the Data page wires it
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    panel.model.close()
    project.close()


def _count_changes(panel) -> list:
    changes = []
    panel.list.selectionModel().selectionChanged.connect(lambda *_a: changes.append(1))
    return changes


def test_undo_of_a_label_of_thousands_selects_them_again_in_one_change(panel, qtbot):
    view, session = panel.list, panel.session
    assert panel.model.rowCount() == N
    view.setFocus()
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_2)  # "other" for all 3,000
    other = session.project.class_by_name("other").id
    assert session.undo_stack.count() == 1 and session.project.count() == N
    changes = _count_changes(panel)
    session.undo_stack.undo()
    assert len(changes) <= 2  # was one per picture: 3,000 menu updates reading 3,000 pictures each
    assert len(view.selected_ids()) == N
    assert not any(r.class_id == other for r in session.project.records(view.selected_ids()))


def test_select_images_is_one_change(panel):
    ids = panel.model.ids()
    wanted = ids[::2][:1500] + ids[-10:]  # scattered rows and one run
    changes = _count_changes(panel)
    panel.select_images(wanted)
    assert len(changes) == 1
    assert sorted(panel.list.selected_ids()) == sorted(set(wanted))


def test_row_ranges_merge_neighbours():
    assert row_ranges([5, 1, 2, 3, 3]) == [(1, 3), (5, 5)]
    assert row_ranges([]) == []

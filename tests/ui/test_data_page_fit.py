"""The Data page fits a 1280x800 (and 1366x768) laptop screen: no window wider than the screen, no sideways scroll."""

import pytest
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

from cnnstudio.project import import_paths
from tests.conftest import write_dataset


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_the_data_page_fits_a_laptop_screen(window, qtbot, tmp_path, size):
    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("a long class name", "dog"), per_class=3)])
    window.session.images_changed.emit()
    window.session.classes_changed.emit()
    window.resize(*size)
    QApplication.processEvents()
    assert window.width() == size[0]  # the page's least width does not push the window wider than the screen
    page = window.workspace.data
    assert page.minimumSizeHint().width() + window.workspace.nav.width() <= size[0]
    for area in page.findChildren(QAbstractScrollArea):
        bar = area.horizontalScrollBar()
        assert not (bar.isVisible() and bar.maximum() > 0), type(area).__name__

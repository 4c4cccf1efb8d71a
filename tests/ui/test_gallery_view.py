"""The gallery grid as the user sees it: it fills the width, shows each picture's split when every split is shown,
and a thumbnail that arrives is painted without a model-wide ``dataChanged`` (which stalls a 100k-row view)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from cnnstudio.project import Project, import_paths
from cnnstudio.project.split_style import split_color
from cnnstudio.ui.data.gallery_view import GalleryPanel
from cnnstudio.ui.data.grid import grid_cell, tile_size
from cnnstudio.ui.session import ProjectSession
from tests.conftest import write_image

RED = (220, 20, 20)


@pytest.fixture
def panel(qtbot, tmp_path):
    project = Project.create(tmp_path / "p")
    files = [write_image(tmp_path / "src" / f"{i}.png", color=(RED[0], RED[1], i), size=(60, 45)) for i in range(24)]
    import_paths(project, files)
    session = ProjectSession(project)
    panel = GalleryPanel(session)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    panel.model.close()
    project.close()


def _first_line(view) -> list:
    model = view.model()
    top = view.visualRect(model.index(0)).top()
    return [view.visualRect(model.index(r)) for r in range(model.rowCount())
            if view.visualRect(model.index(r)).top() == top]


def test_grid_cells_share_the_spare_width():
    tile_w, _ = tile_size(128)
    for width in (300, 700, 1000, 1279, 1920):
        columns, cell_w, _ = grid_cell(width, 128)
        assert columns == (width - 1) // tile_w and cell_w >= tile_w
        assert 0 < width - columns * cell_w <= columns  # what is left over is at most a pixel per column
    assert grid_cell(50, 128)[:2] == (1, tile_w)  # narrower than a tile: one column, never a squeezed tile


@pytest.mark.parametrize("width", [700, 1000, 1280])
def test_the_grid_fills_the_width_of_the_gallery(panel, qtbot, width):
    panel.resize(width, 700)
    QApplication.processEvents()
    view = panel.list
    vp_w = view.viewport().width()
    tile_w, _ = tile_size(128)
    assert vp_w % tile_w >= 30  # a width where fixed-size tiles would leave a visible strip beside the grid
    line = _first_line(view)
    assert len(line) == (vp_w - 1) // tile_w
    assert vp_w - (line[-1].right() + 1) <= len(line)  # no empty strip on the right
    # the thumbnail size slider keeps it filled
    panel.size_slider.setValue(200)
    QApplication.processEvents()
    line = _first_line(view)
    assert len(line) == max(1, (vp_w - 1) // tile_size(200)[0])
    assert vp_w - (line[-1].right() + 1) <= len(line)


def _badge_pixel(view, row: int, split: str) -> QColor:
    d = view.delegate
    r = d.tile_rect(view.visualRect(view.model().index(row)))
    img = r.adjusted(3, 3, -3, -27)
    b = d.badge_rect(img, split)
    return view.viewport().grab().toImage().pixelColor(QPoint(b.left() + 1, b.top() + 1))


def test_each_picture_shows_its_split_only_when_all_splits_are_shown(panel, qtbot):
    model = panel.model
    ids = model.ids()
    panel.session.set_split(ids[:8], "train")
    panel.session.set_split(ids[8:16], "val")
    assert panel.split_filter.currentData() is None  # "All splits"
    row_train, row_val, row_none = model.row_of(ids[0]), model.row_of(ids[8]), model.row_of(ids[20])
    assert model.split_badge(row_train) == "train" and model.split_badge(row_val) == "val"
    assert model.split_badge(row_none) is None  # in no split: no badge
    assert _badge_pixel(panel.list, row_train, "train") == QColor(split_color("train"))
    assert _badge_pixel(panel.list, row_val, "val") == QColor(split_color("val"))
    assert _badge_pixel(panel.list, row_none, "val") != QColor(split_color("val"))
    # one split chosen: the filter says it, the badge would only repeat it
    panel.split_filter.setCurrentIndex(panel.split_filter.findData("train"))
    QApplication.processEvents()
    assert model.rowCount() == 8 and model.split_badge(0) is None
    assert _badge_pixel(panel.list, 0, "train") != QColor(split_color("train"))


def test_an_arriving_thumbnail_is_painted_without_a_data_changed(panel, qtbot):
    model = panel.model
    changed = []
    model.dataChanged.connect(lambda *a: changed.append(a))
    view = panel.list

    def centre_is_red() -> bool:
        r = view.visualRect(model.index(0))
        c = view.viewport().grab().toImage().pixelColor(r.center().x(), r.top() + (r.height() - 24) // 2)
        return abs(c.red() - RED[0]) < 12 and abs(c.green() - RED[1]) < 12

    qtbot.waitUntil(centre_is_red, timeout=10_000)  # the thumbnail arrived from the loader and was painted
    assert len(model._pixmaps) > 0
    assert changed == []  # painted through thumbnails_arrived, not a dataChanged (~10 ms at 100k rows)


def test_the_loader_scales_off_the_gui_thread_and_its_workers_end_on_close(qtbot, tmp_path):
    from cnnstudio.ui.data.thumbnails import ThumbnailLoader, fits

    with Project.create(tmp_path / "p") as p:
        (iid,) = import_paths(p, [write_image(tmp_path / "a.png", size=(60, 45))]).imported
        rec = p.image(iid)
        loader = ThumbnailLoader(p)
        loader.fit = (50, 40)
        try:
            with qtbot.waitSignal(loader.loaded, timeout=10_000) as blocker:
                assert loader.request(iid, rec.sha256, p.root / rec.file) == []
            image = blocker.args[1]
            assert fits(image.width(), image.height(), (50, 40)) and image.width() == 50
            workers = list(loader._workers)
            assert 1 <= len(workers) <= 2
        finally:
            loader.close()
        assert not any(w.is_alive() for w in workers)


def test_the_focused_picture_has_the_apps_two_pixel_focus_frame_on_a_selected_tile_too(panel, qtbot):
    from PySide6.QtCore import QItemSelectionModel

    from cnnstudio.ui.keyboard import FOCUS_WIDTH, focus_colour

    view = panel.list
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    model = view.model()
    view.selectionModel().setCurrentIndex(model.index(1), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    tile = view.itemDelegate().tile_rect(view.visualRect(model.index(1)))
    image = view.viewport().grab().toImage()
    want = focus_colour(view)
    mid_y = tile.center().y()
    for dx in range(FOCUS_WIDTH):  # both pixels of the frame's left edge, on the selected tile
        assert image.pixelColor(QPoint(tile.left() + dx, mid_y)) == want, dx
    assert image.pixelColor(QPoint(tile.left() + FOCUS_WIDTH + 1, mid_y)) != want  # and no wider
    other = view.itemDelegate().tile_rect(view.visualRect(model.index(2)))  # a tile without focus: no frame
    assert image.pixelColor(QPoint(other.left(), other.center().y())) != want


def test_a_class_name_on_its_colour_reads_by_contrast(panel, qtbot):
    """QA data2 #4: "circle" was white on the first class's orange (2.25:1); black reads at 9.3:1."""
    from cnnstudio.ui.colour_rules import contrast, text_on

    p, view = panel.session.project, panel.list
    for colour in ("#E69F00", "#009E73", "#D55E00", "#0072B2", "#3A3A3A"):
        said = text_on(colour)
        other = "#FFFFFF" if said == "#000000" else "#000000"
        assert contrast(colour, said) > contrast(colour, other), colour
    panel.session.add_class("circle", "#E69F00")
    panel.session.label([p.ids()[0]], p.class_by_name("circle").id)
    r = view.visualRect(view.model().index(0))
    qtbot.waitUntil(lambda: view.model().label_style(0)[1] is not None)
    strip = view.viewport().grab().toImage().copy(r.left(), r.bottom() - 21, r.width(), 22)
    pixels = [strip.pixelColor(x, y) for x in range(10, strip.width() - 10) for y in range(4, strip.height() - 5)]
    black = sum(1 for c in pixels if c.red() + c.green() + c.blue() < 150)
    white = sum(1 for c in pixels if c.red() + c.green() + c.blue() > 700)
    assert black > 10 and white == 0  # the name is drawn in black on orange

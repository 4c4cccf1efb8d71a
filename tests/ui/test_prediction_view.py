"""The Predict page: drop or paste pictures for probabilities, Grad-CAM, add to the dataset, a folder to CSV, export."""

from __future__ import annotations

import csv
import math

from PIL import Image
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from cnnstudio.engine.events import RunFinished
from tests.ui.test_drop import drag_enter, drop
from tests.ui.test_training_view import open_tiny, train_once


def _trained(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    assert isinstance(train_once(qtbot, page), RunFinished)
    predict = window.workspace.predict_page
    window.workspace.show_step(5)
    assert predict.body.currentIndex() == 1
    return predict


def _new_pictures(folder, n, size=(20, 14)):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"new_{i}.png"
        Image.new("RGB", size, (30 + 60 * i, 200 - 40 * i, 90)).save(p)
        paths.append(p)
    return paths


def test_empty_state_says_train_first(window, tmp_path):
    open_tiny(window, tmp_path)
    page = window.workspace.predict_page
    assert page.body.currentIndex() == 0 and not page.export_button.isEnabled()


def test_dropped_pictures_get_probabilities_that_sum_to_one(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    count_before = window.session.project.count()
    files = _new_pictures(tmp_path / "new", 3)
    target = page.list.viewport()
    assert drag_enter(target, files)
    with qtbot.waitSignal(page.predicted, timeout=30_000) as blocker:
        assert drop(target, files)
    preds = blocker.args[0]
    assert len(preds) == 3 and page.list.count() == 3
    classes = {c.name for c in window.session.project.classes()}
    for p in preds:
        assert set(p.probabilities) == classes
        assert math.isclose(sum(p.probabilities.values()), 1.0, abs_tol=1e-5)
        assert p.label == max(p.probabilities, key=p.probabilities.get)
    # the first one is on display: headline and one bar per class, widths = probabilities
    assert page.list.currentRow() == 0
    assert preds[0].label in page.headline.text()
    widths = list(page.bars.opts["width"])
    assert len(widths) == 2 and math.isclose(sum(widths), 1.0, abs_tol=1e-5)
    assert not page.picture.pixmap().isNull()
    assert window.session.project.count() == count_before  # predicting never imports

    # Grad-CAM overlay on and off
    page.gradcam.setChecked(True)
    qtbot.waitUntil(lambda: "counted most" in page.cam_note.text(), timeout=30_000)  # made in a thread
    page.gradcam.setChecked(False)
    assert page.cam_note.text() == ""

    # a corrected prediction goes into the dataset as the chosen class
    with qtbot.waitSignal(page.importer.finished, timeout=20_000):
        assert page.add_to_dataset(1, "b")
    assert window.session.project.count() == count_before + 1
    new_id = max(window.session.project.ids())
    b = window.session.project.class_by_name("b")
    assert window.session.project.image(new_id).class_id == b.id
    assert "added as b" in page.list.item(1).text()


def test_grad_cam_is_made_in_a_thread_and_a_stale_map_is_never_shown(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), _new_pictures(tmp_path / "new", 3))
    cams, view = page.detail.cams, page.detail
    path0, path1, path2 = (p.path for p in page.predictions)
    arrived = []  # (path of the map, path of the overlay on display, note) as each map arrives
    cams.done.connect(lambda key, _sal: arrived.append((key[1], view.overlay_path, page.cam_note.text())))

    # showing returns at once: the picture without its map, a note, the map made in a thread
    with qtbot.waitSignal(page.shown, timeout=1000) as shown:
        page.gradcam.setChecked(True)
    assert shown.args[0].path == path0 and cams.busy and cams.running_key == (page._predictor_key, path0)
    assert "Finding where the model looked" in page.cam_note.text() and view.overlay_path is None
    assert not page.picture.pixmap().isNull()
    # another row before row 0's map has come: row 0's map must not appear on row 1's picture
    page.list.setCurrentRow(1)
    assert path1 in page.headline.text() and "Finding" in page.cam_note.text() and view.overlay_path is None
    plain = page.picture.pixmap().cacheKey()
    qtbot.waitUntil(lambda: view.overlay_path == path1, timeout=30_000)
    assert [a[0] for a in arrived] == [path0, path1]
    assert arrived[0][1] is None and "Finding" in arrived[0][2]  # row 0's map came and was not shown
    assert "counted most" in page.cam_note.text() and page.picture.pixmap().cacheKey() != plain
    qtbot.waitUntil(lambda: not cams.busy, timeout=30_000)

    # both maps are cached: going back and forth is instant, without a thread
    page.list.setCurrentRow(0)
    assert view.overlay_path == path0 and "counted most" in page.cam_note.text() and not cams.busy
    page.list.setCurrentRow(1)
    assert view.overlay_path == path1 and not cams.busy

    # unchecked while a map is made: it never appears (it is only cached)
    page.list.setCurrentRow(2)
    assert cams.busy
    page.gradcam.setChecked(False)
    qtbot.waitUntil(lambda: len(arrived) == 3 and not cams.busy, timeout=30_000)
    assert arrived[2][0] == path2 and view.overlay_path is None and page.cam_note.text() == ""
    page.gradcam.setChecked(True)
    assert view.overlay_path == path2 and not cams.busy


def test_a_text_file_is_refused_and_a_pasted_picture_is_predicted(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    assert not drag_enter(page.list.viewport(), [txt])
    image = QImage(24, 24, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 40, 40))
    QApplication.clipboard().setImage(image)
    with qtbot.waitSignal(page.predicted, timeout=30_000) as blocker:
        assert page.paste()
    assert len(blocker.args[0]) == 1 and page.list.count() == 1
    assert math.isclose(sum(blocker.args[0][0].probabilities.values()), 1.0, abs_tol=1e-5)
    # a drop anywhere on the page predicts (and never imports into the project)
    count = window.session.project.count()
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.headline, _new_pictures(tmp_path / "more", 1))
    assert page.list.count() == 2 and window.session.project.count() == count


def test_predict_a_folder_to_csv_and_export(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    folder = tmp_path / "batch"
    _new_pictures(folder, 4)
    (folder / "broken.png").write_bytes(b"not a picture")
    out = tmp_path / "out" / "predictions.csv"
    with qtbot.waitSignal(page.batch_done, timeout=30_000) as blocker:
        assert page.predict_folder(folder, out)
    result = blocker.args[0]
    assert len(result.predictions) == 4 and len(result.skipped) == 1
    assert page.batch_table.rowCount() == 5 and "Saved to" in page.batch_status.text()
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 5 and {r["label"] for r in rows if not r["error"]} <= {"a", "b"}

    dialog = page.open_export()
    target = tmp_path / "exported" / "model.zip"
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as blocker:
        assert dialog.start("bundle", str(target))
    assert blocker.args[0] is not None and target.is_file()
    assert "Saved" in dialog.message.text()
    dialog.done(0)

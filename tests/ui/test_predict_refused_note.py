"""The Predict page's note of files it did not predict (QA findings 6 and 13): one note per drop whatever refused
them (the drop by name, the predictor by content), every file and its reason one click away, and a dropped AVIF
predicted with its picture like any other."""

from __future__ import annotations

import pytest
from PIL import Image, features
from PySide6.QtWidgets import QApplication

from tests.ui.test_drop import drag_enter, drop
from tests.ui.test_training_view import open_trained


@pytest.fixture
def page(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path)
    window.workspace.show_step(5)
    return window.workspace.predict_page


def _files(folder):
    folder.mkdir()
    texts = []
    for i in range(4):
        (folder / f"notes{i}.txt").write_text("not a picture")
        texts.append(folder / f"notes{i}.txt")
    (folder / "empty.jpg").write_bytes(b"")
    Image.new("RGB", (20, 14), (200, 40, 40)).save(folder / "good.png")
    return texts, folder / "empty.jpg", folder / "good.png"


def test_the_files_a_drop_and_the_predictor_refused_make_one_note_and_all_can_be_seen(page, qtbot, tmp_path):
    texts, empty, good = _files(tmp_path / "in")
    note = page.refused_note
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), [*texts, empty, good])
    assert page.list.count() == 1
    text = note.text()
    assert note.isVisible() and text.count("… and") == 1 and text.endswith("… and 2 more files")  # 3 named + 2
    assert note.show_all.isVisible() and "Show all 5 files" in note.show_all.text()
    for f in (*texts, empty):  # the tooltip names every file
        assert f.name in note.label.toolTip()
    note.show_all.linkActivated.emit("all")  # what a click on the link sends
    dialog = note.dialog
    assert dialog is not None and dialog.isVisible()
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(rows) == 5 and rows[-1] == "empty.jpg was not predicted: empty file (0 bytes)."
    assert rows[0].startswith("notes0.txt: CNN Studio does not open .txt files")
    assert dialog.list.item(4).toolTip() == str(empty)
    assert page.window().statusBar().currentMessage() == "5 files were not predicted: they are listed under the pictures."

    # the next drop's note replaces this one (no second "… and N more" under the first)
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), [texts[0], good])
    assert note.files == [{"path": str(texts[0]), "reason": "not an image file"}] and "\n" not in note.text()
    assert not note.show_all.isVisible() and not dialog.isVisible()
    page.clear()
    assert not note.isVisible()


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow has no AVIF")
def test_a_dropped_avif_is_predicted_with_its_picture_and_never_refused(page, qtbot, tmp_path):
    avif = tmp_path / "IMG_0012.avif"
    Image.new("RGB", (40, 30), (30, 60, 220)).save(avif)
    assert drag_enter(page.list.viewport(), [avif])
    with qtbot.waitSignal(page.predicted, timeout=30_000) as blocker:
        assert drop(page.list.viewport(), [avif])
    assert [p.path for p in blocker.args[0]] == [str(avif)]
    assert not page.refused_note.isVisible()
    item = page.list.item(0)
    assert "IMG_0012.avif" in item.text() and not item.icon().isNull()  # a preview icon, as for a JPEG
    QApplication.processEvents()
    assert page.picture.pixmap() is not None and not page.picture.pixmap().isNull()

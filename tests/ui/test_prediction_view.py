"""The Predict page: drop or paste pictures for probabilities, where the model looked, add to the dataset, a folder
to CSV, export."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from PIL import Image
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

from cnnstudio.engine.device import pick_device
from cnnstudio.engine.use.batching import scoring_device
from cnnstudio.engine.use.figures import percent
from cnnstudio.engine.use.predict import BatchResult, Prediction
from cnnstudio.project.glossary import explain
from cnnstudio.project.run_names import export_file_stem
from cnnstudio.project.run_records import find_run
from cnnstudio.project.health import dataset_warnings
from cnnstudio.ui.predict.looked_words import SHOW_LOOKED
from cnnstudio.ui.predict.prediction_view import HINT
from cnnstudio.ui.predict.unsure import sure_words
from tests.ui.test_drop import drag_enter, drop
from tests.ui.test_evaluation_view import whole_empty_state
from tests.ui.test_training_view import open_tiny, open_trained


def _trained(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path)
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


def _plain(rich: str) -> str:
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def _list_percent(page, row: int) -> str:
    """The percentage a list row shows: "cat  97.1%\nfile.png" -> "97.1%"."""
    first = page.list.item(row).text().split("\n")[0]
    return first.split("  ", 1)[1]


def test_empty_state_says_train_first(window, qtbot, tmp_path):
    open_tiny(window, tmp_path)
    page = window.workspace.predict_page
    assert page.body.currentIndex() == 0 and not page.export_button.isEnabled()
    label = whole_empty_state(qtbot, window, 5, page)
    assert "export the model for other programs." in label.text()
    # no model: File > Export Model… is off too
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()
    assert window.export_action in file_menu.actions() and not window.export_action.isEnabled()


def test_before_any_picture_only_the_hint_shows_and_file_menu_exports_the_chosen_model(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    view = page.detail
    qtbot.waitUntil(view.hint.isVisible)
    # no empty grey square, no empty 0–1 chart: the hint alone
    assert not view.content.isVisible() and not view.picture.isVisible() and not view.bars_plot.isVisible()
    assert view.hint.text() == HINT and not view.headline.isVisible()
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), _new_pictures(tmp_path / "new", 1))
    assert view.content.isVisible() and view.bars_plot.isVisible() and not view.hint.isVisible()
    assert view.headline.isVisible() and page.predictions[0].label in view.headline.text()
    # the probability axis is drawn whole, both ends labelled: none of its labels is cut off ("1.0" was)
    QApplication.processEvents()
    painter = QPainter(QImage(8, 8, QImage.Format.Format_RGB32))
    drawn = [text for _rect, _flags, text in view.bars_plot.getAxis("bottom").generateDrawSpecs(painter)[2]]
    painter.end()
    assert drawn == ["0%", "25%", "50%", "75%", "100%"]
    page.clear()
    assert view.hint.isVisible() and not view.content.isVisible()

    # File > Export Model…: on with a trained model; the Predict page's dialog, for the model chosen there
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()
    assert window.export_action.isEnabled() and window.export_action.text() == "&Export Model…"
    window.workspace.show_step(0)  # from any page
    window.export_action.trigger()
    dialog = page.export_dialog
    assert dialog is not None and dialog.isVisible() and dialog.bundle_path == page.bundle_path()
    run = find_run(window.session.project, page._chosen_run())
    assert dialog.which.isVisible() and dialog.which.text() == f"Exports the model of the run <b>{run.name}</b>."
    # the file offered is named after the project and the run (two runs' exports: two files), in the home folder
    project = window.session.project
    assert dialog.path.text() == str(Path.home() / f"{export_file_stem(project.root.name, run.name)}.zip")
    assert " - ".join(run.name.split(" · ")) in dialog.path.text()
    # the question before replacing another run's export names that run as the project does
    assert dialog.name_of(run.id) == run.name and dialog.name_of("no-such-run") == ""
    # nothing started: no progress bar; each format says what it is for
    assert not dialog.progress.isVisible()
    uses = {k: dialog.uses[k].text() for k in dialog.uses}
    assert "CNN Studio" in uses["bundle"] and "cnnstudio predict" in uses["bundle"]
    assert "phones" in uses["onnx"] and "PyTorch" in uses["torchscript"]
    assert all(w.isVisible() for w in dialog.uses.values())
    # a step of unknown length: its words and a busy bar, not a "25 %" that looks stuck for a minute
    dialog._progress(1, 4, "Converting to ONNX (dynamo exporter)")
    assert dialog.message.text() == "Step 2 of 4: converting to ONNX (dynamo exporter)…"
    assert (dialog.progress.minimum(), dialog.progress.maximum()) == (0, 0)
    dialog._progress(4, 4, "Saved model.onnx")
    assert dialog.progress.value() == dialog.progress.maximum() == 4 and dialog.message.text() == "Saved model.onnx"
    dialog.done(0)


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
    # the list and the detail write every picture's confidence the same way (one rounding rule)
    for row, pred in enumerate(preds):
        page.list.setCurrentRow(row)
        assert _list_percent(page, row) == percent(pred.confidence)
        assert sure_words(pred.confidence, pred.probabilities, pred.unlike_training) in _plain(page.headline.text())
    page.list.setCurrentRow(0)
    # plain words on screen; the method's name (Grad-CAM) and what it is only in the tooltip
    assert page.gradcam.text() == SHOW_LOOKED and "Grad-CAM" not in page.gradcam.text()
    assert "Made with Grad-CAM" in page.gradcam.toolTip() and explain("Grad-CAM") in page.gradcam.toolTip()

    # where the model looked, drawn over the picture, on and off
    page.gradcam.setChecked(True)
    qtbot.waitUntil(lambda: "counted most" in page.cam_note.text(), timeout=30_000)  # made in a thread
    assert "Grad-CAM" not in page.cam_note.text() and page.cam_note.toolTip().startswith("Made with")
    page.gradcam.setChecked(False)
    assert page.cam_note.text() == "" and page.cam_note.toolTip() == ""

    # a corrected prediction goes into the dataset as the chosen class
    with qtbot.waitSignal(page.importer.finished, timeout=20_000):
        assert page.add_to_dataset(1, "b")
    assert not page.importer.busy  # finished says so once the next add can start (it was refused, at random)
    assert window.session.project.count() == count_before + 1
    new_id = max(window.session.project.ids())
    b = window.session.project.class_by_name("b")
    assert window.session.project.image(new_id).class_id == b.id
    assert "added as b" in page.list.item(1).text()
    # added again: already there, said at once, and no lasting "the last import found 1 duplicate" on the Data page
    with qtbot.waitSignal(page.importer.finished, timeout=20_000):
        assert page.add_to_dataset(1, "b")
    assert window.session.project.count() == count_before + 1
    assert window.statusBar().currentMessage() == "This picture is already in the dataset as “b”."
    # added as another class: the picture keeps its class, and the page says so
    with qtbot.waitSignal(page.importer.finished, timeout=20_000):
        assert page.add_to_dataset(1, "a")
    assert window.session.project.image(new_id).class_id == b.id
    assert window.statusBar().currentMessage() == ("This picture is already in the dataset as “b”, so it was left as "
                                                   "it is: give it the class “a” on the Data page.")
    health = window.workspace.data.splits.health
    assert health.text() and "duplicate" not in health.text()  # refreshed when the images changed
    assert not [w for w in dataset_warnings(window.session.project) if "duplicate" in w.text]


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
    assert not page.refused_note.isVisible()
    assert not drag_enter(page.list.viewport(), [txt])
    # said where the user looked, under the list, with the file's name and why (the status bar may say it too)
    assert page.refused_note.isVisible()
    assert page.refused_note.text().startswith("notes.txt: CNN Studio does not open .txt files (it reads .png, .jpg")
    page.clear()
    assert not page.refused_note.isVisible()
    assert not drop(page.detail.hint, [txt])  # dropped anywhere on the page: the same note
    assert page.refused_note.isVisible() and "notes.txt: CNN Studio does not open .txt" in page.refused_note.text()
    image = QImage(24, 24, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 40, 40))
    QApplication.clipboard().setImage(image)
    with qtbot.waitSignal(page.predicted, timeout=30_000) as blocker:
        assert page.paste()
    assert len(blocker.args[0]) == 1 and page.list.count() == 1
    assert math.isclose(sum(blocker.args[0][0].probabilities.values()), 1.0, abs_tol=1e-5)
    assert not page.refused_note.isVisible()  # a new picture: the old note goes
    # a drop anywhere on the page predicts (and never imports into the project)
    count = window.session.project.count()
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.headline, _new_pictures(tmp_path / "more", 1))
    assert page.list.count() == 2 and window.session.project.count() == count

    # a picture dropped with a text file: the picture is predicted, the text file named under the list
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), [txt, *_new_pictures(tmp_path / "mixed", 1)])
    assert page.list.count() == 3 and page.refused_note.text().startswith("notes.txt: CNN Studio does not")


def test_an_almost_sure_prediction_reads_the_same_in_the_list_and_the_detail(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    (path,) = _new_pictures(tmp_path / "new", 1)
    sure = Prediction(str(path), "a", 0, 0.99961, {"a": 0.99961, "b": 0.00039}, unlike_training=False)
    page._got((BatchResult([sure]), [QImage()]), page._batch)  # as the prediction thread hands it over
    assert page.list.currentRow() == 0
    assert _list_percent(page, 0) == "> 99.9%"  # never "100%" for a model that is not certain
    assert "> 99.9% sure · next: b < 0.1%" in _plain(page.headline.text())


def test_a_screen_reader_hears_every_class_with_its_whole_name_not_only_the_bars(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    (path,) = _new_pictures(tmp_path / "new", 1)
    names = [f"a class with a long name number {i}" for i in range(12)]  # more than the bars, longer than a tick
    probs = {n: (12 - i) / 78 for i, n in enumerate(names)}
    page._got((BatchResult([Prediction(str(path), names[0], 0, probs[names[0]], probs)]), [QImage()]), page._batch)
    assert page.list.accessibleName() == "Pictures predicted"
    plot = page.detail.bars_plot
    qtbot.waitUntil(lambda: names[-1] in plot.accessibleDescription())
    said = plot.accessibleDescription()
    assert all(n in said for n in names) and said.index(names[0]) < said.index(names[11])


def test_predict_fits_a_small_screen_and_long_names_never_scroll_sideways(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    folder = tmp_path / "long"
    folder.mkdir()
    long_name = folder / ("holiday_photo_from_the_summer_in_the_mountains_with_the_whole_family_" * 2 + ".png")
    Image.new("RGB", (20, 14), (40, 100, 60)).save(long_name)
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), [long_name])
    # 1280 pixels wide: the step list on the left and this page side by side
    assert page.minimumSizeHint().width() + window.workspace.nav.width() <= 1280 - 24
    window.resize(1366, 738)
    QApplication.processEvents()
    assert page.list.visualItemRect(page.list.item(0)).width() <= page.list.viewport().width()
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        sideways = [type(a).__name__ for a in page.findChildren(QAbstractScrollArea)
                    if a.isVisible() and a.horizontalScrollBar().isVisible()]
        assert sideways == [], (tab, sideways)
    page.tabs.setCurrentIndex(0)


def test_predict_a_folder_to_csv_and_export(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    folder = tmp_path / "batch"
    _new_pictures(folder, 4)
    cut = io.BytesIO()
    Image.effect_noise((64, 64), 60).save(cut, "PNG")
    (folder / "damaged.png").write_bytes(cut.getvalue()[:len(cut.getvalue()) // 2])  # a picture cut short
    (folder / "broken.png").write_bytes(b"not a picture")  # text named .png: not a picture, as notes.txt
    (folder / "notes.txt").write_text("not a picture at all")
    out = tmp_path / "out" / "predictions.csv"
    with qtbot.waitSignal(page.batch_done, timeout=30_000) as blocker:
        assert page.predict_folder(folder, out)
    result = blocker.args[0]
    assert len(result.predictions) == 4 and len(result.skipped) == 3
    # a folder is scored on a folder's device (the card when there is one), dropped pictures and the camera on the
    # CPU; a second copy of the model only when those differ
    folder_predictor, page_predictor = page.load_predictor(folder=True), page.load_predictor()
    assert folder_predictor.device == pick_device(scoring_device()) and page_predictor.device.type == "cpu"
    assert (folder_predictor is page_predictor) == (folder_predictor.device.type == "cpu")
    assert page.batch_table.rowCount() == 7 and "Saved to" in page.batch_status.text()
    # the text files are counted as what they are, by name or by content; only the damaged picture could not be read
    assert page.batch_status.text() == (f"4 pictures predicted, 1 could not be read, 2 files were not pictures "
                                        f"(broken.png, notes.txt). Saved to {out}.")
    cells = [page.batch_table.item(r, c).text() for r in range(7) for c in range(page.batch_table.columnCount())
             if page.batch_table.item(r, c)]
    assert not any("image" in c for c in cells) and any("A text file, not a picture." == c for c in cells)
    assert page.batch_table.item(0, 2).text() == percent(result.predictions[0].confidence)
    # the File column names each file from the folder chosen, the whole path in its tooltip; a problem is a sentence,
    # whole in its tooltip, in the column that takes the width left
    first = page.batch_table.item(0, 0)
    assert first.text() == Path(result.predictions[0].path).name and first.toolTip() == result.predictions[0].path
    from cnnstudio.ui.predict.folder_panel import PROBLEM_COLUMN

    problems = [page.batch_table.item(r, PROBLEM_COLUMN) for r in range(4, 7)]
    assert all(p.text().endswith(".") and p.toolTip() == p.text() for p in problems)
    header = page.batch_table.horizontalHeader()
    assert header.sectionResizeMode(PROBLEM_COLUMN) == header.ResizeMode.Stretch
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 7 and {r["label"] for r in rows if not r["error"]} <= {"a", "b"}
    # the unsure column (QA predict 9): the same answers in the CSV and the table, by the engine's one rule
    assert [r["unsure"] for r in rows] == [str(p.unsure).lower() for p in result.predictions] + [""] * 3
    # the tiny run has too few validation pictures for the "unlike the training pictures" hint: that column is empty
    assert [r["unlike_training"] for r in rows] == [""] * 7
    assert [page.batch_table.item(r, 3).text() for r in range(7)] == [
        "Unsure" if p.unsure else "" for p in result.predictions] + [""] * 3

    dialog = page.open_export()
    assert not dialog.progress.isVisible()  # no "0 %" before anything started
    target = tmp_path / "exported" / "model.zip"
    assert not dialog.start("bundle", str(target))  # a folder typed that is not there is not made
    assert (f">Not exported: the folder {target.parent} does not exist. Create it first or choose another "
            "folder.<") in dialog.message.text()
    target.parent.mkdir()
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as blocker:
        assert dialog.start("bundle", str(target))
        assert dialog.progress.isVisible()  # while it runs
    assert blocker.args[0] is not None and target.is_file()
    assert "Saved" in dialog.message.text()
    QApplication.processEvents()
    for label in [*dialog.uses.values(), dialog.message]:  # the dialog grew for the bar and its lines: nothing cut
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    dialog.path.setText(str(tmp_path / "other.zip"))  # another file: the last result is forgotten, and its bar
    assert not dialog.progress.isVisible() and dialog.message.text() == ""
    # Cancel while it works: the export's process ends at once, nothing is written, the button is Close again
    onnx = tmp_path / "exported" / "model.onnx"
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as blocker:
        assert dialog.start("onnx", str(onnx))
        assert dialog.close_button.text() == "Cancel"
        assert not dialog.path.isEnabled() and not dialog.radios["bundle"].isEnabled()  # what is written stays shown
        qtbot.waitUntil(lambda: dialog.message.text().startswith("Step "), timeout=30_000)
        dialog.close_button.click()
    assert blocker.args[0] is None and not onnx.exists()
    assert sorted(p.name for p in onnx.parent.iterdir()) == ["model.zip"]  # no temporary file either
    assert dialog.message.text() == "Export cancelled: nothing was saved, and no unfinished file is left."
    assert dialog.close_button.text() == "Close" and dialog.export_button.isEnabled() and dialog.path.isEnabled()
    # closing the dialog while it works cancels the export: no second ending (it raised AttributeError)
    # (pytest-qt fails the test on an exception in a slot: the thread's late 'finished' ended it a second time)
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        assert dialog.start("onnx", str(onnx))
        qtbot.waitUntil(lambda: dialog.message.text().startswith("Step "), timeout=30_000)
        dialog.done(0)
    QApplication.processEvents()  # the thread's queued 'finished' is delivered (it came after the dialog closed)
    assert dialog.thread is None and not onnx.exists()

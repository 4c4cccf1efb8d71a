"""The whole workflow through the real GUI, the way a user goes through it.

New project -> drop a folder (labels from folder names off) -> add two classes in the class panel ->
label every picture with the number keys -> Split button -> Model step: input 12x12 grey and the
LeNet-5 preset -> Train step: 2 epochs, Start -> Evaluate: the confusion matrix -> Predict: drop a
picture -> Export a bundle -> close the project, open it again and find everything there.

Everything goes through widgets, signals, key presses, mouse clicks and real QDropEvents; the only
direct calls are ``create_project`` / ``open_project`` (they stand for the file dialogs) and
QInputDialog.getText (a native-style modal the test answers by monkeypatching, as test_labelling does).
"""

from __future__ import annotations

import math

from PIL import Image
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from cnnstudio.engine.events import RunFinished
from cnnstudio.ui.data.import_flow import ImportReportDialog
from tests.ui.test_drop import accept_next_dialog, drag_enter, drop
from tests.ui.test_training_view import write_pictures

DATA, MODEL, TRAIN, TUNE, EVALUATE, PREDICT = range(6)


def go_to(window, step: int) -> None:
    """Click a workflow step in the navigation list on the left."""
    nav = window.workspace.nav
    rect = nav.visualItemRect(nav.item(step))
    QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.workspace.pages.currentIndex() == step


def click(button) -> None:
    assert button.isEnabled(), button.toolTip()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def answer_next_question(answer=QMessageBox.StandardButton.Yes) -> None:
    """Press a button of the next modal QMessageBox (e.g. "Replace the design?")."""
    def press():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        box.button(answer).click()
    QTimer.singleShot(0, press)


def _points(series) -> int:
    x, _y = series.curve.getData()
    return 0 if x is None else len(x)


def test_whole_workflow_through_the_gui(window, qtbot, tmp_path, monkeypatch):
    from cnnstudio.engine.use.bundle import load_bundle
    from cnnstudio.project import UNLABELLED, ImageFilter

    # ---- 1. a new project ------------------------------------------------------------------------------------
    root = tmp_path / "pets-project"
    assert window.create_project(root)

    # ---- 2. drop a folder with two subfolders; folder names are NOT taken as labels ---------------------------
    src = write_pictures(tmp_path / "pictures", classes=("cats", "dogs"), per_class=8, size=(12, 12))
    assert drag_enter(window, [src])
    accept_next_dialog(check_box_labels=False)
    with qtbot.waitSignal(window.importer.finished, timeout=30_000) as imported:
        assert drop(window, [src])
    report = imported.args[0]
    assert len(report.imported) == 16 and not report.skipped and not report.classes_created
    for w in QApplication.topLevelWidgets():  # the import report the user reads and closes
        if isinstance(w, ImportReportDialog) and w.isVisible():
            w.close()
    p = window.session.project
    gallery = window.workspace.data.gallery.list
    assert gallery.model().rowCount() == 16
    assert p.count(ImageFilter(class_id=UNLABELLED)) == 16 and not p.classes()

    # ---- 3. two classes through the class panel, then label by keyboard in the gallery ------------------------
    panel = window.workspace.data.classes
    for name in ("cat", "dog"):
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, _n=name, **k: (_n, True))
        click(panel.buttons["add"])
    assert [c.name for c in p.classes()] == ["cat", "dog"]
    assert panel.tree.topLevelItemCount() == 3  # cat, dog, (unlabelled)

    gallery.setFocus()
    model = gallery.model()
    for row in range(model.rowCount()):
        index = model.index(row)
        # the user looks at the picture; the test looks at the folder it came from
        source = p.image(model.image_id(row)).source_path
        gallery.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        qtbot.keyClick(gallery, Qt.Key.Key_1 if "/cats/" in source.replace("\\", "/") else Qt.Key.Key_2)
    cat, dog = (c.id for c in p.classes())
    assert p.count(ImageFilter(class_id=cat)) == 8 and p.count(ImageFilter(class_id=dog)) == 8
    assert p.count(ImageFilter(class_id=UNLABELLED)) == 0
    assert panel.tree.topLevelItem(0).text(6) == "8" and panel.tree.topLevelItem(1).text(6) == "8"
    assert "0 with no class" in window.status_label.text()

    # ---- 4. split with the Split panel's button ---------------------------------------------------------------
    splits = window.workspace.data.splits
    splits.train.setValue(50)
    splits.val.setValue(25)
    splits.test.setValue(25)
    click(splits.apply)
    counts = {s: p.count(ImageFilter(split=s)) for s in ("train", "val", "test")}
    assert counts == {"train": 8, "val": 4, "test": 4}
    assert "Split: train 8" in window.statusBar().currentMessage()

    # ---- 5. the Model step: 12x12 grey input, the LeNet-5 preset, no augmentation -----------------------------
    go_to(window, MODEL)
    designer = window.workspace.model_page
    pre = designer.tabs.preprocess_panel
    pre.width_box.setValue(12)
    pre.height_box.setValue(12)
    pre.channels.setCurrentIndex(pre.channels.findData(1))
    pre.norm.setCurrentIndex(pre.norm.findData("unit"))
    click(designer.tabs.augment_panel.off)
    presets = designer.backbone_panel.preset_combo
    presets.setCurrentIndex(presets.findData("lenet5"))
    answer_next_question(QMessageBox.StandardButton.Yes)  # "Replace the layers of the current design?"
    click(designer.backbone_panel.apply_preset_button)
    assert designer.is_valid(), designer.reason()
    spec = designer.spec()
    assert (spec.input.height, spec.input.width, spec.input.channels) == (12, 12, 1)
    assert [layer.type for layer in spec.layers][:3] == ["conv2d", "tanh", "avg_pool2d"]
    assert designer.layer_stack.input_card.title.text() == "Input picture, 12 × 12 grey"
    designed = spec.dumps()
    qtbot.waitUntil(lambda: not designer.tabs.previews.busy, timeout=20_000)  # the input previews' thread is done

    # ---- 6. the Train step: 2 epochs, batch size 4, Start ----------------------------------------------------
    go_to(window, TRAIN)
    train = window.workspace.train_page
    train.settings_form.epochs.setValue(2)
    train.settings_form.batch_size.setValue(4)
    assert not train.blocked.isVisible()
    with qtbot.waitSignal(train.run_ended, timeout=60_000) as ended:
        click(train.start_button)
    finished = ended.args[0]
    assert isinstance(finished, RunFinished), getattr(finished, "reason", finished)
    assert finished.epochs == 2 and not train.running
    plots = train.plots
    assert _points(plots.train_loss) == 2 and _points(plots.val_loss) == 2
    assert _points(plots.train_acc) == 2 and _points(plots.val_acc) == 2
    assert all(math.isfinite(v) for v in plots.train_loss.curve.getData()[1])
    assert "Finished" in train.status.text()
    assert train.runs.table.rowCount() == 1 and train.runs.table.item(0, 1).text() == "finished"
    run_id = finished.run_id

    # ---- 7. Evaluate: the run is picked, the confusion matrix is filled ----------------------------------------
    evaluate = window.workspace.evaluate_page
    with qtbot.waitSignal(evaluate.evaluated, timeout=30_000):
        go_to(window, EVALUATE)
    assert evaluate.run_combo.currentData() == run_id
    cm = evaluate.confusion_model
    assert cm.rowCount() == cm.columnCount() == 2 and cm.classes == ["cat", "dog"]
    cells = [[int(cm.index(r, c).data()) for c in range(2)] for r in range(2)]
    assert sum(map(sum, cells)) == 4 == evaluate.result["images"] and evaluate.result["split"] == "val"
    val_matrix = evaluate.result["confusion_matrix"]
    # the user switches to the test pictures with the keyboard
    evaluate.split_combo.setFocus()
    with qtbot.waitSignal(evaluate.evaluated, timeout=30_000):
        qtbot.keyClick(evaluate.split_combo, Qt.Key.Key_Down)
    assert evaluate.result["split"] == "test" and sum(map(sum, cm.matrix)) == 4

    # ---- 8. Predict: drop a new picture on the list ---------------------------------------------------------
    go_to(window, PREDICT)
    predict = window.workspace.predict_page
    assert predict.body.currentIndex() == 1
    new = tmp_path / "new" / "unknown.png"
    new.parent.mkdir()
    Image.new("RGB", (20, 16), (190, 120, 90)).save(new)
    with qtbot.waitSignal(predict.predicted, timeout=30_000) as predicted:
        assert drop(predict.list.viewport(), [new])
    (pred,) = predicted.args[0]
    assert set(pred.probabilities) == {"cat", "dog"}
    assert math.isclose(sum(pred.probabilities.values()), 1.0, abs_tol=1e-5)
    assert pred.label in predict.headline.text() and predict.list.count() == 1
    assert p.count() == 16  # predicting never imports

    # ---- 9. Export a bundle through the export dialog ---------------------------------------------------------
    click(predict.export_button)
    dialog = predict.export_dialog
    assert dialog is not None and dialog.isVisible() and dialog.radios["bundle"].isChecked()
    target = tmp_path / "exported" / "pets-model.zip"
    target.parent.mkdir()  # a folder typed that is not there is refused, not made (test_prediction_view.py)
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as exported:
        click(dialog.export_button)
    assert exported.args[0] is not None and target.is_file()
    assert "Saved" in dialog.message.text() and dialog.progress.value() == dialog.progress.maximum()
    dialog.radios["onnx"].setChecked(True)  # another format, another file: the last export's words go
    assert dialog.path.text().endswith("pets-model.onnx") and dialog.message.text() == ""
    assert dialog.progress.value() == 0
    click(dialog.close_button)
    bundle = load_bundle(target)
    assert bundle.class_names == ["cat", "dog"] and bundle.num_classes == 2
    assert (bundle.preprocess.height, bundle.preprocess.width, bundle.preprocess.channels) == (12, 12, 1)

    # ---- 10. close the project, open it again: everything is there ---------------------------------------------
    window.close_action.trigger()
    assert window.session is None and window.stack.currentWidget() is window.welcome
    assert window.open_project(root)
    p = window.session.project
    assert p.count() == 16
    cat, dog = (c.id for c in p.classes())
    assert [c.name for c in p.classes()] == ["cat", "dog"]
    assert p.count(ImageFilter(class_id=cat)) == 8 and p.count(ImageFilter(class_id=dog)) == 8
    assert {s: p.count(ImageFilter(split=s)) for s in ("train", "val", "test")} == counts
    assert window.workspace.data.gallery.model.rowCount() == 16
    assert window.workspace.data.classes.tree.topLevelItem(0).text(1) == "cat"

    go_to(window, MODEL)
    designer = window.workspace.model_page
    assert designer.spec().dumps() == designed and designer.is_valid()
    assert designer.tabs.preprocess_panel.values()["normalization"] == "unit"
    augment = designer.tabs.augment_panel
    assert not augment.values()["hflip"] and augment.values()["rotation"] == 0

    go_to(window, TRAIN)
    train = window.workspace.train_page
    assert train.settings_form.epochs.value() == 2 and train.settings_form.batch_size.value() == 4
    qtbot.waitUntil(lambda: train.runs.table.rowCount() == 1, timeout=5_000)  # filled when the page shows
    assert train.runs.table.item(0, 0).data(Qt.ItemDataRole.UserRole) == run_id and train.runs.table.item(0, 1).text() == "finished"
    assert train.start_button.isEnabled()

    evaluate = window.workspace.evaluate_page
    with qtbot.waitSignal(evaluate.evaluated, timeout=30_000):
        go_to(window, EVALUATE)
    assert evaluate.run_combo.currentData() == run_id
    assert evaluate.result["split"] == "val" and evaluate.result["confusion_matrix"] == val_matrix
    assert [[int(evaluate.confusion_model.index(r, c).data()) for c in range(2)] for r in range(2)] == val_matrix

    go_to(window, PREDICT)
    assert window.workspace.predict_page.body.currentIndex() == 1
    assert window.workspace.predict_page.model_combo.count() == 3  # "Best run" + the run + "Open a model file…"

"""The Model page's Open… on a design with a setting that is NaN: the design check's sentence in a message, the page's
design as it was, no crash dialog; and a layer's number box never raises for a value that is no number."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from cnnstudio.engine.model.catalog import CATALOG
from cnnstudio.ui.model.params import ParamEditor
from tests.ui.test_training_view import make_project


def test_opening_a_design_with_nan_says_why_and_keeps_the_design(window, qapp, reporter, tmp_path, monkeypatch):
    monkeypatch.setenv("QT_FILE_DIALOG_NO_NATIVE", "1")
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    page = window.workspace.model_page
    page.apply_preset("classic")
    before, cards, steps = page.state(), len(page.layer_stack.cards), page.undo_stack.count()
    bad = page.spec().to_json()
    bad["layers"][0]["params"]["kernel_size"] = float("nan")
    path = tmp_path / "spec_nan.json"
    path.write_text(json.dumps(bad), encoding="utf-8")  # "kernel_size": NaN, as Python's json writes it
    said = []

    def answer():  # the user picks the file, then reads the message and closes it
        box = QApplication.activeModalWidget()
        if isinstance(box, QFileDialog):
            box.selectFile(str(path))
            box.accept()
        elif isinstance(box, QMessageBox):
            said.append((box.windowTitle(), box.text()))
            box.close()
            return
        QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    page.open_button.click()
    assert said == [("Cannot open this design", "“spec_nan.json” holds a design CNN Studio cannot use — layer 1, "
                                                "convolution: the kernel size must be a whole number from 1 to 15, "
                                                "not NaN.")]
    assert reporter.problems == [] and reporter.dialog is None
    assert page.state() == before and len(page.layer_stack.cards) == cards and page.undo_stack.count() == steps
    assert page.is_valid()
    window.close_project()


@pytest.mark.parametrize("layer, setting", [("conv2d", "kernel_size"), ("dropout", "p"), ("conv2d", "out_channels")])
def test_a_number_box_shows_no_number_without_raising(qapp, layer, setting):
    spec = next(p for p in CATALOG[layer].params if p.name == setting)
    editor = ParamEditor(spec, spec.default)
    for value in (float("nan"), float("inf"), -float("inf")):
        editor.set_value(value)  # a design made in Python may still hold one: the card says the mistake
        assert editor.value() == spec.default
    editor.set_value(10 ** 30)  # far past what the box holds: kept at its end, not an OverflowError
    assert editor.value() == editor.number.maximum()
    editor.deleteLater()


@pytest.mark.parametrize("bad", [float("nan"), "a lot"])
def test_pages_open_on_stored_settings_that_are_no_number(window, qapp, reporter, tmp_path, bad):
    from cnnstudio.engine.model.design import META_AUGMENT, META_PREPROCESS, META_SPEC
    from cnnstudio.engine.model.spec import FORMAT
    from cnnstudio.engine.runs.saved_pages import META_SETTINGS
    from cnnstudio.engine.train.settings import SAFE_AUGMENT, default_settings
    from cnnstudio.project import Project

    root = make_project(tmp_path)
    with Project.open(root) as p:  # what a hand-edited or damaged project may hold
        p.set_meta(META_SPEC, json.dumps({"format": FORMAT, "input": {"height": 12, "width": 12, "channels": 1},
                                          "layers": [{"type": "dropout", "params": {"p": float("nan")}}],
                                          "backbone": None}))
        p.set_meta(META_PREPROCESS, json.dumps({"height": bad, "width": 12, "channels": 1, "resize": "squash",
                                                "normalization": "unit"}))
        p.set_meta(META_AUGMENT, json.dumps({"rotation": bad}))
        p.set_meta(META_SETTINGS, json.dumps({"epochs": bad, "lr": float("inf"), "batch_size": "big"}))
    assert window.open_project(root)
    try:
        for step in (1, 2):
            window.workspace.show_step(step)
            qapp.processEvents()
        assert reporter.problems == [] and reporter.dialog is None
        model, train = window.workspace.model_page, window.workspace.train_page
        assert model.is_valid() and model.layer_stack.cards  # the recommended design, not a page with no layers
        assert isinstance(model.tabs.preprocess_panel.values()["height"], int)
        assert model.tabs.augment_panel.values()["rotation"] == SAFE_AUGMENT.to_json()["rotation"]
        assert train.settings_form.values()["epochs"] == default_settings().epochs
    finally:
        window.close_project()

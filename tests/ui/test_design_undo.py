"""Undo where the user is: a stack per page (the Model page's design edits, the Data page's splits), the Edit
menu naming what it will undo; a number typed out of range kept and explained, never applied; "Start from"
used on choice and showing the stored design after reopening."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from tests.ui.test_training_view import make_project


def _model_page(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    return window.workspace.model_page


def _pool_design(d):
    """conv -> max pool (kernel 2) on 8x8 grey pictures: a design whose max pool allows kernel 1 to 16."""
    d.tabs.preprocess_panel.set_values(8, 8, 1, "squash", "unit")
    d.set_spec(ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4), layer("max_pool2d", kernel_size=2),
                                          layer("flatten")]))
    return d.layer_stack.cards[1].editors["kernel_size"].number


def _type(spin, text: str) -> None:
    """The user selects the number in the box, types ``text`` and presses Enter."""
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, Qt.Key.Key_Return)


def test_undo_acts_on_the_page_shown_and_the_menu_names_it(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    p = window.session.project
    window.split_action.trigger()  # a split on the Data page
    split = p.split_snapshot()
    assert window.undo_action.text() == "&Undo Split into train / validation / test"
    window.workspace.show_step(1)  # the Model page: nothing done here yet, the greyed Undo says where the split is
    assert not window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo (“Split into train / validation / test” is on the Data page)"
    d = window.workspace.model_page
    spin = _pool_design(d)
    spin.stepBy(1)
    spin.stepBy(1)  # two steps of the box's arrows: one undo step
    assert d.design.layers[1]["params"]["kernel_size"] == 4
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo Change the kernel size of layer 2"
    # Ctrl+Z in the number box is the page's undo, not the box's own
    spin = d.layer_stack.cards[1].editors["kernel_size"].number
    spin.setFocus()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    QTest.keySequence(QApplication.focusWidget(), QKeySequence(QKeySequence.StandardKey.Undo))
    assert d.design.layers[1]["params"]["kernel_size"] == 2  # both edits undone at once
    assert d.layer_stack.cards[1].editors["kernel_size"].value() == 2
    assert p.split_snapshot() == split  # the Data page's split is untouched
    assert window.statusBar().currentMessage() == "Undone: Change the kernel size of layer 2"
    assert window.undo_action.text() == "&Undo Replace the design"
    assert window.redo_action.text() == "&Redo Change the kernel size of layer 2"
    window.redo_action.trigger()
    assert d.design.layers[1]["params"]["kernel_size"] == 4
    window.workspace.show_step(0)  # back on the Data page: its own stack
    assert window.undo_action.text() == "&Undo Split into train / validation / test"
    window.workspace.show_step(2)  # a page without undoable actions: greyed, naming the first page with a step
    assert window.undo_action.text() == "&Undo (“Split into train / validation / test” is on the Data page)"
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()


def test_every_design_edit_is_one_undo_step(window, qtbot, tmp_path):
    d = _model_page(window, tmp_path)
    _pool_design(d)
    stack = d.undo_stack
    start = [dict(e) for e in d.design.layers]
    d.add_layer("relu", 1)
    d.move_layer(1, 2)
    d.duplicate_layer(0)
    d.remove_layer(0)
    d.layer_stack.cards[0].editors["out_channels"].number.stepBy(2)
    d.layer_stack.cards[0].editors["out_channels"].number.stepBy(1)  # the arrows, twice: one step
    texts = [stack.text(i) for i in range(stack.count())]
    assert texts[-5:] == ["Add layer 2 (ReLU)", "Move layer 2 (ReLU) down", "Copy layer 1 (Convolution)",
                          "Remove layer 1 (Convolution)", "Change the out channels of layer 1"]
    for _ in range(5):
        stack.undo()
    assert d.design.layers == start
    assert [c.title.text() for c in d.layer_stack.cards][:2] == ["conv 4 3x3", "max-pool 2x2"]
    # the input size is part of the design: undoable, the arrows clicked through a number are one step
    d.tabs.preprocess_panel.width_box.stepBy(2)
    d.tabs.preprocess_panel.width_box.stepBy(2)
    assert stack.undoText() == "Change the input" and d.tabs.preprocess_panel.values()["width"] == 12
    stack.undo()
    assert d.tabs.preprocess_panel.values()["width"] == 8 and d.spec().input.width == 8
    _type(d.tabs.preprocess_panel.width_box, "10")  # typed twice: two steps
    _type(d.tabs.preprocess_panel.width_box, "12")
    stack.undo()
    assert d.tabs.preprocess_panel.values()["width"] == 10


def test_a_number_out_of_range_is_kept_explained_and_not_applied(window, qtbot, tmp_path):
    d = _model_page(window, tmp_path)
    spin = _pool_design(d)
    card = d.layer_stack.cards[1]
    steps = d.undo_stack.count()
    saved = window.session.project.meta("model_spec")
    _type(spin, "40")
    assert spin.text() == "40"  # what the user typed stays
    assert not card.entry_error.isHidden()
    words = card.entry_error.text()
    assert "40" in words and "from 1 to 16" in words and "window" in words and "keeps 2" in words
    assert "c0392b" in card.entry_error.styleSheet()  # red
    assert d.design.layers[1]["params"]["kernel_size"] == 2  # the design is unchanged
    assert window.session.project.meta("model_spec") == saved
    # a step of its own, so that Undo takes back the red value first (QA: Undo skipped the last good value)
    assert d.undo_stack.count() == steps + 1 and d.undo_stack.undoText() == "Change the kernel size of layer 2"
    # what the box shows is what trains: while it shows 40 the design is not ready, and the page says why (QA: the
    # card was red, the summary said nothing, and Start trained kernel 2)
    assert not d.is_valid()
    # the layer named as its card names it, the setting and what it allows (QA: "layer 2 shows a value that is not
    # allowed (in red): type an allowed value" left the user to hunt for the red box)
    said = "In layer 2 (Max pooling), the kernel size must be 1 to 16, not 40 (in red)"
    assert d.reason() == said
    assert f"✖ {said}." in d.layer_stack.summary.text()
    train = window.workspace.train_page
    assert not train.start_button.isEnabled()
    _type(spin, "3")  # an allowed value: used, and the message goes
    assert d.design.layers[1]["params"]["kernel_size"] == 3 and card.entry_error.isHidden()
    assert d.is_valid() and "not allowed" not in d.layer_stack.summary.text() and train.start_button.isEnabled()
    # the arrows keep to the range
    spin.setValue(16)
    assert not (spin.stepEnabled() & spin.StepEnabledFlag.StepUpEnabled)
    spin.setValue(2)  # a window the 8 x 8 map holds again

    # the input picture's size: the same rule on the Input tab
    pre = d.tabs.preprocess_panel
    before = pre.values()["width"]
    _type(pre.width_box, "4000")
    assert pre.width_box.text().startswith("4000") and not pre.size_problem.isHidden()
    assert "4000 px is not used" in pre.size_problem.text() and f"keeps {before} px" in pre.size_problem.text()
    assert pre.values()["width"] == before
    assert not d.is_valid() and d.reason() == "On the Input tab, the width must be 4 to 2,048 px, not 4000 (in red)"
    _type(pre.width_box, "32")
    assert pre.values()["width"] == 32 and pre.size_problem.isHidden() and d.is_valid()


def _choose(combo, name: str) -> None:
    """What the user's choice in the list does: the entry becomes current and the combo says it was activated."""
    i = combo.findData(name)
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def _answer_next(answer) -> None:
    def press():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        box.button(answer).click()
    QTimer.singleShot(0, press)


def test_a_chosen_design_is_used_at_once_undoably_and_shown_after_reopening(window, qtbot, tmp_path):
    d = _model_page(window, tmp_path)
    combo = d.backbone_panel.preset_combo
    assert combo.currentData() == "default"  # a new project starts from the recommended design
    _choose(combo, "classic")  # no "Use this design" to press, no question: the design was a preset, unchanged
    assert [e["type"] for e in d.design.layers][:3] == ["conv2d", "relu", "max_pool2d"]
    assert d.backbone_panel.apply_preset_button.isHidden()
    assert d.undo_stack.undoText() == "Use the design “Classic CNN”"
    d.undo_stack.undo()
    assert combo.currentData() == "default" and d.design.matching_preset(d.tabs.preprocess_panel.values()) == "default"
    d.undo_stack.redo()
    assert combo.currentData() == "classic"
    root = window.session.project.root
    window.close_project()
    assert window.open_project(root)
    d = window.workspace.model_page
    combo = d.backbone_panel.preset_combo
    assert combo.currentData() == "classic" and combo.currentText() == "Classic CNN"
    # an edited design is "Your design"; replacing it asks first
    d.layer_stack.cards[0].editors["out_channels"].number.setValue(5)
    assert combo.currentText() == "Your design"
    _answer_next(QMessageBox.StandardButton.No)
    _choose(combo, "lenet5")
    assert d.design.layers[0]["params"]["out_channels"] == 5 and combo.currentText() == "Your design"
    window.close_project()
    assert window.open_project(root)
    d = window.workspace.model_page
    assert d.backbone_panel.preset_combo.currentText() == "Your design"
    _answer_next(QMessageBox.StandardButton.Yes)
    _choose(d.backbone_panel.preset_combo, "lenet5")
    assert [e["type"] for e in d.design.layers][:3] == ["conv2d", "tanh", "avg_pool2d"]
    d.undo_stack.undo()
    assert d.design.layers[0]["params"]["out_channels"] == 5


def test_recommended_after_transfer_learning_brings_back_the_projects_first_input_and_undoes_in_one_step(
        window, qtbot, tmp_path):
    """QA: "Recommended" after "Transfer learning: MobileNetV2" kept 224 x 224 colour and ImageNet normalisation."""
    d = _model_page(window, tmp_path)
    panel, combo = d.tabs.preprocess_panel, d.backbone_panel.preset_combo
    first, first_design, first_summary = panel.values(), d.design.snapshot(), d.layer_stack.summary.text()
    assert combo.currentData() == "default" and first["normalization"] == "dataset"
    _choose(combo, "mobilenet_v2_transfer")
    transfer, transfer_design = panel.values(), d.design.snapshot()
    assert (transfer["width"], transfer["channels"], transfer["normalization"]) == (224, 3, "imagenet")
    _choose(combo, "default")
    assert panel.values() == first and panel.norm.currentText() == "Training set mean/std"
    assert d.design.snapshot() == first_design and d.layer_stack.summary.text() == first_summary
    assert d.layer_stack.input_card.title.text().startswith(f"Input picture, {first['width']} × {first['height']}")
    # Ctrl+Z: the design and its input go back together, one step
    assert window.undo_action.text() == "&Undo Use the design “Recommended”"
    d.layer_stack.scroll.setFocus()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    QTest.keySequence(QApplication.focusWidget(), QKeySequence(QKeySequence.StandardKey.Undo))
    assert panel.values() == transfer and d.design.snapshot() == transfer_design
    assert combo.currentData() == "mobilenet_v2_transfer"


def test_each_change_on_the_backbone_row_is_an_undo_step_in_plain_words(window, qtbot, tmp_path):
    d = _model_page(window, tmp_path)
    bar = d.backbone_panel
    steps = []

    def undo_text() -> str:
        steps.append(window.undo_action.text())
        return steps[-1]

    bar.backbone_combo.setCurrentIndex(bar.backbone_combo.findData("mobilenet_v2"))
    assert undo_text() == "&Undo Use the MobileNetV2 backbone"
    bar.freeze.click()
    assert undo_text() == "&Undo Let the backbone learn" and d.design.backbone["freeze"] is False
    bar.freeze.click()
    assert undo_text() == "&Undo Freeze the backbone"
    bar.pretrained.click()  # frozen needs pretrained: both go off, the step says what the user did
    assert undo_text() == "&Undo Train the backbone from scratch" and d.design.backbone["freeze"] is False
    bar.pretrained.click()
    assert undo_text() == "&Undo Start the backbone from pretrained weights"
    bar.backbone_combo.setCurrentIndex(bar.backbone_combo.findData("resnet18"))
    assert undo_text() == "&Undo Use the ResNet-18 backbone"
    bar.backbone_combo.setCurrentIndex(bar.backbone_combo.findData(None))
    assert undo_text() == "&Undo Remove the ResNet-18 backbone"
    assert not any("_" in s for s in steps)  # never a raw key
    window.undo_action.trigger()
    assert d.design.backbone["name"] == "resnet18" and bar.backbone_combo.currentData() == "resnet18"
    assert window.undo_action.text() == "&Undo Use the ResNet-18 backbone"


def test_values_typed_one_after_the_other_are_separate_undo_steps_arrow_steps_merge(window, qtbot, tmp_path):
    """QA: kernel size 3, typed 5 and Enter, then 7 and Enter, and Ctrl+Z went back to 3, skipping the 5 committed."""
    d = _model_page(window, tmp_path)
    spin = _pool_design(d)  # the max pool's kernel size: 2
    stack = d.undo_stack
    steps = stack.count()
    _type(spin, "5")
    _type(d.layer_stack.cards[1].editors["kernel_size"].number, "7")
    assert stack.count() == steps + 2 and d.design.layers[1]["params"]["kernel_size"] == 7
    stack.undo()
    assert d.design.layers[1]["params"]["kernel_size"] == 5
    assert d.layer_stack.cards[1].editors["kernel_size"].value() == 5
    stack.undo()
    assert d.design.layers[1]["params"]["kernel_size"] == 2
    stack.redo()
    stack.redo()
    spin = d.layer_stack.cards[1].editors["kernel_size"].number
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    for _ in range(3):  # the arrow key, three times: one step, 7 -> 10
        qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert d.design.layers[1]["params"]["kernel_size"] == 10 and stack.count() == steps + 3
    stack.undo()
    assert d.design.layers[1]["params"]["kernel_size"] == 7


def test_undo_after_a_value_in_red_puts_back_the_last_allowed_value_first(window, qtbot, tmp_path):
    """QA: out channels 32, typed 48, then 0 (red): Undo showed 32, skipping the 48 the design kept. The red value
    is a step of its own: Undo shows 48 (not red), Redo the 0 in red again, Undo twice 32."""
    d = _model_page(window, tmp_path)
    _pool_design(d)
    stack = d.undo_stack

    def box():
        return d.layer_stack.cards[0].editors["out_channels"]

    _type(box().number, "32")
    _type(box().number, "48")
    _type(box().number, "0")
    assert box().number.text() == "0" and not d.is_valid() and d.design.layers[0]["params"]["out_channels"] == 48
    assert stack.undoText() == "Change the out channels of layer 1"
    stack.undo()
    assert box().value() == 48 and d.design.layers[0]["params"]["out_channels"] == 48
    assert d.is_valid() and d.layer_stack.cards[0].entry_error.isHidden()
    stack.redo()
    assert box().number.text() == "0" and not d.layer_stack.cards[0].entry_error.isHidden() and not d.is_valid()
    assert d.reason().startswith("In layer 1 (Convolution), the out channels must be 1 to ")
    stack.undo()
    stack.undo()
    assert box().value() == 32 and d.design.layers[0]["params"]["out_channels"] == 32 and d.is_valid()
    # the Input tab's size the same way
    pre = d.tabs.preprocess_panel
    _type(pre.width_box, "10")
    _type(pre.width_box, "4000")
    assert pre.values()["width"] == 10 and not d.is_valid()
    stack.undo()
    assert pre.width_box.value() == 10 and pre.size_problem.isHidden() and d.is_valid()

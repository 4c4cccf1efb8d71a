"""The Model page and a design's limits: the input side range, the number of layers, the summary's totals and the
training memory estimate with its warning."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cnnstudio.engine.errors import SpecError
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.cost import memory_warning
from cnnstudio.project.memory import total_ram
from cnnstudio.engine.model.spec import FORMAT, MAX_LAYERS, ModelSpec
from cnnstudio.engine.model.validate import validate
from cnnstudio.ui.model.inputs import PreprocessPanel
from cnnstudio.ui.colours import status_colour
from cnnstudio.ui.model.layer_stack import LayerStack
from cnnstudio.ui.model.palette import LayerPalette
from tests.ui.test_training_view import make_project

GREY = {"height": 8, "width": 8, "channels": 1, "resize": "squash", "normalization": "unit"}


def _type(spin, text: str) -> None:
    """The user selects the number in the box, types ``text`` and presses Enter."""
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, Qt.Key.Key_Return)


def _design_file(path, side: int, layers, channels: int = 3):
    path.write_text(json.dumps({"format": FORMAT, "input": {"height": side, "width": side, "channels": channels},
                                "layers": layers}))
    return path


def test_the_input_tab_shows_and_keeps_2048_px_and_refuses_3(qtbot):
    panel = PreprocessPanel()
    qtbot.addWidget(panel)
    panel.show()
    changes = []
    panel.changed.connect(lambda: changes.append(panel.values()))
    panel.set_values(2048, 2048, 3, "squash", "unit")
    assert (panel.width_box.value(), panel.height_box.value()) == (2048, 2048)
    assert panel.values()["width"] == panel.values()["height"] == 2048 and panel.size_problem.isHidden()
    assert changes == []  # shown, not edited
    _type(panel.width_box, "3")
    assert panel.width_box.text().startswith("3") and not panel.size_problem.isHidden()
    assert panel.size_problem.text() == ("A width of 3 px is not used: the input picture's width must be from 4 to "
                                         "2048 px (a smaller picture leaves nothing to see). The design keeps 2048 px, and "
                                         "training waits until you type an allowed size.")
    assert panel.values()["width"] == 2048
    _type(panel.width_box, "4")
    assert panel.values()["width"] == 4 and panel.size_problem.isHidden()


def test_a_design_file_at_2048_px_is_applied_whole_and_a_3000_layer_one_refused(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    page = window.workspace.model_page
    page.load_spec(_design_file(tmp_path / "big.json", 2048, [layer("conv2d", out_channels=8, stride=4),
                                                              layer("global_avg_pool")]))
    assert page.is_valid(), page.reason()
    assert page.tabs.preprocess_panel.values()["width"] == page.tabs.preprocess_panel.values()["height"] == 2048
    assert page.layer_stack.input_card.title.text() == "Input picture, 2048 × 2048 colour"
    assert page.spec().input.shape == (3, 2048, 2048)
    assert "Memory in training: weights and training state about " in page.layer_stack.summary.text()

    cards = list(page.layer_stack.cards)
    deep = _design_file(tmp_path / "deep.json", 28, [{"type": "relu"}] * 3000, 1)
    with pytest.raises(SpecError, match="the design has 3,000 layers, more than the 200 CNN Studio allows"):
        page.load_spec(deep)
    assert page.layer_stack.cards == cards and page.is_valid()  # no card was made; the design is as it was
    size = page.tabs.preprocess_panel.values()
    for side, channels, words in ((3, 1, "from 4 to 2048, not 3"), (28, 2, "1 (grey) or 3 (colour), not 2")):
        with pytest.raises(SpecError, match=re.escape(words)):  # taken whole or refused (QA: it showed 28 x 3, kept 3)
            page.load_spec(_design_file(tmp_path / "odd.json", side, [{"type": "relu"}], channels))
        assert page.tabs.preprocess_panel.values() == size and page.layer_stack.cards == cards


def _stack(qtbot, layers, values=GREY) -> LayerStack:
    stack = LayerStack()
    qtbot.addWidget(stack)
    stack.resize(700, 500)
    stack.show()
    spec = ModelSpec.create(values["height"], values["width"], values["channels"], layers)
    stack.rebuild([ls.to_json() for ls in spec.layers], None, -1, values)
    stack.show_report(validate(spec, 2), None, values)
    return stack


def test_the_summary_gives_totals_and_memory_only_for_a_design_without_mistakes(qtbot):
    good = _stack(qtbot, [layer("conv2d", out_channels=4), layer("relu")])
    text = good.summary.text()
    assert "</b> parameters" in text and "sums</b> per picture" in text
    assert ("<br>Memory in training: weights and training state about 8.7 KB, plus about 2.8 KB per picture (a batch "
            "of 64: 181 KB, about 189 KB in all).") in text
    assert status_colour("warning", good) not in text and "Totals" not in text
    bad = _stack(qtbot, [layer("conv2d", out_channels=4)] + [layer("max_pool2d")] * 4)  # 8 -> 4 -> 2 -> 1 -> none
    text = bad.summary.text()
    assert "parameters" not in text and "memory" not in text and "sums" not in text
    assert "Totals once the design is valid." in text and "1 layer marked in red needs a change" in text


def test_a_huge_design_shows_the_memory_of_its_weights_not_only_per_picture(qtbot):
    """QA m8: a 92-million-parameter design said only "about 342 KB of memory per picture"; the 1.4 GB its weights,
    their gradients and Adam's two moments take whatever the batch were never shown."""
    values = {**GREY, "height": 48, "width": 48, "channels": 3}
    layers = [layer("conv2d", out_channels=8), layer("max_pool2d"), layer("flatten"),
              layer("linear", out_features=20_000), layer("relu")]
    stack = _stack(qtbot, layers, values)
    stack.set_batch_size(32)  # the Train page's batch size
    report = validate(ModelSpec.create(48, 48, 3, layers), 2)
    assert report.total_params == 92_220_226 and report.memory.fixed == 16 * report.total_params
    text = stack.summary.text()
    assert ("Memory in training: weights and training state about 1.4 GB, plus about 342 KB per picture (a batch of "
            "32: 11 MB, about 1.4 GB in all).") in text
    stack.set_batch_size(64)
    assert "(a batch of 64: 21 MB, about 1.4 GB in all)." in stack.summary.text()


def test_a_batch_too_large_for_this_computer_gets_an_orange_warning(qtbot):
    values = {**GREY, "height": 2048, "width": 2048, "channels": 3}
    layers = [layer("conv2d", out_channels=256), layer("conv2d", out_channels=256), layer("global_avg_pool")]
    stack = _stack(qtbot, layers, values)
    report = validate(ModelSpec.create(2048, 2048, 3, layers), 2)
    assert report.memory.for_batch(64) > 600 * 2**30  # more than half of any computer's memory this test runs on
    warning = memory_warning(report.memory)
    assert warning is not None or total_ram() is None
    text = stack.summary.text()
    assert "</b> parameters" in text and "Memory in training: " in text  # still a valid design
    if warning:
        assert f"<span style='color:{status_colour('warning', stack)}'>⚠ {warning}</span>" in text
        assert "c0392b" not in text  # not an error: training may still start


def test_the_palette_adds_nothing_at_the_limit_and_says_why(qtbot):
    palette = LayerPalette()
    qtbot.addWidget(palette)
    palette.show()
    relu = palette.tree.findItems("ReLU", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[0]
    palette.tree.setCurrentItem(relu)
    chosen = []
    palette.chosen.connect(chosen.append)
    palette.set_layer_count(MAX_LAYERS)
    assert not palette.add_button.isEnabled()
    assert palette.add_button.toolTip() == ("The design has 200 layers, the most CNN Studio allows: remove one to add "
                                            "another.")
    assert palette.note.isHidden()  # said when the user asks for a layer
    _double_click(palette.tree, relu)
    assert chosen == []
    assert not palette.note.isHidden() and palette.note.text() == palette.add_button.toolTip()
    palette.set_layer_count(MAX_LAYERS - 1)
    assert palette.note.isHidden()
    assert palette.add_button.isEnabled() and "after the selected one" in palette.add_button.toolTip()
    palette.add_button.click()
    assert chosen == ["relu"]
    _double_click(palette.tree, relu)  # one layer per double-click (the double-click and Qt's "activated" both fired)
    assert chosen == ["relu", "relu"]


def _double_click(tree, item) -> None:
    """The user double-clicks ``item``: a click, then the double-click."""
    at = tree.visualItemRect(item).center()
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    QTest.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_no_card_can_be_copied_at_the_limit(qtbot):
    stack = LayerStack()
    qtbot.addWidget(stack)
    stack.rebuild([layer("relu")] * MAX_LAYERS, None, -1, GREY)
    copies = [card.buttons["duplicate"] for card in stack.cards]
    assert len(copies) == MAX_LAYERS and not any(b.isEnabled() for b in copies)
    assert copies[0].toolTip() == ("The design has 200 layers, the most CNN Studio allows: remove one to copy this "
                                   "one")
    assert all(card.buttons["remove"].isEnabled() for card in stack.cards)
    stack.rebuild([layer("relu")] * (MAX_LAYERS - 1), None, -1, GREY)
    assert all(card.buttons["duplicate"].isEnabled() for card in stack.cards)
    assert stack.cards[0].buttons["duplicate"].toolTip() == "Duplicate this layer"


def test_a_design_at_the_limit_on_the_page_adds_and_copies_nothing(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    page = window.workspace.model_page
    page.load_spec(_design_file(tmp_path / "full.json", 8, [{"type": "relu"}] * (MAX_LAYERS - 1), 1))
    palette = page.layer_palette
    assert palette.add_button.isEnabled()
    page.design.add_layer("relu")  # the Qt-free rule: the 200th layer is added, a 201st is not
    page._structure_changed()
    assert len(page.design.layers) == MAX_LAYERS and not palette.add_button.isEnabled()  # the page told the palette
    assert "the most CNN Studio allows" in palette.add_button.toolTip()
    page.design.add_layer("relu")
    page.design.duplicate_layer(0)
    assert len(page.design.layers) == MAX_LAYERS
    page.design.remove_layer(0)
    page._structure_changed()
    assert palette.add_button.isEnabled()

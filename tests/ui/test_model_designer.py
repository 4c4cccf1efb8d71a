"""The Model page: a layer stack edited through generated widgets, checked by the engine's validator on every edit."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from cnnstudio.engine.model.spec import ModelSpec
from tests.ui.test_training_view import make_project, open_tiny


def _designer(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    d = window.workspace.model_page
    d.tabs.preprocess_panel.set_values(12, 12, 1, "squash", "unit")
    d.set_spec(ModelSpec.create(12, 12, 1, []))
    return d


def test_building_a_stack_in_the_form_updates_shapes(window, qtbot, tmp_path):
    d = _designer(window, tmp_path)
    stack, palette = d.layer_stack, d.layer_palette
    assert stack.cards == [] and not stack.empty_hint.isHidden()
    # add from the palette (grouped by category, help as tooltip)
    conv_item = palette.tree.findItems("Convolution", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[1]
    assert conv_item.parent() is not None and "filters" in conv_item.toolTip(0)
    palette.tree.setCurrentItem(conv_item)
    palette.add_button.click()
    card = stack.cards[0]
    assert card.shape.text() == "→ 32 × 12 × 12"
    assert card.params.text() == "320 params"  # 32 * 1 * 3 * 3 + 32
    # edit through the generated widgets: a spin box with the schema's range and a 'same' special value
    stride = card.editors["stride"].number
    assert stride.soft == (1, 8)  # the arrows keep to the range; a typed value outside it is explained
    assert card.editors["padding"].number.specialValueText() == "same"
    stride.setValue(2)
    assert stack.cards[0].shape.text() == "→ 32 × 6 × 6"
    assert d.design.layers[0]["params"]["stride"] == 2
    stack.cards[0].editors["out_channels"].number.setValue(8)
    assert stack.cards[0].shape.text() == "→ 8 × 6 × 6" and stack.cards[0].params.text() == "80 params"
    stack.cards[0].editors["bias"].check.setChecked(False)
    assert stack.cards[0].params.text() == "72 params"
    # add after the selected layer, duplicate, reorder, remove
    d.add_layer("max_pool2d")
    d.add_layer("relu", 1)
    assert [entry["type"] for entry in d.design.layers] == ["conv2d", "relu", "max_pool2d"]
    assert stack.cards[2].shape.text() == "→ 8 × 3 × 3"
    stack.cards[1].buttons["duplicate"].click()
    assert [entry["type"] for entry in d.design.layers] == ["conv2d", "relu", "relu", "max_pool2d"]
    stack.cards[3].buttons["up"].click()
    assert [entry["type"] for entry in d.design.layers] == ["conv2d", "relu", "max_pool2d", "relu"]
    assert not stack.cards[0].buttons["up"].isEnabled() and not stack.cards[3].buttons["down"].isEnabled()
    stack.cards[3].buttons["remove"].click()
    stack.cards[1].buttons["remove"].click()
    assert [entry["type"] for entry in d.design.layers] == ["conv2d", "max_pool2d"]
    # the output layer is added for the project's two classes; the summary adds everything up
    assert stack.output_card.shape.text() == "→ 2 numbers"
    assert stack.output_card.params.text() == f"{8 * 3 * 3 * 2 + 2} params"
    assert f"{72 + 146:,}</b> parameters" in stack.summary.text()
    assert d.is_valid()


def test_an_invalid_stack_is_marked_and_disables_train_with_the_reason(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    d = window.workspace.model_page
    changes = []
    d.validity_changed.connect(lambda ok, why: changes.append((ok, why)))
    for _ in range(4):
        d.add_layer("max_pool2d", 0)  # 8 -> 4 -> 2 -> 1 -> nothing
    assert changes and changes[-1][0] is False
    bad = [c for c in d.layer_stack.cards if c.property("invalid")]
    assert len(bad) == 1 and "shrink the 1 × 1 × 1 feature map to nothing" in bad[0].error.text()
    assert not bad[0].error.isHidden()
    assert "1 layer marked in red needs a change before training" in d.layer_stack.summary.text()
    for i in (0, 1):  # settings the validator refuses, on two layers: the plural
        d.set_param(i, "kernel_size", 0)
    assert len([c for c in d.layer_stack.cards if c.property("invalid")]) == 2
    assert "2 layers marked in red need a change before training" in d.layer_stack.summary.text()
    for i in (0, 1):
        d.set_param(i, "kernel_size", 2)
    assert not d.is_valid() and "shrink" in d.reason()
    assert not page.start_button.isEnabled()
    assert "shrink" in page.blocked.text() and not page.blocked.isHidden()
    assert not page.start()
    d.remove_layer(0)
    assert d.is_valid() and changes[-1] == (True, "")
    assert page.start_button.isEnabled() and page.blocked.isHidden()


def test_presets_backbones_files_and_the_project_remember_the_design(window, qtbot, tmp_path):
    d = _designer(window, tmp_path)
    bar = d.backbone_panel
    d.apply_preset("classic")
    assert [entry["type"] for entry in d.design.layers][:3] == ["conv2d", "relu", "max_pool2d"]
    assert d.is_valid()
    # a pretrained backbone: RGB input of at least 32 pixels, and a clear note about its weights
    bar.backbone_combo.setCurrentIndex(bar.backbone_combo.findData("resnet18"))
    v = d.tabs.preprocess_panel.values()
    assert (v["channels"], v["height"] >= 32, v["normalization"]) == (3, True, "imagenet")
    assert d.layer_stack.backbone_card is not None and bar.weights_note.text()
    assert ("are not on this computer" in bar.weights_note.text()) or ("Using" in bar.weights_note.text())
    bar.backbone_combo.setCurrentIndex(0)  # back to no backbone: the layers come back
    assert d.design.backbone is None and ([entry["type"] for entry in d.design.layers][:3]
                                          == ["conv2d", "relu", "max_pool2d"])
    # save as JSON, change, load back
    path = tmp_path / "design.json"
    d.save_spec(path)
    assert json.loads(path.read_text())["layers"][0]["type"] == "conv2d"
    d.remove_layer(0)
    d.load_spec(path)
    assert d.design.layers[0]["type"] == "conv2d"
    d.layer_stack.cards[0].editors["out_channels"].number.setValue(5)
    # the design is stored in the project and survives closing and reopening it
    root = window.session.project.root
    window.close_project()
    assert window.open_project(root)
    again = window.workspace.model_page
    assert again.design.layers[0]["params"]["out_channels"] == 5
    assert again.tabs.preprocess_panel.values()["channels"] == 3


def test_previews_show_pictures_as_the_network_sees_them(window, qtbot, tmp_path):
    d = _designer(window, tmp_path)
    with qtbot.waitSignal(d.tabs.previews.ready, timeout=20_000):
        window.workspace.show_step(1)
    assert len(d.tabs.input_preview.tiles) == 8
    assert d.tabs.input_preview.tiles[0].pixmap().width() > 0
    with qtbot.waitSignal(d.tabs.previews.ready, timeout=20_000):
        d.tabs.augment_panel.rotation.setValue(30)
    assert len(d.tabs.augment_preview.tiles) == 8
    assert json.loads(window.session.project.meta("model_augment"))["rotation"] == 30


def test_a_new_empty_project_shows_the_output_layer_with_a_note_not_an_error(window, tmp_path):
    from cnnstudio.project.store import Project
    from cnnstudio.ui.model.layer_words import NO_CLASSES_NOTE

    Project.create(tmp_path / "empty").close()
    assert window.open_project(tmp_path / "empty")
    d = window.workspace.model_page
    out = d.layer_stack.output_card
    assert d.num_classes() == 0 and d.report is not None
    assert out.note.text() == NO_CLASSES_NOTE and not out.note.isHidden()
    assert out.error.isHidden() and not out.property("invalid")  # neutral, not red
    summary = d.layer_stack.summary.text()
    assert "marked in red" not in summary and "number of classes" not in summary
    assert "Totals once the project has classes." in summary
    # pictures with two classes: the output layer is sized and the note goes
    from tests.ui.test_training_view import write_pictures
    from cnnstudio.project.importer import import_paths

    with Project.open(tmp_path / "empty") as p:
        import_paths(p, [write_pictures(tmp_path / "src")], labels_from_folders=True)
    assert window.open_project(tmp_path / "empty")
    out = window.workspace.model_page.layer_stack.output_card
    assert out.note.isHidden() and out.shape.text() == "→ 2 numbers"


def test_the_cards_and_summary_say_the_checks_words_as_sentences_with_separators(window, qtbot, tmp_path):
    """QA: "layer 10, conv 32 3x3, needs a feature map … global average pool or fully connected layers" (lower case,
    no full stop, not the catalogue's "Global average pooling"); "→ 3136 numbers" without a separator; a card titled
    "conv 32 3x3", then "Convolution" while in error."""
    assert window.open_project(make_project(tmp_path))
    d = window.workspace.model_page
    d.tabs.preprocess_panel.set_values(28, 28, 1, "squash", "unit")
    d.apply_preset("classic")
    stack = d.layer_stack
    flatten = next(c for c in stack.cards if c.layer_type.type == "flatten")
    assert flatten.shape.text() == "→ 3,136 numbers"
    d.add_layer("conv2d")  # at the end, after the fully connected layers
    bad = stack.cards[-1]
    words = bad.error.text()
    assert words.startswith(f"Layer {len(stack.cards)}, conv 32 3x3, needs a feature map") and words.endswith(
        "move it before the flatten, global average pooling or fully connected layers.")
    d.remove_layer(len(stack.cards) - 1)
    d.remove_layer(next(i for i, c in enumerate(stack.cards) if c.layer_type.type == "flatten"))
    assert "ℹ A flatten is added before layer" in stack.summary.text()
    note = stack.summary.text().split("ℹ ")[1].split("<")[0]
    assert note.endswith(".")
    title = stack.cards[0].title.text()
    d.set_param(0, "kernel_size", 29)  # refused by the check: the card keeps its name
    assert stack.cards[0].property("invalid") and stack.cards[0].title.text() == title.replace("3x3", "29x29")
    assert stack.cards[0].error.text().startswith("Layer 1, convolution: the kernel size must be")
    assert stack.cards[0].error.text().endswith(".")

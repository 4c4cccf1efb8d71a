"""A run's design in the runs list and back on the Model page (QA: every own design was "your own design", no run
showed its layers or gave its design back); Backbone -> None on the Model page brings back the project's starting
input, as a preset from scratch does."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cnnstudio.engine.data.augment import AugmentSettings
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.project import run_records
from cnnstudio.ui.train.run_words import plain_words
from tests.ui.test_training_view import make_project, tiny_design

DENSE = ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4), layer("relu"), layer("conv2d", out_channels=6),
                                   layer("flatten"), layer("linear", out_features=12), layer("dropout", p=0.3)])
WIDE = ModelSpec.create(12, 12, 3, [layer("conv2d", out_channels=8), layer("relu"), layer("global_avg_pool")])


def _two_runs(window, tmp_path) -> tuple[str, str]:
    """The window on a project with two runs of different own designs: DENSE (8 x 8 grey, letterboxed, mirrored
    left-right) and WIDE (12 x 12 colour, no augmentation); the Train page shown."""
    assert window.open_project(make_project(tmp_path))
    p = window.session.project
    base = TrainSettings(epochs=1, batch_size=4, threads=1)
    dense = runs.create_run(p, base.replace(
        preprocess=Preprocess(height=8, width=8, channels=1, resize="letterbox", normalization="dataset"),
        augment=AugmentSettings(hflip=True, rotation=15.0)), DENSE)
    wide = runs.create_run(p, base.replace(preprocess=Preprocess(height=12, width=12, channels=3),
                                           augment=AugmentSettings()), WIDE)
    window.workspace.show_step(2)
    window.workspace.train_page.runs.refresh()
    return dense, wide


def test_the_runs_list_names_each_design_and_shows_its_layers(window, qtbot, tmp_path):
    dense, wide = _two_runs(window, tmp_path)
    panel = window.workspace.train_page.runs
    names = {r.id: r.name for r in panel.runs}
    assert names == {dense: "Your design (2 convolutions, 1 fully connected layer) · 1 epoch",
                     wide: "Your design (1 convolution) · 1 epoch"}
    assert not panel.use_design_button.isEnabled()  # nothing selected
    panel.select([dense])
    details = plain_words(panel.details.text())
    # the design is said once: the name says it, so the settings' line does not say it again
    assert details.count("design (2 convolutions, 1 fully connected layer)") == 1 and names[dense] in details
    assert ("layers: 1 conv 4 3x3 → 4 × 8 × 8 · 2 ReLU → 4 × 8 × 8 · 3 conv 6 3x3 → 6 × 8 × 8 · 4 flatten → 384 "
            "numbers · 5 fully connected 12 → 12 numbers · 6 dropout 0.3 → 12 numbers · 7 output, 2 classes → 2 "
            "numbers") in details
    assert panel.use_design_button.isEnabled() and panel.use_design_action.isEnabled()
    # one command: the button, and the runs' context menu (right-click, or the menu key)
    assert panel.table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert [a.text() for a in panel.table.actions()] == ["Use this design", "Resume", "Rename…", "Delete…"]
    with qtbot.waitSignal(panel.design_requested) as got:
        panel.use_design_button.click()
    assert got.args == [dense]
    with qtbot.waitSignal(panel.design_requested) as got:
        panel.select([wide])
        panel.use_design_action.trigger()
    assert got.args == [wide]
    panel.select([dense, wide])  # two runs: whose design? none
    assert not panel.use_design_button.isEnabled()


def test_a_run_without_a_design_cannot_give_one_back(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    p = window.session.project
    run_records.add_run(p, "20260101-000000-aaaa", "imported by hand", created_at=1.0, status="finished")
    run_records.run_dir(p, "20260101-000000-aaaa").mkdir(parents=True)
    window.workspace.show_step(2)
    panel = window.workspace.train_page.runs
    panel.refresh()
    panel.select(["20260101-000000-aaaa"])
    assert panel.selected_ids() == ["20260101-000000-aaaa"] and not panel.use_design_button.isEnabled()
    with qtbot.assertNotEmitted(panel.design_requested):
        panel.use_design()


def test_use_this_design_puts_the_runs_design_back_on_the_model_page_as_one_undo_step(window, qtbot, tmp_path):
    dense, wide = _two_runs(window, tmp_path)
    model = window.workspace.model_page
    tiny_design(window)  # what the page holds before
    before = model.state()
    steps = model.undo_stack.index()
    panel = window.workspace.train_page.runs
    panel.select([dense])
    panel.use_design_button.click()  # the runs list's design_requested, connected by the workspace
    assert window.workspace.current_step() == "model"
    assert model.design.layers == [ls.to_json() for ls in DENSE.layers] and model.design.backbone is None
    assert model.tabs.preprocess_panel.values() == {"height": 8, "width": 8, "channels": 1, "resize": "letterbox",
                                                    "normalization": "dataset"}
    aug = model.tabs.augment_panel.values()
    assert aug["hflip"] and aug["rotation"] == 15.0
    assert model.is_valid()
    assert [c.title.text() for c in model.layer_stack.cards][:3] == ["conv 4 3x3", "ReLU", "conv 6 3x3"]
    assert model.undo_stack.index() == steps + 1
    name = run_records.get_run(window.session.project, dense).name
    assert model.undo_stack.undoText() == f"Use the design of run “{name}”"
    assert window.undo_action.text() == f"&Undo Use the design of run “{name}”"
    assert window.statusBar().currentMessage() == (f"The design of run “{name}” is on the Model page; Ctrl+Z brings "
                                                   "back the one before.")
    # Ctrl+Z brings back the design before, input and all
    model.use_run(wide)
    assert model.tabs.preprocess_panel.values()["channels"] == 3 and not model.tabs.augment_panel.values()["hflip"]
    model.undo_stack.undo()
    assert model.design.layers == [ls.to_json() for ls in DENSE.layers]
    model.undo_stack.undo()
    assert model.state() == before
    model.undo_stack.redo()
    assert model.tabs.preprocess_panel.values()["resize"] == "letterbox"
    model.use_run(dense)  # the page holds it already: no step (the next one stays to redo), and it says so
    assert (model.undo_stack.index(), model.undo_stack.count()) == (steps + 1, steps + 2)
    assert window.statusBar().currentMessage() == f"The Model page already holds the design of run “{name}”."


def test_switching_the_backbone_off_brings_back_the_projects_starting_input(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(1)
    model = window.workspace.model_page
    start = model.tabs.preprocess_panel.values()
    assert start["height"] < 224 and start["normalization"] != "imagenet"
    bar = model.backbone_panel
    bar.backbone_combo.setCurrentIndex(bar.backbone_combo.findData("mobilenet_v2"))
    on = model.tabs.preprocess_panel.values()
    assert (on["height"], on["channels"], on["normalization"]) == (224, 3, "imagenet")
    bar.backbone_combo.setCurrentIndex(bar.backbone_combo.findData(None))
    assert model.design.backbone is None
    assert model.tabs.preprocess_panel.values() == start
    assert model.undo_stack.undoText() == "Remove the MobileNetV2 backbone"
    model.undo_stack.undo()
    assert model.tabs.preprocess_panel.values() == on and model.design.backbone["name"] == "mobilenet_v2"

"""The Model step: design the network as an editable stack of layers, checked on every edit.

Top: a ready-made design or a pretrained backbone to start from (:mod:`.backbone_panel`), and open / save.
Left: the layer catalog grouped by category, help as tooltips (:mod:`.palette`); double-click or "Add" puts
a layer after the selected one. Middle: the stack (:mod:`.layer_stack`), one card per layer with generated
editors and the validator's output shape / parameters / multiply-adds / error, then the output layer CNN
Studio adds and a summary. Right: input preprocessing and augmentation, each with a preview of project
pictures (:mod:`.input_tabs`).

The page owns the design and composes those parts: a plain :class:`~cnnstudio.engine.model.spec.ModelSpec` plus
preprocessing and augmentation settings; every edit re-runs :func:`~cnnstudio.engine.validate.validate` and
stores the design in the project (meta keys ``model_spec``, ``model_preprocess``, ``model_augment``), so it
survives reopening. The Train page asks :meth:`ModelPage.is_valid` / listens to :attr:`ModelPage.validity_changed`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QSplitter, QVBoxLayout, QWidget

from ..session import ProjectSession
from .backbone_panel import BackbonePanel
from .cards import CARD_STYLE, InfoCard, LayerCard
from .input_tabs import InputTabs, preview_paths
from .layer_stack import LayerStack
from .palette import LayerPalette

META_SPEC, META_PREPROCESS, META_AUGMENT = "model_spec", "model_preprocess", "model_augment"


class ModelPage(QWidget):
    validity_changed = Signal(bool, str)  # ok, the reason training cannot start ("" when ok)
    design_changed = Signal()

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        from ...engine.model import catalog

        self.session = session
        self.catalog = catalog
        self.layers: list[dict] = []  # [{"type", "params"}], exactly what the spec holds
        self.backbone: dict | None = None
        self.report = None
        self.selected = -1
        self._ok: bool | None = None
        self._reason = ""
        self._previews_stale = True
        self._num_classes: int | None = None
        self._layers_before_backbone: list[dict] | None = None
        self.setStyleSheet(CARD_STYLE)

        self.backbone_panel = BackbonePanel()
        self.backbone_panel.apply_preset_button.clicked.connect(self._ask_apply_preset)
        self.backbone_panel.edited.connect(self._backbone_edited)
        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("Load a design saved as JSON")
        self.open_button.clicked.connect(self._open_dialog)
        self.save_button = QPushButton("Save as…")
        self.save_button.setToolTip("Save this design as a JSON file (to share it, or for 'cnnstudio train --spec')")
        self.save_button.clicked.connect(self._save_dialog)
        self.layer_palette = LayerPalette()
        self.layer_palette.chosen.connect(self._add_from_palette)
        self.layer_stack = LayerStack()
        self.layer_stack.param_changed.connect(self.set_param)
        self.layer_stack.action.connect(self._card_action)
        self.layer_stack.card_selected.connect(self._select)
        self.tabs = InputTabs()
        self.tabs.preprocess_panel.changed.connect(self._input_edited)
        self.tabs.augment_changed.connect(self._augment_edited)
        self.tabs.reroll_requested.connect(self._request_previews)
        self._name_parts()
        self._lay_out()
        self._listen(session)
        self._load()

    def _name_parts(self) -> None:
        """The parts' widgets under the names the rest of CNN Studio and the tests use on the page."""
        bar, stack, tabs = self.backbone_panel, self.layer_stack, self.tabs
        self.preset_combo, self.apply_preset_button, self.preset_help = (bar.preset_combo, bar.apply_preset_button,
                                                                         bar.preset_help)
        self.backbone_combo, self.pretrained, self.freeze = bar.backbone_combo, bar.pretrained, bar.freeze
        self.weights_note = bar.weights_note
        self.palette, self.add_button = self.layer_palette.tree, self.layer_palette.add_button
        self.stack_widget, self.stack_layout, self.scroll = stack.stack_widget, stack.stack_layout, stack.scroll
        self.empty_hint, self.summary = stack.empty_hint, stack.summary
        self.preprocess_panel, self.augment_panel = tabs.preprocess_panel, tabs.augment_panel
        self.input_preview, self.augment_preview = tabs.input_preview, tabs.augment_preview
        self.reroll, self.previews = tabs.reroll, tabs.previews

    def _listen(self, session: ProjectSession) -> None:
        """The project's classes, labels and pictures change what the output layer is and what the previews show."""
        session.classes_changed.connect(self._classes_changed)
        session.labels_changed.connect(self._classes_changed)
        session.images_changed.connect(self._classes_changed)
        session.images_changed.connect(self._request_previews)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.backbone_panel)
        top.addStretch(1)
        top.addWidget(self.open_button)
        top.addWidget(self.save_button)
        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.preset_help)
        ml.addWidget(self.weights_note)
        ml.addWidget(self.layer_stack, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.layer_palette)
        splitter.addWidget(middle)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 640, 420])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        lay.addWidget(splitter, 1)

    # the cards are made anew when the stack changes: these always name the current ones
    @property
    def cards(self) -> list[LayerCard]:
        return self.layer_stack.cards

    @property
    def input_card(self) -> InfoCard | None:
        return self.layer_stack.input_card

    @property
    def backbone_card(self) -> InfoCard | None:
        return self.layer_stack.backbone_card

    @property
    def output_card(self) -> InfoCard | None:
        return self.layer_stack.output_card

    # ================================================================== state <-> project
    def _load(self) -> None:
        """The design stored in the project, or the recommended preset at a size suited to its pictures."""
        from ...engine.errors import EngineError
        from ...engine.train.settings import SAFE_AUGMENT, suggest_preprocess
        from ...engine.model.spec import ModelSpec

        p = self.session.project
        spec = pp = aug = None
        try:
            raw = p.meta(META_SPEC)
            spec = ModelSpec.loads(raw) if raw else None
            raw = p.meta(META_PREPROCESS)
            pp = json.loads(raw) if raw else None
            raw = p.meta(META_AUGMENT)
            aug = json.loads(raw) if raw else None
        except (EngineError, ValueError):
            spec = None
        if pp is None:
            suggested = suggest_preprocess(p)
            pp = {"height": suggested.height, "width": suggested.width, "channels": suggested.channels,
                  "resize": suggested.resize, "normalization": suggested.normalization}
        if spec is not None:
            pp.update(height=spec.input.height, width=spec.input.width, channels=spec.input.channels)
        self.preprocess_panel.set_values(pp.get("height", 28), pp.get("width", 28), pp.get("channels", 1),
                                         pp.get("resize", "squash"), pp.get("normalization", "dataset"))
        self.augment_panel.set_values(aug if isinstance(aug, dict) else SAFE_AUGMENT.to_json())
        if spec is None:
            self.apply_preset("default")
        else:
            self._set_spec(spec)

    def _save(self) -> None:
        spec = self._spec_or_none()
        p = self.session.project
        if spec is not None:
            text = spec.dumps()
            if p.meta(META_SPEC) != text:
                p.set_meta(META_SPEC, text)
        for key, value in ((META_PREPROCESS, self.preprocess_panel.values()), (META_AUGMENT, self.augment_panel.values())):
            text = json.dumps(value, sort_keys=True)
            if p.meta(key) != text:
                p.set_meta(key, text)

    # ================================================================== public API
    def spec(self):
        """The current design as a ModelSpec (raises SpecError when its structure is broken)."""
        from ...engine.model.spec import ModelSpec

        v = self.preprocess_panel.values()
        return ModelSpec.create(v["height"], v["width"], v["channels"], copy.deepcopy(self.layers),
                                copy.deepcopy(self.backbone))

    def preprocess(self):
        from ...engine.data.preprocess import Preprocess

        v = self.preprocess_panel.values()
        return Preprocess(height=v["height"], width=v["width"], channels=v["channels"], resize=v["resize"],
                          normalization=v["normalization"])

    def augment(self):
        from ...engine.data.augment import AugmentSettings

        return AugmentSettings.from_json(self.augment_panel.values())

    def is_valid(self) -> bool:
        return bool(self._ok)

    def reason(self) -> str:
        return self._reason

    def num_classes(self) -> int:
        """Classes with at least one labelled picture (what a run trains on); all classes when none has.
        Counted again only when classes or labels change, not on every edit."""
        if self._num_classes is None:
            classes = self.session.summary()["classes"]
            used = [c for c in classes if c["total"] > 0]
            self._num_classes = len(used) if used else len(classes)
        return self._num_classes

    def apply_preset(self, name: str) -> None:
        from ...engine.model.presets import make_preset

        v = self.preprocess_panel.values()
        spec = make_preset(name, v["height"], v["width"], v["channels"])
        if spec.backbone is not None and spec.backbone.pretrained:
            v["normalization"] = "imagenet"
        self.preprocess_panel.set_values(spec.input.height, spec.input.width, spec.input.channels, v["resize"],
                                         v["normalization"])
        i = self.preset_combo.findData(name)
        if i >= 0:
            self.preset_combo.setCurrentIndex(i)
        self._set_spec(spec)

    def load_spec(self, path: str | Path) -> None:
        """Raises SpecError with a sentence when the file is not a usable design."""
        from ...engine.model.spec import ModelSpec

        self.set_spec(ModelSpec.load(path))

    def set_spec(self, spec) -> None:
        """Show ``spec`` (a ModelSpec); its input size becomes the preprocessing size."""
        v = self.preprocess_panel.values()
        self.preprocess_panel.set_values(spec.input.height, spec.input.width, spec.input.channels, v["resize"],
                                         v["normalization"])
        self._set_spec(spec)

    def save_spec(self, path: str | Path) -> None:
        self.spec().save(path)

    # ---- layer operations (what the buttons do) ----
    def add_layer(self, layer_type: str, position: int | None = None) -> None:
        from ...engine.model.catalog import layer

        pos = len(self.layers) if position is None else max(0, min(position, len(self.layers)))
        self.layers.insert(pos, layer(layer_type))
        self.selected = pos
        self._structure_changed()

    def remove_layer(self, index: int) -> None:
        del self.layers[index]
        self.selected = min(index, len(self.layers) - 1)
        self._structure_changed()

    def duplicate_layer(self, index: int) -> None:
        self.layers.insert(index + 1, copy.deepcopy(self.layers[index]))
        self.selected = index + 1
        self._structure_changed()

    def move_layer(self, index: int, to: int) -> None:
        if not (0 <= to < len(self.layers)) or to == index:
            return
        self.layers.insert(to, self.layers.pop(index))
        self.selected = to
        self._structure_changed()

    def set_param(self, index: int, name: str, value) -> None:
        self.layers[index].setdefault("params", {})[name] = value
        editor = self.cards[index].editors.get(name) if index < len(self.cards) else None
        if editor is not None and editor.value() != value:
            editor.set_value(value)
        self._revalidate()

    # ================================================================== building the stack
    def _set_spec(self, spec) -> None:
        self.layers = [copy.deepcopy(ls.to_json()) for ls in spec.layers]
        self.backbone = spec.backbone.to_json() if spec.backbone else None
        self.backbone_panel.show_backbone(self.backbone)
        self.selected = -1
        self._structure_changed()

    def _structure_changed(self) -> None:
        self.layer_stack.rebuild(self.layers, self.backbone, self.selected, self.preprocess_panel.values())
        self._revalidate()

    def _spec_or_none(self):
        from ...engine.errors import SpecError

        try:
            return self.spec()
        except SpecError:
            return None

    def _revalidate(self) -> None:
        from ...engine.errors import SpecError
        from ...engine.model.validate import validate

        problem = None
        try:
            spec = self.spec()
        except SpecError as e:
            spec, problem = None, str(e)
        report = validate(spec, self.num_classes()) if spec is not None else None
        self.report = report
        if report is not None:
            problem = report.errors[0] if report.errors else None
        self.layer_stack.show_report(report, problem, self.preprocess_panel.values())
        ok = problem is None
        reason = "" if ok else f"The model design has a problem: {problem[0].lower() + problem[1:]}"
        self._save()
        self.design_changed.emit()
        if ok != self._ok or reason != self._reason:
            self._ok, self._reason = ok, reason
            self.validity_changed.emit(ok, reason)

    # ================================================================== slots
    def _card_action(self, index: int, what: str) -> None:
        if what == "up":
            self.move_layer(index, index - 1)
        elif what == "down":
            self.move_layer(index, index + 1)
        elif what == "duplicate":
            self.duplicate_layer(index)
        elif what == "remove":
            self.remove_layer(index)

    def _select(self, index: int) -> None:
        self.selected = index
        self.layer_stack.select(index)

    def _add_from_palette(self, layer_type: str) -> None:
        pos = self.selected + 1 if 0 <= self.selected < len(self.layers) else None
        self.add_layer(layer_type, pos)

    def _ask_apply_preset(self) -> None:
        name = self.preset_combo.currentData()
        if self.layers and QMessageBox.question(
                self, "Replace the design?", f"Replace the {len(self.layers)} layers of the current design with "
                f"“{self.preset_combo.currentText()}”?") != QMessageBox.StandardButton.Yes:
            return
        self.apply_preset(name)

    def _input_edited(self) -> None:
        self.layer_stack.show_input(self.preprocess_panel.values())
        self._revalidate()
        self._request_previews()

    def _augment_edited(self) -> None:
        self._save()
        self.design_changed.emit()
        self._request_previews()

    def _classes_changed(self, *_) -> None:
        before = self._num_classes
        self._num_classes = None
        if self.num_classes() != before:
            self._revalidate()

    def _backbone_edited(self) -> None:
        name = self.backbone_combo.currentData()
        if name is None:
            if self.backbone is not None and self._layers_before_backbone is not None:
                self.layers = self._layers_before_backbone  # switching back restores the layers
                self._layers_before_backbone = None
            self.backbone = None
        else:
            was_none = self.backbone is None
            pretrained = True if was_none else self.pretrained.isChecked()
            freeze = (True if was_none else self.freeze.isChecked()) and pretrained
            self.backbone = {"name": name, "pretrained": pretrained, "freeze": freeze}
            if was_none:
                # a pretrained backbone wants RGB input of at least 32x32, normalised the ImageNet way
                v = self.preprocess_panel.values()
                self.preprocess_panel.set_values(max(v["height"], 32), max(v["width"], 32), 3, v["resize"],
                                                 "imagenet")
                # its features are a flat vector: the head of the transfer presets follows it
                from ...engine.model.catalog import layer

                self._layers_before_backbone = self.layers
                self.layers = [layer("dropout", p=0.2)]
                self._request_previews()
        self.backbone_panel.show_backbone(self.backbone)
        self._structure_changed()

    # ================================================================== previews
    def _request_previews(self, *_) -> None:
        if not self.isVisible():
            self._previews_stale = True
            return
        self._previews_stale = False
        self.tabs.request_previews(preview_paths(self.session.project))

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if getattr(self, "_previews_stale", True):
            self._request_previews()

    # ================================================================== dialogs
    def _open_dialog(self) -> None:
        from ...engine.errors import EngineError

        path = QFileDialog.getOpenFileName(self, "Open a model design", str(Path.home()), "Model design (*.json)")[0]
        if not path:
            return
        try:
            self.load_spec(path)
        except EngineError as e:
            QMessageBox.warning(self, "Cannot open this design", str(e))

    def _save_dialog(self) -> None:
        from ...engine.errors import EngineError

        path = QFileDialog.getSaveFileName(self, "Save the model design", str(Path.home() / "model.json"),
                                           "Model design (*.json)")[0]
        if not path:
            return
        try:
            self.save_spec(path)
        except (EngineError, OSError) as e:
            QMessageBox.warning(self, "Cannot save the design", str(e))

    def shutdown(self) -> None:
        """Called by the workspace when the project closes: no preview thread outlives the page."""
        self.previews.shutdown()

"""The Model step: design the network as an editable stack of layers, checked on every edit.

Left: the layer catalog grouped by category (help as tooltips); double-click or "Add" puts a layer
after the selected one. Middle: the stack, one card per layer with generated editors and the
validator's output shape / parameters / multiply-adds / error, then the output layer CNN Studio adds
and a summary. Right: input preprocessing and augmentation, each with a preview of project pictures.

The design is a plain :class:`~cnnstudio.engine.spec.ModelSpec` plus preprocessing and augmentation
settings; every edit re-runs :func:`~cnnstudio.engine.validate.validate` and stores the design in the
project (meta keys ``model_spec``, ``model_preprocess``, ``model_augment``), so it survives reopening.
The Train page asks :meth:`ModelPage.is_valid` / listens to :attr:`ModelPage.validity_changed`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton,
                               QScrollArea, QSplitter, QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from ...project import ImageFilter
from ..session import ProjectSession
from .cards import CARD_STYLE, InfoCard, LayerCard, count_text, shape_words
from .inputs import AugmentPanel, PreprocessPanel, PreviewGrid, PreviewRunner
from .params import ComboBox

CATEGORY_TITLES = {"convolution": "Convolution", "normalisation": "Normalisation", "activation": "Activation",
                   "pooling": "Pooling", "regularisation": "Regularisation", "reshape": "Reshape",
                   "dense": "Fully connected", "composite": "Blocks"}
META_SPEC, META_PREPROCESS, META_AUGMENT = "model_spec", "model_preprocess", "model_augment"
PREVIEW_COUNT = 8


class ModelPage(QWidget):
    validity_changed = Signal(bool, str)  # ok, the reason training cannot start ("" when ok)
    design_changed = Signal()

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        from ...engine import backbones, catalog, presets

        self.session = session
        self.catalog = catalog
        self.layers: list[dict] = []  # [{"type", "params"}], exactly what the spec holds
        self.backbone: dict | None = None
        self.report = None
        self.selected = -1
        self._ok: bool | None = None
        self._reason = ""
        self._preview_seed = 0
        self._previews_stale = True
        self._num_classes: int | None = None
        self._layers_before_backbone: list[dict] | None = None
        self.setStyleSheet(CARD_STYLE)

        # -- top bar: presets, backbone, open / save ----------------------------------------------------
        self.preset_combo = ComboBox()
        for p in presets.list_presets():
            self.preset_combo.addItem(p["title"], p["name"])
            self.preset_combo.setItemData(self.preset_combo.count() - 1, p["description"], Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.setToolTip("Ready-made designs to start from; you can edit them afterwards")
        self.apply_preset_button = QPushButton("Use this design")
        self.apply_preset_button.setToolTip("Replace the layers below with the chosen ready-made design")
        self.apply_preset_button.clicked.connect(self._ask_apply_preset)
        self.preset_help = QLabel()
        self.preset_help.setWordWrap(True)
        self.preset_help.setStyleSheet("color: palette(placeholder-text);")
        self.preset_combo.currentIndexChanged.connect(
            lambda i: self.preset_help.setText(self.preset_combo.itemData(i, Qt.ItemDataRole.ToolTipRole) or ""))

        self.backbone_combo = ComboBox()
        self.backbone_combo.addItem("None: only the layers below", None)
        for info in backbones.list_backbones():
            self.backbone_combo.addItem(f"{info.title}", info.name)
            self.backbone_combo.setItemData(self.backbone_combo.count() - 1, info.help, Qt.ItemDataRole.ToolTipRole)
        self.backbone_combo.setToolTip("A well-known network trained on millions of photos (ImageNet); the layers "
                                       "below then follow its features (transfer learning)")
        self.pretrained = QCheckBox("Pretrained")
        self.pretrained.setToolTip("Start from the weights learned on ImageNet (needs the weights file installed)")
        self.freeze = QCheckBox("Frozen")
        self.freeze.setToolTip("Keep the backbone as it is and train only the layers after it: fast, and good "
                               "with few pictures")
        self.weights_note = QLabel()
        self.weights_note.setWordWrap(True)
        self.backbone_combo.currentIndexChanged.connect(self._backbone_edited)
        self.pretrained.toggled.connect(self._backbone_edited)
        self.freeze.toggled.connect(self._backbone_edited)

        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("Load a design saved as JSON")
        self.open_button.clicked.connect(self._open_dialog)
        self.save_button = QPushButton("Save as…")
        self.save_button.setToolTip("Save this design as a JSON file (to share it, or for 'cnnstudio train --spec')")
        self.save_button.clicked.connect(self._save_dialog)

        top = QHBoxLayout()
        top.addWidget(QLabel("Start from"))
        top.addWidget(self.preset_combo)
        top.addWidget(self.apply_preset_button)
        top.addSpacing(16)
        top.addWidget(QLabel("Backbone"))
        top.addWidget(self.backbone_combo)
        top.addWidget(self.pretrained)
        top.addWidget(self.freeze)
        top.addStretch(1)
        top.addWidget(self.open_button)
        top.addWidget(self.save_button)

        # -- palette ------------------------------------------------------------------------------------
        self.palette = QTreeWidget()
        self.palette.setHeaderLabel("Layers")
        self.palette.setToolTip("Double-click a layer to add it after the selected one")
        for cat in catalog.CATEGORIES:
            types = catalog.list_layers(cat)
            if not types:
                continue
            parent_item = QTreeWidgetItem([CATEGORY_TITLES.get(cat, cat.title())])
            parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for lt in types:
                child = QTreeWidgetItem([lt.title])
                child.setToolTip(0, lt.help)
                child.setData(0, Qt.ItemDataRole.UserRole, lt.type)
                parent_item.addChild(child)
            self.palette.addTopLevelItem(parent_item)
        self.palette.expandAll()
        self.palette.itemDoubleClicked.connect(lambda item, _c: self._add_from_palette(item))
        self.add_button = QPushButton("Add layer")
        self.add_button.setToolTip("Add the chosen layer after the selected one (or at the end)")
        self.add_button.clicked.connect(lambda: self._add_from_palette(self.palette.currentItem()))
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.palette, 1)
        ll.addWidget(self.add_button)

        # -- the stack ------------------------------------------------------------------------------------
        self.stack_widget = QWidget()
        self.stack_layout = QVBoxLayout(self.stack_widget)
        self.stack_layout.setContentsMargins(4, 4, 4, 4)
        self.stack_layout.setSpacing(4)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.stack_widget)
        self.cards: list[LayerCard] = []
        self.input_card: InfoCard | None = None
        self.backbone_card: InfoCard | None = None
        self.output_card: InfoCard | None = None
        self.empty_hint = QLabel("No layers yet: add some from the list on the left, or start from a "
                                 "ready-made design above. The output layer is added for you.")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text); padding: 8px;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.preset_help)
        ml.addWidget(self.weights_note)
        ml.addWidget(self.scroll, 1)
        ml.addWidget(self.summary)

        # -- preprocessing and augmentation ---------------------------------------------------------------
        self.preprocess_panel = PreprocessPanel()
        self.augment_panel = AugmentPanel()
        self.preprocess_panel.changed.connect(self._input_edited)
        self.augment_panel.changed.connect(self._augment_edited)
        self.augment_panel.safe.clicked.connect(self._safe_augment)
        self.augment_panel.off.clicked.connect(self._no_augment)
        self.input_preview = PreviewGrid(4, "Import pictures on the Data page to see them here as the network "
                                            "will see them.")
        self.augment_preview = PreviewGrid(4, "Turn on some augmentation to see examples here.")
        self.reroll = QPushButton("New examples")
        self.reroll.setToolTip("Draw other random changes")
        self.reroll.clicked.connect(self._reroll)
        self.previews = PreviewRunner(self)
        self.previews.ready.connect(self._show_previews)
        tab_in = QWidget()
        ti = QVBoxLayout(tab_in)
        ti.addWidget(self.preprocess_panel)
        ti.addWidget(QLabel("<b>As the network sees them</b>"))
        ti.addWidget(self.input_preview)
        ti.addStretch(1)
        tab_aug = QWidget()
        ta = QVBoxLayout(tab_aug)
        ta.addWidget(self.augment_panel)
        row = QHBoxLayout()
        examples = QLabel("<b>Examples</b>")
        examples.setToolTip("Two of the project's pictures, four random changes each")
        row.addWidget(examples)
        row.addStretch(1)
        row.addWidget(self.reroll)
        ta.addLayout(row)
        ta.addWidget(self.augment_preview)
        ta.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._scrolled(tab_in), "Input")
        self.tabs.addTab(self._scrolled(tab_aug), "Augmentation")
        self.tabs.setMinimumWidth(360)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 640, 420])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        lay.addWidget(splitter, 1)

        session.classes_changed.connect(self._classes_changed)
        session.labels_changed.connect(self._classes_changed)
        session.images_changed.connect(self._classes_changed)
        session.images_changed.connect(self._request_previews)
        self._load()

    @staticmethod
    def _scrolled(w: QWidget) -> QScrollArea:
        s = QScrollArea()
        s.setWidgetResizable(True)
        s.setFrameShape(QScrollArea.Shape.NoFrame)
        s.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        s.setWidget(w)
        return s

    # ================================================================== state <-> project
    def _load(self) -> None:
        """The design stored in the project, or the recommended preset at a size suited to its pictures."""
        from ...engine.errors import EngineError
        from ...engine.recipes import SAFE_AUGMENT, suggest_preprocess
        from ...engine.spec import ModelSpec

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
        from ...engine.spec import ModelSpec

        v = self.preprocess_panel.values()
        return ModelSpec.create(v["height"], v["width"], v["channels"], copy.deepcopy(self.layers),
                                copy.deepcopy(self.backbone))

    def preprocess(self):
        from ...engine.preprocess import Preprocess

        v = self.preprocess_panel.values()
        return Preprocess(height=v["height"], width=v["width"], channels=v["channels"], resize=v["resize"],
                          normalization=v["normalization"])

    def augment(self):
        from ...engine.augment import AugmentSettings

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
        from ...engine.presets import make_preset

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
        from ...engine.spec import ModelSpec

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
        from ...engine.catalog import layer

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
        self._show_backbone()
        self.selected = -1
        self._structure_changed()

    def _structure_changed(self) -> None:
        self._rebuild_cards()
        self._revalidate()

    def _rebuild_cards(self) -> None:
        while self.stack_layout.count():
            item = self.stack_layout.takeAt(0)
            w = item.widget()
            if w is not None and w is not self.empty_hint:
                w.hide()  # at once: deleteLater waits for the event loop
                w.deleteLater()
        self.cards = []
        v = self.preprocess_panel.values()
        self.input_card = InfoCard(-1, "Input picture", "Every picture is resized to this before the first layer "
                                   "(change it on the Input tab)")
        self.stack_layout.addWidget(self.input_card)
        self.backbone_card = None
        if self.backbone is not None:
            self.backbone_card = InfoCard(-1, self.backbone.get("name", "backbone"), "A pretrained network whose "
                                          "features the layers below get")
            self.stack_layout.addWidget(self.backbone_card)
        for i, entry in enumerate(self.layers):
            lt = self.catalog.CATALOG.get(entry.get("type")) if isinstance(entry.get("type"), str) else None
            card = LayerCard(i, entry, lt, len(self.layers))
            card.param_changed.connect(self.set_param)
            card.action.connect(self._card_action)
            card.selected.connect(self._select)
            card.set_selected(i == self.selected)
            self.cards.append(card)
            self.stack_layout.addWidget(card)
        self.empty_hint.setVisible(not self.layers)
        self.stack_layout.addWidget(self.empty_hint)
        self.output_card = InfoCard(-1, "Output", "Added by CNN Studio: one unit per class. Softmax turns its "
                                    "numbers into probabilities when predicting.", auto=True)
        self.stack_layout.addWidget(self.output_card)
        self.stack_layout.addStretch(1)
        self.input_card.title.setText(f"Input picture, {v['width']} × {v['height']} "
                                      f"{'grey' if v['channels'] == 1 else 'colour'}")
        if 0 <= self.selected < len(self.cards):
            self.scroll.ensureWidgetVisible(self.cards[self.selected])

    def _spec_or_none(self):
        from ...engine.errors import SpecError

        try:
            return self.spec()
        except SpecError:
            return None

    def _revalidate(self) -> None:
        from ...engine.errors import SpecError
        from ...engine.validate import validate

        problem = None
        try:
            spec = self.spec()
        except SpecError as e:
            spec, problem = None, str(e)
        report = validate(spec, self.num_classes()) if spec is not None else None
        self.report = report
        v = self.preprocess_panel.values()
        self.input_card.shape.setText("→ " + shape_words((v["channels"], v["height"], v["width"])))
        by_index = {e.index: e for e in report.layers} if report else {}
        if self.backbone_card is not None:
            self.backbone_card.show_report(by_index.get(0))
        for i, card in enumerate(self.cards):
            card.show_report(by_index.get(i + 1))
        self.output_card.show_report(by_index.get(len(self.layers) + 1))
        if report is not None:
            problem = report.errors[0] if report.errors else None
        self._show_summary(report, problem)
        ok = problem is None
        reason = "" if ok else f"The model design has a problem: {problem[0].lower() + problem[1:]}"
        self._save()
        self.design_changed.emit()
        if ok != self._ok or reason != self._reason:
            self._ok, self._reason = ok, reason
            self.validity_changed.emit(ok, reason)

    def _show_summary(self, report, problem: str | None) -> None:
        parts = []
        if report is not None:
            total, trainable = report.total_params, report.trainable_params
            t = f"<b>{total:,}</b> parameters"
            if trainable != total:
                t += f" ({trainable:,} trained)"
            parts.append(t + f" · <b>{count_text(report.total_macs, 'multiply-adds')}</b> per picture")
            for note in report.notes:
                parts.append(f"<span style='color:#2e86c1'>ℹ {note}</span>")
            for err in report.problems:
                parts.append(f"<span style='color:#c0392b'>✖ {err}</span>")
            n_err = len([e for e in report.layers if e.error])
            if n_err:
                parts.append(f"<span style='color:#c0392b'>✖ {n_err} layer{'s' if n_err != 1 else ''} "
                             "marked in red need a change before training.</span>")
        elif problem:
            parts.append(f"<span style='color:#c0392b'>✖ {problem}</span>")
        self.summary.setText("<br>".join(parts))

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
        for i, c in enumerate(self.cards):
            c.set_selected(i == index)

    def _add_from_palette(self, item) -> None:
        if item is None or item.data(0, Qt.ItemDataRole.UserRole) is None:
            return
        pos = self.selected + 1 if 0 <= self.selected < len(self.layers) else None
        self.add_layer(item.data(0, Qt.ItemDataRole.UserRole), pos)

    def _ask_apply_preset(self) -> None:
        name = self.preset_combo.currentData()
        if self.layers and QMessageBox.question(
                self, "Replace the design?", f"Replace the {len(self.layers)} layers of the current design with "
                f"“{self.preset_combo.currentText()}”?") != QMessageBox.StandardButton.Yes:
            return
        self.apply_preset(name)

    def _input_edited(self) -> None:
        v = self.preprocess_panel.values()
        self.input_card.title.setText(f"Input picture, {v['width']} × {v['height']} "
                                      f"{'grey' if v['channels'] == 1 else 'colour'}")
        self._revalidate()
        self._request_previews()

    def _augment_edited(self) -> None:
        self._save()
        self.design_changed.emit()
        self._request_previews()

    def _safe_augment(self) -> None:
        from ...engine.recipes import SAFE_AUGMENT

        self.augment_panel.set_values(SAFE_AUGMENT.to_json())
        self._augment_edited()

    def _no_augment(self) -> None:
        from ...engine.augment import AugmentSettings

        self.augment_panel.set_values(AugmentSettings(padding=self.augment_panel.values()["padding"]).to_json())
        self._augment_edited()

    def _reroll(self) -> None:
        self._preview_seed += 1
        self._request_previews()

    def _classes_changed(self, *_) -> None:
        before = self._num_classes
        self._num_classes = None
        if self.num_classes() != before:
            self._revalidate()

    def _show_backbone(self) -> None:
        widgets = (self.backbone_combo, self.pretrained, self.freeze)
        for w in widgets:
            w.blockSignals(True)
        bb = self.backbone
        self.backbone_combo.setCurrentIndex(max(0, self.backbone_combo.findData(bb["name"] if bb else None)))
        self.pretrained.setChecked(bool(bb and bb.get("pretrained", True)))
        self.freeze.setChecked(bool(bb and bb.get("freeze", True)))
        self.pretrained.setEnabled(bb is not None)
        self.freeze.setEnabled(bb is not None)
        for w in widgets:
            w.blockSignals(False)
        self._show_weights_status()

    def _show_weights_status(self) -> None:
        bb = self.backbone
        if bb is None or not bb.get("pretrained", True):
            self.weights_note.hide()
            return
        from ...engine.backbones import weights_status

        try:
            st = weights_status(bb["name"], bb.get("weights_file"))
        except Exception as e:  # noqa: BLE001 - an unknown name: the validator says so in the stack
            st = {"installed": False, "message": str(e)}
        if st["installed"]:
            self.weights_note.setText(f"<span style='color:#1e8449'>✔ Using {st['message']}.</span>")
        else:
            self.weights_note.setText(
                f"<span style='color:#c0392b'>✖ The {bb['name']} {st['message']}.</span> "
                "CNN Studio never downloads anything: put torchvision's weights file in torch's cache folder, or "
                "turn off “Pretrained” (then the backbone learns from scratch, which needs many pictures).")
        self.weights_note.show()

    def _backbone_edited(self, *_) -> None:
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
                from ...engine.catalog import layer

                self._layers_before_backbone = self.layers
                self.layers = [layer("dropout", p=0.2)]
                self._request_previews()
        self._show_backbone()
        self._structure_changed()

    # ================================================================== previews
    def _preview_paths(self) -> list[Path]:
        p = self.session.project
        ids = p.ids(ImageFilter(split="train")) or p.ids(ImageFilter())
        if not ids:
            return []
        step = max(1, len(ids) // PREVIEW_COUNT)
        return [p.root / r.file for r in p.records(ids[::step][:PREVIEW_COUNT])]

    def _request_previews(self, *_) -> None:
        if not self.isVisible():
            self._previews_stale = True
            return
        self._previews_stale = False
        v = self.preprocess_panel.values()
        pp = {k: v[k] for k in ("height", "width", "channels", "resize")}
        self.previews.request(self._preview_paths(), pp, self.augment_panel.values(), self._preview_seed)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if getattr(self, "_previews_stale", True):
            self._request_previews()

    def _show_previews(self, seen: list, augmented: list) -> None:
        self.input_preview.show_arrays(seen)
        self.augment_preview.show_arrays(augmented)

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

"""The Model step: design the network as an editable stack of layers, checked on every edit.

Top: a ready-made design or a pretrained backbone to start from (:mod:`.backbone_panel`), and open / save.
Left: the layer catalog grouped by category, help as tooltips (:mod:`.palette`); double-click or "Add" puts
a layer after the selected one. Middle: the stack (:mod:`.layer_stack`), one card per layer with generated
editors and the validator's output shape / parameters / multiply-adds / error, then the output layer CNN
Studio adds and a summary. Right: input preprocessing and augmentation, each with a preview of project
pictures (:mod:`.input_tabs`).

The design itself is a Qt-free :class:`~cnnstudio.engine.model.design.Design` (the layers, the backbone, the
selected layer, and what choosing a backbone does to the layers and the input): the page shows it, with the
preprocessing and augmentation settings of its panels, and forwards the user's edits to it. Every edit re-runs
:func:`~cnnstudio.engine.model.validate.validate` and stores the design in the project (meta keys ``model_spec``,
``model_preprocess``, ``model_augment``: :mod:`.stored_design`; never on a project open for viewing only, where a note
says so once), so it survives reopening. The Train page asks
:meth:`ModelPage.is_valid` / listens to :attr:`ModelPage.validity_changed`.

Every edit is an undo step on the page's own stack (``session.stack("model")``, :mod:`.design_undo`): the page
makes the edit, then records the state before and after it (:meth:`ModelPage.state`), named in the page's words
(:mod:`~cnnstudio.engine.model.param_words`: "Change the dropout rate of layer 3"). "Start from" shows the
ready-made design the design is, unchanged, or "Your design"; choosing one there uses it at once. A run's design
comes back, as one step, by :meth:`ModelPage.use_run` (the runs list's "Use this design"), which shows the page.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QSplitter, QVBoxLayout, QWidget

from ...engine.model.design import Design, input_for_spec
from ...engine.model.param_words import backbone_change_words, change_words, layers_put_aside_words
from ...engine.model.setting_fixes import fixed_params, layer_fixes
from ..session import ProjectSession
from .backbone_panel import TITLE_ROLE, BackbonePanel
from .cards import CARD_STYLE
from .design_files import open_design, save_design
from .design_undo import DesignEdit
from .input_tabs import InputTabs, preview_paths
from .layer_stack import LayerStack
from .layer_words import action_words, layer_title, layer_words
from .palette import LayerPalette
from .red_values import changed_setting, red_state, show_red, unused_words
from .run_design_back import use_run_design
from . import stored_design


class ModelPage(QWidget):
    validity_changed = Signal(bool, str)  # ok, the reason training cannot start ("" when ok)
    design_changed = Signal()
    go_to_step = Signal(str)  # the workspace shows that step: "model" when a run's design is put back (use_run)

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.undo_stack = session.stack("model")
        self.design = Design()
        self.report = None
        self._ok: bool | None = None
        self._reason = ""
        self._previews_stale = True
        self._num_classes: int | None = None
        self._problem: str | None = None  # the design check's first mistake (_revalidate)
        self._restoring = False  # undo / redo putting a state back: no edit to record
        self.setStyleSheet(CARD_STYLE)

        self.backbone_panel = BackbonePanel()
        self.backbone_panel.apply_preset_button.clicked.connect(self._ask_apply_preset)
        self.backbone_panel.preset_chosen.connect(self._preset_chosen)
        self.backbone_panel.edited.connect(self._backbone_edited)
        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("Load a design saved as JSON")
        self.open_button.clicked.connect(self._open_dialog)
        self.save_button = QPushButton("Save as…")
        self.save_button.setToolTip("Save this design as a JSON file, to share it or to train it from the command line")
        self.save_button.clicked.connect(self._save_dialog)
        self.layer_palette = LayerPalette()
        self.layer_palette.chosen.connect(self._add_from_palette)
        self.layer_stack = LayerStack()
        self.layer_stack.param_changed.connect(self.set_param)
        self.layer_stack.action.connect(self._card_action)
        self.layer_stack.card_selected.connect(self._select)
        self.layer_stack.entries_changed.connect(self._entries_changed)
        self.layer_stack.focus_when_empty = self.layer_palette.add_button  # after ✕ on the last layer
        self.layer_stack.tab_after = self.layer_palette.add_button  # Tab goes on into the cards
        self.tabs = InputTabs()
        self.tabs.preprocess_panel.changed.connect(self._input_edited)
        self.tabs.augment_changed.connect(self._augment_edited)
        self.tabs.reroll_requested.connect(self._request_previews)
        self._lay_out()
        self._listen(session)
        self._load()
        self._state = self.state()  # after the last recorded edit: the "before" of the next one

    def _listen(self, session: ProjectSession) -> None:
        """The project's classes, labels, splits and pictures change what the output layer is and what the
        previews show."""
        session.classes_changed.connect(self._classes_changed)
        session.labels_changed.connect(self._classes_changed)
        session.splits_changed.connect(self._classes_changed)
        session.images_changed.connect(self._classes_changed)
        session.images_changed.connect(self._request_previews)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.backbone_panel, 1)  # its row ends in a stretch: Open… and Save as… stay right
        top.addWidget(self.open_button)
        top.addWidget(self.save_button)
        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.backbone_panel.preset_help)
        weights = QHBoxLayout()  # "the weights file is missing" and the button that installs it, under the row
        weights.addWidget(self.backbone_panel.weights_note, 1)
        weights.addWidget(self.backbone_panel.weights_button, 0, Qt.AlignmentFlag.AlignTop)
        ml.addLayout(weights)
        ml.addWidget(self.layer_stack, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.layer_palette)
        splitter.addWidget(middle)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)  # narrowed, the catalogue wraps its titles; it is never hidden
        # the catalogue's whole titles; at 1280 px and the default font the cards' buttons in view
        splitter.setSizes([self.layer_palette.tree.whole_width(), 660, self.tabs.least_width()])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        self.read_only_note = stored_design.read_only_label(self.session.project)  # said once, not at every edit
        lay.addWidget(self.read_only_note)
        lay.addWidget(splitter, 1)

    # ================================================================== state <-> project
    def _load(self) -> None:
        stored_design.load(self)

    def _save(self) -> None:
        stored_design.save(self)

    # ================================================================== public API
    def spec(self):
        """The current design as a ModelSpec (raises SpecError when its structure is broken)."""
        return self.design.spec(self.tabs.preprocess_panel.values())

    def preprocess(self):
        from ...engine.data.preprocess import Preprocess

        v = self.tabs.preprocess_panel.values()
        return Preprocess(height=v["height"], width=v["width"], channels=v["channels"], resize=v["resize"],
                          normalization=v["normalization"])

    def augment(self):
        from ...engine.data.augment import AugmentSettings

        return AugmentSettings.from_json(self.tabs.augment_panel.values())

    def is_valid(self) -> bool:
        return bool(self._ok)

    def reason(self) -> str:
        return self._reason

    def num_classes(self) -> int:
        """The classes a run trains on (:func:`~cnnstudio.engine.data.entries.trained_class_ids`); all classes
        when none has a labelled picture in a split yet. Counted again only when classes, labels, splits or
        pictures change, not on every edit."""
        if self._num_classes is None:
            from ...engine.data.entries import trained_class_ids

            used = trained_class_ids(self.session.counts())
            self._num_classes = len(used) if used else len(self.session.summary()["classes"])
        return self._num_classes

    # ---- undo: the page's state before and after each edit ----
    def state(self) -> dict:
        """What an edit can change: the design, the input settings and the augmentation."""
        return {"design": self.design.snapshot(), "input": self.tabs.preprocess_panel.values(),
                "augment": self.tabs.augment_panel.values(),
                "red": red_state(self.layer_stack, self.tabs.preprocess_panel)}

    def restore_state(self, state: dict, field=None) -> None:
        """Show ``state`` (undo / redo of the step that changed ``field``): the design, its input and augmentation
        come back and are stored. The keyboard focus stays where it was; on a layer's card, made anew, it goes to the
        setting the step changed, or stays on the same control of the same layer."""
        self.design.restore(state["design"])
        self.tabs.preprocess_panel.set_values(**state["input"])
        self.tabs.augment_panel.set_values(state["augment"])
        changed = tuple(field[1:]) if isinstance(field, tuple) and field[0] == "param" else None  # (layer, setting)
        self._restoring = True
        try:
            with self.layer_stack.focus_going_to(changed):
                self._show_design()
            show_red(self.layer_stack, self.tabs.preprocess_panel, state.get("red", {}))  # red values come back too
        finally:
            self._restoring = False
        self._state = self.state()
        self._request_previews()

    def _record(self, text: str, field=None, merge: bool = True) -> None:
        """One undo step for the edit just made (merged with the one before when ``field`` is the same and both
        may merge: :class:`~.design_undo.DesignEdit`)."""
        after = self.state()
        if after != self._state:
            before, self._state = self._state, after
            self.undo_stack.push(DesignEdit(self, text, before, after, field, merge))

    def apply_preset(self, name: str) -> None:
        """Use the ready-made design ``name`` (one undo step)."""
        self._apply_preset(name)
        self._record(f"Use the design {self._preset_title(name)}")

    def _apply_preset(self, name: str) -> None:
        """A design from scratch chosen after a pretrained backbone brings back the input the project starts with
        (sized for its pictures: the rule of the first design, :func:`suggest_preprocess`)."""
        from ...engine.train.settings import suggest_preprocess

        values = self.design.apply_preset(name, self.tabs.preprocess_panel.values(),
                                          lambda: suggest_preprocess(self.session.project))
        changed = values != self.tabs.preprocess_panel.values()
        self.tabs.preprocess_panel.set_values(**values)
        self._show_design()
        if changed:  # the previews show the pictures at the new size and colours
            self._request_previews()

    def _preset_title(self, name: str) -> str:
        combo = self.backbone_panel.preset_combo
        return f"“{combo.itemData(combo.findData(name), TITLE_ROLE)}”"  # its own title, without the ⚠ mark

    def load_spec(self, path: str | Path) -> None:
        """Raises SpecError with a sentence when the file is not a usable design."""
        from ...engine.model.spec import ModelSpec

        self.set_spec(ModelSpec.load(path), f"Open the design {Path(path).name}")

    def set_spec(self, spec, text: str = "Replace the design") -> None:
        """Show ``spec`` (a ModelSpec); its input size becomes the preprocessing size (one undo step)."""
        self.tabs.preprocess_panel.set_values(**input_for_spec(spec, self.tabs.preprocess_panel.values()))
        self._set_spec(spec)
        self._record(text)

    def save_spec(self, path: str | Path) -> None:
        self.spec().save(path)

    def use_run(self, run_id: str) -> None:
        """Put run ``run_id``'s design back (one undo step; :func:`.run_design_back.use_run_design`)."""
        use_run_design(self, run_id)

    def set_augment(self, augment: dict) -> None:
        """Show and store these augmentation settings (``AugmentSettings.to_json()``: the Tune page's trials)."""
        self.tabs.augment_panel.set_values(augment)
        self._augment_edited()

    # ---- layer operations (what the buttons do): the design changes, the page shows it, one undo step each ----
    def _layer_title(self, index: int) -> str:
        from ...engine.model import catalog

        kind = self.design.layers[index].get("type")
        return layer_title(catalog.CATALOG.get(kind) if isinstance(kind, str) else None, kind)

    def _title(self, index: int) -> str:
        return layer_words(index, self._layer_title(index))

    def add_layer(self, layer_type: str, position: int | None = None) -> None:
        self.design.add_layer(layer_type, position)
        self._structure_changed()
        self._record(f"Add {self._title(self.design.selected)}")

    def remove_layer(self, index: int) -> None:
        text = action_words("remove", index, self._layer_title(index))
        self.design.remove_layer(index)
        self._structure_changed()
        self._record(text)

    def duplicate_layer(self, index: int) -> None:
        self.design.duplicate_layer(index)
        self._structure_changed()
        self._record(action_words("duplicate", index, self._layer_title(index)))

    def move_layer(self, index: int, to: int) -> None:
        text = action_words("up" if to < index else "down", index, self._layer_title(index))
        if self.design.move_layer(index, to):
            self._structure_changed()
            self._record(text)

    def fix_settings(self, index: int) -> None:
        """Fix the settings layer ``index`` does not have, as its card's button says (one undo step): each becomes the
        setting it was meant to be, or is removed (:mod:`~cnnstudio.engine.model.setting_fixes`)."""
        layer = self.design.layers[index]
        fixes = layer_fixes(layer)
        if not fixes:
            return
        layer["params"] = fixed_params(layer.get("params") or {}, fixes)  # the design's own: the spec is made from it
        self.design.selected = index
        # the button is gone with the mistake: the focus on the box of the setting it fixed, else the card's first
        with self.layer_stack.focus_going_to((index, next((f.setting for f in fixes if f.setting), "fix"))):
            self._structure_changed()
        self._record(f"Fix the settings of {self._title(index)}")

    def set_param(self, index: int, name: str, value) -> None:
        """Layer ``index``'s setting ``name`` becomes ``value`` (one undo step; steps of its box's arrows or wheel
        in a row merge into one)."""
        self.design.set_param(index, name, value)
        cards = self.layer_stack.cards
        editor = cards[index].editors.get(name) if index < len(cards) else None
        stepping = editor is not None and editor.stepping()
        if editor is not None and editor.value() != value:
            editor.set_value(value)
        if index < len(cards):
            cards[index].values[name] = value
        self._revalidate()
        self._record(change_words(index, name), ("param", index, name), merge=stepping)

    # ================================================================== building the stack
    def _set_spec(self, spec) -> None:
        self.design.set_spec(spec)
        self._show_design()

    def _show_design(self) -> None:
        """A new design (a preset, a file, the project's): the backbone row and the stack."""
        self.backbone_panel.show_backbone(self.design.backbone)
        self._structure_changed()

    def _structure_changed(self) -> None:
        d = self.design
        self.layer_stack.rebuild(d.layers, d.backbone, d.selected, self.tabs.preprocess_panel.values())
        self.layer_palette.set_layer_count(len(d.layers))  # no layer added past the limit, and why
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
        self._problem = problem
        self.layer_stack.show_report(report, problem, self.tabs.preprocess_panel.values())
        self.backbone_panel.show_preset(self.design.matching_preset(self.tabs.preprocess_panel.values()))
        self._save()
        self.design_changed.emit()
        self._update_validity()

    def _update_validity(self) -> None:
        """The design is ready when the check finds no mistake and every box shows a value the design uses (what a
        box shows is what trains: :func:`~cnnstudio.engine.model.param_entry.unused_reason`, said in the summary)."""
        unused = unused_words(self.layer_stack, self.tabs.preprocess_panel)
        self.layer_stack.show_unused(unused)
        reason = self._problem or unused or ""  # the Train and Tune pages say it in their sentence (start_blocker)
        ok = not reason
        if ok != self._ok or reason != self._reason:
            self._ok, self._reason = ok, reason
            self.validity_changed.emit(ok, reason)

    # ================================================================== slots
    def _entries_changed(self) -> None:
        """A box shows a value in red, or another one: an undo step of its own (:mod:`.red_values`)."""
        self._update_validity()
        where = None if self._restoring else changed_setting(self._state["red"], self.state()["red"])
        if where is not None:
            self._record(change_words(*where), ("param", *where), merge=False)

    def _card_action(self, index: int, what: str) -> None:
        """A card's button: "up", "down", "duplicate", "remove" or "fix"."""
        if what in ("up", "down"):
            self.move_layer(index, index + (1 if what == "down" else -1))
        else:
            {"duplicate": self.duplicate_layer, "remove": self.remove_layer, "fix": self.fix_settings}[what](index)

    def _select(self, index: int) -> None:
        self.design.selected = index
        self.layer_stack.select(index)

    def _add_from_palette(self, layer_type: str) -> None:
        self.design.add_after_selected(layer_type)
        self._structure_changed()
        self._record(f"Add {self._title(self.design.selected)}")

    def _preset_chosen(self, name: str) -> None:
        """A choice in "Start from": used at once; replacing the user's own design asks first."""
        panel = self.backbone_panel
        if not name or name == panel.shown_preset:
            panel.show_preset(panel.shown_preset)
            return
        if not panel.shown_preset and self.design.layers and QMessageBox.question(
                self, "Replace your design?", f"Replace the {len(self.design.layers)} layers of your design with "
                f"{self._preset_title(name)}? (Edit > Undo brings them back.)") != QMessageBox.StandardButton.Yes:
            panel.show_preset(panel.shown_preset)
            return
        self.apply_preset(name)

    def _ask_apply_preset(self) -> None:
        combo, n = self.backbone_panel.preset_combo, len(self.design.layers)
        name = combo.currentData()
        if n and QMessageBox.question(
                self, "Replace the design?", f"Replace the {n} layers of the current design with "
                f"{self._preset_title(name)}?") != QMessageBox.StandardButton.Yes:
            return
        self.apply_preset(name)

    def _input_edited(self) -> None:
        """An input setting changed (one undo step; steps of the size boxes' arrows or wheel in a row merge)."""
        panel = self.tabs.preprocess_panel
        stepping = panel.width_box.stepping or panel.height_box.stepping
        self.layer_stack.show_input(panel.values())
        self._revalidate()
        self._record("Change the input", "input", merge=stepping)
        self._request_previews()

    def _augment_edited(self) -> None:
        self._save()
        self.design_changed.emit()
        self._record("Change the augmentation", "augment")
        self._request_previews()

    def _classes_changed(self, *_) -> None:
        before = self._num_classes
        self._num_classes = None
        if self.num_classes() != before:
            self._revalidate()

    def _backbone_edited(self) -> None:
        """A backbone chosen brings the input it wants; switched off, the project's starting input comes back
        (:meth:`Design.backbone_chosen <cnnstudio.engine.model.design.Design.backbone_chosen>`)."""
        from ...engine.train.settings import suggest_preprocess

        bar, panel = self.backbone_panel, self.tabs.preprocess_panel
        before = self.design.backbone and dict(self.design.backbone)
        layers = len(self.design.layers)
        values = self.design.backbone_chosen(bar.backbone_combo.currentData(), bar.pretrained.isChecked(),
                                             bar.freeze.isChecked(), panel.values(),
                                             lambda: suggest_preprocess(self.session.project))
        if values != panel.values():
            panel.set_values(**values)
            self._request_previews()
        self._show_design()
        self._record(backbone_change_words(before, self.design.backbone))
        if before is None and self.design.backbone is not None and layers:  # the layers were put aside: say so
            self._say(layers_put_aside_words(layers, self._undo_keys()), 15000)

    def _undo_keys(self) -> str:
        return QKeySequence(QKeySequence.StandardKey.Undo).toString(QKeySequence.SequenceFormat.NativeText)

    def _say(self, text: str, ms: int) -> None:
        """``text`` in the window's message line (none when the page is not in a window with one)."""
        if hasattr(self.window(), "statusBar"):
            self.window().statusBar().showMessage(text, ms)

    # ================================================================== previews
    def _request_previews(self, *_) -> None:
        if not self.isVisible():
            self._previews_stale = True
            return
        self._previews_stale = False
        self.tabs.request_previews(preview_paths(self.session.project))

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._previews_stale:
            self._request_previews()

    # ================================================================== dialogs (design_files.py)
    def _open_dialog(self) -> None:
        open_design(self)

    def _save_dialog(self) -> None:
        save_design(self)

    def shutdown(self) -> None:
        """Called by the workspace when the project closes: no preview thread outlives the page."""
        self.tabs.previews.shutdown()

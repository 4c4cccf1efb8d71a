"""The Train page's training settings: epochs, batch size, learning rate and device first; the rest (optimizer,
schedule, weight decay, label smoothing, class balance, early stopping, validation, fine-tuning, seed, mixed
precision on a graphics card) folded
under "Advanced" (closed until opened), each with its recommended value beside it. Every precise word keeps its
name and explains itself in a tooltip from the glossary (:mod:`cnnstudio.project.glossary`), followed by when to
change the setting, in plain words (:mod:`.settings_tips`).

The values live in the project (meta ``train_settings``, as JSON): loaded when the form is made, saved on every
edit. The run name is not kept, nor a batch size that is the default recipe's for the project's pictures
(``engine.runs.recipe.recommended_settings``: 33 training pictures, batches of 8): shown when none is stored, it
follows the pictures as they are added, labelled or split; so does the 64 of a form saved before the form said that
its batch is the user's (``engine.runs.saved_pages.form_choices``). Picture size, augmentation and the network come
from the Model page. Under Epochs, :attr:`SettingsForm.auto_note` says what Auto will do (the Train page fills it in:
``engine.train.settings.auto_text``). Under Batch size, :attr:`SettingsForm.memory_note` warns when a batch of that
size would need too much of this computer's memory for the Model page's design (the workspace gives the design's
estimate to :meth:`SettingsForm.set_memory`; the rule and its words are the engine's
:func:`~cnnstudio.engine.model.cost.memory_warning`, as on the Model page).
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QScrollArea,
                               QToolButton, QVBoxLayout, QWidget)

from ...engine.runs.saved_pages import META_SETTINGS, form_choices, stamped
from ...engine.runs.settings_words import DEVICE_AUTO, OPTIMIZER_WORDS, SCHEDULE_WORDS
from ...project.glossary import tip

from .marked_choice import MarkedChoice
from .settings_tips import TIPS
from ..model.params import ComboBox, DoubleSpinBox, SpinBox
from .small_number_box import SmallNumberBox
from ..model.stored_design import stored_json
from ..keyboard import not_a_tab_stop
from ..read_only_words import read_only_refusal
from ..session import ProjectSession

COMBO_LETTERS = 10  # the letters a choice box asks room for: the settings column stays narrow (the runs list's names)
RECOMMENDED = {"adamw", "one_cycle"}  # TrainSettings' default optimizer and schedule (a test holds it), marked in the lists


class SettingsForm(QScrollArea):
    #: a shown setting changed (by hand, :meth:`set_values`, "Recommended settings", Ctrl+Z), once it is saved: the
    #: one signal of every setting's field, so that what follows the form (set_up_line.py) follows a field added later
    edited = Signal()

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        from ...engine.device import list_devices
        from ...engine.train.settings import default_settings

        self.session = session
        self._locked = False  # a run trains with what the form shows: nothing changes it (set_editable)
        self.defaults = default_settings()  # what a value missing from the project falls back to (the batch size:
        # the recipe's for the project's pictures, recipe_batch)
        # why a project open for viewing only cannot train ("" when it can): Start's note on the Train and Tune pages
        self.read_only = read_only_refusal(session.project, "train or save settings here")
        self.epochs = SpinBox()
        self.epochs.setRange(0, 10000)
        self.epochs.setSpecialValueText("Auto")
        self.epochs.setToolTip(tip("epoch") + "\n\n" + TIPS["epochs"])
        self.auto_note = QLabel()  # what Auto will do for this data (the Train page sets it)
        self.auto_note.setWordWrap(True)
        self.auto_note.setStyleSheet("color: palette(placeholder-text);")
        self.batch_size = SpinBox()
        self.batch_size.setRange(2, 4096)
        self.batch_size.setToolTip(tip("batch size") + "\n\n" + TIPS["batch_size"])
        self.memory = None  # the Model page's design's training memory (engine.model.cost.MemoryEstimate)
        self.memory_note = QLabel()  # the engine's warning when a batch of this size would not fit
        self.memory_note.setWordWrap(True)
        self.memory_note.setTextFormat(Qt.TextFormat.RichText)
        self.memory_note.setVisible(False)
        self.auto_batch = QCheckBox("Auto on a graphics card")
        self.auto_batch.setToolTip(TIPS["auto_batch"])
        self.optimizer = MarkedChoice()  # "(recommended)" in its list, not in the narrow box (the note says it)
        for k, v in OPTIMIZER_WORDS.items():
            self.optimizer.add_choice(k, v, k in RECOMMENDED)
        self.optimizer.setToolTip(tip("optimizer"))
        self.lr = SmallNumberBox()
        self.lr.setRange(0.00001, 10.0)
        self.lr.setSingleStep(0.0005)
        self.lr.setToolTip(tip("learning rate") + "\n\n" + TIPS["lr"])
        from .lr_find_dialog import LrFindButton

        self.find_lr = LrFindButton(self.lr, lambda: self.session.project)  # the Train page sets its inputs
        self.schedule = MarkedChoice()
        for k, v in SCHEDULE_WORDS.items():
            self.schedule.add_choice(k, v, k in RECOMMENDED)
        self.schedule.setToolTip(tip("schedule"))
        self.weight_decay = SmallNumberBox()
        self.weight_decay.setRange(0, 1)
        self.weight_decay.setSingleStep(0.0001)
        self.weight_decay.setToolTip(tip("weight decay") + "\n\n" + TIPS["weight_decay"])
        self.label_smoothing = DoubleSpinBox()
        self.label_smoothing.setDecimals(2)
        self.label_smoothing.setRange(0, 0.5)
        self.label_smoothing.setSingleStep(0.05)
        self.label_smoothing.setToolTip(tip("label smoothing") + "\n\n" + TIPS["label_smoothing"])
        self.balanced = QCheckBox("Balance classes")
        self.balanced.setToolTip(TIPS["balanced"])
        self.patience = SpinBox()
        self.patience.setRange(0, 1000)
        self.patience.setSpecialValueText("Off")
        self.patience.setSuffix(" epochs")
        self.patience.setToolTip(tip("early stopping") + "\n\n" + TIPS["patience"])
        self.no_validation = QCheckBox("No validation (keep the last epoch)")
        self.no_validation.setToolTip(tip("validation") + "\n\n" + TIPS["no_validation"])
        self.fine_tune = SpinBox()
        self.fine_tune.setRange(0, 1000)
        self.fine_tune.setSpecialValueText("Off")
        self.fine_tune.setSuffix(" epochs")
        self.fine_tune.setToolTip(tip("frozen", "fine-tune") + "\n\n" + TIPS["fine_tune"])
        self.mixed_precision = QCheckBox("Mixed precision (graphics card)")
        self.mixed_precision.setToolTip(tip("mixed precision") + "\n\n" + TIPS["mixed_precision"])
        self.seed = SpinBox()
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setToolTip(tip("seed") + "\n\n" + TIPS["seed"])
        self.device = ComboBox()
        self.device.addItem(DEVICE_AUTO, "auto")  # short: the settings column leaves the runs room
        for dev in list_devices():
            self.device.addItem(dev.name, dev.id)
        self.device.setToolTip(TIPS["device"])
        for combo in (self.optimizer, self.schedule, self.device):  # as wide as the column, not their longest words
            combo.setSizeAdjustPolicy(ComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(COMBO_LETTERS)
        self.run_name = QLineEdit()
        self.run_name.setPlaceholderText("optional: named after its design")
        self.run_name.setToolTip(TIPS["run_name"])
        self.recommended = QPushButton("Recommended settings")
        self.recommended.setToolTip(TIPS["recommended"])
        self.recommended.clicked.connect(self.reset)
        d = self.defaults
        form = QFormLayout()
        form.addRow("Epochs", self.epochs)
        form.addRow("", self.auto_note)
        form.addRow("Batch size", self.batch_size)
        form.addRow("", self.memory_note)
        form.addRow("", self.auto_batch)
        form.addRow("Learning rate", self.find_lr.row())
        self.lr.setAccessibleName("Learning rate")  # its label's buddy is the row with "Find…", not the field
        form.addRow("Device", self.device)
        form.addRow("Run name", self.run_name)
        # -- Advanced: folded until opened, each with its recommended value -------------------------------
        self.advanced_button = QToolButton()
        self.advanced_button.setText("Advanced")
        self.advanced_button.setCheckable(True)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.setAutoRaise(True)
        self.advanced_button.setToolTip(TIPS["advanced"])
        self.advanced = QWidget()
        adv = QFormLayout(self.advanced)
        adv.setContentsMargins(12, 0, 0, 0)
        self.recommended_notes: dict[str, QLabel] = {}
        for label, key, widget, rec in (
                ("Optimizer", "optimizer", self.optimizer, OPTIMIZER_WORDS[d.optimizer]),
                ("Schedule", "schedule", self.schedule, SCHEDULE_WORDS[d.schedule]),
                ("Weight decay", "weight_decay", self.weight_decay, f"{d.weight_decay:g}"),
                ("Label smoothing", "label_smoothing", self.label_smoothing, f"{d.label_smoothing:g}"),
                ("", "class_weights", self.balanced, "off" if d.class_weights == "none" else "on"),
                ("Early stopping", "early_stopping_patience", self.patience,
                 f"{d.early_stopping_patience} epochs" if d.early_stopping_patience else "Off"),
                ("", "validation", self.no_validation, "on" if d.validation else "off"),
                ("Then fine-tune", "fine_tune_epochs", self.fine_tune,
                 f"{d.fine_tune_epochs} epochs" if d.fine_tune_epochs else "Off"),
                ("Seed", "seed", self.seed, f"{d.seed}"),
                ("", "mixed_precision", self.mixed_precision, "on" if d.mixed_precision else "off")):
            note = QLabel(f"recommended: {rec}" if key != "validation" else "recommended: keep validation")
            note.setStyleSheet("color: palette(placeholder-text); font-size: small;")
            self.recommended_notes[key] = note
            if label:
                adv.addRow(label, widget)
                adv.addRow("", note)
            else:  # a check box says its own words: across both columns, not beside an empty label (narrower)
                adv.addRow(widget)
                adv.addRow(note)
        self.advanced.setVisible(False)
        self.advanced_button.toggled.connect(self.set_advanced_open)
        form.addRow(self.advanced_button)
        form.addRow(self.advanced)
        form.addRow(self.recommended)
        box = QGroupBox("Training settings")
        box.setLayout(form)
        note = QLabel("Picture size, augmentation and the network are set on the Model page.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        inner = QWidget()
        sl = QVBoxLayout(inner)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(box)
        sl.addWidget(note)
        sl.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(inner)
        not_a_tab_stop(self)  # the form's frame: Tab goes to its first field
        widest = max(inner.minimumSizeHint().width(), self.advanced.minimumSizeHint().width() + 32)  # folded or not
        self.setMinimumWidth(widest + self.verticalScrollBar().sizeHint().width() + 4)

        self.load()
        for w in (self.epochs, self.batch_size, self.lr, self.weight_decay, self.label_smoothing, self.patience,
                  self.seed, self.fine_tune):
            w.valueChanged.connect(self._edited)
        for w in (self.optimizer, self.schedule, self.device):
            w.currentIndexChanged.connect(self._edited)
        for w in (self.balanced, self.no_validation, self.mixed_precision, self.auto_batch):
            w.toggled.connect(self._edited)
        self.batch_size.valueChanged.connect(self._show_memory)
        for sig in (session.images_changed, session.labels_changed, session.splits_changed, session.classes_changed):
            sig.connect(self.follow_pictures)  # after the session's own slot, which counts the pictures again

    def set_values(self, v: dict) -> None:
        """Show these settings (the keys of ``values()``); a missing one shows the default recipe's."""
        d = self.defaults
        self.epochs.setValue(int(v.get("epochs", d.epochs)))
        self.batch_size.setValue(int(v["batch_size"]) if "batch_size" in v else self.recipe_batch())
        self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(v.get("optimizer", d.optimizer))))
        self.lr.setValue(float(v.get("lr", d.lr)))
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(v.get("schedule", d.schedule))))
        self.weight_decay.setValue(float(v.get("weight_decay", d.weight_decay)))
        self.label_smoothing.setValue(float(v.get("label_smoothing", d.label_smoothing)))
        self.balanced.setChecked(v.get("class_weights", d.class_weights) == "balanced")
        self.patience.setValue(int(v.get("early_stopping_patience", d.early_stopping_patience)))
        self.no_validation.setChecked(v.get("validation", d.validation) is False)
        self.seed.setValue(int(v.get("seed", d.seed)))
        self.fine_tune.setValue(int(v.get("fine_tune_epochs", d.fine_tune_epochs)))
        self.device.setCurrentIndex(max(0, self.device.findData(v.get("device", "auto"))))
        self.mixed_precision.setChecked(v.get("mixed_precision", d.mixed_precision) is not False)
        self.auto_batch.setChecked(v.get("auto_batch_size", d.auto_batch_size) is True)

    def values(self) -> dict:
        """The settings shown, as keyword arguments of ``TrainSettings.replace`` (the run name is not one)."""
        return {"epochs": self.epochs.value(), "batch_size": self.batch_size.value(),
                "optimizer": self.optimizer.currentData(), "lr": self.lr.value(),
                "schedule": self.schedule.currentData(), "weight_decay": self.weight_decay.value(),
                "label_smoothing": self.label_smoothing.value(),
                "class_weights": "balanced" if self.balanced.isChecked() else "none",
                "early_stopping_patience": self.patience.value(), "seed": self.seed.value(),
                "device": self.device.currentData(), "validation": not self.no_validation.isChecked(),
                "fine_tune_epochs": self.fine_tune.value(), "mixed_precision": self.mixed_precision.isChecked(),
                "auto_batch_size": self.auto_batch.isChecked()}

    def recipe_batch(self) -> int:
        """The default recipe's batch size for the project's pictures as they are now (the engine's one rule:
        ``runs.recipe.recommended_settings``; 33 training pictures -> 8)."""
        from ...engine.runs.recipe import recommended_settings

        return recommended_settings(self.session.counts()).batch_size

    def shown(self) -> dict[str, str]:
        """Each setting's name and the words its field shows (a check box: on or off), for what changed."""
        fields = {"Epochs": self.epochs, "Batch size": self.batch_size, "Learning rate": self.lr,
                  "Device": self.device, "Optimizer": self.optimizer, "Schedule": self.schedule,
                  "Weight decay": self.weight_decay, "Label smoothing": self.label_smoothing,
                  "Early stopping": self.patience, "Then fine-tune": self.fine_tune, "Seed": self.seed}
        words = {name: w.currentText() if isinstance(w, ComboBox) else w.text() for name, w in fields.items()}
        for box in (self.auto_batch, self.balanced, self.no_validation, self.mixed_precision):
            words[box.text()] = "on" if box.isChecked() else "off"
        return words

    def reset(self) -> None:
        """The recommended settings (the engine's default recipe for the project's pictures, on the automatic
        device), saved; the status bar says what changed, or that nothing did (recommended_words.py). One undo step
        on the Train page's stack (recommended_undo.py): a click by mistake is put back with Ctrl+Z."""
        from .recommended_undo import RecommendedStep
        from .recommended_words import PUT_BACK, recommended_words

        before, values = self.shown(), self.values()
        self._set_recommended()
        self.save()
        words = recommended_words(before, self.shown())
        if self.values() != values:
            self.session.stack("train").push(RecommendedStep(self, values, self.values()))
            words = f"{words} {PUT_BACK}"
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(words, 10000)

    def _set_recommended(self) -> None:
        d = self.defaults
        self.set_values({"epochs": d.epochs, "batch_size": self.recipe_batch(), "optimizer": d.optimizer,
                         "lr": d.lr, "schedule": d.schedule, "weight_decay": d.weight_decay,
                         "label_smoothing": d.label_smoothing, "class_weights": d.class_weights,
                         "early_stopping_patience": d.early_stopping_patience, "seed": d.seed, "device": "auto",
                         "validation": d.validation, "fine_tune_epochs": d.fine_tune_epochs,
                         "mixed_precision": d.mixed_precision, "auto_batch_size": d.auto_batch_size})

    def load(self) -> None:
        """The settings stored in the project; the defaults for a damaged record (not JSON, NaN, a wrong type)."""
        try:
            self.set_values(form_choices(stored_json(self.session.project.meta(META_SETTINGS)) or {}))
        except (TypeError, ValueError, OverflowError):
            self.set_values({})

    def save(self, *_) -> None:
        """Store the settings shown (what changed only); never on a project open for viewing only, where they
        last until it closes (the page says once why nothing is saved: Start's note). The recipe's batch size is not
        stored: it follows the pictures (:meth:`follow_pictures`; ``saved_pages`` and Start count it alike)."""
        if self.session.project.read_only:
            return
        values = self.values()
        if values["batch_size"] == self.recipe_batch():
            del values["batch_size"]
        text = json.dumps(stamped(values), sort_keys=True)  # its batch, if any, the user's (saved_pages.form_choices)
        if self.session.project.meta(META_SETTINGS) != text:
            self.session.project.set_meta(META_SETTINGS, text)

    def _edited(self, *_) -> None:
        """A setting's field changed: save the settings, then say so (:attr:`edited`)."""
        self.save()
        self.edited.emit()

    def follow_pictures(self, *_) -> None:
        """Pictures added, labelled or split: a batch size not chosen (none stored, the recipe's shown) becomes the
        recipe's for the pictures now, so that what the form shows is what Start and ``cnnstudio train`` train. While a
        run trains the form shows what it trains: the batch follows once the run ends (:meth:`set_editable`)."""
        if self.session.project.read_only or self._locked:  # a run trains with the batch shown: it follows after
            return
        stored = form_choices(stored_json(self.session.project.meta(META_SETTINGS)) or {})
        if "batch_size" not in stored:  # an old form's 64 was its default: it follows too
            self.batch_size.setValue(self.recipe_batch())

    def set_advanced_open(self, on: bool) -> None:
        """Unfold (or fold) the advanced settings."""
        self.advanced_button.setChecked(on)
        self.advanced_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.advanced.setVisible(on)

    def set_auto_note(self, text: str) -> None:
        """What Auto will do (shown under Epochs while it is set to Auto)."""
        self.auto_note.setText(text)
        self.auto_note.setVisible(bool(text) and self.epochs.value() == 0)

    def set_memory(self, estimate) -> None:
        """The training memory of the Model page's design (None while it has mistakes): warn under Batch size when
        a batch of the size set would need too much of this computer's memory."""
        self.memory = estimate
        self._show_memory()

    def _show_memory(self, *_) -> None:
        from html import escape

        from ...engine.model.cost import memory_warning
        from ..colours import status_span

        warning = memory_warning(self.memory, self.batch_size.value())
        self.memory_note.setText(status_span("warning", f"⚠ {escape(warning, quote=False)}", self) if warning else "")
        self.memory_note.setVisible(bool(warning))

    def set_editable(self, on: bool) -> None:
        """Lock the settings while a run trains (the note and the scroll bar stay usable): they show what it trains,
        and nothing changes them until it ends (an advice button waits: ui/train/running_form.py)."""
        for w in (self.epochs, self.batch_size, self.optimizer, self.lr, self.schedule, self.weight_decay,
                  self.label_smoothing, self.balanced, self.patience, self.seed, self.device, self.run_name,
                  self.recommended, self.fine_tune):
            w.setEnabled(on)
        self.no_validation.setEnabled(on)
        self.mixed_precision.setEnabled(on)
        self.auto_batch.setEnabled(on)
        was_locked, self._locked = self._locked, not on
        if was_locked and on:  # pictures added, trashed or split while the run trained: the batch follows now
            self.follow_pictures()

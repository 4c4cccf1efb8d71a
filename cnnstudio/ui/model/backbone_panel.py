"""Where a design starts: the ready-made designs (presets) and a pretrained backbone with its switches.

:class:`BackbonePanel` is the row above the stack: "Start from" a preset (chosen: used at once, see
:attr:`BackbonePanel.preset_chosen`; it shows the preset the design is, unchanged, or "Your design"), then the
backbone with "Pretrained" and "Frozen" (what a choice does to the layers and the input is the page's design's rule:
``Design.backbone_chosen``). "Use this design" only shows when the list names another design than the
one shown (set from code, not by the user). It also holds two notes the page shows above the stack: the chosen
preset's description and whether the backbone's weights file is installed; when it is not, the note names the file's
official address as text to select and copy (CNN Studio never downloads), and "Choose the weights file…" copies a file
the user has into torch's cache, where the engine looks (``backbones.install_weights``). "Start from" marks the
ready-made designs whose weights file is missing with "⚠" first (a mark at the end was cut off at 1,024 px); each
entry's tooltip is its whole title and, when marked, why. "Frozen" is off while "Pretrained" is, its tooltip says why.
The panel keeps no design of its own: the page shows a backbone with :meth:`BackbonePanel.show_backbone` and hears of user edits through
:attr:`BackbonePanel.edited`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from ..sentence import sentence
from .params import ComboBox


YOUR_DESIGN = "Your design"
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1  # a preset's own title, without the mark below
ABOUT_ROLE = Qt.ItemDataRole.UserRole + 2  # a preset's description, shown under the row when it is chosen
WEIGHTS_NEEDED = "⚠"  # before a preset whose pretrained weights file is not on this computer: short, never cut off
WEIGHTS_NEEDED_WHY = (f"{WEIGHTS_NEEDED} Its pretrained weights file is not on this computer yet. Choose this design "
                      "to see where to get it, then press “Choose the weights file…”.")
PRESETS_TIP = ("Ready-made designs to start from: choosing one uses it at once (Ctrl+Z undoes it), and you can "
               f"change it afterwards. {WEIGHTS_NEEDED} marks a design whose pretrained weights file is not on this "
               "computer yet.")
FROZEN_NEEDS_PRETRAINED = "Only a pretrained backbone can be kept frozen: tick “Pretrained” first."


class BackbonePanel(QWidget):
    edited = Signal()  # the user changed the backbone, "Pretrained" or "Frozen"
    preset_chosen = Signal(str)  # the user chose an entry of "Start from": a preset's name ("" for "Your design")

    def __init__(self, parent=None):
        super().__init__(parent)
        from ...engine.model import backbones, presets
        from ...engine.model.jargon import term_tip

        self.preset_combo = ComboBox()
        # may end in "…" (its description shows below): the row fits 1,024 px with "Use this design" shown too
        self.preset_combo.setSizeAdjustPolicy(ComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(15)
        for p in presets.list_presets():
            self.preset_combo.addItem(p["title"], p["name"])
            self.preset_combo.setItemData(self.preset_combo.count() - 1, p["description"], ABOUT_ROLE)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, p["title"], TITLE_ROLE)
        self.preset_combo.addItem(YOUR_DESIGN, "")
        for role in (Qt.ItemDataRole.ToolTipRole, ABOUT_ROLE):
            self.preset_combo.setItemData(self.preset_combo.count() - 1, "The design below is your own: made or "
                                          "changed by you.", role)
        longest = max(self.preset_combo.fontMetrics().horizontalAdvance(self.preset_combo.itemText(i))
                      for i in range(self.preset_combo.count()))
        self.preset_combo.setMaximumWidth(longest + 48)  # the titles', not the marks': the row fits 1,024 px
        self.mark_presets()
        self.preset_combo.setToolTip(PRESETS_TIP)
        self.shown_preset = ""  # the preset the design is, unchanged ("" for the user's own design)
        self.apply_preset_button = QPushButton("Use this design")
        self.apply_preset_button.setToolTip("Replace the layers below with the chosen ready-made design")
        self.apply_preset_button.hide()
        self.preset_combo.activated.connect(lambda i: self.preset_chosen.emit(self.preset_combo.itemData(i) or ""))
        self.preset_combo.currentIndexChanged.connect(self._update_apply_button)
        self.preset_help = QLabel()  # laid out by the page, above the stack
        self.preset_help.setWordWrap(True)
        self.preset_help.setStyleSheet("color: palette(placeholder-text);")
        self.preset_combo.currentIndexChanged.connect(
            lambda i: self.preset_help.setText(self.preset_combo.itemData(i, ABOUT_ROLE) or ""))

        self.backbone_combo = ComboBox()
        self.backbone_combo.addItem("None", None)
        self.backbone_combo.setItemData(0, "No pretrained network: only the layers below. Switching a backbone off "
                                        "brings back the layers you had before it, and the input size and colours "
                                        "the project starts with.", Qt.ItemDataRole.ToolTipRole)
        for info in backbones.list_backbones():
            self.backbone_combo.addItem(f"{info.title}", info.name)
            self.backbone_combo.setItemData(self.backbone_combo.count() - 1, info.help, Qt.ItemDataRole.ToolTipRole)
        self.backbone_combo.setToolTip("A well-known network trained on millions of photos (ImageNet); the layers "
                                       "below then follow its features (transfer learning)\n\n" + term_tip("backbone"))
        self.pretrained = QCheckBox("Pretrained")
        self.pretrained.setToolTip("Start from the weights learned on ImageNet (needs the weights file installed)")
        self.freeze = QCheckBox("Frozen")
        self.freeze_tip = ("Keep the backbone as it is and train only the layers after it: fast, and good with few "
                           "pictures. Unticked, the backbone learns too (fine-tuning).\n\n"
                           + term_tip("frozen", "fine-tune"))
        self.freeze.setToolTip(self.freeze_tip)
        self.weights_note = QLabel()  # laid out by the page, above the stack, with weights_button
        self.weights_note.setWordWrap(True)
        # the official address can be selected and copied into a browser; nothing here opens or fetches it
        self.weights_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.weights_button = QPushButton("Choose the weights file…")
        self.weights_button.setToolTip("A copy of the pretrained weights file you have (torchvision's .pth) is kept "
                                       "in torch's cache folder, where CNN Studio looks for it")
        self.weights_button.clicked.connect(self.choose_weights_file)
        self.weights_button.hide()
        self._bb: dict | None = None  # the backbone shown
        self.backbone_combo.currentIndexChanged.connect(self._edited)
        self.pretrained.toggled.connect(self._edited)
        self.freeze.toggled.connect(self._edited)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        start_label = QLabel("Start from")
        start_label.setBuddy(self.preset_combo)  # a screen reader names the list by its label
        row.addWidget(start_label)
        row.addWidget(self.preset_combo, 1)  # up to its longest title, in a share of the room
        row.addWidget(self.apply_preset_button)
        row.addSpacing(16)
        backbone_label = QLabel("Backbone")
        backbone_label.setToolTip(term_tip("backbone"))
        backbone_label.setBuddy(self.backbone_combo)
        row.addWidget(backbone_label)
        row.addWidget(self.backbone_combo)
        row.addWidget(self.pretrained)
        row.addWidget(self.freeze)
        row.addStretch(0)  # what the preset list, whole, leaves

    def _edited(self, *_) -> None:
        self.edited.emit()

    def show_preset(self, name: str | None) -> None:
        """Show that the design is preset ``name`` unchanged (None or "": the user's own design)."""
        self.shown_preset = name or ""
        self.preset_combo.setCurrentIndex(max(0, self.preset_combo.findData(self.shown_preset)))
        self._update_apply_button()

    def _update_apply_button(self, *_) -> None:
        chosen = self.preset_combo.currentData() or ""
        self.apply_preset_button.setVisible(bool(chosen) and chosen != self.shown_preset)

    def show_backbone(self, bb: dict | None) -> None:
        """Show ``bb`` (the spec's backbone as JSON, or None) without emitting :attr:`edited`."""
        widgets = (self.backbone_combo, self.pretrained, self.freeze)
        for w in widgets:
            w.blockSignals(True)
        self.backbone_combo.setCurrentIndex(max(0, self.backbone_combo.findData(bb["name"] if bb else None)))
        self.pretrained.setChecked(bool(bb and bb.get("pretrained", True)))
        self.freeze.setChecked(bool(bb and bb.get("freeze", True)))
        self.pretrained.setEnabled(bb is not None)
        frozen_possible = bb is not None and bool(bb.get("pretrained", True))  # frozen needs pretrained weights
        self.freeze.setEnabled(frozen_possible)
        self.freeze.setToolTip(self.freeze_tip if frozen_possible or bb is None else FROZEN_NEEDS_PRETRAINED)
        for w in widgets:
            w.blockSignals(False)
        self.show_weights_status(bb)

    def show_weights_status(self, bb: dict | None) -> None:
        self._bb = bb
        self.weights_button.hide()
        if bb is None or not bb.get("pretrained", True):
            self.weights_note.hide()
            return
        from ...engine.errors import EngineError
        from ...engine.model.backbones import weights_status

        try:
            st = weights_status(bb["name"], bb.get("weights_file"))
        except EngineError:  # an unknown name: the validator says so in the stack
            self.weights_note.hide()
            return
        # plain words on the page; the package, the path and the checksum in the tooltip (the CLI prints them)
        self.weights_note.setToolTip(sentence(st["message"]) if st["installed"] else "")
        if st["installed"]:
            self.weights_note.setText(f"<span style='color:#1e8449'>✔ {st['summary']}</span>")
        else:
            self.weights_note.setText(
                f"<span style='color:#c0392b'>✖ {st['missing']}</span> If you have the file, press “Choose the "
                "weights file…”; or untick “Pretrained” (the backbone then learns from scratch, which needs many "
                "pictures).")
            self.weights_button.show()
        self.weights_note.show()

    def choose_weights_file(self) -> None:
        """Ask for the backbone's weights file and copy it where the engine looks; the note then says it is used."""
        from ...engine.errors import EngineError
        from ...engine.model.backbones import install_weights
        from ..settings import choose_file

        if not self._bb:
            return
        path = choose_file(self, "Choose the pretrained weights file", "weights",
                           "PyTorch weights (*.pth *.pt);;All files (*)")
        if not path:
            return
        try:
            install_weights(self._bb["name"], path)
        except (EngineError, OSError) as e:
            QMessageBox.warning(self, "These weights cannot be used", sentence(str(e)))
        self.show_weights_status(self._bb)
        self.mark_presets()

    def mark_presets(self) -> None:
        """Mark the "Start from" entries whose pretrained weights file is not on this computer ("⚠ Transfer
        learning: ResNet-18"); the others show their own title. Each entry's tooltip is its whole title (the list may
        cut it), why it is marked, and its description."""
        from ...engine.errors import EngineError
        from ...engine.model.backbones import weights_status
        from ...engine.model.presets import pretrained_backbone

        combo = self.preset_combo
        for i in range(combo.count()):
            name, title = combo.itemData(i), combo.itemData(i, TITLE_ROLE)
            if not name or not title:
                continue
            try:
                backbone = pretrained_backbone(name)
                missing = backbone is not None and not weights_status(backbone)["installed"]
            except EngineError:
                missing = False
            combo.setItemText(i, f"{WEIGHTS_NEEDED} {title}" if missing else title)
            why = f"{title}.\n{WEIGHTS_NEEDED_WHY}" if missing else f"{title}."
            combo.setItemData(i, f"{why}\n\n{combo.itemData(i, ABOUT_ROLE)}", Qt.ItemDataRole.ToolTipRole)

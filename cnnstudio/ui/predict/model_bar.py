"""The Predict page's top row: the Model box (which trained model predicts: its rows from
:func:`.model_choice.model_entries`) and the buttons Open pictures…, Paste, Predict a folder… and Export…, on only
while the project has a model. It shows and forwards: the page connects the buttons and the box's ``activated``. A
long name is cut in its middle (:class:`~cnnstudio.ui.elided_names.NameComboBox`), whole in the box's tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ...project.glossary import tip
from ..elided_names import NameComboBox

MODEL_TIP = "Which trained model predicts.\n" + tip("validation", "accuracy")


class ModelBar(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model_combo = NameComboBox()  # a long run name cut in its middle (runs named alike differ at their end)
        self.model_combo.setMinimumWidth(300)
        self.model_combo.setToolTip(MODEL_TIP)
        self.model_combo.currentIndexChanged.connect(self._name_model)
        self.open_button = QPushButton("Open pictures…")
        self.paste_button = QPushButton("Paste")
        self.paste_button.setToolTip("Predict the picture (or picture files) on the clipboard (Ctrl+V).")
        self.folder_button = QPushButton("Predict a folder…")
        self.folder_button.setToolTip("Predict every picture in a folder and save the results as a CSV file.")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the model as a file for other computers and programs.")
        top = QHBoxLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Model"))
        top.addWidget(self.model_combo)
        top.addStretch(1)
        for b in (self.open_button, self.paste_button, self.folder_button, self.export_button):
            top.addWidget(b)

    def _name_model(self, _index: int) -> None:
        """The box's tooltip: the whole name of the model chosen (the box may cut it short), then what the box is."""
        text = self.model_combo.currentText()
        self.model_combo.setToolTip(f"Chosen: {text}.\n\n{MODEL_TIP}" if text else MODEL_TIP)

    def set_rows(self, rows: list[tuple[str, str]], has_model: bool | None = None) -> None:
        """The Model box's ``(text, data)`` rows, the row chosen before kept when it is still there (else the first);
        the buttons on only with a model (``has_model``; None: any row is one). The box itself stays on with any row
        (its last may open a model file)."""
        current = self.model_combo.currentData()
        self.model_combo.blockSignals(True)  # filling it is no choice of the user's
        self.model_combo.clear()
        for text, data in rows:
            self.model_combo.addItem(text, data)
        i = self.model_combo.findData(current)
        self.model_combo.setCurrentIndex(i if i >= 0 else 0)
        self.model_combo.blockSignals(False)
        self._name_model(self.model_combo.currentIndex())
        has_model = bool(rows) if has_model is None else has_model
        for b in (self.open_button, self.paste_button, self.folder_button, self.export_button):
            b.setEnabled(has_model)
        self.model_combo.setEnabled(bool(rows))

"""The Predict page's detail view of one prediction: its most probable class, the picture (optionally with a
Grad-CAM overlay), a bar chart of the class probabilities, and the row that adds the picture to the dataset."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..model.params import ComboBox
from .images import overlay_image, read_scaled

VIEW = 280  # the side of the picture
MAX_BARS = 10


class PredictionView(QWidget):
    """Shows a Prediction, or a hint when there is none.

    ``saliency(path)`` makes the Grad-CAM map (the page's model does); the page connects the Grad-CAM toggle and
    the "Add to dataset" button.
    """

    def __init__(self, saliency, parent=None):
        super().__init__(parent)
        self.saliency = saliency
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        self.picture = QLabel()
        self.picture.setFixedSize(VIEW, VIEW)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: palette(dark); border-radius: 4px;")
        self.gradcam = QCheckBox("Show where the model looked (Grad-CAM)")
        self.gradcam.setToolTip("Colours the parts of the picture that weighed most for the predicted class, on the "
                                "picture as the model sees it (resized)")
        self.cam_note = QLabel()
        self.cam_note.setWordWrap(True)
        self.cam_note.setStyleSheet("color: palette(placeholder-text);")
        self.bars_plot = pg.PlotWidget(background=None)
        self.bars_plot.setMouseEnabled(x=False, y=False)
        self.bars_plot.hideButtons()
        self.bars_plot.getPlotItem().setMenuEnabled(False)
        self.bars_plot.setXRange(0, 1, padding=0)
        self.bars_plot.setLabel("bottom", "probability")
        self.bars_plot.setMinimumHeight(160)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush=pg.mkBrush(0, 114, 178))
        self.bars_plot.addItem(self.bars)
        self.add_class = ComboBox()
        self.add_class.setToolTip("The class the picture really shows")
        self.add_button = QPushButton("Add to dataset")
        self.add_button.setToolTip("Copy this picture into the project with the chosen class, to train on it next time")
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("Add to the dataset as"))
        add_row.addWidget(self.add_class, 1)
        add_row.addWidget(self.add_button)
        dl = QVBoxLayout(self)
        dl.addWidget(self.headline)
        pic_row = QHBoxLayout()
        pic_row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        cam_col = QVBoxLayout()
        cam_col.addWidget(self.gradcam)
        cam_col.addWidget(self.cam_note)
        cam_col.addStretch(1)
        pic_row.addLayout(cam_col, 1)
        dl.addLayout(pic_row)
        dl.addWidget(self.bars_plot, 1)
        dl.addLayout(add_row)

    def set_classes(self, names: list[str]) -> None:
        """The classes offered for "Add to the dataset as" (the chosen one stays chosen if it is still there)."""
        current = self.add_class.currentText()
        self.add_class.clear()
        for name in names:
            self.add_class.addItem(name)
        i = self.add_class.findText(current)
        if i >= 0:
            self.add_class.setCurrentIndex(i)
        self.add_button.setEnabled(self.add_class.count() > 0)

    def show_prediction(self, pred, model_busy: bool = False) -> None:
        """Show ``pred`` (None: the hint); ``model_busy``: a thread uses the model, so Grad-CAM has to wait."""
        self.setEnabled(pred is not None)
        if pred is None:
            self.headline.setText("<span style='color:gray'>Drop pictures on the list to see what the model thinks "
                                  "they are.</span>")
            self.picture.clear()
            self.bars.setOpts(x0=[], y=[], width=[], height=0.7)
            self.cam_note.setText("")
            return
        top = pred.top(MAX_BARS)
        second = f" · next: {top[1][0]} {top[1][1]:.1%}" if len(top) > 1 else ""
        self.headline.setText(f"<span style='font-size:18px'><b>{pred.label}</b></span> &nbsp; "
                              f"{pred.confidence:.1%} sure{second}<br><small>{pred.path or ''}</small>")
        n = len(top)
        ys = [n - 1 - i for i in range(n)]  # most probable on top
        brushes = [pg.mkBrush(0, 114, 178) if i == 0 else pg.mkBrush(150, 170, 190) for i in range(n)]
        self.bars.setOpts(x0=[0] * n, y=ys, width=[p for _, p in top], height=0.7, brushes=brushes)
        self.bars_plot.getAxis("left").setTicks([[(y, name[:18]) for y, (name, _p) in zip(ys, top)]])
        self.bars_plot.setYRange(-0.6, n - 0.4, padding=0)
        self.bars_plot.setXRange(0, 1, padding=0)
        i = self.add_class.findText(pred.label)
        if i >= 0:
            self.add_class.setCurrentIndex(i)
        self._show_picture(pred, model_busy)

    def _show_picture(self, pred, model_busy: bool) -> None:
        from ..model.inputs import array_to_pixmap

        self.cam_note.setText("")
        if self.gradcam.isChecked() and pred.path:
            if model_busy:
                self.cam_note.setText("Grad-CAM follows when the predictions are done…")
            else:
                try:
                    sal = self.saliency(pred.path)
                except Exception as e:  # noqa: BLE001 - an overlay that cannot be made is only a note
                    self.cam_note.setText(f"No overlay for this picture: {e}")
                else:
                    self.picture.setPixmap(array_to_pixmap(overlay_image(sal.image, sal.map), VIEW).scaled(
                        VIEW, VIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
                    how = "Grad-CAM" if sal.method == "grad-cam" else "input gradients (the model has no usable " \
                                                                      "convolution map)"
                    self.cam_note.setText(f"Bright: what counted most for “{sal.label}” ({how}), on the picture "
                                          f"as the model sees it.")
                    return
        img = read_scaled(pred.path, VIEW) if pred.path else QImage()
        if not img.isNull() and max(img.width(), img.height()) < VIEW // 2:  # small pictures: show them big
            img = img.scaled(VIEW, VIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
        if img.isNull():
            self.picture.setText("(no preview)")
        else:
            self.picture.setPixmap(QPixmap.fromImage(img))

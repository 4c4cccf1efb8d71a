"""The Predict page's detail view of one prediction: its most probable class, the picture (optionally with where
the model looked drawn over it, in the words of :mod:`.looked_words`), a bar chart of the class probabilities, and
the row that adds the picture to the dataset (its class starts at the model's answer only when the model is sure:
:mod:`.add_choice`). Right of the picture, a line when the model is unsure and one when the picture looks unlike the
training pictures (:mod:`.unsure`), or, for a model without that hint, one saying that CNN Studio cannot tell
(:func:`.unsure.unknown_line`)."""

from __future__ import annotations

from html import escape

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...engine.use.figures import probability_percent
from ...project.glossary import tip
from ..colours import status_colour
from ..font_sizes import LARGER, LARGEST, font_css
from ..model.params import ComboBox
from .gradcam import CamMaker
from ...project.imaging import ImageRejected
from ..picture_image import cannot_show, for_screen, picture_image, screen_ratio
from .add_choice import CHOICE_TIP, CHOOSE_FIRST, PLACEHOLDER, preset_class
from .images import overlay_image
from .looked_words import FINDING, LOOKED_TIP, SHOW_LOOKED, WAITING, looked_note, method_tip
from .probability_bars import probability_plot
from .unsure import UNLIKE_TIP, UNSURE_TIP, sure_words, unknown_line, unlike_line, unsure_line

HINT = ("No picture yet. Drop pictures on the list or anywhere on this page, paste one (Ctrl+V), or press "
        "“Open pictures…”: the model says what it thinks each one is.")
VIEW = 240  # the side of the picture (with the bars under it, the page fits a 768-pixel-high screen)
MAX_BARS = 10


class PredictionView(QWidget):
    """Shows a Prediction, or only a hint (:data:`HINT`) when there is none.

    ``cam_job(path) -> (model, fn)`` says, on the GUI thread, which model explains the picture (a hashable key)
    and how to make its Grad-CAM map (``fn(progress=..., cancel=...)``, run by :class:`.gradcam.CamMaker` in a
    thread); until the map comes the picture shows without it. ``overlay_path``: the path whose map is on display
    (None: none). The page connects the Grad-CAM toggle and the "Add to dataset" button, and calls
    :meth:`shutdown` when it closes.
    """

    def __init__(self, cam_job, parent=None):
        super().__init__(parent)
        self.cam_job = cam_job
        self.cams = CamMaker(self)
        self.cams.done.connect(self._cam_ready)
        self.cams.failed.connect(self._cam_failed)
        self._cam_key = None  # the map the picture on display waits for
        self.overlay_path: str | None = None
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        self.unsure = QLabel()  # an unsure answer says so under the headline (unsure.py)
        self.unsure.setWordWrap(True)
        self.unsure.setToolTip(UNSURE_TIP)
        self.unsure.setStyleSheet(f"color: {status_colour('warning', self)};")  # the palette's warning colour
        self.unsure.hide()
        self.unlike = QLabel()  # a picture unlike the training pictures: its own hint (unsure.py, engine/use/novelty.py)
        self.unlike.setWordWrap(True)
        self.unlike.setToolTip(UNLIKE_TIP)
        self.unlike.setStyleSheet(f"color: {status_colour('warning', self)};")
        self.unlike.hide()
        self.unknown = QLabel()  # a model without that hint: CNN Studio cannot tell (unsure.unknown_line)
        self.unknown.setWordWrap(True)
        self.unknown.hide()
        self.picture = QLabel()
        self.picture.setFixedSize(VIEW, VIEW)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setWordWrap(True)  # a picture that cannot be shown: its sentence, inside the square
        self.picture.setStyleSheet("background: palette(dark); border-radius: 4px;")
        self.gradcam = QCheckBox(SHOW_LOOKED)
        self.gradcam.setToolTip(LOOKED_TIP)
        self.cam_note = QLabel()
        self.cam_note.setWordWrap(True)
        self.cam_note.setStyleSheet("color: palette(placeholder-text);")
        self.bars_plot, self.bars = probability_plot(140)
        self.bars_plot.setToolTip("How sure the model is of each class (the bars add up to 100%).\n" + tip("softmax"))
        self.add_class = ComboBox()
        self.add_class.setToolTip(CHOICE_TIP)
        self.add_class.setPlaceholderText(PLACEHOLDER)  # shown while no class is chosen
        self.add_button = QPushButton("Add to dataset")
        self.add_class.currentIndexChanged.connect(self._choice_changed)
        self._shown = None  # (path, label, confidence) of the prediction whose class the user may have chosen
        self.read_only = ""  # why a project open for viewing only cannot take the picture ("": it can)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("Add to the dataset as"))
        add_row.addWidget(self.add_class, 1)
        add_row.addWidget(self.add_button)
        self.hint = QLabel(HINT)  # the empty state: no empty picture, no empty chart, until there is a prediction
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet(f"color: palette(placeholder-text); {font_css(LARGER)}; padding: 24px;")
        self.content = QWidget()  # the picture, the chart and "Add to dataset": shown with a prediction
        cl = QVBoxLayout(self.content)
        cl.setContentsMargins(0, 0, 0, 0)
        pic_row = QHBoxLayout()
        pic_row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        cam_col = QVBoxLayout()  # right of the picture, where there is room: the warnings cost the page no height
        cam_col.addWidget(self.unsure)  # (under the headline they made the window 622 pixels tall, QA 1,024 x 614)
        cam_col.addWidget(self.unlike)
        cam_col.addWidget(self.unknown)
        cam_col.addWidget(self.gradcam)
        cam_col.addWidget(self.cam_note)
        cam_col.addStretch(1)
        pic_row.addLayout(cam_col, 1)
        cl.addLayout(pic_row)
        cl.addWidget(self.bars_plot, 1)
        cl.addLayout(add_row)
        dl = QVBoxLayout(self)
        dl.addWidget(self.headline)
        dl.addWidget(self.content, 1)
        dl.addWidget(self.hint, 1)

    def set_classes(self, names: list[str]) -> None:
        """The classes offered for "Add to the dataset as" (the chosen one stays chosen if it is still there; none
        is chosen otherwise)."""
        current = self.add_class.currentText()
        self.add_class.clear()
        for name in names:
            self.add_class.addItem(name)
        self.add_class.setCurrentIndex(self.add_class.findText(current) if current else -1)
        self._choice_changed()

    def _choose_for(self, pred) -> None:
        """A new picture: its class starts at the model's answer when the model is sure (:func:`preset_class`), else
        empty; the same prediction shown again (Grad-CAM turned on) keeps what the user chose."""
        shown = (pred.path, pred.label, pred.confidence) if pred is not None else None
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        if pred is None:
            return
        classes = [self.add_class.itemText(i) for i in range(self.add_class.count())]
        preset = preset_class(pred.label, pred.confidence, classes, pred.unlike_training)
        self.add_class.setCurrentIndex(self.add_class.findText(preset) if preset else -1)

    def set_read_only(self, why: str) -> None:
        """``why``: the sentence saying why the project cannot take pictures ("" when it can)."""
        self.read_only = why
        self._choice_changed()

    def _choice_changed(self, *_) -> None:
        chosen = self.add_class.currentIndex() >= 0
        self.add_button.setEnabled(chosen and not self.read_only)
        self.add_button.setToolTip(self.read_only or ("Copy this picture into the project with the chosen class, to "
                                                      "train on it next time." if chosen else CHOOSE_FIRST))

    def show_prediction(self, pred, model_busy: bool = False, no_hint: str = "") -> None:
        """Show ``pred`` (None: the hint); ``model_busy``: a thread uses the model, so Grad-CAM has to wait;
        ``no_hint``: why its model has no "unlike the training pictures" hint ("": it has one, or it is not known)."""
        self._choose_for(pred)
        self.content.setVisible(pred is not None)
        self.headline.setVisible(pred is not None)
        self.hint.setVisible(pred is None)
        self.unsure.setText(unsure_line(pred.probabilities) if pred is not None else "")
        self.unsure.setVisible(bool(self.unsure.text()))
        self.unlike.setText(unlike_line(pred.unlike_training) if pred is not None else "")
        self.unlike.setVisible(bool(self.unlike.text()))
        self.unknown.setText(unknown_line(pred.unlike_training, no_hint) if pred is not None else "")
        self.unknown.setVisible(bool(self.unknown.text()))
        if pred is None:
            self.headline.setText("")
            self.picture.clear()
            self.bars.every_class = None
            self.bars.setOpts(x0=[], y=[], width=[], height=0.7)
            self._forget_cam()
            return
        top = pred.top(MAX_BARS)
        second = f" · next: {escape(top[1][0])} {escape(probability_percent(top[1][1]))}" if len(top) > 1 else ""
        self.headline.setText(f"<span style='{font_css(LARGEST)}'><b>{escape(pred.label)}</b></span> &nbsp; "
                              f"{escape(sure_words(pred.confidence, pred.probabilities, pred.unlike_training))}"
                              f"{second}<br>"
                              f"<small>{escape(pred.path or '')}</small>")
        n = len(top)
        ys = [n - 1 - i for i in range(n)]  # most probable on top
        brushes = [pg.mkBrush(0, 114, 178) if i == 0 else pg.mkBrush(150, 170, 190) for i in range(n)]
        self.bars.every_class = pred.top()  # in words, every class and its whole name
        self.bars.setOpts(x0=[0] * n, y=ys, width=[p for _, p in top], height=0.7, brushes=brushes)
        self.bars_plot.getAxis("left").setTicks([[(y, name[:18]) for y, (name, _p) in zip(ys, top)]])
        self.bars_plot.setYRange(-0.6, n - 0.4, padding=0)
        self.bars_plot.setXRange(0, 1, padding=0)
        self._show_picture(pred, model_busy)

    def _show_picture(self, pred, model_busy: bool) -> None:
        self._forget_cam()
        if self.gradcam.isChecked() and pred.path:
            try:
                model, make = self.cam_job(pred.path)
            except Exception as e:  # noqa: BLE001 - an overlay that cannot be made is only a note
                self.cam_note.setText(f"No overlay for this picture: {e}")
            else:
                key = (model, pred.path)
                sal = self.cams.cached(key)
                if sal is not None:
                    self._show_overlay(pred.path, sal)
                    return
                if model_busy:
                    self.cam_note.setText(WAITING)
                else:
                    self._cam_key = key
                    self.cam_note.setText(FINDING)
                    self.cams.request(key, make)
        self._show_plain(pred.path)

    def _forget_cam(self) -> None:
        self.cam_note.setText("")
        self.cam_note.setToolTip("")
        self._cam_key = None
        self.overlay_path = None
        self.cams.forget_waiting()

    def _cam_ready(self, key, sal) -> None:
        if key == self._cam_key:  # else the user has moved on: the map waits in the cache
            self._cam_key = None
            self._show_overlay(key[1], sal)

    def _cam_failed(self, key, message: str) -> None:
        if key == self._cam_key:
            self._cam_key = None
            self.cam_note.setText(f"No overlay for this picture: {message}")

    def _show_overlay(self, path: str, sal) -> None:
        from ..model.inputs import array_to_pixmap

        ratio = screen_ratio(self.picture)  # every pixel of a 200 % screen: the map's edges sharp
        pix = array_to_pixmap(overlay_image(sal.image, sal.map), round(VIEW * ratio))
        pix.setDevicePixelRatio(ratio)
        self.picture.setPixmap(pix)
        self.cam_note.setText(looked_note(sal.label))
        self.cam_note.setToolTip(method_tip(sal.method))  # the method's name: only here
        self.overlay_path = path

    def _show_plain(self, path: str | None) -> None:
        """The picture as the model read it (:func:`~cnnstudio.ui.picture_image.picture_image`), or the sentence
        that says why it cannot be shown (moved or deleted since it was predicted)."""
        ratio = screen_ratio(self.picture)  # a 200 % screen: read at twice the pixels, drawn as sharp (picture_image)
        try:
            img = picture_image(path, VIEW, ratio) if path else QImage()
        except ImageRejected as e:
            self.picture.setText(cannot_show(e))
            return
        if not img.isNull() and max(img.width(), img.height()) < VIEW // 2:  # small pictures: show them big
            img = for_screen(img, VIEW, VIEW, ratio, Qt.TransformationMode.FastTransformation)
        if img.isNull():
            self.picture.setText("(no preview)")
        else:
            self.picture.setPixmap(QPixmap.fromImage(img))

    def shutdown(self) -> None:
        """Wait for the Grad-CAM thread (the page closes)."""
        self._cam_key = None
        self.cams.shutdown()

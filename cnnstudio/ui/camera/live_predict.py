"""The Predict step's "Camera" tab: the live preview with the top class and its probability drawn on it, the
probability bars, the live figures (a line of its own that ends in "…" rather than widen the window), where the
model looked now and then (the Predict page's words: :mod:`..predict.looked_words`), and "Add this frame to the
dataset as …" (its class follows the model's answer when the model is sure, :mod:`..predict.add_choice`, until
the user chooses one for this stream; the button waits for a live frame and a class, and a read-only project says
why it cannot add: :func:`.live_words.add_blocker`). The bars show only with a prediction to draw,
as on the Pictures tab (no empty chart with a meaningless axis); the chart takes two fifths of the height the preview
and it share, and shows a bar per class while their names fit, else the most probable classes and one bar
for the rest (:func:`.live_words.shown_bars`; its words for a screen reader still name every class).
A stopped camera (Stop camera, another tab or step) leaves nothing of its stream: no frame, caption, bars or figures.

The page's model is loaded in a thread (:mod:`..predict.model_loader`): a camera started before it is there shows its
preview and "Loading the model…", and predicts once it is loaded. The model works in
:class:`.live_worker.LivePredictor` on the newest frame only; this panel paints every frame
the source hands it and the newest prediction it has. ``latencies``: seconds from a frame's arrival to its label
on display, one per prediction shown (the benchmark and the tests read them).
"""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...engine.use.figures import probability_percent
from ...engine.use.novelty_words import HINT, HINT_TIP
from ..colours import status_colour
from ..elided_label import ElidedLabel
from ..model.params import ComboBox
from ..predict.add_choice import CHOICE_TIP, PLACEHOLDER, preset_class
from ..predict.looked_words import LIVE_LOOKED, LOOKED_TIP
from ..predict.model_choice import LOADING
from ..predict.probability_bars import probability_plot
from ..read_only_words import read_only_note
from .frame_source import FrameSource
from .live_words import (ADD_DOING, ADD_TIP, NO_PREDICTIONS, add_blocker, bar_rows, figures_line, figures_tip, no_model,
                         shown_bars)
from .live_worker import LivePredictor, LiveResult, frame_picture
from .preview import MIRROR_TIP, CameraPreview, SourceBar

PREVIEW_NAME = "Live camera picture"


class LivePanel(QWidget):
    """``page``: the PredictPage (its model — ``ready_predictor()``, loaded in a thread by ``page.loader`` —, its
    ``importer`` and class list)."""

    shown = Signal(object)  # the LiveResult whose label is now on display

    def __init__(self, page, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = page
        self.worker: LivePredictor | None = None
        self._waiting: FrameSource | None = None  # the stream waiting for the model to load
        page.loader.loaded.connect(self._model_ready)
        page.loader.failed.connect(self._model_failed)
        self.last: LiveResult | None = None
        self.latencies: list[float] = []
        self._frame_on_display = None  # the newest frame of the running stream (None: stopped, or none yet)
        self._chosen_by_user = False  # the user chose the class to add as for this stream: the model's answer waits
        self.bar = SourceBar()
        self.bar.started.connect(self._started)
        self.bar.stopped.connect(self._stopped)
        self.preview = CameraPreview()
        self.preview.setAccessibleName(PREVIEW_NAME)
        self.preview.setToolTip("The camera's live picture, with the model's answer and how sure it is on top.")
        self.mirror = QCheckBox("Mirror preview")
        self.mirror.setToolTip(MIRROR_TIP)
        self.mirror.toggled.connect(lambda on: setattr(self.preview, "mirror", on))
        self.crop = QCheckBox("Centre square")
        self.crop.setToolTip("Predict only the square in the middle of the picture (outlined).")
        self.crop.toggled.connect(self._crop_changed)
        self.gradcam = QCheckBox(LIVE_LOOKED)  # the Predict page's words (predict/looked_words.py)
        self.gradcam.setToolTip(LOOKED_TIP)
        self.gradcam.toggled.connect(self._gradcam_changed)
        self.rates = ElidedLabel(tooltip=False)  # its own tooltip: the whole line and what "skipped" means
        self.rates.setObjectName("cameraRates")
        self.rates.setAccessibleName("Live figures")
        self.unlike = QLabel()  # a frame unlike the training pictures: the Predict page's hint, in its words
        self.unlike.setWordWrap(True)
        self.unlike.setToolTip(HINT_TIP)
        self.unlike.setStyleSheet(f"color: {status_colour('warning', self)};")  # the palette's warning colour
        self.unlike.hide()
        self.bars_plot, self.bars = probability_plot(110)
        self.bars_plot.hide()  # until the first prediction of a stream
        self._bar_names: list[str] = []
        self.add_class = ComboBox()
        self.add_class.setToolTip(CHOICE_TIP)
        self.add_class.setAccessibleName("Class to add this frame as")
        self.add_class.setPlaceholderText(PLACEHOLDER)  # shown while no class is chosen
        self.add_class.activated.connect(self._user_chose)
        self.add_class.currentIndexChanged.connect(self._update_add)
        self.add_button = QPushButton("Add this frame")
        self.add_button.clicked.connect(lambda: self.add_frame(self.add_class.currentText()))
        opts = QHBoxLayout()
        for w in (self.mirror, self.crop, self.gradcam):
            opts.addWidget(w)
        opts.addStretch(1)
        add = QHBoxLayout()
        add.addWidget(QLabel("Add this frame to the dataset as"))
        add.addWidget(self.add_class, 1)
        add.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 4)  # with the figures' own row, the tab fits a 614-pixel-high window
        lay.addWidget(self.bar)
        lay.addWidget(self.bar.message)
        lay.addWidget(self.preview, 3)
        lay.addLayout(opts)
        lay.addWidget(self.rates)
        lay.addWidget(self.unlike)
        lay.addWidget(self.bars_plot, 2)  # preview 3 : chart 2, so a taller window gives the bars room too
        lay.addLayout(add)
        self._update_add()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.bar.cameras and self.bar.source is None:
            self.bar.refresh()

    def hideEvent(self, event) -> None:  # noqa: N802
        self.bar.stop()  # another tab or step: the camera is let go
        super().hideEvent(event)

    def set_classes(self, names: list[str]) -> None:
        """The classes offered to add a frame as (the chosen one stays chosen while it is there; none otherwise)."""
        current = self.add_class.currentText()
        self.add_class.clear()
        self.add_class.addItems(names)
        self.add_class.setCurrentIndex(self.add_class.findText(current) if current else -1)
        self._update_add()

    def _user_chose(self, _index: int) -> None:
        self._chosen_by_user = True

    def _follow_model(self, pred) -> None:
        """The class to add as starts at the model's answer when it is sure, else empty (:func:`preset_class`), on
        every prediction shown, until the user chooses one for this stream (or while the list is open)."""
        if self._chosen_by_user or self.add_class.view().isVisible():
            return
        classes = [self.add_class.itemText(i) for i in range(self.add_class.count())]
        preset = preset_class(pred.label, pred.confidence, classes, pred.unlike_training)
        self.add_class.setCurrentIndex(self.add_class.findText(preset) if preset else -1)

    def _read_only(self) -> str:
        return read_only_note(self.page.session.project, ADD_DOING)

    def _update_add(self, *_) -> None:
        """"Add this frame" on only with a live frame and a class; its tooltip says why not."""
        why = add_blocker(self._read_only(), self.bar.source is not None, self._frame_on_display is not None,
                          self.add_class.currentIndex() >= 0)
        self.add_button.setEnabled(not why)
        self.add_button.setToolTip(why or ADD_TIP)

    # ------------------------------------------------------------------ the stream
    def _started(self, source: FrameSource) -> None:
        source.frame_ready.connect(self._frame)
        self._forget_stream()
        self._chosen_by_user = False  # a new stream: the class follows the model's answer again
        try:
            predictor = self.page.ready_predictor()  # None while it loads in a thread: the preview runs meanwhile
        except Exception as e:  # noqa: BLE001 - no model: the preview still runs
            self.bar.say(no_model(e))
            return
        if predictor is None:
            self._waiting = source
            self.bar.say(LOADING, problem=False)
            return
        self._predict(predictor, source)

    def _model_ready(self, _run_id: str) -> None:
        """The model the stream waited for is loaded: it predicts now (a stream stopped meanwhile is not)."""
        source, self._waiting = self._waiting, None
        if source is None or source is not self.bar.source:
            return
        predictor = self.page.ready_predictor()
        if predictor is None:  # another model was chosen meanwhile: that one is on its way
            self._waiting = source
            return
        self.bar.say("")
        self._predict(predictor, source)

    def _model_failed(self, _run_id: str, said: str) -> None:
        if self._waiting is not None:
            self._waiting = None
            self.bar.say(f"{said} {NO_PREDICTIONS}")

    def _predict(self, predictor, source: FrameSource) -> None:
        self.worker = LivePredictor(predictor, source, self)
        self.worker.crop = self.crop.isChecked()
        self.worker.gradcam = self.gradcam.isChecked()
        self.worker.result.connect(self._result)
        self.worker.failed.connect(self.bar.say)

    def _stopped(self) -> None:
        self._waiting = None
        self.stop_predicting()
        self._forget_stream()

    def _forget_stream(self) -> None:
        """Nothing of the last stream stays on display: no frame, caption, overlay, bars or figures; no frame to add."""
        self.latencies.clear()
        self.last = None
        self._frame_on_display = None
        self.preview.caption = ""
        self.preview.overlay = None
        self.preview.clear()
        self.preview.setAccessibleDescription("")
        self._bar_names = []
        self.bars_plot.getAxis("left").setTicks([[]])
        self.bars.setOpts(x0=[], y=[], width=[])
        self.bars_plot.hide()
        self.rates.setText("")
        self.rates.setToolTip("")
        self._show_unlike(None)
        self._update_add()

    def _show_unlike(self, unlike_training: bool | None) -> None:
        """The hint under the figures for a frame unlike the training pictures (worked out with the prediction, off
        the GUI thread, from the same forward pass); nothing for a frame like them or a model without the hint."""
        text = HINT if unlike_training else ""
        if self.unlike.text() != text:
            self.unlike.setText(text)
            self.unlike.setVisible(bool(text))

    def stop_predicting(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()
            worker.deleteLater()

    def _crop_changed(self, on: bool) -> None:
        self.preview.crop = on
        if self.worker is not None:
            self.worker.crop = on

    def _gradcam_changed(self, on: bool) -> None:
        if self.worker is not None:
            self.worker.gradcam = on
        if not on:
            self.preview.overlay = None

    def _frame(self) -> None:
        source = self.bar.source
        frame = source.newest() if source is not None else None
        if frame is not None:
            first = self._frame_on_display is None
            self._frame_on_display = frame
            self.preview.show_frame(frame.image)
            if first:
                self._update_add()

    def _result(self, r: LiveResult) -> None:
        if self.worker is None:
            return  # a result from a stream that was stopped
        pred = r.prediction
        self.last = r
        self.preview.caption = f"{pred.label}  {probability_percent(pred.confidence)}"
        said = f"The model's answer: {pred.label}."  # for a screen reader: changes with the answer, not every frame
        if self.preview.accessibleDescription() != said:
            self.preview.setAccessibleDescription(said)
        if r.saliency is not None:
            self.preview.overlay = _heat_image(r.saliency)
        elif not self.gradcam.isChecked():
            self.preview.overlay = None
        frame = self._frame_on_display
        if frame is not None:
            self.preview.show_frame(frame.image, new=False)  # the label shows now, not with the next frame
        self.latencies.append(time.perf_counter() - r.frame_t)
        bars = shown_bars(pred.probabilities, bar_rows(self.bars_plot.height() if self.bars_plot.isVisible()
                                                          else self.bars_plot.minimumHeight()))
        self.bars.every_class = list(pred.probabilities.items()) if len(bars) < len(pred.probabilities) else None
        names, values = [n for n, _ in bars], [p for _, p in bars]
        if names != self._bar_names:
            self._bar_names = names
            self.bars_plot.getAxis("left").setTicks([list(enumerate(names))])
            self.bars_plot.setYRange(-0.6, len(names) - 0.4, padding=0)
        self.bars.setOpts(x0=[0] * len(values), y=list(range(len(values))), width=values)
        self.bars_plot.show()
        self._show_unlike(pred.unlike_training)
        line = figures_line(self.preview.fps(), len(self.latencies), self.worker.dropped)
        self.rates.setText(line)
        self.rates.setToolTip(figures_tip(line))
        self._follow_model(pred)
        self.shown.emit(r)

    # ------------------------------------------------------------------ adding the frame
    def add_frame(self, class_name: str) -> bool:
        """The frame on display (unmirrored, cropped if chosen) into the dataset as ``class_name``; False when there
        is none, no class, or the project is open for viewing only (said in the panel)."""
        read_only = self._read_only()
        if read_only:
            self.bar.say(read_only)
            return False
        frame = self._frame_on_display
        if frame is None or not class_name:
            return False
        from ...project.importer import CAMERA_STAGING

        folder = self.page.session.project.root / CAMERA_STAGING
        path = folder / f"frame-{time.strftime('%Y%m%d-%H%M%S')}-{frame.number:06d}.png"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            frame_picture(frame, self.crop.isChecked()).save(path, compress_level=1)
        except OSError as e:
            self.bar.say(f"The frame could not be saved ({e.strerror or e}).")
            return False
        self.page._adding = (-1, class_name)
        return self.page.importer.start([path], class_name=class_name)

    def shutdown(self) -> None:
        self.bar.stop()
        self.stop_predicting()


def _heat_image(sal):
    from ..predict.images import overlay_image
    from PySide6.QtGui import QImage

    rgb = overlay_image(sal.image, sal.map)
    h, w = rgb.shape[:2]
    return QImage(rgb.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()

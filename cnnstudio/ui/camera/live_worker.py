"""Prediction on the newest camera frame, in a thread of its own: the reading thread puts every frame into a
:class:`.rules.NewestSlot`, this thread takes the newest whenever it is free, so frames that arrive while the model
works are dropped, never queued, and the preview never waits for the model. A failure stops the predictions (one
sentence in the panel: :func:`.live_words.prediction_failed`); the preview goes on. Grad-CAM, when asked for, is made at
most every ``cam_interval`` seconds on the same thread (it hooks the model, so the worker owns a copy of it).
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass

from PIL import Image
from PySide6.QtCore import QObject, QThread, Signal

from .frame_source import Frame, FrameSource
from .live_words import prediction_failed
from .rules import NewestSlot, centre_square


@dataclass(frozen=True)
class LiveResult:
    prediction: object  # engine.use.predict.Prediction
    frame_t: float  # when its frame arrived (perf_counter)
    done_t: float  # when the prediction was ready
    number: int  # the frame's number in the stream
    saliency: object = None  # engine.use.saliency.SaliencyMap, now and then


def frame_picture(frame: Frame, crop: bool = False) -> Image.Image:
    """The frame as the model and the dataset get it: never mirrored, optionally the centre square."""
    rgb = frame.rgb
    if crop:
        left, top, right, bottom = centre_square(rgb.shape[1], rgb.shape[0])
        rgb = rgb[top:bottom, left:right]
    return Image.fromarray(rgb)


class _PredictThread(QThread):
    result = Signal(object)  # LiveResult
    failed = Signal(str)

    def __init__(self, worker: "LivePredictor"):
        super().__init__(worker)
        self.w = worker

    def run(self) -> None:
        from ...engine.device import use_one_thread_here
        from ...engine.use.saliency import saliency

        use_one_thread_here()  # a small CNN on one frame: one thread, and the GUI's threads keep theirs
        w, last_cam = self.w, 0.0
        while True:
            frame = w.slot.take()
            if frame is None:
                return
            try:
                picture = frame_picture(frame, w.crop)
                pred = w.predictor.predict(picture)
                sal = None
                now = time.perf_counter()
                if w.gradcam and now - last_cam >= w.cam_interval:
                    sal, last_cam = saliency(w.predictor, picture), now
                self.result.emit(LiveResult(pred, frame.t, time.perf_counter(), frame.number, sal))
            except Exception as e:  # noqa: BLE001 - shown in the panel; the preview goes on
                self.failed.emit(prediction_failed(e))
                return
            if w.delay:  # tests and benchmarks: a model slower than the camera
                threading.Event().wait(w.delay)


class LivePredictor(QObject):
    """Predicts the newest frames of ``source`` with its own copy of ``predictor``'s model until :meth:`stop`."""

    result = Signal(object)  # LiveResult, in the GUI thread
    failed = Signal(str)

    def __init__(self, predictor, source: FrameSource, parent: QObject | None = None):
        super().__init__(parent)
        self.predictor = copy.copy(predictor)
        self.predictor.model = copy.deepcopy(predictor.model)  # Grad-CAM's hooks stay off the page's model
        self.source = source
        self.slot = NewestSlot()
        self.crop = False
        self.gradcam = False
        self.cam_interval = 1.0
        self.delay = 0.0
        self.thread = _PredictThread(self)
        self.thread.result.connect(self.result)
        self.thread.failed.connect(self.failed)
        source.add_consumer(self.slot)
        self.thread.start()

    @property
    def dropped(self) -> int:
        return self.slot.dropped

    @property
    def predicted(self) -> int:
        return self.slot.taken

    def stop(self) -> None:
        self.source.remove_consumer(self.slot)
        self.slot.close()
        self.thread.wait(30_000)

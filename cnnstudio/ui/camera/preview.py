"""The parts both camera panels share: the live picture (:class:`CameraPreview`) and the row that picks and starts
the camera (:class:`SourceBar`, the camera remembered by name in the settings), or a video file in its place (for a
computer without a camera, or a recording made with a phone: the row then names the video, and says when it ended,
in :mod:`.source_words`' words)."""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from ..model.params import ComboBox
from ..settings import app_settings, choose_file
from .frame_source import CameraSource, FrameSource, VideoFileSource, list_cameras
from .rules import RateMeter, centre_square
from .source_words import STOP_VIDEO, STOP_VIDEO_TIP, video_ended, video_in_box

SETTING = "camera/name"
EMPTY = "The live picture shows here once a camera or a video file is started."
NO_CAMERA = "No camera found: plug one in and press Start camera, or press Video file… to use a recording."
STILL_NO_CAMERA = "Still no camera found: plug one in, or press Video file… to use a recording."
VIDEO_TIP = ("Use a recorded video in place of a camera (a phone's recording, say): its pictures are shown as if a "
             "camera sent them.")
START_TIP = "Start the camera chosen in the list and show its live picture."
STOP_TIP = "Stop the camera and let it go, so other programs can use it."
VIDEO_FILTER = "Videos (*.mp4 *.avi *.mov *.mkv *.webm *.m4v *.wmv *.mpg *.mpeg);;All files (*)"
MIRROR_TIP = ("Shows the preview like a mirror, which is easier to aim. Only the display is mirrored: the pictures "
              "saved and predicted are stored the right way round, as the camera sees them.")


def _mirrored(image: QImage) -> QImage:
    if hasattr(image, "flipped"):  # Qt 6.9 on; mirrored() is deprecated there
        return image.flipped(Qt.Orientation.Horizontal)
    return image.mirrored(True, False)


class CameraPreview(QLabel):
    """Paints the newest frame, scaled to fit, with an optional caption (the live prediction) on top."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: black; color: white; border-radius: 4px;")
        self.mirror = False
        self.crop = False  # outline the centre square that is kept
        self.caption = ""
        self.overlay: QImage | None = None  # Grad-CAM, painted over the (cropped) picture
        self.meter = RateMeter()
        self.shown = 0
        self.empty_text = EMPTY  # painted while there is no picture
        self.setAccessibleName("Live picture")
        self.setAccessibleDescription(EMPTY)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.pixmap().isNull() and not self.text() and self.empty_text:
            p = QPainter(self)
            p.setPen(QColor(220, 220, 220))
            p.drawText(self.rect().adjusted(16, 16, -16, -16),
                       int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.empty_text)
            p.end()

    def show_frame(self, image: QImage, new: bool = True) -> None:
        """``new``: a frame not shown before (counted in ``shown`` and the rate), not a repaint of one."""
        if new:
            self.meter.tick(time.perf_counter())
            self.shown += 1
        w, h = max(1, self.width() - 4), max(1, self.height() - 4)
        pic = _mirrored(image) if self.mirror else image
        pic = pic.scaled(w, h, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
        pix = QPixmap.fromImage(pic)
        if self.crop or self.caption or self.overlay is not None:
            p = QPainter(pix)
            left, top, right, bottom = centre_square(pix.width(), pix.height())
            if self.overlay is not None:
                p.setOpacity(0.55)
                box = (QRectF(left, top, right - left, bottom - top) if self.crop
                       else QRectF(0, 0, pix.width(), pix.height()))  # where the model's picture came from
                p.drawImage(box, _mirrored(self.overlay) if self.mirror else self.overlay)  # over what it is of
                p.setOpacity(1.0)
            if self.crop:
                p.setPen(QColor(255, 255, 255, 200))
                p.drawRect(left, top, right - left - 1, bottom - top - 1)
            if self.caption:
                font = QFont(self.font())
                font.setPointSize(max(10, pix.height() // 18))
                font.setBold(True)
                p.setFont(font)
                band = p.fontMetrics().height() + 8
                p.fillRect(0, 0, pix.width(), band, QColor(0, 0, 0, 150))
                p.setPen(Qt.GlobalColor.white)
                p.drawText(8, 4, pix.width() - 16, band - 8, Qt.AlignmentFlag.AlignLeft, self.caption)
            p.end()
        self.setPixmap(pix)

    def fps(self) -> float:
        return self.meter.rate()


class SourceBar(QWidget):
    """Camera list + Start/Stop. ``started(source)`` / ``stopped()``; failures go to ``message`` (a label the
    panel places), never raised. Tests and demos hand it a video file with :meth:`play`."""

    started = Signal(object)  # FrameSource
    stopped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.source: FrameSource | None = None
        self.combo = ComboBox()
        self.combo.setMinimumWidth(220)
        self.combo.setToolTip("Which camera (every video input the system reports).")
        self.combo.activated.connect(self._remember)
        self.refresh_button = QPushButton("↻")
        self.refresh_button.setAccessibleName("Look for cameras again")  # not a symbol read out
        self.refresh_button.setToolTip("Look for cameras again (after plugging one in).")
        self.refresh_button.clicked.connect(self.refresh)
        self.start_button = QPushButton("Start camera")
        self.start_button.setToolTip(START_TIP)
        self.start_button.clicked.connect(self.toggle)
        self.video_button = QPushButton("Video file…")
        self.video_button.setToolTip(VIDEO_TIP)
        self.video_button.clicked.connect(self.choose_video)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("cameraMessage")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel("Camera"))
        lay.addWidget(self.combo, 1)
        lay.addWidget(self.refresh_button)
        lay.addWidget(self.start_button)
        lay.addWidget(self.video_button)
        self.cameras: list = []

    def refresh(self) -> None:
        try:
            cameras = list_cameras()
        except Exception as e:  # noqa: BLE001 - an odd system: said, not raised
            cameras = []
            self.say(f"Cameras could not be listed: {e}")
        self.show_cameras(cameras)

    def show_cameras(self, cameras: list) -> None:
        """List ``cameras`` (:class:`CameraInfo`), the one chosen last time (by name) selected."""
        self.cameras = list(cameras)
        self._list_cameras()
        if not self.cameras:
            self.say(NO_CAMERA)

    def _list_cameras(self) -> None:
        self.combo.clear()
        for cam in self.cameras:
            self.combo.addItem(cam.name, cam.key)
        if not self.cameras:
            self.combo.addItem("No camera found")
        remembered = app_settings().value(SETTING, "")
        i = self.combo.findText(str(remembered)) if remembered else -1
        self.combo.setCurrentIndex(max(0, i))
        self.combo.setEnabled(bool(self.cameras))

    def _remember(self, _index: int = 0) -> None:
        if self.cameras:
            s = app_settings()
            s.setValue(SETTING, self.combo.currentText())
            s.sync()

    def say(self, text: str, problem: bool = True) -> None:
        """``text`` under the row: in red for a ``problem``, else in the window's colour."""
        self.message.setText(text)
        self.message.setStyleSheet("color: #c0392b;" if text and problem else "")

    def toggle(self) -> None:
        if self.source is not None:
            self.stop()
        elif self.cameras:
            cam = self.cameras[max(0, self.combo.currentIndex())]
            self._remember()
            self.play(CameraSource(cam))
        else:
            self.refresh()
            if self.cameras:
                self.toggle()
            else:
                self.say(STILL_NO_CAMERA)

    def choose_video(self) -> None:
        """Ask for a video file and play it in place of the camera."""
        path = choose_file(self, "Use a video file", "video", VIDEO_FILTER)
        if path:
            self.play(VideoFileSource(path))

    def play(self, source: FrameSource) -> None:
        """Start ``source`` (a camera, or a video file in tests and demos) in place of the current one."""
        self.stop()
        self.say("")
        self.source = source
        source.setParent(self)
        source.failed.connect(self.say)
        source.ended.connect(self._ended)
        video = isinstance(source, VideoFileSource)
        if video:  # named in the camera box while it plays
            self.combo.clear()
            self.combo.addItem(video_in_box(source.name))
            self.combo.setEnabled(False)
        self.start_button.setText(STOP_VIDEO if video else "Stop camera")
        self.start_button.setToolTip(STOP_VIDEO_TIP if video else STOP_TIP)
        self.started.emit(source)
        source.start()

    def _ended(self) -> None:
        source = self.source
        if source is not None and self.sender() is source:
            self.stop()
            if isinstance(source, VideoFileSource) and not self.message.text():  # not over why it stopped
                self.say(video_ended(source.name), problem=False)

    def stop(self) -> None:
        source, self.source = self.source, None
        if source is not None:
            source.stop()
            source.deleteLater()
            self.start_button.setText("Start camera")
            self.start_button.setToolTip(START_TIP)
            if isinstance(source, VideoFileSource):  # the cameras back in the box
                self._list_cameras()
            self.stopped.emit()

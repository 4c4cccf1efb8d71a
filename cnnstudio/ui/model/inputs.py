"""Input preprocessing and augmentation settings, each with a preview of project pictures.

The previews are made by the engine (:func:`cnnstudio.engine.data.preprocess.image_to_uint8`, the same
function training and prediction use, and :class:`cnnstudio.engine.data.augment.Augmenter`) in a thread held by a
:class:`~cnnstudio.ui.workers.LatestTask`, so a folder of large photos never freezes the form.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton,
                               QWidget)

from ..colours import status_colour
from ..workers import LatestTask
from ...engine.model.param_entry import SIZE_RANGE, red_side, size_problem
from .params import ComboBox, DoubleSpinBox, SoftSpinBox, SpinBox

RESIZE_TEXT = {"squash": "Stretch to fit", "center_crop": "Crop the middle", "letterbox": "Fit, pad with black"}
RESIZE_TIP = {"squash": "Stretch or squeeze to the input size; nothing is cut off, proportions change",
              "center_crop": "Scale to cover the input, then cut the middle out; proportions are kept",
              "letterbox": "Scale to fit inside the input and fill the rest with black; proportions are kept"}
NORM_TEXT = {"unit": "Pixels 0 to 1", "dataset": "Training set mean/std", "imagenet": "ImageNet mean/std"}
NORM_TIP = {"unit": "Divide pixel values by 255",
            "dataset": "Centre and scale with the mean and spread measured on the training split when training "
                       "starts (recommended)",
            "imagenet": "The values pretrained backbones were trained with"}
TILE = 76


def array_to_pixmap(a, size: int = TILE) -> QPixmap:
    """An (H, W, C) uint8 NumPy array (C = 1 or 3) as a pixmap scaled to ``size`` (pixels kept sharp)."""
    import numpy as np

    a = np.ascontiguousarray(a)
    h, w = a.shape[:2]
    c = a.shape[2] if a.ndim == 3 else 1
    fmt = QImage.Format.Format_Grayscale8 if c == 1 else QImage.Format.Format_RGB888
    img = QImage(a.data, w, h, w * c, fmt).copy()
    return QPixmap.fromImage(img).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.FastTransformation)


def make_previews(paths, pp_json: dict, aug_json: dict, seed: int, progress=None, cancel=None):
    """Runs in a thread: the pictures as the network sees them, and augmented copies of the first few."""
    import torch

    from ...engine.data.augment import Augmenter, AugmentSettings
    from ...engine.data.preprocess import Preprocess, image_to_uint8
    from ...project import ImageRejected

    pp = Preprocess.from_json(pp_json)
    aug = AugmentSettings.from_json(aug_json)
    tensors = []
    for p in paths:
        if cancel is not None and cancel.is_set():
            break
        try:
            tensors.append(image_to_uint8(p, pp))
        except (ImageRejected, OSError):
            continue
    seen = [t.permute(1, 2, 0).numpy().copy() for t in tensors]
    augmented = []
    if tensors and aug.enabled:
        base = torch.stack(tensors[:2]).repeat_interleave(4, dim=0)
        out = Augmenter(aug, torch.Generator().manual_seed(seed))(base.float().div(255.0))
        augmented = [t.mul(255).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).numpy().copy() for t in out]
    return seen, augmented


class PreviewGrid(QWidget):
    def __init__(self, columns: int, empty_text: str, parent=None):
        super().__init__(parent)
        self.columns = columns
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        self.empty = QLabel(empty_text)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.grid.addWidget(self.empty, 0, 0, 1, columns)
        self.tiles: list[QLabel] = []

    def show_arrays(self, arrays) -> None:
        for t in self.tiles:
            t.deleteLater()
        self.tiles = []
        self.empty.setVisible(not arrays)
        for i, a in enumerate(arrays):
            lab = QLabel()
            lab.setFixedSize(TILE, TILE)
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lab.setStyleSheet("background: #222;")
            lab.setPixmap(array_to_pixmap(a))
            lab.setToolTip(f"{a.shape[1]} × {a.shape[0]} pixels, as the network gets it")
            r, c = divmod(i, self.columns)
            self.grid.addWidget(lab, r + 1, c)
            self.tiles.append(lab)


class PreprocessPanel(QGroupBox):
    """Input size, grey/colour, resize mode and normalisation. ``changed`` on every user edit.

    A side outside :data:`~cnnstudio.engine.model.param_entry.SIZE_RANGE` (the design check's and training's one
    range) stays in its box, is explained under it, and is not used: the design keeps the last allowed size."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__("Input pictures", parent)
        self._setting = False
        self.height_box = SoftSpinBox()
        self.width_box = SoftSpinBox()
        self._kept = {"height": 28, "width": 28}  # the last allowed size: what the design uses
        for s in (self.height_box, self.width_box):
            s.soft = SIZE_RANGE
            s.setRange(0, 100_000)  # any number typed stays visible; the arrows keep to SIZE_RANGE
            s.setSuffix(" px")
            s.setKeyboardTracking(False)  # a typed number counts on Enter or leaving the box
            s.valueChanged.connect(self._edited)
        self.red_sides: list[str] = []  # the same sides as the page's summary says them (param_entry.red_side)
        self.size_problem = QLabel()
        self.size_problem.setWordWrap(True)
        self.size_problem.setStyleSheet(f"color: {status_colour('error', self)};")
        self.size_problem.hide()
        self.height_box.setToolTip("Every picture is resized to this height before it enters the network. "
                                   "Small is fast; large keeps fine detail.")
        self.width_box.setToolTip("Every picture is resized to this width before it enters the network.")
        self.channels = ComboBox()
        self.channels.addItem("Grey", 1)
        self.channels.addItem("Colour (RGB)", 3)
        self.channels.setToolTip("Grey is enough when colour does not tell the classes apart, and is faster")
        self.resize_mode = ComboBox()
        for k, v in RESIZE_TEXT.items():
            self.resize_mode.addItem(v, k)
            self.resize_mode.setItemData(self.resize_mode.count() - 1, RESIZE_TIP[k], Qt.ItemDataRole.ToolTipRole)
        self.resize_mode.setToolTip("What to do with pictures of other proportions than the input")
        self.norm = ComboBox()
        for k, v in NORM_TEXT.items():
            self.norm.addItem(v, k)
            self.norm.setItemData(self.norm.count() - 1, NORM_TIP[k], Qt.ItemDataRole.ToolTipRole)
        self.norm.setToolTip("How pixel values are scaled before the network sees them; 'mean and spread' is "
                             "measured on the training split when training starts")
        for c in (self.channels, self.resize_mode, self.norm):
            c.currentIndexChanged.connect(self._edited)
        # two boxes in one row of the form: each is named for a screen reader (the row's label names neither)
        self.width_box.setAccessibleName("Input width")
        self.height_box.setAccessibleName("Input height")
        size = QHBoxLayout()
        size.addWidget(self.width_box)
        size.addWidget(QLabel("×"))
        size.addWidget(self.height_box)
        size.addStretch(1)
        form = QFormLayout(self)
        form.addRow("Size (w × h)", size)
        form.addRow(self.size_problem)
        form.addRow("Colours", self.channels)
        form.addRow("Resize", self.resize_mode)
        form.addRow("Normalise", self.norm)

    def _edited(self, *_):
        problems = [size_problem(name, box.value(), self._kept[name])
                    for name, box in (("width", self.width_box), ("height", self.height_box))]
        problems = [p for p in problems if p]
        self.red_sides = [red_side(name, box.value()) for name, box in (("width", self.width_box),
                                                                        ("height", self.height_box))
                          if size_problem(name, box.value(), 0)]
        for name, box in (("width", self.width_box), ("height", self.height_box)):
            if size_problem(name, box.value(), 0) is None:
                self._kept[name] = box.value()
        self.size_problem.setText(" ".join(problems))
        self.size_problem.setVisible(bool(problems))
        if not self._setting:
            self.changed.emit()

    def set_values(self, height: int, width: int, channels: int, resize: str, normalization: str) -> None:
        self._setting = True
        self._kept = {"height": height, "width": width}
        try:
            self.height_box.setValue(height)
            self.width_box.setValue(width)
            self.channels.setCurrentIndex(max(0, self.channels.findData(channels)))
            self.resize_mode.setCurrentIndex(max(0, self.resize_mode.findData(resize)))
            self.norm.setCurrentIndex(max(0, self.norm.findData(normalization)))
        finally:
            self._setting = False

    def red_values(self) -> dict:
        """The sides whose boxes show a size that is not used (in red): {"width": 4000}."""
        return {name: box.value() for name, box in (("width", self.width_box), ("height", self.height_box))
                if size_problem(name, box.value(), 0)}

    def show_red(self, values: dict) -> None:
        """Show ``values`` (:meth:`red_values`) in their boxes again, in red (undo / redo), without an edit."""
        self._setting = True
        try:
            for name, value in values.items():
                (self.width_box if name == "width" else self.height_box).setValue(value)
        finally:
            self._setting = False

    def values(self) -> dict:
        return {"height": self._kept["height"], "width": self._kept["width"],
                "channels": self.channels.currentData(), "resize": self.resize_mode.currentData(),
                "normalization": self.norm.currentData()}


class AugmentPanel(QGroupBox):
    """Random changes to training pictures, so the network learns what matters. ``changed`` on user edits."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__("Augmentation (training only)", parent)
        self._setting = False
        self.hflip = QCheckBox("Mirror left–right")
        self.hflip.setToolTip("Only for pictures that mean the same mirrored (not digits, letters or arrows)")
        self.vflip = QCheckBox("Mirror top–bottom")
        self.vflip.setToolTip("Only for pictures without an up and down (cells, textures, satellite images)")
        self.rotation = self._spin(0, 180, 1, " °", "Turn each picture by a random angle up to this")
        self.translate = self._spin(0, 50, 1, "%", "Shift each picture by up to this share of its size")
        self.zoom_min = self._dspin(0.1, 10, 0.05, "Smallest zoom factor (below 1 zooms out)")
        self.zoom_max = self._dspin(0.1, 10, 0.05, "Largest zoom factor (above 1 zooms in)")
        self.brightness = self._spin(0, 100, 5, "%", "Make pictures randomly brighter or darker by up to this")
        self.contrast = self._spin(0, 100, 5, "%", "Change contrast randomly by up to this")
        self.saturation = self._spin(0, 100, 5, "%", "Change colour strength randomly by up to this (colour only)")
        self.erasing = self._spin(0, 100, 5, "%", "Chance of blanking a random rectangle of the picture")
        self.padding = ComboBox()
        for k, v in (("zeros", "Black"), ("border", "Repeat the edge"), ("reflection", "Mirror the edge")):
            self.padding.addItem(v, k)
        self.padding.setToolTip("What fills the gap a shifted or turned picture leaves")
        for cb in (self.hflip, self.vflip):
            cb.toggled.connect(self._edited)
        self.padding.currentIndexChanged.connect(self._edited)
        self.safe = QPushButton("Safe defaults")
        self.safe.setToolTip("Small turns, shifts and zoom: right for almost any pictures")
        self.off = QPushButton("None")
        self.off.setToolTip("Train on the pictures exactly as they are")
        self.zoom_min.setAccessibleName("Zoom from")  # the row's label "Zoom" names neither box
        self.zoom_max.setAccessibleName("Zoom to")
        zoom = QHBoxLayout()
        zoom.addWidget(self.zoom_min)
        zoom.addWidget(QLabel("to"))
        zoom.addWidget(self.zoom_max)
        zoom.addStretch(1)
        flips = QHBoxLayout()
        flips.addWidget(self.hflip)
        flips.addWidget(self.vflip)
        flips.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.safe)
        buttons.addWidget(self.off)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow(flips)
        form.addRow("Rotation up to", self.rotation)
        form.addRow("Shift up to", self.translate)
        form.addRow("Zoom", zoom)
        form.addRow("Brightness", self.brightness)
        form.addRow("Contrast", self.contrast)
        form.addRow("Saturation", self.saturation)
        form.addRow("Random erasing", self.erasing)
        form.addRow("Fill gaps with", self.padding)
        form.addRow(buttons)

    def _spin(self, lo, hi, step, suffix, tip):
        s = SpinBox()
        s.setRange(lo, hi)
        s.setSingleStep(step)
        s.setSuffix(suffix)
        s.setToolTip(tip)
        s.valueChanged.connect(self._edited)
        return s

    def _dspin(self, lo, hi, step, tip):
        s = DoubleSpinBox()
        s.setRange(lo, hi)
        s.setSingleStep(step)
        s.setDecimals(2)
        s.setToolTip(tip)
        s.valueChanged.connect(self._edited)
        return s

    def _edited(self, *_):
        if not self._setting:
            self.changed.emit()

    def set_values(self, d: dict) -> None:
        self._setting = True
        try:
            self.hflip.setChecked(bool(d.get("hflip")))
            self.vflip.setChecked(bool(d.get("vflip")))
            self.rotation.setValue(round(d.get("rotation", 0)))
            self.translate.setValue(round(d.get("translate", 0) * 100))
            self.zoom_min.setValue(d.get("scale_min", 1.0))
            self.zoom_max.setValue(d.get("scale_max", 1.0))
            self.brightness.setValue(round(d.get("brightness", 0) * 100))
            self.contrast.setValue(round(d.get("contrast", 0) * 100))
            self.saturation.setValue(round(d.get("saturation", 0) * 100))
            self.erasing.setValue(round(d.get("erasing", 0) * 100))
            self.padding.setCurrentIndex(max(0, self.padding.findData(d.get("padding", "zeros"))))
        finally:
            self._setting = False

    def values(self) -> dict:
        lo, hi = self.zoom_min.value(), self.zoom_max.value()
        return {"hflip": self.hflip.isChecked(), "vflip": self.vflip.isChecked(),
                "rotation": float(self.rotation.value()), "translate": self.translate.value() / 100,
                "scale_min": min(lo, hi), "scale_max": max(lo, hi),
                "brightness": self.brightness.value() / 100, "contrast": self.contrast.value() / 100,
                "saturation": self.saturation.value() / 100, "erasing": self.erasing.value() / 100,
                "padding": self.padding.currentData()}


class PreviewRunner(QWidget):
    """Makes the previews in a TaskThread, one at a time; a request while one runs is kept for after it. The thread
    is held by a :class:`~cnnstudio.ui.workers.LatestTask`: one let go of (the project closed) says nothing."""

    ready = Signal(list, list)  # pictures as the network sees them, augmented copies

    def __init__(self, parent=None):
        super().__init__(parent)
        self.task = LatestTask(self)
        self.task.succeeded.connect(self._keep)
        self.task.ended.connect(self._done)
        self._next = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self._start)
        self.hide()

    @property
    def thread(self):
        """The preview thread running now (None: none)."""
        return self.task.thread

    def request(self, paths, pp_json: dict, aug_json: dict, seed: int) -> None:
        self._next = (list(paths), dict(pp_json), dict(aug_json), seed)
        self._timer.start()

    @property
    def busy(self) -> bool:
        return self.task.busy or self._timer.isActive() or self._next is not None

    def _start(self) -> None:
        if self.task.busy or self._next is None:
            return
        args, self._next = self._next, None
        self._result = ([], [])
        self.task.run(make_previews, *args)

    def _keep(self, result) -> None:
        self._result = result

    def _done(self, _thread) -> None:
        """Emitted once the thread has ended, so a test waiting on ``ready`` leaves no thread behind."""
        if self._next is not None and not self._timer.isActive():
            self._start()
        elif self._next is None:
            self.ready.emit(*self._result)

    def shutdown(self) -> None:
        self._timer.stop()
        self._next = None
        self.task.shutdown()

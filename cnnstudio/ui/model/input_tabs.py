"""The right-hand tabs: "Input" (preprocessing, and pictures as the network sees them) and "Augmentation"
(its settings, and random examples).

:class:`InputTabs` puts together the panels and preview machinery of :mod:`.inputs`: it asks its
:class:`~.inputs.PreviewRunner` for previews of the pictures the page names (:func:`preview_paths` picks
them from the project) with the current settings, and shows them when they are ready. The page decides
when previews are worth making (only while it is visible).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QScrollArea, QStyle, QStyleOptionTabWidgetFrame,
                               QTabWidget, QVBoxLayout, QWidget)

from ...project import ImageFilter
from ..keyboard import tab_scrolls
from .inputs import AugmentPanel, PreprocessPanel, PreviewGrid, PreviewRunner

PREVIEW_COUNT = 8
LEAST_WIDTH = 360  # the panel's width at the default font (a larger font asks for more: InputTabs.least_width)


def preview_paths(project) -> list[Path]:
    """Up to PREVIEW_COUNT pictures spread over the training split (over all pictures when it is empty)."""
    ids = project.ids(ImageFilter(split="train")) or project.ids(ImageFilter())
    if not ids:
        return []
    step = max(1, len(ids) // PREVIEW_COUNT)
    return [project.root / r.file for r in project.records(ids[::step][:PREVIEW_COUNT])]


def _scrolled(w: QWidget) -> QScrollArea:
    """``w`` in a frameless area that scrolls up and down; never sideways: the tabs are as wide as ``w`` needs
    (:meth:`InputTabs.least_width`). No tab stop: Tab goes from the tab to its settings, and shows the pictures
    under the last one (:func:`~cnnstudio.ui.keyboard.tab_scrolls`)."""
    s = QScrollArea()
    s.setWidgetResizable(True)
    s.setFrameShape(QScrollArea.Shape.NoFrame)
    s.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    s.setWidget(w)
    tab_scrolls(s)
    return s


class InputTabs(QTabWidget):
    augment_changed = Signal()  # an edit of the augmentation, or "Safe defaults" / "None" pressed
    reroll_requested = Signal()  # "New examples": the next previews use other random changes

    def __init__(self, parent=None):
        super().__init__(parent)
        self.seed = 0  # of the augmentation examples
        self.preprocess_panel = PreprocessPanel()
        self.augment_panel = AugmentPanel()
        self.augment_panel.changed.connect(self.augment_changed)
        self.augment_panel.safe.clicked.connect(self._safe_augment)
        self.augment_panel.off.clicked.connect(self._no_augment)
        self.input_preview = PreviewGrid(4, "Import pictures on the Data page to see them here as the network "
                                            "will see them.")
        self.augment_preview = PreviewGrid(4, "Turn on some augmentation to see examples here.")
        self.reroll = QPushButton("New examples")
        self.reroll.setToolTip("Draw other random changes")
        self.reroll.clicked.connect(self._reroll)
        self.previews = PreviewRunner(self)
        self.previews.ready.connect(self._show_previews)
        tab_in = QWidget()
        ti = QVBoxLayout(tab_in)
        ti.addWidget(self.preprocess_panel)
        ti.addWidget(QLabel("<b>As the network sees them</b>"))
        ti.addWidget(self.input_preview)
        ti.addStretch(1)
        tab_aug = QWidget()
        ta = QVBoxLayout(tab_aug)
        ta.addWidget(self.augment_panel)
        row = QHBoxLayout()
        examples = QLabel("<b>Examples</b>")
        examples.setToolTip("Two of the project's pictures, four random changes each")
        row.addWidget(examples)
        row.addStretch(1)
        row.addWidget(self.reroll)
        ta.addLayout(row)
        ta.addWidget(self.augment_preview)
        ta.addStretch(1)
        self.addTab(_scrolled(tab_in), "Input")
        self.addTab(_scrolled(tab_aug), "Augmentation")
        self._fit_width()

    def least_width(self) -> int:
        """The least width that shows both tabs' settings and previews whole beside a vertical scroll bar (a larger
        font widens the boxes); never under :data:`LEAST_WIDTH`, the width at the default font. The Model page's
        splitter starts the panel at this width."""
        pages = [self.widget(i) for i in range(self.count())]
        content = max(p.widget().minimumSizeHint().width() for p in pages)
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        opt = QStyleOptionTabWidgetFrame()
        self.initStyleOption(opt)
        pane = self.style().subElementRect(QStyle.SubElement.SE_TabWidgetTabContents, opt, self)
        return max(LEAST_WIDTH, content + bar + opt.rect.width() - pane.width())  # and the pane's frame

    def _fit_width(self) -> None:
        self.setMinimumWidth(self.least_width())

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and self.count():
            self._fit_width()

    def request_previews(self, paths: list[Path]) -> None:
        """Previews of ``paths`` with the current settings, shown once made (a newer request replaces this one)."""
        v = self.preprocess_panel.values()
        pp = {k: v[k] for k in ("height", "width", "channels", "resize")}
        self.previews.request(paths, pp, self.augment_panel.values(), self.seed)

    def _show_previews(self, seen: list, augmented: list) -> None:
        self.input_preview.show_arrays(seen)
        self.augment_preview.show_arrays(augmented)
        self._fit_width()  # a row of four previews is as wide as it is, whatever the font

    def _safe_augment(self) -> None:
        from ...engine.train.settings import SAFE_AUGMENT

        self.augment_panel.set_values(SAFE_AUGMENT.to_json())
        self.augment_changed.emit()

    def _no_augment(self) -> None:
        from ...engine.data.augment import AugmentSettings

        self.augment_panel.set_values(AugmentSettings(padding=self.augment_panel.values()["padding"]).to_json())
        self.augment_changed.emit()

    def _reroll(self) -> None:
        self.seed += 1
        self.reroll_requested.emit()

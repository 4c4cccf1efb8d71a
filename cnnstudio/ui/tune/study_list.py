"""The project's studies on the Tune page: a combo box of :func:`~cnnstudio.engine.tune.overview.list_studies`;
choosing one reads it back (:func:`~cnnstudio.engine.tune.overview.show_study`) in a thread — a process's
first summary imports what the parameter importances need, seconds of work — and emits ``shown(dict)``; while it
reads, :meth:`StudyList.reading` is true (``reading_changed``), so the page says so rather than show an empty search.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ..model.params import ComboBox
from ...engine.tune.words import search_name
from .tune_state import study_label

NONE_YET = "No search yet: start one with the buttons below"


class StudyList(QWidget):
    shown = Signal(dict)  # show_study's answer for the chosen study
    failed = Signal(str)  # a sentence
    reading_changed = Signal(bool)  # a chosen study starts being read back (True) or is read (False)

    def __init__(self, project, skip: Callable[[str], bool], parent=None):
        """``skip(name)``: True when the page needs no reading of that study (it shows it already, or runs)."""
        super().__init__(parent)
        self.project, self.skip = project, skip
        self.reader = None  # the TaskThread reading a study back
        self._next: str | None = None
        self.combo = ComboBox()
        self.combo.setToolTip("The searches of this project: choose one to see its trials")
        self.combo.currentIndexChanged.connect(self._chosen)
        self.combo.setAccessibleName("Search")  # which search the page shows
        label = QLabel("Search:")
        label.setBuddy(self.combo)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(label)
        lay.addWidget(self.combo, 1)

    def load(self, select: str | None = None) -> None:
        """The list again; ``select`` (default: the latest study) is chosen and read unless ``skip`` says not."""
        from ...engine.errors import EngineError
        from ...engine.tune.overview import list_studies

        try:
            studies = list_studies(self.project)
        except (EngineError, OSError) as e:
            studies = []
            self.failed.emit(f"The searches of this project cannot be read: {e}")
        self.combo.blockSignals(True)
        self.combo.clear()
        for s in studies:
            self.combo.addItem(study_label(s), s["study"])
        if not studies:
            self.combo.addItem(NONE_YET, None)
        i = self.combo.findData(select) if select else self.combo.count() - 1
        self.combo.setCurrentIndex(max(0, i))
        self.combo.blockSignals(False)
        self.combo.setEnabled(bool(studies))
        self._chosen()

    def add(self, name: str) -> None:
        """A study started on the page: listed and chosen, nothing read."""
        self.combo.blockSignals(True)
        if self.combo.findData(name) < 0:
            if self.combo.itemData(0) is None:
                self.combo.removeItem(0)
            self.combo.addItem(search_name(name), name)
        self.combo.setCurrentIndex(self.combo.findData(name))
        self.combo.blockSignals(False)

    def names(self) -> list[str]:
        return [self.combo.itemData(i) for i in range(self.combo.count()) if self.combo.itemData(i)]

    def chosen(self) -> str | None:
        return self.combo.currentData()

    def set_enabled(self, on: bool) -> None:
        self.combo.setEnabled(on and bool(self.names()))

    def _chosen(self, *_) -> None:
        name = self.chosen()
        if name is None or self.skip(name):
            return
        if self.reader is not None:  # read once the one in flight is done
            self._next = name
            return
        from ...engine.tune.overview import show_study
        from ..workers import start_task

        project = self.project
        self.reader = start_task(lambda progress, cancel: show_study(project, name), parent=self,
                                 succeeded=self._read, finished=self._done,
                                 errored=lambda message, _tb: self.failed.emit(f"This search cannot be read: "
                                                                               f"{message}"))
        self.reading_changed.emit(True)

    def reading(self) -> bool:
        """A chosen study is being read back: its trials are not shown yet (the table says so, not "Start a
        search")."""
        return self.reader is not None or self._next is not None

    def _read(self, shown: dict) -> None:
        if shown.get("study") == self.chosen() and not self.skip(shown["study"]):
            self.shown.emit(shown)

    def _done(self) -> None:
        if self.reader is not None:
            self.reader.deleteLater()
        self.reader = None
        if self._next is not None:
            self._next = None
            self._chosen()
        if self.reader is None:
            self.reading_changed.emit(False)

    def shutdown(self) -> None:
        self._next = None
        if self.reader is not None:
            self.reader.stop_and_wait()
            self._done()

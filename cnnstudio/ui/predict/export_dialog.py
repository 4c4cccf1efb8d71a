"""Export a trained model: a CNN Studio bundle, ONNX or TorchScript, written by :func:`cnnstudio.engine.export.export`
in a TaskThread with a progress bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
                               QPushButton, QRadioButton, QVBoxLayout)

from ..workers import TaskThread, start_task

FORMATS = (
    ("bundle", "CNN Studio model (.zip)", ".zip",
     "What CNN Studio opens, on this or another computer; the only format that can never run code"),
    ("onnx", "ONNX (.onnx)", ".onnx", "For ONNX Runtime and other tools, in any programming language"),
    ("torchscript", "TorchScript (.pt)", ".pt", "For PyTorch and LibTorch (C++) programs"),
)


class ExportDialog(QDialog):
    exported = Signal(object)  # ExportResult, or None when it failed; the thread has ended

    def __init__(self, bundle_path: Path, default_name: str, parent=None):
        super().__init__(parent)
        from ...engine.use.export import onnx_available

        self.setWindowTitle("Export the model")
        self.bundle_path = Path(bundle_path)
        self.thread: TaskThread | None = None
        self.result = None
        self.group = QButtonGroup(self)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<b>Format</b>"))
        onnx_ok, onnx_why = onnx_available()
        self.radios = {}
        for i, (key, text, _suffix, tip) in enumerate(FORMATS):
            r = QRadioButton(text)
            r.setToolTip(tip)
            if key == "onnx" and not onnx_ok:
                r.setEnabled(False)
                r.setToolTip(onnx_why)
                r.setText(text + " — not installed")
            self.group.addButton(r, i)
            self.radios[key] = r
            lay.addWidget(r)
        self.radios["bundle"].setChecked(True)
        self.path = QLineEdit(str(Path.home() / f"{default_name}.zip"))
        self.browse = QPushButton("Choose…")
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        lay.addWidget(QLabel("<b>Save as</b>"))
        lay.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(lambda: self.start(self.fmt(), self.path.text()))
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)
        self.group.idToggled.connect(self._format_changed)
        self.path.textChanged.connect(self._forget_last)  # "✔ Saved model.zip" is about that file only
        self.resize(520, 300)

    def fmt(self) -> str:
        return FORMATS[self.group.checkedId()][0]

    def _format_changed(self, i: int, on: bool) -> None:
        if on:
            p = Path(self.path.text())
            self.path.setText(str(p.with_suffix(FORMATS[i][2])))

    def _forget_last(self, *_) -> None:
        if self.thread is None:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.message.setText("")

    def _browse(self) -> None:
        suffix = FORMATS[self.group.checkedId()][2]
        path = QFileDialog.getSaveFileName(self, "Export the model as", self.path.text(), f"*{suffix}")[0]
        if path:
            self.path.setText(path if path.endswith(suffix) else path + suffix)

    def start(self, fmt: str, out_path: str) -> bool:
        from ...engine.use.export import export

        if self.thread is not None or not out_path:
            return False
        src = self.bundle_path

        def work(progress=None, cancel=None):
            return export(src, fmt, out_path, progress=progress)

        self.result = None
        self._failure = ""
        self.export_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.message.setText("Exporting…")
        self.thread = start_task(work, parent=self, progress=self._progress, succeeded=self._keep,
                                 errored=lambda msg, _tb: setattr(self, "_failure", msg), finished=self._done)
        return True

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if message:
            self.message.setText(message)

    def _keep(self, result) -> None:
        self.result = result

    def _done(self) -> None:
        self.thread.deleteLater()
        self.thread = None
        self.export_button.setEnabled(True)
        self.progress.setRange(0, 1)
        if self.result is not None:
            self.progress.setValue(1)
            notes = "".join(f"<br><small>{n}</small>" for n in self.result.notes)
            self.message.setText(f"<span style='color:#1e8449'>✔ Saved {self.result.path}</span>{notes}")
        else:
            self.progress.setValue(0)
            self.message.setText(f"<span style='color:#c0392b'>✖ Export failed: {self._failure}</span>")
        self.exported.emit(self.result)

    def done(self, code: int) -> None:  # closing waits for an export in progress (it writes atomically)
        if self.thread is not None:
            self.thread.stop_and_wait()
            self._done()
        super().done(code)

"""Export a trained model: a CNN Studio bundle, ONNX or TorchScript, written by :func:`cnnstudio.engine.use.export.export`
in a child process (:mod:`cnnstudio.engine.runs.export_child`, so that Cancel ends it at once: the Close button reads
Cancel while it works, and closing the dialog cancels it too) with a progress bar (shown once an export starts). Once
the last step says the file is saved, the button reads Close again (the child may take a moment to end: a Cancel then
said "Export cancelled; nothing was written." beside a complete file), and closing then is no cancel. A cancelled
export's unfinished file is removed by the child; the dialog says what is at the file then: nothing new, or the file
the export had already put there (:func:`cancelled_words`). The dialog names the run it exports and says
under each format what it is for. Opened by the Predict page's "Export…" and File ▸ Export model…, both for the
model chosen on the Predict page.

Before the child starts, the target is checked (a file CNN Studio did not export is refused at once, before any step,
in the words of :class:`~cnnstudio.engine.use.export_paths.ExportRefused`: "Not exported: …", not a failure),
and a file that holds another run's export is replaced only after a question naming that run
(:mod:`cnnstudio.engine.use.export_held`); the same run's earlier export is replaced without one. The file offered is
in the folder the last export went to (the home folder at first: :func:`~cnnstudio.ui.settings.last_folder`)."""

from __future__ import annotations

from pathlib import Path

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QProgressBar, QPushButton, QRadioButton, QVBoxLayout)

from ..colours import status_span
from ..settings import last_folder, remember_folder
from ..workers import LatestTask

FORMATS = (  # key, name, suffix, what it is for (shown under the name), more in its tooltip
    ("bundle", "CNN Studio model (.zip)", ".zip",
     "To use in CNN Studio on this or another computer, or with “cnnstudio predict”.",
     "The only format that can never run code"),
    ("onnx", "ONNX (.onnx)", ".onnx", "For other programs and for phones (ONNX Runtime, in any programming language).",
     "ONNX Runtime reads it in Python, C#, Java, JavaScript and C++, and on Android and iOS phones"),
    ("torchscript", "TorchScript (.pt)", ".pt", "For programs written with PyTorch (Python or C++).",
     "Loaded with torch.jit.load, or LibTorch in C++"),
)


def file_state(path: Path) -> tuple | None:
    """What is at ``path`` (None: nothing): whether an export replaced it is told by comparing this before and after."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def cancelled_words(name: str, existed: bool, written: bool) -> str:
    """What a cancelled export left at the file ``name``: ``written``, the export had put its file there before the
    cancel reached it (it is complete: the file is renamed into place whole); else its unfinished file, if it had
    begun one, was removed (:mod:`~cnnstudio.engine.runs.export_child`), and the file is as it was (``existed``) or
    not there."""
    if written:
        return f"Too late to cancel: “{name}” had already been saved."
    kept = f"“{name}” is as it was" if existed else "nothing was saved"
    return f"Export cancelled: {kept}, and no unfinished file is left."


def runs_with_model(project) -> list:
    """The project's runs that have a trained model to predict with or export, newest first (the Predict page's
    list; File ▸ Export model… is on when there is one)."""
    from ...project import run_records as index

    return [r for r in index.list_runs(project) if index.has_model(project, r.id)]


def run_export_dialog(project, run_id: str, parent) -> "ExportDialog":
    """The export dialog for ``run_id``'s model, offering a file named after the project and the run (two runs'
    exports: two files)."""
    from ...project import run_records as index
    from ...project.run_names import export_file_stem

    run = index.find_run(project, run_id)
    name = export_file_stem(project.root.name, run.name if run else "")
    return ExportDialog(index.run_dir(project, run_id) / index.MODEL_DIR, name, parent, run_name=run.name if run else "",
                        name_of=lambda other: getattr(index.find_run(project, other), "name", ""))


class ExportDialog(QDialog):
    exported = Signal(object)  # ExportResult, or None when it failed; the thread has ended

    def __init__(self, bundle_path: Path, default_name: str, parent=None, run_name: str = "", name_of=None):
        """``default_name``: the file name offered, without its suffix (:func:`.run_names.export_file_stem`: the
        project's and the run's names); ``run_name``: the run exported; ``name_of(run id)``: the name of a project's
        run ("" when unknown), for the question before replacing another run's export."""
        super().__init__(parent)
        from ...engine.use.export import onnx_available

        self.setWindowTitle("Export the model")
        self.bundle_path = Path(bundle_path)
        self.run_name = run_name
        self.name_of = name_of
        self.question: QMessageBox | None = None  # "… already holds an export of the run …: replace it?"
        self.task = LatestTask(self)  # the export at work; closing the dialog lets it go
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(self._keep)
        self.task.errored.connect(self._errored)
        self.task.ended.connect(self._done)
        self.result = None
        self._cancelled = False  # Cancel was pressed (or the dialog closed) while an export worked
        self._target: tuple[str, Path, tuple | None] | None = None  # the export's format, file, and what was there
        self._saved = False  # the last step said the file is saved (its process may not have ended yet)
        self.group = QButtonGroup(self)
        lay = QVBoxLayout(self)
        self.which = QLabel()  # which trained model is exported (the run chosen on the Predict page)
        self.which.setWordWrap(True)
        self.which.setTextFormat(Qt.TextFormat.RichText)
        self.which.setText(f"Exports the model of the run <b>{escape(run_name)}</b>." if run_name else "")
        self.which.setVisible(bool(run_name))
        lay.addWidget(self.which)
        lay.addWidget(QLabel("<b>Format</b>"))
        onnx_ok, onnx_why = onnx_available()
        self.radios, self.uses = {}, {}
        for i, (key, text, _suffix, use, tip) in enumerate(FORMATS):
            r = QRadioButton(text)
            r.setToolTip(tip)
            used = QLabel(use)  # what the format is for, under its name
            used.setWordWrap(True)
            used.setIndent(24)  # under the radio button's text, not its circle
            used.setStyleSheet("color: palette(placeholder-text);")
            if key == "onnx" and not onnx_ok:
                r.setEnabled(False)
                r.setToolTip(onnx_why)
                r.setText(text + " — not installed")
            self.group.addButton(r, i)
            self.radios[key], self.uses[key] = r, used
            lay.addWidget(r)
            lay.addWidget(used)
        self.radios["bundle"].setChecked(True)
        self.path = QLineEdit(str(Path(last_folder("export")) / f"{default_name}.zip"))  # where the last export went
        self.browse = QPushButton("Choose…")
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        lay.addWidget(QLabel("<b>Save as</b>"))
        lay.addLayout(row)
        self.progress = QProgressBar()  # shown while an export runs, and with its result; not before
        self.progress.setValue(0)
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(lambda: self.start(self.fmt(), self.path.text()))
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self._close_or_cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)
        self.group.idToggled.connect(self._format_changed)
        self.path.textChanged.connect(self._forget_last)  # "✔ Saved model.zip" is about that file only
        self.resize(520, 300)

    def fit(self) -> None:
        """Never shorter than its words at its width: the bar and the "✔ Saved…" lines that appear make the dialog
        grow rather than squeeze the formats' descriptions (their letters were cut top and bottom). Qt's own
        minimum for a layout leaves out how wrapped words grow taller, so the height is asked of the layout."""
        lay = self.layout()
        lay.activate()
        need = lay.totalHeightForWidth(self.width())
        if need > 0:
            self.setMinimumHeight(need)
            if self.height() < need:
                self.resize(self.width(), need)

    def resizeEvent(self, event) -> None:  # noqa: N802 - narrower: the words take more lines
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()

    def fmt(self) -> str:
        return FORMATS[self.group.checkedId()][0]

    def _format_changed(self, i: int, on: bool) -> None:
        if on:
            p = Path(self.path.text())
            self.path.setText(str(p.with_suffix(FORMATS[i][2])))

    @property
    def thread(self):
        """The export's thread while one works (None: none)."""
        return self.task.thread

    def _forget_last(self, *_) -> None:
        if not self.task.busy:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.hide()
            self.message.setText("")
            self.fit()

    def _browse(self) -> None:
        suffix = FORMATS[self.group.checkedId()][2]
        path = QFileDialog.getSaveFileName(self, "Export the model as", self.path.text(), f"*{suffix}")[0]
        if path:
            self.path.setText(path if path.endswith(suffix) else path + suffix)

    def start(self, fmt: str, out_path: str, replace: bool = False) -> bool:
        """Export to ``out_path`` in a child process; False when nothing started: busy, refused (said at once), or
        the file holds another run's export and :attr:`question` asks first (``replace``: the user said yes)."""
        from ...engine.errors import EngineError
        from ...engine.use.export_held import other_export
        from ...engine.use.export_paths import ExportRefused, check_target

        if self.task.busy or not out_path:
            return False
        try:
            check_target(fmt, out_path)  # before any step: a file CNN Studio did not export is never replaced
            held = None if replace else other_export(self.bundle_path, fmt, out_path)
        except ExportRefused as e:  # not a failure: nothing was tried, and what is there was left as it is
            self._say_not_exported(e.sentence)
            return False
        except EngineError as e:
            self._say_failed(str(e))
            return False
        if held is not None:
            self._ask_replace(fmt, out_path, held)
            return False
        self._run(fmt, out_path)
        return True

    def _ask_replace(self, fmt: str, out_path: str, held: dict) -> None:
        """The file holds another run's export: asked, naming that run; Replace exports, Cancel leaves it as it is."""
        from ...engine.use.export_held import held_words

        this = f"the model of the run “{self.run_name}”" if self.run_name else "this model"
        box = QMessageBox(QMessageBox.Icon.Question, "Replace the earlier export?",
                          f"{Path(out_path).name} already holds {held_words(held, self.name_of)}. Replace it with "
                          f"{this}?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText("Replace")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._answered(box, button, fmt, out_path))
        self.question = box
        box.open()

    def _answered(self, box: QMessageBox, button, fmt: str, out_path: str) -> None:
        self.question = None
        if box.standardButton(button) == QMessageBox.StandardButton.Yes:
            self.start(fmt, out_path, replace=True)
        else:
            self._say_not_exported(f"Not exported: {Path(out_path).name} was left as it is.")

    def _say_not_exported(self, sentence: str) -> None:
        """A refusal or a "no" to replacing: plain words, not a failure (nothing was tried). In a span, so that a
        file name with "<" or "&" in it reads as it is."""
        self.progress.hide()
        self.message.setText(f"<span>{escape(sentence, quote=False)}</span>")
        self.fit()

    def _say_failed(self, text: str) -> None:
        self.progress.hide()  # a bar at 0 % says nothing the message does not
        self.message.setText(status_span("error", f"✖ Export failed: {escape(text, quote=False)}", self))
        self.fit()

    def _run(self, fmt: str, out_path: str) -> None:
        from ...engine.runs.export_child import export_in_child

        src = self.bundle_path

        def work(progress=None, cancel=None):
            return export_in_child(src, fmt, out_path, progress=progress, cancel=cancel)

        remember_folder("export", Path(out_path).parent)  # the next export is offered beside this one
        self.result = None
        self._failure = ""
        self._cancelled = False
        self._saved = False
        self._target = (fmt, Path(out_path), file_state(Path(out_path)))
        self._set_choosing(False)  # what is being written stays what the dialog shows
        self.close_button.setText("Cancel")
        self.close_button.setToolTip("Stop the export; nothing is written.")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.message.setText("Exporting…")
        self.fit()
        self.task.run(work)

    def _progress(self, done: int, total: int, message: str) -> None:
        """A step begins: its words and a busy bar (a step's length is not known: converting to ONNX took 45 s
        at a "25 %" that looked stuck); the bar fills once the last step is done."""
        if done < total:
            self.progress.setRange(0, 0)
            words = f"Step {done + 1} of {total}: {message[:1].lower() + message[1:]}…" if message else ""
        else:
            self.progress.setRange(0, max(1, total))
            self.progress.setValue(total)
            words = message
            self._saved = True  # the file is in place: nothing is left to cancel
            self.close_button.setText("Close")
            self.close_button.setToolTip("")
        if words:
            self.message.setText(words)
            self.fit()

    def _keep(self, result) -> None:
        self.result = result

    def _errored(self, message: str, _tb: str) -> None:
        self._failure = message

    def _close_or_cancel(self) -> None:
        """Close, or while an export works, Cancel: the export's process is ended (nothing is written). Once its file
        is saved, Close (its process ending meanwhile is no cancel: :meth:`done`)."""
        if not self.task.busy or self._saved:
            self.reject()
            return
        self._cancelled = True
        self.task.stop()
        self.message.setText("Cancelling…")

    def _set_choosing(self, on: bool) -> None:
        """The format, the file and Export can be changed only while no export works."""
        for w in (self.export_button, self.path, self.browse, *self.group.buttons()):
            w.setEnabled(on and not w.text().endswith(" — not installed"))

    def _done(self, _thread=None) -> None:
        """The export ended (or closing the dialog ended it: :meth:`done`): what came of it."""
        self._set_choosing(True)
        self.close_button.setText("Close")
        self.close_button.setToolTip("")
        self.progress.setRange(0, 1)
        if self.result is None and self._saved and self._target is not None:
            self.result = self._saved_result()  # its process was ended after it had saved the file
        if self.result is None and self._cancelled:
            self.progress.hide()
            self.message.setText(self._cancelled_words())
        elif self.result is not None:
            self.progress.setValue(1)
            notes = "".join(f"<br><small>{n}</small>" for n in self.result.notes)
            self.message.setText(status_span("ok", f"✔ Saved {self.result.path}", self) + notes)
        else:
            self._say_failed(self._failure)
        self.fit()
        self.exported.emit(self.result)

    def _saved_result(self):
        """The export's result once its last step said the file is saved, when its process was ended before it said
        the rest (closed while it ended)."""
        from ...engine.use.export import ExportResult

        fmt, path, _before = self._target
        return ExportResult(path, fmt)

    def _cancelled_words(self) -> str:
        if self._target is None:
            return cancelled_words("", False, False)
        _fmt, path, before = self._target
        now = file_state(path)
        return cancelled_words(path.name, before is not None, now is not None and now != before)

    def done(self, code: int) -> None:  # closing cancels an export in progress (its process is ended at once)
        if self.task.busy:
            thread = self.task.thread
            self._cancelled = not self._saved
            self.task.shutdown()  # waited for; what it still says is not heard
            if self.result is None and thread.isFinished() and thread.result is not None:
                self.result = thread.result  # it had finished, its 'succeeded' still queued: the file was written
            self._done()
        super().done(code)

"""Friendly error reporting: an unexpected exception becomes a dialog, not a vanished window.

:func:`install_error_hooks` (called by :func:`cnnstudio.ui.app.run_gui`) replaces ``sys.excepthook``
(exceptions in slots, timers, event handlers: PySide6 hands them to it) and ``threading.excepthook``
(exceptions in Python threads). The hook, on whatever thread it runs:

1. builds a report: what happened, the traceback, where (thread), versions of CNN Studio, Python, Qt,
   PySide6, PyTorch, the operating system;
2. prints it on stderr (when there is one) and saves it in ``<user data>/error-reports/`` so it
   survives even if the app cannot go on;
3. asks the GUI thread (a queued signal) to show :class:`ErrorDialog`: the problem in plain words, the
   reassurance that the user's work is saved (the project store commits every action the moment it
   is made, see ARCHITECTURE.md), the report in a read-only box with "Copy report", and a choice
   between "Keep working" (the default: the app goes on) and "Quit".

Not a bug: a :class:`~cnnstudio.project.errors.ProjectError` (a ``DiskError`` from a full, read-only or
vanished disk among them) or an ``OSError`` / SQLite error about the disk is shown as one sentence in a
plain message box (:func:`problem_words`), not as this dialog: the user did nothing wrong, nothing needs
reporting, and the app goes on.

The dialog is not modal: the user can keep working while it is open. A burst of errors (the same
slot failing on every repaint) does not stack up windows: while a dialog is open, later errors are
added to its report and counted in its text. ``KeyboardInterrupt`` goes to the previous hook (Ctrl-C
in a terminal still quits).
"""

from __future__ import annotations

import datetime as _dt
import errno
import platform
import sqlite3
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QMessageBox,
                               QPlainTextEdit, QPushButton, QStyle, QVBoxLayout, QWidget)

from .. import __version__
from .sentence import sentence, without_qt_words

SAVED_WORK = ("Your work is safe: CNN Studio saves every change to the project the moment you make it, "
              "so nothing you did before this is lost.")
REPORTS_DIR = "error-reports"
MAX_REPORTS_KEPT = 50


# ---------------------------------------------------------------------------- words and reports
def plain_words(exc: BaseException) -> str:
    """What went wrong, in one or two sentences a user can act on."""
    if isinstance(exc, MemoryError):
        return ("The computer ran out of memory. Close other programs, or use smaller pictures, a smaller "
                "model or a smaller batch size, then try again.")
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "The disk is full. Free some space, then try again."
    if isinstance(exc, PermissionError):
        name = f" ({exc.filename})" if exc.filename else ""
        return f"CNN Studio was not allowed to read or write a file{name}. Check the folder's permissions."
    if isinstance(exc, FileNotFoundError):
        name = f" ({exc.filename})" if exc.filename else ""
        return f"A file CNN Studio needed is gone{name}: it may have been moved or deleted outside the app."
    if isinstance(exc, OSError):
        return f"Reading or writing a file failed: {exc.strerror or exc}."
    return "CNN Studio ran into a problem it did not expect. This is a bug in CNN Studio, not something you did."


def _one_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def versions() -> dict[str, str]:
    """Versions for a report; never imports a heavy library just to ask (torch only if already loaded)."""
    from importlib import metadata

    import PySide6
    from PySide6.QtCore import qVersion

    out = {"CNN Studio": __version__, "Python": platform.python_version(),
           "PySide6": PySide6.__version__, "Qt": qVersion()}
    for dist, module in (("torch", "torch"), ("torchvision", "torchvision"), ("pyqtgraph", "pyqtgraph"),
                         ("numpy", "numpy"), ("pillow", "PIL")):
        mod = sys.modules.get(module)
        v = getattr(mod, "__version__", None) if mod is not None else None
        if v is None:
            try:
                v = metadata.version(dist)
            except metadata.PackageNotFoundError:
                v = "not loaded"
        out[dist] = str(v)
    out["OS"] = f"{platform.system()} {platform.release()} ({platform.machine()})"
    out["frozen app"] = "yes" if getattr(sys, "frozen", False) else "no"
    app = QGuiApplication.instance()
    if app is not None:
        out["Qt platform"] = QGuiApplication.platformName()
    return out


def format_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
                  thread_name: str | None = None) -> str:
    """The copyable report: the error, the traceback, where, and the versions."""
    when = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    lines = [f"CNN Studio error report ({when})", "",
             f"Error: {_one_line(exc)}",
             f"Thread: {thread_name or threading.current_thread().name}", "",
             "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(), "", "Versions:"]
    try:
        lines += [f"  {k}: {v}" for k, v in versions().items()]
    except Exception as e:  # noqa: BLE001 - a report without versions is better than none
        lines.append(f"  (could not read versions: {e})")
    return "\n".join(lines) + "\n"


def save_report(report: str) -> Path | None:
    """Write the report under the app's data folder (the newest :data:`MAX_REPORTS_KEPT` are kept)."""
    try:
        from ..resources import user_data_dir

        folder = user_data_dir() / REPORTS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = folder / f"error-{stamp}.txt"
        path.write_text(report, encoding="utf-8")
        old = sorted(folder.glob("error-*.txt"))[:-MAX_REPORTS_KEPT]
        for p in old:
            p.unlink(missing_ok=True)
        return path
    except OSError:
        return None


# ---------------------------------------------------------------------------- the dialog
class ErrorDialog(QDialog):
    """The problem in plain words, the saved-work reassurance, the report with "Copy report"."""

    quit_requested = Signal()

    def __init__(self, summary: str, plain: str, report: str, saved_to: Path | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Something went wrong — CNN Studio")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.extra_errors = 0
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._summary, self._plain = summary, plain
        self._saved_to = saved_to
        self._update_message()
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message, 1)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setMinimumSize(560, 180)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("Copy report")
        self.copy_button.setToolTip("Copy the report to the clipboard, to paste into an e-mail or an issue")
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = buttons.addButton("Quit CNN Studio", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.quit_button.clicked.connect(self._quit)
        self.keep_button = buttons.addButton("Keep working", QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_button.setDefault(True)
        self.keep_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("Report (the developers need this to fix it):"))
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)

    def _update_message(self) -> None:
        more = ""
        if self.extra_errors:
            n = self.extra_errors
            more = f"<p>{n} more error{'s' if n != 1 else ''} happened since; {'they are' if n != 1 else 'it is'} " \
                   "added to the report below.</p>"
        saved = (f"<p>A copy of this report was saved as <i>{_html(str(self._saved_to))}</i>.</p>"
                 if self._saved_to else "")
        self.message.setText(
            f"<p><b>{_html(self._plain)}</b></p><p>{_html(SAVED_WORK)} You can keep working.</p>"
            f"<p>What happened: <tt>{_html(self._summary)}</tt></p>{more}{saved}")

    def add_error(self, summary: str, report: str) -> None:
        """Another error while this dialog is open: counted, and its report appended."""
        self.extra_errors += 1
        if self.extra_errors <= 20:  # a flood of identical errors must not make the report unreadable
            self.report.appendPlainText("\n" + "-" * 72 + "\n" + report)
        self._update_message()

    def report_text(self) -> str:
        return self.report.toPlainText()

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
        self.copy_button.setText("Copied")

    def _quit(self) -> None:
        self.quit_requested.emit()
        self.close()


def failure_html(what: str, advice: str = "", details: str = "") -> str:
    """A page's failure line: ``what`` in bold, then the ``advice`` as a sentence, then a "Details…" link when
    there are details to show (the Train and Tune pages)."""
    text = f"<b>{what}</b>"
    if advice:
        text += f"<br>{sentence(advice)}"
    if details:
        text += " <a href='details'>Details…</a>"
    return text


def problem_words(exc: BaseException) -> str:
    """The one sentence for an error that is the disk's or the project's, not a bug; "" for a bug."""
    from ..project.disk import DiskError, disk_error, is_disk_problem
    from ..project.errors import ProjectError

    if isinstance(exc, (DiskError, ProjectError)):
        return without_qt_words(str(exc))  # raised in a Qt method (an undo step's redo): PySide's words go
    if isinstance(exc, (OSError, sqlite3.OperationalError)) and is_disk_problem(exc) and _disk_errno(exc):
        where = Path(getattr(exc, "filename", None) or ".")
        return str(disk_error(exc, where.parent if where.suffix else where, "save this change"))
    return ""


def _disk_errno(exc: BaseException) -> bool:
    from ..project.disk import FULL, GONE, NO_PERMISSION, READ_ONLY

    if isinstance(exc, sqlite3.OperationalError):
        return True
    return getattr(exc, "errno", None) in FULL | READ_ONLY | NO_PERMISSION | GONE


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------- the hooks
class ErrorReporter(QObject):
    """Owns the installed hooks; shows the dialog in the GUI thread whatever thread raised."""

    _caught = Signal(str, str, str, str)  # summary, plain words, report, saved path ("" if none)
    _problem = Signal(str)  # a disk or project problem: one sentence, not a bug
    dialog_shown = Signal(object)  # the ErrorDialog, for tests and for logging
    message_shown = Signal(object)  # the QMessageBox of a disk / project problem

    def __init__(self, parent: QObject | None = None, save: bool = True):
        super().__init__(parent)
        self.save = save
        self.dialog: ErrorDialog | None = None
        self.message_box: QMessageBox | None = None
        self.problems: list[str] = []  # the sentences shown (or merged into the open message)
        self.reports: list[str] = []
        self._previous_excepthook = None
        self._previous_threading_hook = None
        self._in_hook = threading.local()
        self._caught.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._problem.connect(self._show_problem, Qt.ConnectionType.QueuedConnection)

    # --------------------------------------------------------- installing
    def install(self) -> "ErrorReporter":
        if self._previous_excepthook is None:
            self._previous_excepthook = sys.excepthook
            self._previous_threading_hook = threading.excepthook
            sys.excepthook = self.excepthook
            threading.excepthook = self.threading_excepthook
        return self

    def uninstall(self) -> None:
        if self._previous_excepthook is not None:
            if sys.excepthook == self.excepthook:
                sys.excepthook = self._previous_excepthook
            if threading.excepthook == self.threading_excepthook:
                threading.excepthook = self._previous_threading_hook
            self._previous_excepthook = self._previous_threading_hook = None

    # --------------------------------------------------------- hooks (any thread)
    def excepthook(self, exc_type, exc, tb) -> None:
        self.handle(exc_type, exc, tb, threading.current_thread().name)

    def threading_excepthook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else None
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    def handle(self, exc_type, exc, tb, thread_name: str | None = None) -> None:
        if exc_type is None or issubclass(exc_type, KeyboardInterrupt) or getattr(self._in_hook, "on", False):
            (self._previous_excepthook or sys.__excepthook__)(exc_type, exc, tb)
            return
        self._in_hook.on = True
        try:
            if exc is None:
                exc = exc_type()
            problem = problem_words(exc)
            if problem:  # a full disk, a read-only folder, a vanished stick: a message, not a bug report
                if sys.stderr is not None:
                    try:
                        sys.stderr.write(f"cnnstudio: {problem}\n")
                    except (OSError, ValueError):
                        pass
                self.problems.append(problem)
                self._problem.emit(problem)
                return
            report = format_report(exc_type, exc, tb, thread_name)
            self.reports.append(report)
            if sys.stderr is not None:
                try:
                    sys.stderr.write(report)
                    sys.stderr.flush()
                except (OSError, ValueError):
                    pass
            saved = save_report(report) if self.save else None
            self._caught.emit(_one_line(exc), plain_words(exc), report, str(saved or ""))
        except Exception:  # noqa: BLE001 - the reporter must never make things worse
            sys.__excepthook__(exc_type, exc, tb)
        finally:
            self._in_hook.on = False

    # --------------------------------------------------------- the GUI thread
    @Slot(str, str, str, str)
    def _show(self, summary: str, plain: str, report: str, saved: str) -> None:
        try:
            self._show_dialog(summary, plain, report, saved)
        except Exception:  # noqa: BLE001 - never feed an error of the reporter back into the reporter
            sys.__excepthook__(*sys.exc_info())

    def _show_dialog(self, summary: str, plain: str, report: str, saved: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_error(summary, report)
            return
        parent = QApplication.activeWindow()
        if isinstance(parent, ErrorDialog):
            parent = None
        dialog = ErrorDialog(summary, plain, report, Path(saved) if saved else None, parent)
        dialog.quit_requested.connect(_quit_app)
        dialog.destroyed.connect(self._forget)
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog_shown.emit(dialog)

    @Slot()
    def _forget(self) -> None:
        self.dialog = None

    @Slot(str)
    def _show_problem(self, text: str) -> None:
        """One message at a time: the same problem again while it is open is not shown twice."""
        try:
            said, box = sentence(text), self.message_box
            if box is not None and box.isVisible():
                if said not in box.text().split("\n\n"):  # the box's sentences, in the form it shows them
                    box.setText(box.text() + "\n\n" + said)
                return
            parent = QApplication.activeWindow()
            box = QMessageBox(QMessageBox.Icon.Warning, "CNN Studio", said,
                              QMessageBox.StandardButton.Ok, parent)
            box.setModal(False)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.destroyed.connect(self._forget_message)
            self.message_box = box
            box.show()
            self.message_shown.emit(box)
        except Exception:  # noqa: BLE001 - never feed an error of the reporter back into the reporter
            sys.__excepthook__(*sys.exc_info())

    @Slot()
    def _forget_message(self) -> None:
        self.message_box = None


def _quit_app() -> None:
    app = QApplication.instance()
    if app is None:
        return
    for w in app.topLevelWidgets():  # the main window's closeEvent stops training and closes the project
        if w.isVisible() and not isinstance(w, ErrorDialog):
            w.close()
    app.quit()


def install_error_hooks(app: QApplication | None = None, save: bool = True) -> ErrorReporter:
    """Install the hooks; returns the reporter (keep it alive: it is parented to ``app``)."""
    reporter = ErrorReporter(app or QApplication.instance(), save=save)
    return reporter.install()


__all__ = ["ErrorDialog", "ErrorReporter", "SAVED_WORK", "format_report", "install_error_hooks", "plain_words", "problem_words",
           "save_report", "versions"]

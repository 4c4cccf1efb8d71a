"""Export a model in a child process, so that Cancel ends it at once: the Predict page's Export dialog.

:func:`cnnstudio.engine.use.export.export` is one long call into PyTorch's exporters (converting MobileNetV2 to ONNX
took 45 s on a laptop) that cannot be asked to stop half-way; in a thread, Cancel or closing the dialog had to wait
for it. Here it runs as ``cnnstudio _export-child BUNDLE FORMAT OUT`` (this program, from source or frozen, as the
training child of :mod:`.child_run`), which writes JSON lines: ``{"event": "_progress", "done", "total",
"message"}`` for each step, then ``{"event": "_done", ...}`` (:meth:`ExportResult.to_json`) or ``{"event": "_error",
"message"}``. Cancel kills the child; the export writes under a temporary name beside the output and renames it at the
end (:func:`~cnnstudio.engine.use.export_paths.tmp_beside`, named with the child's process id), so a killed export
leaves nothing at the output, and its temporary file is removed here. A crash in native code ends the child, not the
app, and is said in one sentence.

Costs: the child starts Python and imports PyTorch (~2 s) before the export itself.
"""

from __future__ import annotations

import argparse
import glob
import shutil
import sys
import threading
import traceback
from pathlib import Path
from typing import Callable

from ..errors import Cancelled, EngineError
from ..use.export_paths import tmp_beside
from .child_run import ProtocolChild, _how_it_ended, _Out, _protocol_stream

CHILD_COMMAND = "_export-child"
CANCEL_TICK_S = 0.1  # how often the parent looks at the cancel event while the child works


class ExportFailed(EngineError):
    """The export in the child failed; the message is its sentence."""


def export_command(src: str, fmt: str, out: str) -> list[str]:
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "cnnstudio"]
    return base + [CHILD_COMMAND, str(src), fmt, str(out)]


class ExportChild(ProtocolChild):
    """One export in a child process; :meth:`run` returns its :class:`~cnnstudio.engine.use.export.ExportResult`."""

    def __init__(self, src: str, fmt: str, out: str, env: dict | None = None):
        super().__init__()
        self.src, self.fmt, self.out, self.env = str(src), fmt, str(out), env

    def run(self, progress: Callable[[int, int, str], None] | None = None,
            cancel: threading.Event | None = None):
        from ..use.export import ExportResult

        proc = self._start(export_command(self.src, self.fmt, self.out), self.env, "export-child")
        ended, cancelled = threading.Event(), threading.Event()
        if cancel is not None:
            threading.Thread(target=self._watch, args=(cancel, ended, cancelled), name="export-child-cancel",
                             daemon=True).start()
        result = error = None
        try:
            for d in self._lines():
                kind = d.get("event")
                if kind == "_done":
                    result = ExportResult(Path(d["path"]), d["format"], d.get("exporter", ""),
                                          d.get("max_abs_diff"), list(d.get("notes") or []))
                elif kind == "_error":
                    error = str(d.get("message") or "the export failed")
                elif kind == "_progress" and progress is not None:
                    progress(int(d.get("done", 0)), int(d.get("total", 0)), str(d.get("message", "")))
                if result is None and cancel is not None and cancel.is_set():  # at once, not at the next tick
                    cancelled.set()
                    proc.kill()
                    break
            code = proc.wait()
        finally:
            ended.set()
            if proc.poll() is None:  # an error here: the child must not go on writing
                proc.kill()
                proc.wait()
        if cancelled.is_set() or (cancel is not None and cancel.is_set() and result is None):
            self._remove_leftovers(proc.pid)
            raise Cancelled("the export was cancelled; nothing was written")
        if result is not None:
            return result
        if error is not None:
            raise ExportFailed(error)
        self._remove_leftovers(proc.pid)
        tail = "\n".join(self.stderr_tail)
        raise ExportFailed(f"the export process ended unexpectedly ({_how_it_ended(code)}), so nothing was written"
                           + (f": {tail.splitlines()[-1]}" if tail.strip() else ""))

    def _watch(self, cancel: threading.Event, ended: threading.Event, cancelled: threading.Event) -> None:
        """Kill the child once ``cancel`` is set (looked at ten times a second until the child has ended)."""
        while not ended.wait(CANCEL_TICK_S):
            if cancel.is_set():
                cancelled.set()
                proc = self.process
                if proc is not None and proc.poll() is None:
                    proc.kill()
                return

    def _remove_leftovers(self, pid: int) -> None:
        """The temporary file a killed child was writing (:func:`tmp_beside`, named with its process id)."""
        tmp = tmp_beside(Path(self.out), pid)
        for path in (tmp, *tmp.parent.glob(glob.escape(tmp.name) + "?*")):  # and anything named after it
            try:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            except OSError:
                pass


def export_in_child(src, fmt: str, out, progress=None, cancel: threading.Event | None = None):
    """:meth:`ExportChild.run`: export the bundle at ``src`` as ``fmt`` to ``out`` in a child process; raises
    :class:`~cnnstudio.engine.errors.Cancelled` when ``cancel`` was set, :class:`ExportFailed` with the export's
    sentence when it failed."""
    return ExportChild(src, fmt, out).run(progress, cancel)


def child_main(argv: list[str]) -> int:
    """``cnnstudio _export-child BUNDLE FORMAT OUT``: export and write the lines (see the module doc)."""
    ap = argparse.ArgumentParser(prog=f"cnnstudio {CHILD_COMMAND}", description="(internal) export for the GUI")
    ap.add_argument("src")
    ap.add_argument("fmt")
    ap.add_argument("out")
    args = ap.parse_args(argv)
    out = _Out(_protocol_stream(), threading.Event())
    try:
        from ..use.export import export  # imports PyTorch: after the stream is set up

        result = export(args.src, args.fmt, args.out, progress=lambda d, t, m="": out.write(
            {"event": "_progress", "done": d, "total": t, "message": m}))
    except Exception as e:  # noqa: BLE001 - reported to the parent, which raises it there
        out.write({"event": "_error", "error": type(e).__name__, "message": str(e) or type(e).__name__,
                   "details": traceback.format_exc()})
        return 2
    out.write({"event": "_done", **result.to_json()})
    return 0

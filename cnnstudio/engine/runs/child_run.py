"""Train a run in a child process and iterate its events here: the generator the GUI's training thread runs.

The child is ``cnnstudio _train-child PROJECT RUN_ID [--resume | --restart]`` (the same program: ``python -m
cnnstudio`` from source, the app's own executable when frozen); it iterates :func:`cnnstudio.engine.runs.lifecycle.run`
— the generator the CLI and the tests iterate — and writes every event as one JSON line. The parent
(:class:`ChildRun`) reads the lines back into the same event dataclasses, so a consumer cannot tell the
difference, except that:

- **Training keeps the whole machine.** In the GUI process, training in a thread shares the Python GIL
  with the GUI thread: every millisecond of Python the GUI runs (events, plots, painting through
  pyqtgraph) stalls the training thread between two PyTorch operations. Measured on 2 cores
  (``benchmarks/bench_gui_training.py``): a training thread in the GUI process reached 0.90–0.93x the
  images/s of the CLI, even with the plots off; in a child process the GUI only takes its CPU time.
- **A crash in native code, or the out-of-memory killer, ends the child, not the app.** The run is
  marked failed with the reason (exit code or signal) and the end of the child's error output, and it can
  be resumed from its last checkpoint; the window and its other work are untouched.
- **Stop always works**: a child that does not stop within ``stop_timeout`` after it was asked is killed.

Protocol (UTF-8 text lines):

- parent -> child (stdin): ``stop``, ``pause``, ``resume``. End of input (the parent is gone): stop.
- child -> parent (its own copy of stdout; the child's fd 1 is pointed at stderr, so a stray ``print``
  in any library cannot break the stream): one JSON object per line, an engine event
  (:func:`~cnnstudio.engine.events.event_to_json`) or a control line ``{"event": "_paused", "on": bool}``
  (the trainer really waits / goes on) or ``{"event": "_error", "error": class name, "message": ...,
  "details": traceback}`` (an exception escaped the run: bad input before the first event, or a bug).
- stderr: free text (warnings); the last lines are kept for the failure report.

Costs: the child starts Python and imports PyTorch first (~2 s on a laptop) before its first event.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Iterator

from ...project import run_records
from ...project.store import Project
from ..errors import EngineError
from ..events import TERMINAL, EpochEnd, RunFailed, event_from_json, event_to_json

CHILD_COMMAND = "_train-child"
STOP_TIMEOUT_S = 60.0  # a child asked to stop finishes its batch and saves; then it is killed
CONTROL_TICK_S = 0.1  # how often the parent looks at the stop / pause events


class ChildError(EngineError):
    """An exception ended the child before or during the run; ``details`` is the child's traceback."""

    def __init__(self, message: str, details: str = "", error: str = ""):
        super().__init__(message)
        self.details = details
        self.error = error


def child_command(project_root: str | os.PathLike, run_id: str, resume: bool = False,
                  recipe: bool = False, restart: bool = False) -> list[str]:
    """The command line that trains ``run_id`` in a child: this program, whether frozen or from source.
    ``recipe``: the default recipe's run, which may be compared with transfer learning (recipe.py). ``restart``: a
    run whose checkpoint is damaged, trained again from the start (lifecycle.restart)."""
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "cnnstudio"]
    return (base + [CHILD_COMMAND, str(project_root), run_id] + (["--resume"] if resume and not restart else [])
            + (["--restart"] if restart else []) + (["--recipe"] if recipe and not resume and not restart else []))


def _child_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):  # ``-m cnnstudio`` finds this very copy, installed or not
        here = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra or {})
    return env


_CRASHES = {getattr(signal, n, None) for n in ("SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGABRT")} - {None}


def _how_it_ended(code: int) -> str:
    """How a child process ended, as a clause with no signal name and no brackets: "it was killed, which the system
    does when the computer runs out of memory"."""
    if code < 0:
        if -code == getattr(signal, "SIGKILL", 9):
            return "it was killed, which the system does when the computer runs out of memory"
        if -code in _CRASHES:
            return "it crashed"
        return "another program ended it"
    return f"it stopped with exit status {code}"


class ProtocolChild:
    """The parent's side of a child that speaks the protocol above (training here, a search in
    :mod:`cnnstudio.engine.tune.child`): the process, the end of its error output, commands to its stdin."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=40)
        self._write_lock = threading.Lock()

    def _start(self, command: list[str], env: dict | None, name: str) -> subprocess.Popen:
        self.process = proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            encoding="utf-8", errors="replace", bufsize=1, env=_child_env(env),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        threading.Thread(target=self._read_stderr, name=f"{name}-stderr", daemon=True).start()
        return proc

    def _lines(self) -> Iterator[dict]:
        """The child's protocol lines as JSON objects (anything else is kept with its error output)."""
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            try:
                d = json.loads(line)
            except ValueError:
                self.stderr_tail.append(line.rstrip())
                continue
            if isinstance(d, dict):
                yield d

    def _send(self, command: str) -> None:
        proc = self.process
        if proc is None or proc.stdin is None:
            return
        with self._write_lock:
            try:
                proc.stdin.write(command + "\n")
                proc.stdin.flush()
            except (OSError, ValueError):  # the child is gone, or its stdin is closed
                pass

    def _read_stderr(self) -> None:
        proc = self.process
        if proc is None or proc.stderr is None:
            return
        for line in proc.stderr:
            self.stderr_tail.append(line.rstrip("\n"))


class ChildRun(ProtocolChild):
    """One run trained in a child process. :meth:`events` is the generator; ``process`` the child.

    ``stop`` / ``pause`` are read (and ``paused`` is set and cleared) exactly as :func:`runs.run` does.
    """

    def __init__(self, project: Project, run_id: str, *, resume: bool = False, stop: threading.Event | None = None,
                 pause: threading.Event | None = None, paused: threading.Event | None = None,
                 env: dict | None = None, stop_timeout: float = STOP_TIMEOUT_S, recipe: bool = False,
                 restart: bool = False):
        super().__init__()
        self.project, self.run_id, self.resume, self.recipe = project, run_id, resume, recipe
        self.restart = restart
        self.stop = stop or threading.Event()
        self.pause = pause or threading.Event()
        self.paused = paused
        self.env = env
        self.stop_timeout = stop_timeout
        self._ended = threading.Event()
        self._sent_pause = False

    # -- the parent side ------------------------------------------------------------------------------
    def events(self) -> Iterator:
        proc = self._start(child_command(self.project.root, self.run_id, self.resume, self.recipe, self.restart),
                           self.env,
                           "train-child")
        if self.pause.is_set():  # paused from the start: the child hears it before its first batch
            self._send("pause")
            self._sent_pause = True
        threading.Thread(target=self._control, name="train-child-control", daemon=True).start()
        terminal, error, epoch = False, None, 0
        try:
            for d in self._lines():
                kind = d.get("event")
                if kind == "_paused":
                    if self.paused is not None:
                        self.paused.set() if d.get("on") else self.paused.clear()
                    continue
                if kind == "_error":
                    error = d
                    continue
                ev = event_from_json(d)
                if ev is None:
                    continue
                if isinstance(ev, EpochEnd):
                    epoch = ev.epoch
                terminal = terminal or isinstance(ev, TERMINAL)
                yield ev
            code = proc.wait()
        finally:
            self._ended.set()
            if proc.poll() is None:  # abandoned (the consumer closed the generator) or an error here
                self._finish_abandoned(proc)
            if self.paused is not None:
                self.paused.clear()
        if terminal:
            return
        if error is not None:
            raise ChildError(str(error.get("message") or "training could not start"), str(error.get("details") or ""),
                             str(error.get("error") or ""))
        yield self._died(code, epoch)

    def _died(self, code: int, epoch: int) -> RunFailed:
        """The child ended without saying how: a crash in native code, or killed. Mark the run failed."""
        reason = f"the training process ended unexpectedly: {_how_it_ended(code)}"
        try:
            from .lifecycle import mark_failed

            mark_failed(self.project, run_records.run_dir(self.project, self.run_id), self.run_id,
                        reason + "\n\n" + "\n".join(self.stderr_tail))
        except Exception:  # noqa: BLE001 - the report below matters more than the record
            pass
        from ...project.run_checkpoint import WHOLE, checkpoint_state

        whole = checkpoint_state(run_records.run_dir(self.project, self.run_id)) == WHOLE
        return RunFailed(self.run_id, epoch, reason,
                         ("Resume the run to continue from its last saved epoch. " if whole
                          else "Resume the run to train it again from epoch 1. ")
                         + "If it happens again, try a smaller batch size or a smaller model, and see the details.",
                         "\n".join(self.stderr_tail))

    def _finish_abandoned(self, proc: subprocess.Popen) -> None:
        self._send("stop")
        try:
            if proc.stdout is not None:
                proc.stdout.close()  # the child's next write fails: it stops writing and finishes quietly
        except OSError:
            pass
        try:
            proc.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        try:  # a killed child could not record it; a run that is still "running" here is not
            if run_records.get_run(self.project, self.run_id).status == "running":
                run_records.update_run(self.project, self.run_id, status="stopped")
        except Exception:  # noqa: BLE001
            pass

    def _control(self) -> None:
        """Hand the stop / pause events to the child (checked ten times a second)."""
        while not self._ended.wait(CONTROL_TICK_S):
            if self.stop.is_set():
                self._send("stop")
                return
            want = self.pause.is_set()
            if want != self._sent_pause:
                self._send("pause" if want else "resume")
                self._sent_pause = want


def run_in_child(project: Project, run_id: str, **kw) -> Iterator:
    """:class:`ChildRun` (same arguments) as a plain generator of events."""
    return ChildRun(project, run_id, **kw).events()


# -- the child side -------------------------------------------------------------------------------------
class _Out:
    """The protocol stream: one JSON line per call, flushed; quiet once the parent has gone."""

    def __init__(self, stream: IO[str], gone: threading.Event):
        self.stream, self.gone, self.lock = stream, gone, threading.Lock()

    def write(self, obj: dict) -> None:
        if self.gone.is_set():
            return
        line = json.dumps(obj, allow_nan=False) + "\n"
        with self.lock:
            try:
                self.stream.write(line)
                self.stream.flush()
            except (OSError, ValueError):  # the parent closed its end: nobody listens any more
                self.gone.set()


class _ReportingEvent(threading.Event):
    """The trainer's ``paused`` event: every change is told to the parent."""

    def __init__(self, out: _Out):
        super().__init__()
        self.out = out

    def set(self) -> None:
        if not self.is_set():
            super().set()
            self.out.write({"event": "_paused", "on": True})

    def clear(self) -> None:
        if self.is_set():
            super().clear()
            self.out.write({"event": "_paused", "on": False})


def _read_commands(stream: IO[str], stop: threading.Event, pause: threading.Event) -> None:
    for line in stream:
        cmd = line.strip()
        if cmd == "stop":
            stop.set()
            pause.clear()
        elif cmd == "pause":
            pause.set()
        elif cmd == "resume":
            pause.clear()
    stop.set()  # end of input: the parent is gone
    pause.clear()


def _protocol_stream() -> IO[str]:
    """A private copy of stdout for the protocol; fd 1 (and ``sys.stdout``) now write to stderr."""
    sys.stdout.flush()
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return proto


def child_main(argv: list[str]) -> int:
    """``cnnstudio _train-child PROJECT RUN_ID [--resume | --restart]``: train and write the events (module doc)."""
    ap = argparse.ArgumentParser(prog=f"cnnstudio {CHILD_COMMAND}", description="(internal) train one run for the GUI")
    ap.add_argument("project")
    ap.add_argument("run_id")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--restart", action="store_true", help="train the run again from the start (damaged checkpoint)")
    ap.add_argument("--recipe", action="store_true", help="the default recipe: may try transfer learning too")
    args = ap.parse_args(argv)
    gone = threading.Event()
    out = _Out(_protocol_stream(), gone)
    stop, pause, paused = threading.Event(), threading.Event(), _ReportingEvent(out)
    threading.Thread(target=_read_commands, args=(sys.stdin, stop, pause), name="commands", daemon=True).start()
    try:
        from . import lifecycle as runs  # imports PyTorch: after the stream is set up

        with Project.open(args.project) as project:
            if args.restart:
                gen = runs.restart(project, args.run_id, stop=stop, pause=pause, paused=paused)
            elif args.resume:
                gen = runs.resume(project, args.run_id, stop=stop, pause=pause, paused=paused)
            elif args.recipe:  # the default recipe: from scratch, or transfer learning when it does better
                from .recipe import run_with_choice

                gen = run_with_choice(project, args.run_id, stop=stop, pause=pause, paused=paused)
            else:
                gen = runs.run(project, args.run_id, stop=stop, pause=pause, paused=paused)
            for ev in gen:
                if gone.is_set():
                    stop.set()  # nobody listens: stop at the next batch (the run layer saves and records it)
                out.write(event_to_json(ev))
    except Exception as e:  # noqa: BLE001 - reported to the parent, which raises it there
        out.write({"event": "_error", "error": type(e).__name__, "message": str(e) or type(e).__name__,
                   "details": traceback.format_exc()})
        return 2
    return 0

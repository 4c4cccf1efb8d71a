"""Run a study in a child process and iterate its events here: what the GUI's Tune page runs.

The same reasons as for training (:mod:`cnnstudio.engine.runs.child_run`): the search keeps the whole
machine, a crash ends the child and not the app, and Stop always works. The child is
``cnnstudio _tune-child PROJECT REQUEST.json`` (this program, from source or frozen); the request is the
study's inputs as JSON (:func:`request`). Protocol: the same as a training child's — one JSON line per
event on the child's private copy of stdout (:func:`.events.to_json`, or ``{"event": "_error", ...}``),
``stop`` on its stdin (end of input: stop too).

A child killed in the middle of a trial (SIGKILL, SIGTERM, a crash) leaves that trial "running" in the study:
once the child has ended, :class:`TuneChild` marks it failed ("its process ended") and its run stopped, so the
Tune page's table and the Train page's list say so at once (:func:`.storage.fail_dead_trials`, which also runs
whenever a study is opened again).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import Any, Iterator

from ...project.store import Project
from ..runs.child_run import ChildError, ProtocolChild, _Out, _protocol_stream
from .events import StudyEnded, StudyStarted, from_json, to_json

CHILD_COMMAND = "_tune-child"
STOP_TIMEOUT_S = 60.0


def request(*, settings: dict | None = None, spec: dict | None = None, preset: str | None = None,
            space: dict | None = None, objective: str = "accuracy", study: str | None = None,
            storage: str | None = None, seed: int = 0, pruning: bool = True, trials: int | None = None,
            minutes: float | None = None, threads: int | None = None, final: bool = True) -> dict:
    """A study's inputs as JSON (what :func:`child_main` reads)."""
    return {"settings": settings, "spec": spec, "preset": preset, "space": space, "objective": objective,
            "study": study, "storage": storage, "seed": seed, "pruning": pruning, "trials": trials,
            "minutes": minutes, "threads": threads, "final": final}


class TuneChild(ProtocolChild):
    """Start the child; :meth:`events` yields the study's events; setting ``stop`` stops it."""

    def __init__(self, project: Project, req: dict, *, stop: threading.Event | None = None,
                 stop_timeout: float = STOP_TIMEOUT_S, env: dict | None = None):
        super().__init__()
        self.project, self.req = project, req
        self.stop = stop or threading.Event()
        self.stop_timeout, self.env = stop_timeout, env
        self._ended = threading.Event()

    def command(self, request_path: str) -> list[str]:
        base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "cnnstudio"]
        return base + [CHILD_COMMAND, str(self.project.root), request_path]

    def events(self) -> Iterator:
        fd, path = tempfile.mkstemp(prefix="cnnstudio-tune-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.req, f)
        try:
            yield from self._events(path)
        finally:
            try:
                os.unlink(path)
            except OSError:
                pass

    def _events(self, path: str) -> Iterator:
        proc = self._start(self.command(path), self.env, "tune-child")
        threading.Thread(target=self._control, name="tune-child-control", daemon=True).start()
        ended, error, study = False, None, None
        try:
            for d in self._lines():
                if d.get("event") == "_error":
                    error = d
                    continue
                ev = from_json(d)
                if ev is not None:
                    ended = ended or isinstance(ev, StudyEnded)
                    study = ev.study if isinstance(ev, StudyStarted) else study
                    yield ev
            code = proc.wait()
        finally:
            self._ended.set()
            if proc.poll() is None:
                self._send("stop")
                try:
                    proc.wait(timeout=self.stop_timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        if ended:
            return
        if study is not None:
            self._settle(study)
        if error is not None:
            raise ChildError(str(error.get("message") or "the search could not start"), str(error.get("details") or ""),
                             str(error.get("error") or ""))
        raise ChildError(f"the search process ended unexpectedly (exit status {code}); the trials that finished are "
                         "kept: Continue carries on the same study", "\n".join(self.stderr_tail))

    def _settle(self, study: str) -> None:
        """The ended child's trial in flight: failed, its run stopped (best effort: opening the study does it too)."""
        from .overview import load
        from .storage import fail_dead_trials

        try:
            fail_dead_trials(self.project, load(self.project, study, self.req.get("storage")))
        except Exception:  # noqa: BLE001 - a storage that cannot be reached now: Continue settles it later
            pass

    def _control(self) -> None:
        while not self._ended.wait(0.1):
            if self.stop.is_set():
                self._send("stop")
                return


def _read_stop(stream, stop: threading.Event) -> None:
    for line in stream:
        if line.strip() == "stop":
            break
    stop.set()


def child_main(argv: list[str]) -> int:
    """``cnnstudio _tune-child PROJECT REQUEST.json``: run the study and write its events."""
    ap = argparse.ArgumentParser(prog=f"cnnstudio {CHILD_COMMAND}", description="(internal) a study for the GUI")
    ap.add_argument("project")
    ap.add_argument("request")
    args = ap.parse_args(argv)
    gone = threading.Event()
    out = _Out(_protocol_stream(), gone)
    stop = threading.Event()
    threading.Thread(target=_read_stop, args=(sys.stdin, stop), name="commands", daemon=True).start()
    try:
        req: dict[str, Any] = json.loads(Path(args.request).read_text(encoding="utf-8"))
        from ..train.settings import TrainSettings
        from .study import prepare, tune

        with Project.open(args.project) as project:
            settings = TrainSettings.from_json(req["settings"]) if req.get("settings") else None
            spec = req.get("spec") or None  # checked like any run's design by prepare()
            setup = prepare(project, settings=settings, spec=spec, preset=req.get("preset"), space=req.get("space"),
                            objective=req.get("objective") or "accuracy", study=req.get("study"),
                            storage=req.get("storage"), seed=int(req.get("seed") or 0),
                            pruning=bool(req.get("pruning", True)), threads=req.get("threads"),
                            final=bool(req.get("final", True)))
            for ev in tune(project, setup, trials=req.get("trials"), minutes=req.get("minutes"), stop=stop):
                if gone.is_set():
                    stop.set()
                out.write(to_json(ev))
    except Exception as e:  # noqa: BLE001 - reported to the parent, which raises it there
        out.write({"event": "_error", "error": type(e).__name__, "message": str(e) or type(e).__name__,
                   "details": traceback.format_exc()})
        return 2
    return 0


def run_in_child(project: Project, req: dict, **kw) -> Iterator:
    """:class:`TuneChild` as a plain generator of events."""
    return TuneChild(project, req, **kw).events()

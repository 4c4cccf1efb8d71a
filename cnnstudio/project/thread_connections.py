"""A project's SQLite connections: one per thread, closed when that thread ends.

A thread gets its own connection the first time it reads or writes the project (SQLite connections are not shared
between threads). The connection is held in a thread-local holder whose finalizer closes it as the thread ends:
CPython drops a thread's locals when it exits (a ``threading.Thread``, a ``ThreadPoolExecutor``'s workers, a
``QThread`` whose ``run`` is Python), before ``join()`` / ``QThread.wait()`` return. So a page that starts a thread
per task (the Predict page loads each saved model in a new one) never piles up open files: each connection holds
the database and its write-ahead log open, and macOS allows a program 256 open files by default.

The rows written through connections closed so far stay counted (:meth:`ThreadConnections.changes_except`): the
change watch (changed_elsewhere.py) tells this program's own writes from another program's by them.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from typing import Callable


class _Held:
    """One thread's connection, in that thread's locals: when the thread ends it goes, and its finalizer closes it."""

    __slots__ = ("con", "__weakref__")

    def __init__(self, con: sqlite3.Connection):
        self.con = con


class ThreadConnections:
    """Each thread's connection to one database, made by ``connect`` when the thread first asks."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]):
        self._connect = connect
        self._local = threading.local()
        self.lock = threading.Lock()
        self._open: list[sqlite3.Connection] = []
        self._closed_changes = 0

    def get(self) -> sqlite3.Connection:
        """This thread's connection, made now if it has none."""
        held = getattr(self._local, "held", None)
        if held is None:
            con = self._connect()
            held = _Held(con)
            with self.lock:
                self._open.append(con)
            fin = weakref.finalize(held, _let_go, weakref.ref(self), con)
            fin.atexit = False  # at exit the process closes its files anyway
            self._local.held = held
        return held.con

    def current(self) -> sqlite3.Connection | None:
        """This thread's connection if it has one, else any open one (None when none is open)."""
        held = getattr(self._local, "held", None)
        if held is not None:
            return held.con
        with self.lock:
            return self._open[0] if self._open else None

    def count(self) -> int:
        """How many connections are open."""
        with self.lock:
            return len(self._open)

    def changes_except(self, con: sqlite3.Connection | None) -> int:
        """Rows changed through every connection but ``con``, open or closed since, all told."""
        with self.lock:
            total = self._closed_changes
            for other in self._open:
                if other is not con:
                    total += other.total_changes
        return total

    def close(self, con: sqlite3.Connection) -> None:
        """Close ``con`` (once), keeping its changes counted."""
        with self.lock:
            if not any(c is con for c in self._open):
                return
            self._open = [c for c in self._open if c is not con]
            try:
                self._closed_changes += con.total_changes
            except sqlite3.ProgrammingError:  # closed already
                pass
        try:
            con.close()
        except sqlite3.Error:
            pass

    def close_all(self) -> None:
        """Close every connection (the project closes); a thread that asks again later gets a new one."""
        with self.lock:
            cons = list(self._open)
        for con in cons:
            self.close(con)
        self._local = threading.local()


def _let_go(owner: "weakref.ref[ThreadConnections]", con: sqlite3.Connection) -> None:
    """A thread ended (or the project closed): its connection is closed."""
    connections = owner()
    if connections is not None:
        connections.close(con)
    else:
        try:
            con.close()
        except sqlite3.Error:
            pass

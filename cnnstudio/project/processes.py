"""Whether a process of this computer is still there: one rule for the project's open lock, a run left
"running" and a tuning trial left "running" by a worker that was killed (stdlib only).

``os.kill(pid, 0)`` asks the question on POSIX; on Windows signal 0 is CTRL_C_EVENT (it would interrupt a
console process group), so there the process is opened and its exit code read instead.
"""

from __future__ import annotations

import os
import socket
import sys


def this_process() -> str:
    """ "host:pid" of the calling process, as stored beside work it may leave unfinished."""
    return f"{socket.gethostname()}:{os.getpid()}"


def alive(pid: int) -> bool:
    """True when process ``pid`` exists on this computer (also when it is another user's)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, it is just not ours
        return True
    return True


def gone(process: str) -> bool:
    """True when ``process`` ("host:pid", :func:`this_process`) was on this computer and has ended. A process
    on another computer, or a text that is not "host:pid", is never called gone: nothing is known of it."""
    host, _, pid = str(process).rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    return int(pid) != os.getpid() and not alive(int(pid))


def alive_here(process: str) -> bool:
    """True when ``process`` ("host:pid") is on this computer and still there (this very process included)."""
    host, _, pid = str(process).rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and (int(pid) == os.getpid() or alive(int(pid)))


def _alive_windows(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists
    try:
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)

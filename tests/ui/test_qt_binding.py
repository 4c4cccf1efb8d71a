"""Guard against Qt-binding releases that corrupt reference counts (PySide6 6.12.0 decremented
Py_True on every signal emit; a running app then aborts with "bool_dealloc")."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    sig = Signal(object)


def test_emitting_signals_does_not_leak_references_to_true():
    e = _Emitter()
    e.sig.connect(lambda value: None)
    before = sys.getrefcount(True)
    for _ in range(500):
        e.sig.emit([True, False])
    assert abs(sys.getrefcount(True) - before) < 50

"""PyTorch on the GUI thread: one thread, fixed before the GUI thread first runs it.

The GUI thread runs small models now and then (augmentation previews, a dropped picture's
probabilities, Grad-CAM); evaluation and batch prediction run in worker threads on every core (training
in a child process). If the GUI thread ever ran a parallel operation on several threads, OpenMP would
keep its helper thread and slow the workers' PyTorch work for the rest of the process (see
:func:`cnnstudio.engine.device.use_one_thread_here`).
:func:`prepare` is called before a page that imports the engine is built (:mod:`.workspace`).
"""

from __future__ import annotations

import threading

_done = False


def prepare() -> None:
    """Make PyTorch single-threaded on the GUI thread (once; a no-op elsewhere or when already done)."""
    global _done
    if _done or threading.current_thread() is not threading.main_thread():  # Qt's GUI thread is the main one
        return
    from ..engine.device import use_one_thread_here

    use_one_thread_here()
    _done = True

"""PyTorch on the GUI thread: one thread, fixed before the GUI thread first runs it.

The GUI thread runs small models now and then (augmentation previews, a dropped picture's
probabilities, Grad-CAM); training runs in its own thread on every core. If the GUI thread ever ran
a parallel operation on several threads, OpenMP would keep its helper thread and slow every later
training run by ~17 % on a 2-core machine (see :func:`cnnstudio.engine.device.use_one_thread_here`).
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

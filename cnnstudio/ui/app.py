"""GUI entry point: builds the QApplication and the main window. Only Qt here, no torch: the window
must appear fast.

``CNNSTUDIO_MEASURE_STARTUP=1`` (used by ``packaging/build_bundle.py``): once the main window is shown
and the event loop has run, print ``startup: <seconds since the process started>`` on stdout and quit.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def process_age() -> float:
    """Seconds since this process started (Linux: from /proc, so interpreter start-up and, in the frozen
    app, the bootloader count too); elsewhere, since this module was imported."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of proc(5); the first two fields were split off
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _IMPORTED_AT


_IMPORTED_AT = time.perf_counter()


def run_gui(project: str | None = None, sample: bool = False) -> int:
    # Threads: PyTorch runs on one thread in the GUI thread (ui/torch_thread.py) and on every core in
    # worker threads; training runs in a child process (engine/runs/child_run.py). OpenMP's passive waiting
    # (OMP_WAIT_POLICY=PASSIVE) was tried when training still ran in a thread here: it made GUI training
    # 0.74x the CLI instead of 0.97x, so it is not set.
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from ..resources import icon_path
    from .errors import install_error_hooks
    from .keyboard import install_focus_style
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CNN Studio")
    app.setOrganizationName("CNNStudio")
    app.setWindowIcon(QIcon(str(icon_path())))
    reporter = install_error_hooks(app)  # noqa: F841 - parented to app; keeps the hooks alive
    install_focus_style(app)  # a 2-pixel, high-contrast frame round the focused control (keyboard.py)
    window = MainWindow()
    window.showMaximized() if window.start_maximized else window.show()  # a small screen: all of it
    if os.environ.get("CNNSTUDIO_MEASURE_STARTUP"):
        def shown() -> None:
            print(f"startup: {process_age():.3f}", flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(0, shown)  # runs once the event loop has processed the show (first paint)
        return app.exec()
    if sample:
        window.open_sample()
    elif project:
        window.open_project(Path(project))
    return app.exec()

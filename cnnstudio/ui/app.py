"""GUI entry point: builds the QApplication and the main window. Only Qt here, no torch: the window
must appear fast."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(project: str | None = None, sample: bool = False) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from ..resources import icon_path
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CNN Studio")
    app.setOrganizationName("CNNStudio")
    app.setWindowIcon(QIcon(str(icon_path())))
    window = MainWindow()
    window.show()
    if sample:
        window.open_sample()
    elif project:
        window.open_project(Path(project))
    return app.exec()

"""GUI entry point. The full desktop app (issues 5-7) is being built; until then this shows an honest
placeholder window with the opened project's contents, so `make run` proves the whole install works."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(project: str | None = None, sample: bool = False) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

    from .. import __version__
    from ..project import Project, ProjectError
    from ..project.sample import open_sample_project
    from ..resources import icon_path, sample_dataset_dir, user_data_dir

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CNN Studio")
    app.setWindowIcon(QIcon(str(icon_path())))
    window = QMainWindow()
    window.setWindowTitle(f"CNN Studio {__version__}")
    text = "<h2>CNN Studio</h2><p>The desktop app is under construction: this is a placeholder window.</p>"
    try:
        if sample or project is None:
            opened = open_sample_project(sample_dataset_dir(), user_data_dir() / "sample-project")
        else:
            opened = Project.open(Path(project))
        with opened:
            s = opened.summary()
        text += (f"<p>Project <b>{s['project']}</b>: {s['images']} images in {len(s['classes'])} classes "
                 f"(train {s['splits']['train']}, val {s['splits']['val']}, test {s['splits']['test']}).</p>"
                 "<p>Use the command line meanwhile: <code>cnnstudio --help</code>.</p>")
    except ProjectError as e:
        QMessageBox.warning(window, "Cannot open project", str(e))
    label = QLabel(text)
    label.setWordWrap(True)
    label.setMargin(24)
    window.setCentralWidget(label)
    window.resize(640, 300)
    window.show()
    return app.exec()

"""Screenshots of the real window for the docs, at a laptop's size: run under Xvfb of the same size.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/take_screenshots.py docs/screenshots

Opens the sample project, visits each step, and captures the whole X screen with ImageMagick's
``import -window root`` (what a user would see), so window decorations and real fonts are included.
The window is sized to the screen (``CNNSTUDIO_SHOT_SIZE=1366x768`` for another size). The run report
(``report.png``) is the HTML file Evaluate's "Save report…" writes, rendered by headless Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    os.environ.setdefault("CNNSTUDIO_SETTINGS", str(tmp / "settings.ini"))
    os.environ.setdefault("CNNSTUDIO_DATA_DIR", str(tmp / "data"))
    app = QApplication(sys.argv[:1])
    from cnnstudio.ui.main_window import MainWindow

    w = MainWindow()
    width, height = (int(v) for v in os.environ.get("CNNSTUDIO_SHOT_SIZE", "1280x800").split("x"))
    w.setGeometry(0, 0, width, height)
    w.show()
    steps = []

    def shot(name):
        def take():
            app.processEvents()
            subprocess.run(["import", "-window", "root", str(out / f"{name}.png")], check=True)
            hint = w.minimumSizeHint()
            print("saved", out / f"{name}.png", f"(window {w.width()} x {w.height()}, least {hint.width()} x "
                  f"{hint.height()})")
        return take

    steps.append(shot("welcome"))
    steps.append(lambda: w.open_sample())
    steps.append(lambda: None)
    steps.append(shot("data"))

    def preview():
        view = w.workspace.data.gallery.list
        view.setCurrentIndex(view.model().index(3))
        w.workspace.data.preview(view.model().image_id(3))
    steps.append(preview)
    steps.append(shot("preview"))
    steps.append(lambda: w.workspace.data.preview_dialog.close())

    def check():  # the data check on the sample (features computed in a thread)
        data = w.workspace.data
        data.side.setCurrentWidget(data.check)
        data.check.start()
    steps.append(check)

    def wait_check():
        check_panel = w.workspace.data.check
        if check_panel.thread is not None:
            steps.insert(0, wait_check)
        elif check_panel.tree.topLevelItemCount():
            group = check_panel.tree.topLevelItem(0)
            check_panel.tree.setCurrentItem(group.child(0))
    steps.append(wait_check)
    steps.append(shot("check"))
    steps.append(lambda: w.workspace.data.side.setCurrentIndex(0))
    steps.append(lambda: w.workspace.show_step(1))
    steps.append(shot("model"))

    def train():
        w.workspace.show_step(2)
        page = w.workspace.train_page
        page.settings_form.epochs.setValue(8)
        page.start()
    steps.append(train)

    def wait_epochs():  # a few epochs on the plots (training starts in its own process first)
        page = w.workspace.train_page
        if w.workspace.training_running() and len(page.plots.train_loss.x) < 3:
            steps.insert(0, wait_epochs)
    steps.append(wait_epochs)
    steps.append(shot("train_running"))

    def wait_training():  # keep the step list waiting until the run ends
        if w.workspace.training_running():
            steps.insert(0, wait_training)
    steps.append(wait_training)
    steps.append(shot("train"))

    def tune():  # a small study: 4 trials of 3 epochs, the learning rate and the depth
        w.workspace.show_step(3)
        page = w.workspace.tune_page
        page.form.set_space({"epochs": 3, "params": {"lr": {"low": 3e-4, "high": 3e-2, "log": True},
                                                     "blocks": {"low": 2, "high": 4}}})
        page.form.set_budget(4, None)
        page.start()
    steps.append(tune)

    def wait_trials():  # two trials on the table, the third one on its way
        page = w.workspace.tune_page
        if page.running and (len(page.state.order) < 3 or len(page.state.live) < 2):
            steps.insert(0, wait_trials)
    steps.append(wait_trials)
    steps.append(shot("tune_running"))

    def wait_tune():
        if w.workspace.tune_page.running:
            steps.insert(0, wait_tune)
    steps.append(wait_tune)
    steps.append(shot("tune"))
    steps.append(lambda: w.workspace.show_step(4))
    steps.append(lambda: None)
    steps.append(shot("evaluate"))

    def report():  # the report a user keeps, as Chromium prints it on screen
        from cnnstudio.engine.runs.report import write_report
        from cnnstudio.project import run_records

        run = run_records.best_run(w.session.project)
        html = write_report(w.session.project, run.id, tmp / "report.html")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--screenshot={out / 'report.png'}", "--window-size=1000,1400", html.as_uri()],
                       check=True, capture_output=True, timeout=120)
        print("saved", out / "report.png")
    steps.append(report)

    def predict():
        w.workspace.show_step(5)
        sample = Path(w.session.project.root)
        files = [w.session.project.image_path(i) for i in w.session.project.ids()[::300][:5]]
        w.workspace.predict_page.predict_paths(files)
        _ = sample
    steps.append(predict)
    steps.append(lambda: None)
    steps.append(shot("predict"))
    steps.append(lambda: w.workspace.predict_page.gradcam.setChecked(True))

    def wait_cam():  # the map is made in a thread
        if not w.workspace.predict_page.detail.overlay_path:
            steps.insert(0, wait_cam)
    steps.append(wait_cam)
    steps.append(shot("predict_gradcam"))
    steps.append(w.close)
    steps.append(app.quit)

    def run_next():
        if steps:
            step = steps.pop(0)
            step()
            QTimer.singleShot(300 if step.__name__.startswith("wait") else 1500, run_next)

    QTimer.singleShot(1500, run_next)
    app.exec()


if __name__ == "__main__":
    main()

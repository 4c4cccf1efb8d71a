"""A screenshot of the Data step's camera panel, fed by a video file (no camera needed): run under Xvfb.

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/camera_screenshot.py docs/screenshots

Opens the sample project, makes a short video of its pictures (upscaled, slowly panning), plays it in the
"Camera…" panel through :class:`cnnstudio.ui.camera.frame_source.VideoFileSource`, records a short burst into
a class and captures the screen (ImageMagick's ``import -window root``) as ``camera.png``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sample_video(path: Path, seconds: float = 4.0) -> Path:
    from cnnstudio.resources import sample_dataset_dir
    from cnnstudio.ui.camera.frame_source import write_video

    pictures = sorted(sample_dataset_dir().glob("3/*.png"))[:4]
    frames = []
    for i in range(int(seconds * 30)):
        pic = Image.open(pictures[(i // 30) % len(pictures)]).convert("RGB").resize((480, 480), Image.NEAREST)
        canvas = Image.new("RGB", (640, 480), (235, 232, 225))
        canvas.paste(pic, (80 + int(12 * np.sin(i / 9)), 0))
        frames.append(np.asarray(canvas))
    return write_video(path, frames)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    os.environ.setdefault("CNNSTUDIO_SETTINGS", str(tmp / "settings.ini"))
    os.environ.setdefault("CNNSTUDIO_DATA_DIR", str(tmp / "data"))
    app = QApplication(sys.argv[:1])
    from cnnstudio.ui.camera.frame_source import VideoFileSource
    from cnnstudio.ui.main_window import MainWindow

    w = MainWindow()
    w.setGeometry(0, 0, 1440, 900)
    w.show()
    video = sample_video(tmp / "sample.avi")
    state = {}

    def open_panel():
        w.open_sample()
        panel = state["panel"] = w.workspace.data.open_camera()
        panel.setGeometry(380, 120, 760, 640)
        panel.class_combo.setCurrentText("3")
        panel.crop.setChecked(True)
        panel.bar.play(VideoFileSource(video, loop=True))
        QTimer.singleShot(1200, record)

    def record():
        state["panel"].start_recording()
        QTimer.singleShot(900, shoot)

    def shoot():
        app.processEvents()
        subprocess.run(["import", "-window", "root", str(out / "camera.png")], check=True)
        print("saved", out / "camera.png")
        state["panel"].stop_recording()
        QTimer.singleShot(1500, finish)

    def finish():
        state["panel"].shutdown()
        w.close()
        app.quit()

    QTimer.singleShot(500, open_panel)
    app.exec()


if __name__ == "__main__":
    main()

"""The camera, through the video-file source (no camera on test machines): collecting pictures with
hold-to-record on the Data step, live prediction on the Predict step, errors shown in the panel."""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cnnstudio.ui.camera.frame_source import CameraInfo, CameraSource, VideoFileSource, write_video
from tests.ui.test_prediction_view import _trained
from tests.ui.test_training_view import make_project


def split_frames(n: int, size=(64, 48)) -> list[np.ndarray]:
    """Known frames: the left half dark and different in every frame, the right half bright (so a mirrored
    copy would show), every frame distinct content (so none is a duplicate of another)."""
    w, h = size
    frames = []
    for i in range(n):
        f = np.full((h, w, 3), 230, np.uint8)
        f[:, : w // 2] = (20 + 3 * i, 40, 60)
        frames.append(f)
    return frames


def plain_frames(n: int, colour, size=(64, 48)) -> list[np.ndarray]:
    return [np.full((size[1], size[0], 3), colour, np.uint8) for _ in range(n)]


def test_hold_to_record_stores_n_labelled_pictures_unmirrored_and_undo_removes_them(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    data = window.workspace.data
    session = data.session
    before = sum(session.counts()[session.project.class_by_name("a").id].values())
    panel = data.open_camera()
    panel.class_combo.setCurrentText("a")
    panel.rate_spin.setValue(30)  # every frame of the 30 fps video
    panel.mirror.setChecked(True)  # the display only
    video = write_video(tmp_path / "known.avi", split_frames(60))
    n = 6

    def let_go(k):
        if k == n:
            QTest.keyRelease(panel.preview, Qt.Key.Key_Space)

    panel.frame_saved.connect(let_go)
    panel.bar.play(VideoFileSource(video))
    qtbot.waitUntil(lambda: panel.preview.shown > 0, timeout=10_000)
    with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
        QTest.keyPress(panel.preview, Qt.Key.Key_Space)
    report = got.args[0]
    # every frame kept before the key was let go is added (one still being saved as it was let go, too)
    n = len(report.imported)
    assert n >= 6 and not report.skipped
    counts = session.counts()
    assert sum(counts[session.project.class_by_name("a").id].values()) == before + n
    assert panel.counter.text() == f"a: {before + n} pictures"
    rows = session.project._con().execute(
        f"SELECT file FROM images WHERE id IN ({','.join(map(str, report.imported))})").fetchall()
    for (file,) in rows:  # stored as the camera sees it: dark on the left
        pic = np.asarray(Image.open(session.project.root / file).convert("RGB"))
        assert pic[:, :10].mean() < pic[:, -10:].mean()
    assert session.undo_stack.undoText().startswith(f"Add {n} camera pictures to “a”")
    session.undo_stack.undo()
    assert sum(session.counts()[session.project.class_by_name("a").id].values()) == before
    session.undo_stack.redo()
    assert sum(session.counts()[session.project.class_by_name("a").id].values()) == before + n
    panel.frame_saved.disconnect(let_go)
    # one shot, then the stream ends while the button is held: what was kept is still added
    with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
        panel.take_one()
    assert len(got.args[0].imported) == 1
    with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
        panel.start_recording()  # held until the video ends
    assert len(got.args[0].imported) >= 1
    assert panel.bar.source is None and not panel.record.isEnabled()
    panel.shutdown()


def test_camera_errors_are_shown_not_raised(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    panel = window.workspace.data.open_camera()
    panel.bar.play(VideoFileSource(tmp_path / "missing.avi"))
    qtbot.waitUntil(lambda: "could not be opened" in panel.bar.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: panel.bar.source is None, timeout=10_000)
    (tmp_path / "junk.avi").write_bytes(b"not a video at all" * 100)
    panel.bar.play(VideoFileSource(tmp_path / "junk.avi"))
    qtbot.waitUntil(lambda: panel.bar.source is None, timeout=10_000)
    assert "junk.avi" in panel.bar.message.text()
    panel.bar.play(CameraSource(CameraInfo("63", "Ghost camera")))  # no such camera on any machine
    qtbot.waitUntil(lambda: "Ghost camera" in panel.bar.message.text(), timeout=15_000)
    qtbot.waitUntil(lambda: panel.bar.source is None, timeout=10_000)
    assert not panel.record.isEnabled()
    panel.bar.refresh()  # this machine has no camera: said, not raised
    assert panel.bar.cameras or "No camera found" in panel.bar.message.text()
    panel.shutdown()


def test_live_prediction_shows_the_models_class_and_drops_frames_when_slow(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    predictor = page.load_predictor()
    page.tabs.setCurrentIndex(2)
    live = page.live
    for colour in ((40, 100, 60), (190, 30, 90)):  # the colours of classes a and b in the tiny project
        expected = predictor.predict(Image.new("RGB", (64, 48), colour)).label
        video = write_video(tmp_path / f"c{colour[0]}.avi", plain_frames(30, colour))
        live.bar.play(VideoFileSource(video, loop=True))
        for _ in range(3):
            with qtbot.waitSignal(live.shown, timeout=10_000) as got:
                pass
        assert got.args[0].prediction.label == expected
        assert live.preview.caption.startswith(expected)
        assert live.latencies and max(live.latencies) < 2.0
    # a model slower than the camera: frames are dropped, the latency stays one prediction, not a queue
    live.bar.play(VideoFileSource(video, loop=True))
    live.worker.delay = 0.15
    qtbot.waitUntil(lambda: len(live.latencies) >= 6, timeout=20_000)
    worker = live.worker
    assert worker.dropped >= 10
    assert live.preview.shown > 3 * len(live.latencies)  # the preview went on at the video's rate
    assert max(live.latencies[2:]) < 0.15 + 0.25
    assert "skipped" in live.rates.text()
    live.worker.delay = 0.0
    live.gradcam.setChecked(True)  # made on the worker now and then, drawn over the preview
    qtbot.waitUntil(lambda: live.preview.overlay is not None, timeout=10_000)
    # the frame on display goes into the dataset through the ordinary importer
    with qtbot.waitSignal(page.importer.finished, timeout=20_000) as got:
        assert live.add_frame("b")
    assert len(got.args[0].imported) == 1
    live.bar.stop()
    assert live.worker is None and live.preview.overlay is None


def test_the_camera_chosen_is_remembered_by_name(qtbot):
    from cnnstudio.ui.camera.preview import SourceBar

    cams = [CameraInfo("0", "Built-in camera"), CameraInfo("1", "USB camera")]
    bar = SourceBar()
    qtbot.addWidget(bar)
    bar.show_cameras(cams)
    assert bar.combo.currentText() == "Built-in camera" and bar.combo.isEnabled()
    bar.combo.setCurrentIndex(1)
    bar.combo.activated.emit(1)  # what a choice in the list sends
    again = SourceBar()  # next time (another session), the cameras listed in another order
    qtbot.addWidget(again)
    again.show_cameras(list(reversed(cams)) + [CameraInfo("2", "Capture card")])
    assert again.combo.currentText() == "USB camera"
    unplugged = SourceBar()  # the remembered camera is gone: the first one, and nothing is said
    qtbot.addWidget(unplugged)
    unplugged.show_cameras([CameraInfo("2", "Capture card")])
    assert unplugged.combo.currentText() == "Capture card" and not unplugged.message.text()



def _traced_transactions(monkeypatch) -> list[list[str]]:
    """Every transaction of the project, on any thread (the import runs on its own), as its statements."""
    from contextlib import contextmanager

    from cnnstudio.project import Project

    blocks: list[list[str]] = []
    real = Project.transaction

    @contextmanager
    def traced(self):
        with real(self) as tx:
            block: list[str] = []
            blocks.append(block)
            tx.set_trace_callback(block.append)
            try:
                yield tx
            finally:
                tx.set_trace_callback(None)

    monkeypatch.setattr(Project, "transaction", traced)
    return blocks


def test_the_gallery_and_the_counter_grow_while_recording_and_the_burst_is_one_transaction_and_one_undo(
        window, qtbot, tmp_path, monkeypatch):
    from cnnstudio.project import importer

    monkeypatch.setattr(importer, "CHUNK_FILES", 2)  # an ordinary import would commit a transaction a chunk
    assert window.open_project(make_project(tmp_path))
    data = window.workspace.data
    session, model = data.session, data.gallery.model
    a = session.project.class_by_name("a").id
    in_db = lambda: sum(session.project.counts().get(a, {}).values())  # noqa: E731
    before, rows_before, steps_before = in_db(), model.rowCount(), session.undo_stack.count()
    panel = data.open_camera()
    panel.class_combo.setCurrentText("a")
    panel.rate_spin.setValue(5)  # the default: each frame is in the gallery at once (faster ones come in together)
    blocks = _traced_transactions(monkeypatch)
    n = 5
    seen = []  # at each frame kept, before the button is let go: gallery rows, counter, pictures in the database

    def class_list_total():
        item = next(data.classes.tree.topLevelItem(i) for i in range(data.classes.tree.topLevelItemCount())
                    if data.classes.tree.topLevelItem(i).text(1) == "a")
        return int(item.text(6))

    def on_frame(k):
        last = model.rowCount() - 1
        seen.append((model.rowCount(), panel.counter.text(), in_db(), model.thumbnail(last) is not None,
                     data.gallery.count_label.text(), class_list_total()))
        if k == n:
            QTest.keyRelease(panel.preview, Qt.Key.Key_Space)

    panel.frame_saved.connect(on_frame)
    frames = split_frames(60) + [np.full((48, 64, 3), (90, 20 + i, 200), np.uint8) for i in range(120)]  # 6 s
    panel.bar.play(VideoFileSource(write_video(tmp_path / "live.avi", frames)))
    qtbot.waitUntil(lambda: panel.preview.shown > 0, timeout=10_000)
    with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
        QTest.keyPress(panel.preview, Qt.Key.Key_Space)
    panel.frame_saved.disconnect(on_frame)
    report = got.args[0]
    n = len(report.imported)  # the frames kept before the key was let go (one may have been saved just after)
    assert n >= 5
    for k, (rows, counter, db, thumb, count_label, listed) in enumerate(seen, start=1):
        assert rows == rows_before + k  # the frame is in the gallery at once, with its thumbnail
        assert thumb
        assert counter == f"a: {before + k} pictures ({k} being added)"
        assert db == before  # the database has nothing of the burst yet
        assert f"{rows_before + k}" in count_label
        assert listed == before + k  # the class list on the left counts them too
    # one transaction put all n rows in
    with_rows = [b for b in blocks if any(s.startswith("INSERT INTO images") for s in b)]
    assert len(with_rows) == 1
    assert sum(s.startswith("INSERT INTO images") for s in with_rows[0]) == n
    # the pending rows were replaced by the imported ones, which show the frames' thumbnails at once
    assert model.pending_rows() == [] and model.rowCount() == rows_before + n
    assert model.ids()[-n:] == report.imported
    assert all(model.thumbnail(model.row_of(i)) is not None for i in report.imported)
    assert panel.counter.text() == f"a: {before + n} pictures" and class_list_total() == before + n
    # one undo step removes all n pictures, from the database and the gallery
    assert session.undo_stack.count() == steps_before + 1
    session.undo_stack.undo()
    assert in_db() == before and model.rowCount() == rows_before
    assert panel.counter.text() == f"a: {before} pictures"
    session.undo_stack.redo()
    assert in_db() == before + n and model.rowCount() == rows_before + n

    # the window closed mid-burst (the Data page shuts the panel down): what was kept is imported, none lost
    kept = []
    panel.frame_saved.connect(kept.append)
    panel.start_recording()
    qtbot.waitUntil(lambda: len(kept) >= 2, timeout=10_000)
    panel.shutdown()
    assert in_db() == before + n + len(kept)
    assert model.pending_rows() == [] and not panel.pending.items()
    assert session.undo_stack.count() == steps_before + 2


def test_a_bursts_undo_that_the_disk_refuses_leaves_the_step_where_it_was(qtbot, tmp_path, monkeypatch):
    """Review: the burst's step was a plain QUndoCommand: an Undo that failed (the project folder moved away) still
    moved the stack, and Edit > Undo said "Undone" with the pictures still in the project."""
    import os
    import sys

    from cnnstudio.project import Project, import_paths
    from cnnstudio.ui.camera.camera_panel import CameraBurstCommand
    from cnnstudio.ui.session import ProjectSession
    from tests.disk_helpers import write_noise_images

    said = []
    monkeypatch.setattr(sys, "excepthook", lambda t, e, tb: said.append(str(e)))  # the window's error reporter
    src = write_noise_images(tmp_path / "src", 2, 16)
    with Project.create(tmp_path / "G") as p:
        import_paths(p, [src], labels_from_folders=True)
    project = Project.open(tmp_path / "G")
    session = ProjectSession(project)
    ids = project.ids()[:2]
    session.guard.push(session.undo_stack, CameraBurstCommand(session, ids, "a"))  # as the panel pushes it
    assert session.undo_stack.count() == 1 and session.undo_stack.index() == 1
    os.rename(tmp_path / "G", tmp_path / "G-moved")
    session.undo_stack.undo()  # Edit > Undo while the folder is away
    os.rename(tmp_path / "G-moved", tmp_path / "G")
    assert said and "gone" in said[0]
    assert session.undo_stack.index() == 1 and session.undo_stack.canUndo()  # still there to undo
    assert not project.in_trash(ids)
    session.undo_stack.undo()  # the folder is back: it works
    assert session.undo_stack.index() == 0 and len(project.in_trash(ids)) == 2
    project.close()

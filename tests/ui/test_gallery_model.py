"""The gallery model over 100,000 rows answers for visible rows only; thumbnails load off the GUI thread."""

from PySide6.QtCore import Qt

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.data.gallery_model import BLOCK, GalleryModel
from cnnstudio.ui.session import ProjectSession
from tests.conftest import write_image


def test_100k_rows_fetch_only_what_is_asked(qtbot, tmp_path):
    with Project.create(tmp_path / "p") as p:
        (real,) = import_paths(p, [write_image(tmp_path / "a.png", size=(40, 30))]).imported
        rec = p.image(real)
        with p.transaction() as tx:
            tx.executemany(
                "INSERT INTO images(sha256, file, original_name, added_at, width, height) VALUES (?, ?, ?, 0, 40, 30)",
                ((f"{i:064x}", rec.file, f"{i}.png") for i in range(100_000)))
        session = ProjectSession(p)
        model = GalleryModel(session)
        try:
            assert model.rowCount() == 100_001
            assert model._records == {}  # nothing read until asked
            assert model.data(model.index(50_000)) == f"{50_000 - 1}.png"
            assert len(model._records) <= BLOCK
            # a thumbnail is requested for the row asked about, and arrives via the loader thread
            with qtbot.waitSignal(model.loader.loaded, timeout=10_000) as blocker:
                assert model.data(model.index(50_000), Qt.ItemDataRole.DecorationRole) is None
            assert blocker.args[0] == model.image_id(50_000)
            qtbot.waitUntil(lambda: len(model._pixmaps) == 1)  # turned into a pixmap on a later event-loop turn
            assert model.data(model.index(50_000), Qt.ItemDataRole.DecorationRole) is not None
            assert len(model._requested) == 0 and len(model._pixmaps) == 1
            # scrolling through many blocks keeps memory flat
            for row in range(0, 100_000, 997):
                model.data(model.index(row))
            assert len(model._records) <= 21 * BLOCK
        finally:
            model.close()


def test_a_view_over_100k_rows_only_loads_visible_thumbnails(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    from cnnstudio.ui.data.gallery_view import GalleryPanel

    with Project.create(tmp_path / "p") as p:
        (real,) = import_paths(p, [write_image(tmp_path / "a.png", size=(40, 30))]).imported
        rec = p.image(real)
        with p.transaction() as tx:
            tx.executemany("INSERT INTO images(sha256, file, original_name, added_at) VALUES (?, ?, ?, 0)",
                           ((f"{i:064x}", rec.file, f"{i}.png") for i in range(100_000)))
        panel = GalleryPanel(ProjectSession(p))
        qtbot.addWidget(panel)
        panel.resize(800, 600)
        panel.show()
        qtbot.waitExposed(panel)
        QApplication.processEvents()
        model = panel.model
        asked = len(model._requested) + len(model._pixmaps)
        assert 0 < asked < 200, asked
        panel.list.verticalScrollBar().setValue(panel.list.verticalScrollBar().maximum())
        qtbot.waitUntil(lambda: model.row_of(model.image_id(100_000)) is not None and model._records.get(
            model.image_id(100_000)) is not None, timeout=5000)
        assert len(model._records) <= 21 * BLOCK
        model.close()


def test_pending_camera_pictures_are_rows_after_the_projects_until_their_burst_is_imported(qtbot, tmp_path):
    from PySide6.QtGui import QColor, QImage

    from cnnstudio.project import ImageFilter
    from cnnstudio.ui.camera.rules import PendingPictures

    with Project.create(tmp_path / "p") as p:
        import_paths(p, [write_image(tmp_path / "src" / "a.png")], class_name="cat")
        cat = p.class_by_name("cat").id
        session = ProjectSession(p)
        model = GalleryModel(session)
        try:
            pending = PendingPictures()
            model.follow(pending)
            assert model.rowCount() == 1
            burst = pending.new_burst("cat")
            frames = []
            for i in range(3):
                path = write_image(tmp_path / "staged" / f"frame-{i:05d}.png", color=(10 * i, 90, 90), size=(64, 48))
                pic = pending.add(burst, path, 64, 48, path.stat().st_size, float(i))
                image = QImage(64, 48, QImage.Format.Format_RGB32)
                image.fill(QColor(10 * i, 90, 90))
                with qtbot.waitSignal(model.rowsInserted, timeout=1000):
                    model.pending_added(pic, image)
                frames.append(path)
            assert model.rowCount() == 4
            row = 3
            assert model.image_id(row) < 0 and model.row_of(model.image_id(row)) == row
            assert model.data(model.index(row)) == "frame-00002.png"
            assert model.thumbnail(row) is not None and model.label_style(row)[0] == "cat"
            assert not model.flags(model.index(row)) & Qt.ItemFlag.ItemIsSelectable  # nothing to label or delete yet
            model.set_filter(ImageFilter(split="train"))  # no split yet: not shown there
            assert model.rowCount() == 0
            model.set_filter(ImageFilter(class_id=cat))
            assert model.rowCount() == 4
            # the burst goes in: its rows replace the pending ones, with the thumbnails made from the frames
            report = import_paths(p, frames, class_name="cat", one_transaction=True)
            pending.settle(burst)
            model.pending_settled(burst)
            assert model.rowCount() == 1
            session.images_changed.emit()
            assert model.rowCount() == 4 and model.pending_rows() == []
            assert [model.image_id(r) for r in range(1, 4)] == report.imported
            assert all(model.thumbnail(r) is not None for r in range(1, 4))  # at once, no loader needed
            assert model._handover == {}
        finally:
            model.close()


def test_a_fast_burst_comes_in_together_and_a_late_frame_at_once(qtbot, tmp_path):
    """Frames faster than PENDING_EVERY_S on average are inserted together; two frames back to back after a pause
    (a busy GUI thread at 5 per second) still go in one by one."""
    from PySide6.QtGui import QColor, QImage

    from cnnstudio.ui.camera.rules import PendingPictures

    with Project.create(tmp_path / "p") as p:
        import_paths(p, [write_image(tmp_path / "src" / "a.png")], class_name="cat")
        session = ProjectSession(p)
        model = GalleryModel(session)
        try:
            pending = PendingPictures()
            model.follow(pending)
            burst = pending.new_burst("cat")
            path = write_image(tmp_path / "staged" / "frame.png", size=(64, 48))
            image = QImage(64, 48, QImage.Format.Format_RGB32)
            image.fill(QColor(10, 90, 90))

            def keep():
                model.pending_added(pending.add(burst, path, 64, 48, path.stat().st_size, 0.0), image)

            keep()
            keep()  # straight after the first: not a fast burst yet, so in at once
            assert model.rowCount() == 3
            keep()
            keep()  # four frames within 0.3 s: this one waits for the next sync
            assert model.rowCount() == 4
            with qtbot.waitSignal(model.rowsInserted, timeout=1000):
                pass
            assert model.rowCount() == 5
        finally:
            model.close()

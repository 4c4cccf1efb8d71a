"""The Data step's camera panel, driven frame by frame (:class:`tests.ui.camera_helpers.PushSource`): what it
refuses before recording, the keys, what a burst tells the window, and undo of a burst that made a class."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.ui.camera_helpers import PushSource
from tests.ui.test_training_view import make_project


def _panel(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    panel = window.workspace.data.open_camera()
    source = PushSource()
    panel.bar.play(source)
    return panel, source


def _burst(qtbot, panel, source, frames: int):
    with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
        panel.start_recording()
        for _ in range(frames):
            source.push()
        panel.stop_recording()
    return got.args[0]


def test_the_check_panel_loads_no_engine_while_no_finding_is_chosen(tmp_path):
    """QA #6: a burst's classes_changed made the check panel import the engine (torch, seconds) on the GUI thread."""
    script = textwrap.dedent(f"""
        import sys
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from cnnstudio.project import Project
        from cnnstudio.ui.data.check_panel import CheckPanel
        from cnnstudio.ui.session import ProjectSession
        session = ProjectSession(Project.create({str(tmp_path / "P")!r}))
        panel = CheckPanel(session)
        session.classes_changed.emit()
        print("torch" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "False"


def test_a_burst_into_a_class_that_exists_does_not_say_the_classes_changed(window, qtbot, tmp_path):
    panel, source = _panel(window, tmp_path)
    changed = []
    panel.session.classes_changed.connect(lambda: changed.append(1))
    panel.class_combo.setCurrentText("a")
    assert len(_burst(qtbot, panel, source, 2).imported) == 2
    assert changed == []
    panel.class_combo.setCurrentText("dog")
    report = _burst(qtbot, panel, source, 2)
    assert report.classes_created == ["dog"] and changed
    panel.shutdown()


def test_space_records_wherever_the_focus_is_except_in_a_text_field(window, qtbot, tmp_path):
    """QA #2: after a click on a checkbox or a button, Space toggled it (or took one picture) instead of recording."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    panel, source = _panel(window, tmp_path)
    panel.class_combo.setCurrentText("a")
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow, timeout=5000)
    for clicked in (panel.crop, panel.shot, panel.mirror):
        was = panel.crop.isChecked(), panel.mirror.isChecked()
        if clicked is panel.shot:
            clicked.setFocus()  # a click would take a picture; the focus is what matters
        else:
            QTest.mouseClick(clicked, Qt.MouseButton.LeftButton)
            was = panel.crop.isChecked(), panel.mirror.isChecked()
        assert clicked.hasFocus()
        QTest.keyPress(clicked, Qt.Key.Key_Space)
        assert panel.recording
        for kind in (QEvent.Type.KeyRelease, QEvent.Type.KeyPress):  # a held key's repeats: not a release
            QApplication.sendEvent(clicked, QKeyEvent(kind, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ",
                                                      True))
        assert panel.recording
        source.push()
        source.push()
        with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
            QTest.keyRelease(clicked, Qt.Key.Key_Space)
        assert not panel.recording and len(got.args[0].imported) == 2
        assert (panel.crop.isChecked(), panel.mirror.isChecked()) == was  # Space did not toggle them
    # in the class box Space is a space
    edit = panel.class_combo.lineEdit()
    edit.setFocus()
    edit.setText("big")
    QTest.keyClick(edit, Qt.Key.Key_Space)
    QTest.keyClicks(edit, "dog")
    assert panel.class_combo.currentText() == "big dog" and not panel.recording
    panel.shutdown()


def test_a_read_only_project_says_why_before_anything_is_recorded(window, qtbot, tmp_path):
    """QA #3: a read-only project let a whole burst be recorded, then refused it and left it in a cache folder."""
    from tests.ui.test_read_only_pages import _open_read_only

    root = make_project(tmp_path)
    _open_read_only(window, root)
    assert window.session.project.read_only
    panel = window.workspace.data.open_camera()
    why = panel.note.text()
    assert "read-only" in why and "cannot add pictures from the camera" in why and why.endswith(".")
    assert not panel.note.isHidden()
    source = PushSource()
    panel.bar.play(source)  # the live picture still shows
    source.push()
    assert panel.preview.shown == 1
    for button in (panel.record, panel.shot):
        assert not button.isEnabled() and button.toolTip() == why
    panel.class_combo.setCurrentText("a")
    count = len(window.session.project.ids())
    panel.start_recording()  # what Space does
    source.push()
    panel.take_one()
    source.push()
    assert not panel.recording and not panel.pending.items()
    assert panel.bar.message.text() == why
    assert len(window.session.project.ids()) == count and not (root / "cache" / "camera").exists()
    panel.shutdown()


def test_the_class_list_shows_the_name_the_rule_keeps():
    """One rule (QA #4): the row of the pictures without a class is the name project/names.py keeps for it."""
    from cnnstudio.project.names import NO_CLASS
    from cnnstudio.ui.data import class_panel

    assert class_panel.NO_CLASS == NO_CLASS


def test_a_class_name_the_rule_refuses_is_said_before_anything_is_recorded(window, qtbot, tmp_path):
    """QA #4: a 300-character name (or "No class") was refused only after the pictures were taken."""
    from cnnstudio.project import ProjectError
    from cnnstudio.ui.sentence import sentence

    panel, source = _panel(window, tmp_path)
    project = window.session.project
    for name in ("x" * 300, "No class", "two\tparts"):
        with pytest.raises(ProjectError) as e:
            project.add_class(name)  # what Add class says
        panel.class_combo.setCurrentText(name)
        assert panel.bar.message.text() == sentence(str(e.value))  # said as it is typed
        panel.start_recording()
        source.push()
        panel.take_one()
        source.push()
        assert not panel.recording and not panel.pending.items()
        said = panel.bar.message.text()
        assert said.lower().startswith(str(e.value).lower()[:20]) and said.endswith(".")
        assert said[0].isupper() and str(e.value)[1:] in said
    assert not (project.root / "cache" / "camera").exists()
    panel.class_combo.setCurrentText("a")  # a good name: the refusal is gone, and it records
    assert panel.bar.message.text() == ""
    assert len(_burst(qtbot, panel, source, 1).imported) == 1 and panel.bar.message.text() == ""
    panel.shutdown()


def test_a_burst_that_fails_to_import_waits_for_try_again(window, qtbot, tmp_path):
    """QA #4: a failed burst was left in a cache folder with only its path said; now Try again adds it."""
    from tests.disk_helpers import fill_disk, small_disk

    with small_disk(tmp_path / "disk", "20m") as disk:
        panel, source = _panel(window, disk)
        project = window.session.project
        count = len(project.ids())
        panel.class_combo.setCurrentText("a")
        panel.start_recording()
        source.push()
        source.push()
        qtbot.waitUntil(lambda: len(panel.pending.items()) == 2, timeout=10_000)  # saved in the cache
        filler = fill_disk(disk)  # the disk is full as the burst goes in
        with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
            panel.stop_recording()
        filler.unlink()
        assert got.args[0] is None
        said = panel.bar.message.text()
        assert said.startswith("2 pictures could not be added: ") and said.endswith("Press Try again once that is "
                                                                                    "put right.")
        assert not panel.retry.isHidden() and len(project.ids()) == count
        with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
            panel.retry.click()
        assert len(got.args[0].imported) == 2 and len(project.ids()) == count + 2
        assert panel.retry.isHidden() and panel.bar.message.text() == ""
        assert not list((project.root / "cache" / "camera").glob("burst-*"))  # the staged copies went
        panel.shutdown()
        window.close_project()


def test_the_panel_lets_its_camera_go_when_another_step_is_shown(window, qtbot, tmp_path):
    """QA #11: the Data panel's stream ran on after the Data step was left, keeping the webcam from Predict."""
    panel, source = _panel(window, tmp_path)
    panel.class_combo.setCurrentText("a")
    count = len(window.session.project.ids())
    panel.start_recording()
    source.push()
    source.push()
    with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
        window.workspace.show_step(1)  # the Model step
    assert len(got.args[0].imported) == 2 and len(window.session.project.ids()) == count + 2  # the burst is in
    assert panel.bar.source is None and not panel.isVisible() and not panel.recording
    window.workspace.show_step(0)
    assert window.workspace.data.open_camera() is panel and panel.bar.source is None  # started again by the user
    panel.shutdown()


def test_undo_of_a_burst_that_made_a_class_takes_the_empty_class_away_and_redo_brings_it_back(window, qtbot, tmp_path):
    """QA #12: the pictures went to the trash, the class "dog" stayed behind with none."""
    panel, source = _panel(window, tmp_path)
    session, project = window.session, window.session.project
    names = lambda: [c.name for c in project.classes()]  # noqa: E731
    before = names()
    panel.class_combo.setCurrentText("dog")
    report = _burst(qtbot, panel, source, 3)
    assert report.classes_created == ["dog"] and names() == before + ["dog"]
    dog = project.class_by_name("dog")
    assert session.undo_stack.undoText() == "Add 3 camera pictures to the new class “dog”"
    session.recolor_class(dog.id, "#123456")  # a change of the class after the burst: undone first
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert names() == before and len(project.in_trash(report.imported)) == 3
    session.undo_stack.redo()
    assert names() == before + ["dog"] and project.class_by_name("dog").id == dog.id
    assert not project.in_trash(report.imported)
    assert {r.class_id for r in project.records(report.imported)} == {dog.id}
    # a second burst into "dog", which is not new now, leaves it on undo
    report2 = _burst(qtbot, panel, source, 1)
    assert report2.classes_created == [] and session.undo_stack.undoText() == "Add 1 camera picture to “dog”"
    session.undo_stack.undo()
    assert "dog" in names()
    # pictures put in "dog" from outside the window (`cnnstudio import --class dog`): the class is not empty, it stays
    from cnnstudio.project import import_paths
    from tests.conftest import write_dataset

    import_paths(project, [write_dataset(tmp_path / "outside", ("x",), per_class=2)], class_name="dog")
    session.undo_stack.undo()
    assert "dog" in names() and len(project.in_trash(report.imported)) == 3
    session.undo_stack.redo()
    assert not project.in_trash(report.imported)
    panel.shutdown()


def test_an_undone_burst_takes_its_ctrl_z_words_out_of_the_status_bar(window, qtbot, tmp_path):
    """"… Ctrl+Z takes them out again" stayed 8 seconds after the burst was undone. Ctrl+Z in the panel, where the
    user is, is the window's Undo (it did nothing there), which says what it undid; a burst undone any other way
    takes its words away at once."""
    from PySide6.QtCore import Qt

    panel, source = _panel(window, tmp_path)
    session, bar = window.session, window.statusBar()
    panel.class_combo.setCurrentText("a")
    _burst(qtbot, panel, source, 2)
    assert bar.currentMessage() == "Added 2 pictures to “a” (training pictures). Ctrl+Z takes them out again."
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    steps = session.undo_stack.index()
    qtbot.keyClick(panel.preview, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.undo_stack.index() == steps - 1
    assert bar.currentMessage() == "Undone: Add 2 camera pictures to “a”"
    qtbot.keyClick(panel.preview, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert session.undo_stack.index() == steps and bar.currentMessage() == "Redone: Add 2 camera pictures to “a”"

    _burst(qtbot, panel, source, 1)
    assert bar.currentMessage() == "Added 1 picture to “a” (training pictures). Ctrl+Z takes it out again."
    session.recolor_class(session.project.class_by_name("a").id, "#123456")  # a step after the burst
    session.undo_stack.undo()  # the colour: the burst is still in, and so are its words
    assert bar.currentMessage() == "Added 1 picture to “a” (training pictures). Ctrl+Z takes it out again."
    session.undo_stack.undo()  # the burst, not from the window's Undo: its words go at once
    assert bar.currentMessage() == ""
    panel.shutdown()


def test_the_panel_fits_the_screen_and_a_long_class_name_does_not_widen_it(window, qtbot, tmp_path):
    """QA #13: the panel opened at 760 x 640 on a 1,024 x 614 screen, and a 300-character name made it 2,311 px wide."""
    from tests.ui.test_window_fits_small_screen import SMALL_SCREEN

    panel, source = _panel(window, tmp_path)
    room = panel.screen().availableGeometry()
    assert panel.width() <= room.width() * 0.9 and panel.height() <= room.height() * 0.9
    least = panel.minimumSizeHint()
    assert least.width() <= SMALL_SCREEN[0] * 0.9 and least.height() <= SMALL_SCREEN[1] * 0.9
    name = "a very long name for a class " * 10
    panel.class_combo.setCurrentText(name)
    qtbot.waitUntil(lambda: panel.counter.shown_text().endswith("…"), timeout=5000)
    assert panel.minimumSizeHint().width() <= least.width() and panel.width() <= room.width() * 0.9
    assert panel.counter.toolTip() == panel.counter.text() and panel.counter.text().startswith(name.strip())
    panel.shutdown()


def test_after_a_burst_the_window_says_what_was_added_and_the_panel_that_it_has_no_split(window, qtbot, tmp_path):
    """QA #15 and #16: nothing but the panel's counter changed after a burst, and nothing said the pictures had no
    split. A burst into a project with splits goes to the training split (project/splits.split_for_added), shown
    there while it is on its way in; in a project with no split at all the panel says they have none yet."""
    from cnnstudio.project import ImageFilter
    from cnnstudio.ui.camera.rules import NO_SPLIT_NOTE, burst_words

    # re-QA N7: where they went, in the Predict page's words ("Added to the training pictures as “5”.")
    assert burst_words(4, "3", "train") == ("Added 4 pictures to “3” (training pictures). Ctrl+Z takes them out "
                                            "again.")
    assert burst_words(1, "cat", None) == "Added 1 picture to “cat” (no split yet). Ctrl+Z takes it out again."
    assert burst_words(2, "cat", "val") == ("Added 2 pictures to “cat” (validation pictures). Ctrl+Z takes them out "
                                            "again.")
    panel, source = _panel(window, tmp_path)
    session = window.session
    panel.class_combo.setCurrentText("a")
    panel.start_recording()
    source.push()
    qtbot.waitUntil(lambda: len(panel.pending) == 1, timeout=10_000)
    pending = panel.pending.items()[0]
    class_ids = {c.name.casefold(): c.id for c in session.project.classes()}
    assert panel.pending.shown(ImageFilter(split="train"), class_ids) == [pending]
    assert panel.pending.shown(ImageFilter(split="none"), class_ids) == []
    with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
        panel.stop_recording()
    assert {r.split for r in session.project.records(got.args[0].imported)} == {"train"}
    said = window.statusBar().currentMessage()
    assert said == "Added 1 picture to “a” (training pictures). Ctrl+Z takes it out again.", said
    assert panel.note.isHidden()
    session.delete_images(got.args[0].imported)  # out of the way: to the trash

    everything = session.project.ids(ImageFilter())
    session.set_split(everything, None)  # a project with no split at all: the first training run splits it
    panel.class_combo.setCurrentText("3")
    report = _burst(qtbot, panel, source, 4)
    assert {r.split for r in session.project.records(report.imported)} == {None}
    said = window.statusBar().currentMessage()
    assert said == "Added 4 pictures to “3” (no split yet). Ctrl+Z takes them out again.", said
    assert panel.note.text() == NO_SPLIT_NOTE and not panel.note.isHidden()
    session.undo_stack.undo()  # the pictures are in the trash: nothing is without a split
    assert panel.note.isHidden()
    session.undo_stack.redo()
    assert not panel.note.isHidden()
    session.set_split(report.imported, "train")  # what Split does for them
    assert panel.note.isHidden()
    panel.shutdown()


def test_frames_are_saved_off_the_gui_thread_in_the_order_they_were_kept(window, qtbot, tmp_path):
    """QA #7: PNG encoding on the GUI thread stalled the preview and kept 18 of the 30 pictures a second asked for."""
    panel, source = _panel(window, tmp_path)
    panel.class_combo.setCurrentText("a")
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 255, (480, 640, 3), dtype=np.uint8) for _ in range(4)]
    kept = []
    panel.frame_saved.connect(kept.append)
    panel.start_recording()
    for frame in frames:
        source.push(frame)
        assert kept == [] and panel.pending.items() == []  # handed over: the GUI thread goes on at once
    assert panel.preview.shown == 4
    with qtbot.waitSignal(panel.burst_imported, timeout=30_000) as got:
        panel.stop_recording()
    assert kept == [1, 2, 3, 4]
    records = window.session.project.records(got.args[0].imported)
    stored = [np.asarray(Image.open(window.session.project.root / r.file)) for r in records]
    assert all((a == b).all() for a, b in zip(stored, frames))  # in the order they were kept
    panel.shutdown()


def test_a_frame_that_cannot_be_saved_stops_the_burst_and_keeps_what_was_saved(window, qtbot, tmp_path):
    panel, source = _panel(window, tmp_path)
    panel.class_combo.setCurrentText("a")
    panel.start_recording()
    source.push()
    qtbot.waitUntil(lambda: len(panel.pending.items()) == 1, timeout=10_000)
    Path(panel.pending.items()[0].path).with_name("frame-00001.png").mkdir()  # where the next frame would go
    with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
        source.push()  # this one cannot be saved: the burst ends, the first frame goes in
    assert len(got.args[0].imported) == 1 and not panel.recording
    said = panel.bar.message.text()
    assert said.startswith("The picture could not be saved (") and said.endswith("Pictures already added are kept.")
    assert panel.record.text() == "● Hold to record (Space)"
    panel.shutdown()



def test_space_let_go_and_down_again_at_once_is_one_burst(window, qtbot, tmp_path):
    """QA #7: a held key's repeat that a busy system delivered as a release and a press made two bursts."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    panel, source = _panel(window, tmp_path)
    panel.class_combo.setCurrentText("a")
    steps = window.session.undo_stack.count()
    imported = []
    panel.burst_imported.connect(imported.append)
    QTest.keyPress(panel.preview, Qt.Key.Key_Space)
    source.push()
    QTest.keyRelease(panel.preview, Qt.Key.Key_Space)
    QTest.keyPress(panel.preview, Qt.Key.Key_Space)  # before the let-go ends the burst
    assert panel.recording
    source.push()
    with qtbot.waitSignal(panel.burst_imported, timeout=20_000) as got:
        QTest.keyRelease(panel.preview, Qt.Key.Key_Space)
    assert len(got.args[0].imported) == 2 and imported == [got.args[0]]
    assert window.session.undo_stack.count() == steps + 1
    panel.shutdown()

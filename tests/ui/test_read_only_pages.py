"""A project open for viewing only (another window has it, or its disk is read-only): every page opens, none writes
just because it was shown, the Model page says once why nothing is saved and still edits in memory, and Start says
why it is off."""

from __future__ import annotations

import json
import os
import socket
import time

from PySide6.QtCore import QTimer

from cnnstudio.engine.model.design import META_SPEC
from cnnstudio.engine.runs.saved_pages import META_SETTINGS
from cnnstudio.project import Project, import_paths
from cnnstudio.project.open_lock import LOCK_NAME
from cnnstudio.ui.read_only_words import read_only_note, read_only_refusal
from cnnstudio.ui.train.start_blocker import start_blocker
from cnnstudio.ui.workspace import STEP_KEYS
from tests.disk_helpers import remount, small_disk, write_noise_images


def _project(tmp_path, where):
    """A project used only from the command line so far: pictures of two classes, no design or settings saved."""
    src = write_noise_images(tmp_path / "src", 3, 16)
    with Project.create(where / "MyProject") as p:
        import_paths(p, [src], labels_from_folders=True)
    return where / "MyProject"


def _open_read_only(window, root) -> None:
    """File > Open on a project another window holds (this test's parent process), then "Open read-only"."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    (root / LOCK_NAME).write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname(),
                                              "since": time.time()}), encoding="utf-8")

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        next(b for b in box.buttons() if b.text() == "Open read-only").click()

    QTimer.singleShot(0, answer)
    assert window.open_project(root)
    assert window.session.project.read_only


def _show_every_page(window, qapp, reporter) -> None:
    for i, key in enumerate(STEP_KEYS):
        window.workspace.show_step(i)
        qapp.processEvents()
        assert reporter.problems == [], f"the {key} page: {reporter.problems}"
        if i:
            lazy = window.workspace.lazy[key]
            assert lazy.page is not None and lazy.failed is None, key
    assert reporter.dialog is None and reporter.message_box is None


def test_the_words_of_a_project_open_for_viewing_only(tmp_path):
    root = _project(tmp_path, tmp_path)
    with Project.open(root) as p:
        assert read_only_note(p, "save changes to the design here", "More.") == ""
        assert read_only_refusal(p, "train") == ""
    with Project.open(root, read_only=True) as p:
        note = read_only_note(p, "save changes to the design here", "You can still try changes here.")
        assert "MyProject was opened read-only in this window" in note
        assert "so CNN Studio cannot save changes to the design here: close the other window" in note
        assert note.endswith("open the project again. You can still try changes here.")
        refusal = read_only_refusal(p, "train")
        assert "cannot train:" in refusal and not refusal.endswith(".")
        # said before anything else that keeps Start off: nothing can be fixed on another page of this project
        blocker = start_blocker({None: {None: 3}}, design_error="0 classes", read_only=refusal)
        assert blocker.text == refusal[:1].upper() + refusal[1:] + "." and blocker.step == "" and not blocker.button


def test_every_page_opens_read_only_without_writing_and_edits_stay_in_memory(window, qapp, reporter, tmp_path):
    root = _project(tmp_path, tmp_path)
    _open_read_only(window, root)
    try:
        _show_every_page(window, qapp, reporter)
        model = window.workspace.model_page
        assert model.layer_stack.cards and model.is_valid()  # the default design, shown
        assert not model.read_only_note.isHidden()
        assert "cannot save changes to the design here" in model.read_only_note.text()
        # editing works in memory, with its undo step, and says nothing at each edit
        n = len(model.design.layers)
        window.workspace.show_step(1)
        model.add_layer("relu")
        qapp.processEvents()
        assert len(model.design.layers) == n + 1 and model.undo_stack.count() == 1
        model.undo_stack.undo()
        assert len(model.design.layers) == n
        train = window.workspace.train_page
        window.workspace.show_step(2)
        train.settings_form.epochs.setValue(7)
        qapp.processEvents()
        assert train.settings_form.values()["epochs"] == 7
        assert reporter.problems == []
        assert not train.start_button.isEnabled()
        assert "cannot train or save settings here: close the other window" in train.blocked.text()
        assert "cannot train or save settings here" in window.workspace.tune_page.blocked()
    finally:
        window.close_project()
    with Project.open(root) as p:  # nothing was written by showing or editing
        assert p.meta(META_SPEC) is None and p.meta(META_SETTINGS) is None


def test_model_and_train_pages_open_on_a_read_only_disk(window, qapp, reporter, tmp_path):
    with small_disk(tmp_path / "disk", "3m") as disk:
        root = _project(tmp_path, disk)
        remount(disk, read_only=True)
        try:
            assert window.open_project(root) and window.session.project.read_only
            _show_every_page(window, qapp, reporter)
            note = window.workspace.model_page.read_only_note.text()
            assert "MyProject is on a read-only disk, so CNN Studio cannot save changes to the design here" in note
            assert "is on a read-only disk, so CNN Studio cannot train" in window.workspace.train_page.blocked.text()
        finally:
            window.close_project()


def test_a_read_only_projects_runs_are_evaluated_without_writing_and_not_changed(window, qapp, qtbot, reporter,
                                                                                  tmp_path):
    from cnnstudio.project.run_records import EVALUATION, run_dir
    from tests.ui.test_training_view import open_trained

    run_id = open_trained(window, qtbot, tmp_path)
    root = window.session.project.root
    stored = run_dir(window.session.project, run_id) / EVALUATION
    written = lambda: (stored.stat().st_ino, stored.stat().st_mtime_ns) if stored.exists() else None  # noqa: E731
    before = written()
    window.close_project()
    _open_read_only(window, root)
    try:
        _show_every_page(window, qapp, reporter)
        page = window.workspace.evaluate_page
        if page.thread is not None:
            qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
        with qtbot.waitSignal(page.evaluated, timeout=30_000):  # Evaluate again, on the validation pictures
            page.evaluate(run_id, "val", fresh=True)
        assert page.result is not None and page.result["split"] == "val"
        assert "cannot be evaluated" not in page.summary.text() and reporter.problems == []
        runs = window.workspace.train_page.runs  # its runs cannot be resumed, renamed or deleted: the tips say why
        runs.select([run_id])
        assert runs.selected_ids() == [run_id] and runs.use_design_button.isEnabled()
        for button in (runs.resume_button, runs.rename_button, runs.delete_button):
            assert not button.isEnabled()
            assert ("was opened read-only in this window (another window has it open), so CNN Studio cannot resume, "
                    "rename or delete its runs: close the other window") in button.toolTip()
    finally:
        window.close_project()
    assert written() == before  # shown, not kept in the run's folder (a new file would be a new inode)

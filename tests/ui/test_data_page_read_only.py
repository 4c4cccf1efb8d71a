"""The Data step of a project on a read-only disk: what would write is off and says why in its tooltip, and a key
that would write says why in the status bar, so nothing is clicked that then fails (QA: Add pictures, Split and the
labelling keys stayed on, and failed when used). A real read-only tmpfs, real SQLite, real Qt."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cnnstudio.project import Project, import_paths
from tests.disk_helpers import remount, small_disk, write_noise_images


def test_a_read_only_projects_data_step_turns_off_what_writes_and_says_why(window, qtbot, reporter, tmp_path):
    src = write_noise_images(tmp_path / "src", 3, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        with Project.create(disk / "Pets") as p:
            import_paths(p, [src], labels_from_folders=True)
            p.set_split(p.ids()[:1], "train")  # the trash and the split have something to act on
            p.delete_images(p.ids()[:1])
        remount(disk, read_only=True)
        try:
            assert window.open_project(disk / "Pets") and window.session.project.read_only
            data = window.workspace.data
            why = {doing: str(window.session.project.write_refused(doing)) for doing in
                   ("add pictures", "split the pictures", "change labels", "add classes")}
            assert why["add pictures"].startswith("the folder Pets is on a read-only disk, so CNN Studio cannot add")
            gallery = data.gallery
            gallery.split_filter.setCurrentIndex(gallery.split_filter.count() - 1)  # the trash
            gallery.list.selectAll()
            for control, doing in ((data.camera_button, "add pictures"), (gallery.empty.import_files, "add pictures"),
                                   (gallery.empty.import_folder, "add pictures"),
                                   (data.splits.apply, "split the pictures"), (data.splits.carve, "split the pictures"),
                                   (window.import_files_action, "add pictures"),
                                   (window.import_folder_action, "add pictures"),
                                   (window.split_action, "split the pictures"),
                                   (window.add_class_action, "add classes"),
                                   (gallery.trash.restore_button, "move pictures to the trash or back"),
                                   (gallery.trash.empty_button, "move pictures to the trash or back")):
                said = str(window.session.project.write_refused(doing))
                assert not control.isEnabled(), control
                assert control.toolTip() == said[:1].upper() + said[1:] + ".", (control, control.toolTip())
            gallery.split_filter.setCurrentIndex(0)  # all pictures, one selected: its labelling keys
            gallery.list.setCurrentIndex(gallery.model.index(0))
            qtbot.keyClick(gallery.list, Qt.Key.Key_1)
            said = why["change labels"]
            assert window.statusBar().currentMessage() == said[:1].upper() + said[1:] + "."
            window.split_action.trigger()  # a disabled action does nothing, and Split asked anyway says why
            data.splits.do_split()
            assert window.statusBar().currentMessage().startswith("The folder Pets is on a read-only disk, so CNN "
                                                                  "Studio cannot split the pictures")
            assert window.import_paths([src], []) is False  # pictures dropped: why, not an import that fails
            assert "cannot add pictures" in window.statusBar().currentMessage()
            _check_fixes_are_off(data, window.session.project)
            assert reporter.problems == [] and reporter.dialog is None and window.session.undo_stack.count() == 0
        finally:
            window.close_project()
    assert window.import_files_action.toolTip() == "Copy image files into the project"  # no project: its own words


def _check_fixes_are_off(data, project) -> None:
    """A data check's finding on a read-only project: its fixes are off, and say why."""
    from PySide6.QtWidgets import QApplication

    from cnnstudio.engine.runs.doctor import DataReport, Finding

    panel = data.check
    data.side.setCurrentWidget(panel)
    flat = Finding("quality", (project.ids()[0],), 0.5, "almost all one colour", what="flat", key="q-0")
    panel.show_report(DataReport(images=1, seconds=1.0, method="test", kinds=("quality",), findings=[flat]))
    QApplication.processEvents()
    panel.tree.setCurrentItem(panel._groups()[0].child(0))
    said = str(project.write_refused("apply the data check's fixes"))
    assert panel.fix_buttons and all(not b.isEnabled() for b in panel.fix_buttons)
    assert {b.toolTip() for b in panel.fix_buttons} == {said[:1].upper() + said[1:] + "."}

"""The Data step: classes (left), the gallery (middle), splits and dataset health or the data check (right)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QTabWidget, QWidget

from ...project import UNLABELLED
from ...project.changed_elsewhere import AREAS, CLASSES, PICTURES
from ...project.counting import counted
from ...project.left_out import left_out
from ..session import ProjectSession
from .check_panel import CheckPanel
from .class_panel import ClassPanel
from .gallery_model import IdRole
from .gallery_view import GalleryPanel, row_selection
from .picture_words import labelled_words
from .preview import PreviewDialog
from .split_panel import SplitPanel
from .writing_controls import ADD_PICTURES, set_writing


class DataPage(QWidget):
    import_files_requested = Signal()  # the empty gallery's import buttons: the window's File > Import actions
    import_folder_requested = Signal()
    go_to_step = Signal(str)  # "data": an import report's action from another step shows this one (its Ctrl+Z)
    pictures_gone = Signal()  # a label or trash asked for pictures another program trashed or deleted (the window looks)

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.classes = ClassPanel(session)
        self.gallery = GalleryPanel(session)
        self.splits = SplitPanel(session)
        self.check = CheckPanel(session)
        self.check.split_asked.connect(self._split_asked)
        self.side = QTabWidget()
        self.side.addTab(self.splits, "Split && health")
        self.side.addTab(self.check, "Check data")
        self.side.setTabToolTip(1, "Find labels that may be wrong, duplicates, test leaks and unusable pictures")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.classes)
        splitter.addWidget(self.gallery)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 1)  # a wider window gives the class names some room too (up to MOST_WIDTH) ...
        splitter.setStretchFactor(1, 4)  # ... and the gallery the most
        splitter.setStretchFactor(2, 0)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([244, 1000, 310])  # the gallery gets what the side panels leave
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(splitter)
        self.classes.class_activated.connect(self._show_class)
        self.classes.label_key.connect(self._label_key)
        self.gallery.list.label_requested.connect(session.label)
        self.gallery.list.delete_requested.connect(self._delete)
        self.gallery.list.preview_requested.connect(self.preview)
        self.gallery.list.pictures_gone.connect(self.pictures_gone)
        self.gallery.import_files_requested.connect(self.import_files_requested)
        self.gallery.import_folder_requested.connect(self.import_folder_requested)
        self.check.images_selected.connect(self.gallery.select_images)
        self.camera_panel = None  # the "Camera…" panel (ui/camera/camera_panel.py), made when first opened
        self.camera_button = QPushButton("Camera…")
        set_writing(self.camera_button, session.project, ADD_PICTURES, True,
                    "Collect pictures of a class with a webcam")
        self.camera_button.clicked.connect(self.open_camera)
        self.gallery.bar.insertWidget(2, self.camera_button)  # after the filters
        # Tab goes left to right, top to bottom: the classes and their buttons, the gallery's bar, the trash's buttons
        # while it is shown, the pictures (or the empty gallery's import buttons), then the side panel (Camera… was
        # last, and the pictures came before the bar above them)
        chain = [self.classes.buttons["delete"], self.gallery.class_filter, self.gallery.split_filter,
                 self.camera_button, self.gallery.size_slider, self.gallery.trash.restore_button,
                 self.gallery.trash.empty_button, self.gallery.list, self.gallery.empty.import_files,
                 self.gallery.empty.import_folder, self.side]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
        self.undo_actions: list = []  # the window's Edit > Undo and Redo: the preview's Ctrl+Z (set by the window)

    def _show_class(self, class_id) -> None:
        """A class double-clicked: the gallery shows its pictures and has the focus, for the next labelling key."""
        self.gallery.show_class(class_id)
        self.gallery.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _label_key(self, event) -> None:
        """A labelling key pressed in the class list: the gallery's, which labels the selected pictures (one rule:
        GalleryList.keyPressEvent)."""
        self.gallery.list.keyPressEvent(event)

    # -- what an import's report offers (import_report.ImportReportDialog.offer) -----------------------
    def import_report_opened(self, dialog, report) -> None:
        """Offer, in an import's report, to show the pictures that came without a class, to give them the class
        the gallery shows, or to move the whole import to the trash."""
        imported = [r for r in self.session.project.records(report.imported)]
        no_class = [r.id for r in imported if r.class_id is None]
        shown = self.gallery.class_filter.currentData()
        trashed = self.gallery.model.filter.trashed
        shown_class = (shown, self.gallery.class_filter.currentText()) if shown not in (None, UNLABELLED) else None
        # labelled pictures that came in with no split, in a project already split: training leaves them out
        unsplit = any(r.class_id is not None and r.split is None for r in imported)
        dialog.offer(no_class, shown_class, showing_no_class=shown == UNLABELLED and not trashed
                     and self.gallery.split_filter.currentIndex() == 0,
                     left_out=left_out(self.session.project.counts()) if unsplit else 0)
        dialog.show_no_class.connect(self._show_no_class)
        dialog.show_pictures.connect(self._show_pictures)
        dialog.give_class.connect(self._give_class)
        dialog.trash.connect(self._trash_import)
        dialog.split.connect(self._split_left_out)

    def _split_left_out(self) -> None:
        """The report's "Split": the Split & health tab shown, its Split pressed."""
        self.go_to_step.emit("data")
        self.side.setCurrentWidget(self.splits)
        self.splits.do_split()

    def _show_no_class(self, ids: list[int]) -> None:
        self.go_to_step.emit("data")
        self.gallery.show_all()
        self.gallery.show_class(UNLABELLED)
        self.gallery.select_images(ids)
        self.gallery.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_pictures(self, ids: list[int]) -> None:
        """The report's "Show the pictures in red": every class and split, those pictures selected."""
        self.go_to_step.emit("data")
        self.gallery.show_all()
        self.gallery.select_images(ids)
        self.gallery.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _give_class(self, ids: list[int], class_id: int) -> None:
        self.go_to_step.emit("data")
        name = self.session.class_info(class_id).name
        self.session.label(ids, class_id)
        self.gallery.select_images(ids)
        self.window().statusBar().showMessage(f"{labelled_words(len(ids), name)}. Ctrl+Z undoes it.", 8000)

    def _trash_import(self, ids: list[int]) -> None:
        """The report's "Undo this import" (``ids``: the pictures the import added and brought back from the trash):
        the import's own step undone (ui/import_command.py: its pictures to the trash, the classes it gave and made
        taken back; Redo puts it again) while it is the last step; after other
        steps (a label since, say), its pictures are moved to the trash as one step of their own."""
        from ..import_command import ImportCommand

        self.go_to_step.emit("data")
        stack = self.session.undo_stack
        last = stack.command(stack.index() - 1) if stack.index() > 0 else None
        if isinstance(last, ImportCommand) and set(last.added + last.untrashed) == set(ids):
            before = stack.index()
            stack.undo()
            if stack.index() == before:  # refused (a disk that said no: said by the safe undo), nothing undone
                return
            self.window().statusBar().showMessage(
                f"{last.text()} undone: its pictures are in the project's trash. Edit > Redo brings it back.",
                8000)
            return
        self._delete(ids)

    def _delete(self, ids: list[int]) -> None:
        if self.gallery.list.refuse_gone(ids, "nothing was moved to the trash"):
            return
        self.session.delete_images(ids)
        them = "them" if len(ids) != 1 else "it"
        self.window().statusBar().showMessage(
            f"Moved {counted(len(ids), 'picture')} to the project's trash. Ctrl+Z brings {them} back; later, choose "
            f"“Trash” in the split filter above the pictures.", 8000)

    def show_changes_elsewhere(self, areas=AREAS) -> None:
        """Another program changed the project (``areas``: project/changed_elsewhere.py): the class list, the gallery,
        the counts and the health read it again, the pictures still there kept selected and the gallery where it was
        scrolled."""
        if not {CLASSES, PICTURES} & set(areas):
            return
        view = self.gallery.list
        model = self.gallery.model
        selected, current = view.selected_ids(), view.currentIndex().data(IdRole)
        scroll = view.verticalScrollBar().value()
        self.session.invalidate()
        if CLASSES in areas:
            self.session.classes_changed.emit()
        self.session.splits_changed.emit()
        self.session.images_changed.emit()  # the gallery's rows, the class list's and the split panel's counts
        sel = view.selectionModel()  # in one step: one selection change, however many pictures (gallery_view)
        rows = [r for r in (model.row_of(i) for i in selected) if r is not None]
        sel.select(row_selection(model, rows), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        row = model.row_of(current) if current is not None else None
        if row is not None:
            sel.setCurrentIndex(model.index(row), QItemSelectionModel.SelectionFlag.NoUpdate)
        view.doItemsLayout()  # the rows laid out now, so that the scroll bar reaches where it was
        view.verticalScrollBar().setValue(scroll)

    def _split_asked(self, action: str) -> None:
        """A dataset finding's one-click fix: the Split & health tab's Split (its ratios), or its carve button."""
        from ...project.health import CARVE_VALIDATION

        if action == CARVE_VALIDATION:
            self.splits.carve_asked()
        else:
            self.splits.do_split()

    def preview(self, image_id: int) -> None:
        if image_id < 0:  # a camera picture not imported yet
            return
        self.preview_dialog = PreviewDialog(self.session, image_id, self, gallery=self.gallery.list,
                                            undo_actions=self.undo_actions)
        self.preview_dialog.open()

    def open_camera(self):
        from ..camera.camera_panel import CameraPanel

        if self.camera_panel is None:
            self.camera_panel = panel = CameraPanel(self.session, self)
            model = self.gallery.model  # the gallery shows the frames kept as they come (pending until imported)
            model.follow(panel.pending)
            panel.frame_kept.connect(model.pending_added)
            panel.burst_settled.connect(model.pending_settled)
            self.classes.pending = panel.pending  # and the class list counts them
            panel.frame_kept.connect(self.classes.count_pending)
            panel.burst_settled.connect(self.classes.count_pending)
            panel.status.connect(lambda text: self.window().statusBar().showMessage(text, 8000))
        self.camera_panel.show()
        self.camera_panel.raise_()
        return self.camera_panel

    def hideEvent(self, event) -> None:  # noqa: N802
        """Another step shown: the camera panel closes and lets its camera go (the Predict step's Camera tab may
        want it, and a webcam serves one program at a time); a burst being recorded is added. A minimised window
        (a spontaneous hide) leaves it be."""
        super().hideEvent(event)
        if not event.spontaneous() and self.camera_panel is not None and self.camera_panel.isVisible():
            self.camera_panel.close()

    def close(self) -> None:
        if self.camera_panel is not None:
            self.camera_panel.shutdown()
        self.check.shutdown()
        self.gallery.model.close()

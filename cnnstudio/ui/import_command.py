"""An import of pictures on the Data page's undo stack (:class:`ImportCommand`): one step for all it changed, so that
Ctrl+Z takes back the wrong folder imported and Redo brings it in again.

What an import changed is the importer's to say (:class:`~cnnstudio.project.importer.ImportReport`: the pictures
it added, those it brought back from the trash, those it gave a class, the classes it made); this step only takes
that back and puts it again.
"""

from __future__ import annotations

from typing import Callable

from ..project import ClassInfo, ImageFilter, ImportReport
from ..project.importer import LAST_IMPORT_DUPLICATES
from .data.picture_words import pictures
from .session import PicturesCommand, ProjectSession


class ImportCommand(PicturesCommand):
    """An import that already ran (its first redo does nothing). Undo moves the pictures it added, and those it
    brought back from the trash, to the project's trash, as "Trash" does (their files stay; the trash bar or Redo
    brings them back), and makes the pictures it gave a class (those already in the project without one) unlabelled
    again. A class the import made goes too when nothing is left in it (the steps after the import, labels in it
    included, are undone before this one, so only the import's own pictures can be in it), and Redo brings it back
    as it was (its id, name, colour and place, and its pictures' labels), as a camera burst's class does
    (ui/camera/burst_command.py); a class still holding a picture stays.

    An import undone is no longer "the last import" the Data page's health note counts the duplicates of
    (:func:`~cnnstudio.project.health.dataset_warnings`): Undo puts back the count of the import before it
    (``note_before``, read as the import started), Redo this import's again.

    A safe step (ui/safe_undo.py): an Undo or Redo whose write fails leaves the project as it was, all of the step
    or none of it. A step about pictures (ui/session.py): pictures deleted for good are forgotten, the rest counted
    again in its text, and a step left with none is dropped."""

    def __init__(self, session: ProjectSession, report: ImportReport, note_before: str = ""):
        self.added = list(dict.fromkeys(report.imported))
        self.untrashed = [i for i in dict.fromkeys(report.untrashed) if i not in set(self.added)]
        self.given = list(dict.fromkeys(report.class_given))
        made = (session.project.class_by_name(name) for name in dict.fromkeys(report.classes_created))
        self.made = [info.id for info in made if info is not None]  # the classes the import made
        self.labels: dict[int, int | None] = {}  # the given pictures' classes, while undone
        self.removed: list[tuple[ClassInfo, list[int]]] = []  # the classes taken away and their pictures, while undone
        self.remembered = report.remembered  # the health note's "last import" (not a picture added from Predict)
        self.note: str | None = None  # that note's count, while undone
        self.note_before = note_before or ""  # the note of the import before this one (Undo puts it back)
        super().__init__(session, self._words(0))
        self.ids = report.changed

    def _words(self, n: int) -> str:
        """"Import 12 pictures" (added or back from the trash); an import that only gave pictures already there
        their class: "Give 5 pictures their class from an import". ``n`` is not used: the step counts its kinds."""
        came = len(self.added) + len(self.untrashed)
        return f"Import {pictures(came)}" if came or not self.given else \
            f"Give {pictures(len(self.given))} their class from an import"

    def forget(self, gone: set[int]) -> bool:
        self.added = [i for i in self.added if i not in gone]
        self.untrashed = [i for i in self.untrashed if i not in gone]
        self.given = [i for i in self.given if i not in gone]
        for i in gone:
            self.labels.pop(i, None)
        self.removed = [(info, [i for i in freed if i not in gone]) for info, freed in self.removed]
        return super().forget(gone)

    def apply(self) -> None:
        if not self.applied:  # pushed after the import: the import made the change
            return
        back = self.added + self.untrashed
        done: list[Callable[[], object]] = []  # what to take away again if a later write fails
        try:
            for info, freed in reversed(self.removed):
                self.p.restore_class(info, freed)
                done.append(lambda info=info: self.p.delete_class(info.id))  # bound now: each its own class
            self.p.restore_images(back)
            done.append(lambda: self.p.delete_images(back))
            self.p.restore_labels(self.labels)
            if self.remembered and self.note is not None:
                self.p.set_meta(LAST_IMPORT_DUPLICATES, self.note)
        except Exception:
            self._undo_quietly(done)
            raise
        classes, self.removed = bool(self.removed), []
        self._said(classes)

    def revert(self) -> None:
        back = self.added + self.untrashed
        done: list[Callable[[], object]] = []  # what to put back if a later write fails
        removed: list[tuple[ClassInfo, list[int]]] = []
        try:
            self.labels = self.p.set_labels(self.given, None) if self.given else {}
            done.append(lambda: self.p.restore_labels(self.labels))
            self.p.delete_images(back)
            done.append(lambda: self.p.restore_images(back))
            if self.remembered:
                note = self.p.meta(LAST_IMPORT_DUPLICATES)
                self.p.set_meta(LAST_IMPORT_DUPLICATES, self.note_before)
                done.append(lambda: self.p.set_meta(LAST_IMPORT_DUPLICATES, note or ""))
                self.note = note or ""
            for info in self.p.classes():
                if info.id in self.made and self.p.count(ImageFilter(class_id=info.id)) == 0:
                    removed.append((info, self.p.delete_class(info.id)))
                    done.append(lambda info=info, freed=removed[-1][1]: self.p.restore_class(info, freed))
        except Exception:
            self._undo_quietly(done)
            raise
        self.removed = removed
        self._said(bool(removed))

    @staticmethod
    def _undo_quietly(steps: list[Callable[[], object]]) -> None:
        """Put back what a failed Undo or Redo did before it failed (best effort: the disk may refuse that too)."""
        for step in reversed(steps):
            try:
                step()
            except Exception:  # noqa: BLE001 - the first error is the one said
                pass

    def _said(self, classes: bool) -> None:
        if classes:
            self.s.classes_changed.emit()
        if self.given:
            self.s.labels_changed.emit(list(self.given))
        self.s.images_changed.emit()

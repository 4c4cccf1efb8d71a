"""A camera burst on the undo stack (:class:`CameraBurstCommand`): one step for all its pictures, and for the class
it made, if it made one."""

from __future__ import annotations

from ...project import ImageFilter
from ...project.counting import counted
from ..session import PicturesCommand, ProjectSession


class CameraBurstCommand(PicturesCommand):
    """Pictures a burst imported: undo moves them to the trash, redo brings them back (the import already ran). A
    burst that made its class (``made_class``) takes the class away on undo too when nothing else is in it, and
    redo brings it back as it was (its name, colour and place in the list). A safe step (ui/safe_undo.py): an Undo
    or Redo whose write fails (a full disk, a moved project) says why and leaves the stack where it was, rather than
    saying "Undone" with the pictures still there. A step about pictures (ui/session.py): when some are deleted for
    good it forgets them and counts those left."""

    def __init__(self, session: ProjectSession, ids: list[int], class_name: str, made_class: bool = False):
        self.class_name = class_name
        info = session.project.class_by_name(class_name) if made_class else None
        self.class_id = info.id if info is not None else None  # the class the burst made
        self.removed = None  # (the class as it was, its pictures' ids) while undone
        super().__init__(session, self._words(len(ids)))
        self.ids = list(ids)

    def _words(self, n: int) -> str:
        new = "the new class " if self.class_id is not None else ""
        return f"Add {counted(n, 'camera picture')} to {new}“{self.class_name}”"

    def apply(self):
        if self.applied:  # a Redo; the first run is the import itself
            if self.removed is not None:
                self.p.restore_class(*self.removed)
                self.removed = None
                self.s.classes_changed.emit()
            self.p.restore_images(self.ids)
        self.s.images_changed.emit()

    def revert(self):
        self.p.delete_images(self.ids)
        info = next((c for c in self.p.classes() if c.id == self.class_id), None)  # renamed since, perhaps
        if info is not None and self.p.count(ImageFilter(class_id=info.id)) == 0:
            try:
                self.removed = info, self.p.delete_class(info.id)
            except Exception:
                self.p.restore_images(self.ids)  # all of the step or none of it
                raise
            self.s.classes_changed.emit()
        self.s.images_changed.emit()

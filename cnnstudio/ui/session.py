"""The open project as the GUI sees it: the store, the undo stacks, and change signals.

Views never call each other: they change the project through a command pushed on :attr:`undo_stack`
(so every change is undoable) and listen to the signals here to refresh themselves.

Undo acts where the user is: one :class:`QUndoStack` per workflow step (:meth:`ProjectSession.stack`, keyed by the
workspace's step keys "data", "model", "train", ...), all in :attr:`ProjectSession.undo_group`, whose active stack
the workspace switches with the page. :attr:`undo_stack` is the Data page's stack (labels, classes, splits,
imports); the Model page pushes its design edits on ``stack("model")``; a page without undoable actions has an
empty stack, so Ctrl+Z there never undoes another page's work. A page whose undoable actions change the data shares
the Data page's stack (:data:`SHARED_STACKS`: the Evaluate page's one-click relabel), so the labels have one
history: Ctrl+Z on Evaluate undoes the relabel it just made, and the Data page shows the same steps.

Emptying the project's trash (:meth:`ProjectSession.empty_trash`) deletes pictures for good and is no undo step: the
steps that were only about those pictures (trashing them, labelling them...) would do nothing now, so they are marked
obsolete and dropped when Undo or Redo reaches them (never a Ctrl+Z that does nothing); a step about some of them
forgets those, keeps the rest and counts them again in its undo text (:meth:`ProjectSession.forget_images`).
Pictures deleted for good from outside the window (``cnnstudio trash DIR --empty`` while it is open) meet the same
rule when Undo or Redo reaches their step (:meth:`ProjectSession.forget_gone`), which says how many were.

A split drawn at random (Split, the carve of validation) is drawn once: Redo puts back the same assignment (the
step keeps the pictures it moved, before and after), never a new draw.
"""

from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoGroup, QUndoStack

from ..project import ClassInfo, Project
from ..project.counting import counted
from ..project.health import carve_label
from ..project.names import quoted
from ..project.store import EmptiedTrash
from ..project.splits import carve_validation
from .data.picture_words import pictures  # "1 picture", "3 pictures": how an undo text counts
from .safe_undo import SafeCommand, UndoGuard


SHARED_STACKS = {"evaluate": "data"}  # step -> the step whose undo stack it uses (its actions change that data)


class ProjectSession(QObject):
    labels_changed = Signal(list)  # image ids whose class changed
    classes_changed = Signal()  # classes added, renamed, recoloured, deleted, merged
    images_changed = Signal()  # images added or removed
    splits_changed = Signal()

    def __init__(self, project: Project, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.undo_group = QUndoGroup(self)
        self.guard = UndoGuard()  # a change that fails (a full disk, a vanished folder) never stays on Undo / Redo
        self._stacks: dict[str, QUndoStack] = {}
        self.undo_stack = self.stack("data")  # the Data page's: labels, classes, splits, imports
        self.guard.watch(self.undo_stack)
        # Counts per class x split are read once per change and shared by every view (at 100,000 images one
        # read is ~80 ms; the class panel, split panel, health and status bar each used to read them).
        # Connected first, so the cache is dropped before any view's slot asks again.
        self._summary: dict | None = None
        self._counts: dict | None = None
        for sig in (self.labels_changed, self.classes_changed, self.images_changed, self.splits_changed):
            sig.connect(self.invalidate)
        self.undo_stack.indexChanged.connect(self._drop_obsolete)

    def stack(self, step: str) -> QUndoStack:
        """The undo stack of workflow step ``step`` (made empty, in :attr:`undo_group`, on first use); a step in
        :data:`SHARED_STACKS` gets the stack of the step it changes."""
        step = SHARED_STACKS.get(step, step)
        if step not in self._stacks:
            self._stacks[step] = QUndoStack(self)
            self.undo_group.addStack(self._stacks[step])
        return self._stacks[step]

    def activate(self, step: str) -> None:
        """Undo / redo act on ``step``'s stack from now on (the workspace calls this when the page changes)."""
        self.undo_group.setActiveStack(self.stack(step))

    def invalidate(self, *args) -> None:
        self._summary = self._counts = None

    def counts(self) -> dict:
        if self._counts is None:
            self._counts = self.project.counts()
        return self._counts

    def summary(self) -> dict:
        if self._summary is None:
            self._summary = self.project.summary(self.counts())
        return self._summary

    def _push(self, command: "_Command") -> None:
        """A read-only project says why before the command reaches the undo stack (a DiskError: a message); a
        change that fails as it is made (a full disk, a vanished folder) is not kept, and its error is raised."""
        if self.project.read_only:
            raise self.project.write_refused("save this change")
        self.guard.push(self.undo_stack, command)

    # Shorthands used by views: each pushes one undoable command.
    def label(self, ids: Iterable[int], class_id: int | None) -> None:
        """Label ``ids`` as ``class_id``: one undoable step for the pictures whose class this changes; none when
        it changes nothing (the key that confirms a right label moves on without an empty "Undo Label")."""
        ids = list(ids)
        trashed = self.project.in_trash(ids)  # a picture in the trash keeps its class until it is restored
        ids = [r.id for r in self.project.records(ids) if r.class_id != class_id and r.id not in trashed]
        if ids:
            self._push(LabelCommand(self, ids, class_id))

    def add_class(self, name: str, color: str | None = None) -> None:
        self._push(AddClassCommand(self, name, color))

    def rename_class(self, class_id: int, name: str) -> None:
        self._push(ClassAttrCommand(self, class_id, name=name))

    def recolor_class(self, class_id: int, color: str) -> None:
        self._push(ClassAttrCommand(self, class_id, color=color))

    def delete_class(self, class_id: int) -> None:
        self._push(DeleteClassCommand(self, class_id))

    def merge_classes(self, source_id: int, target_id: int) -> None:
        self._push(MergeClassesCommand(self, source_id, target_id))

    def delete_images(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if ids:
            self._push(DeleteImagesCommand(self, ids))

    def restore_images(self, ids: Iterable[int]) -> None:
        """Bring pictures back from the project's trash (undoable: undo puts them back in the trash)."""
        ids = list(ids)
        trashed = self.project.in_trash(ids)
        ids = [i for i in dict.fromkeys(ids) if i in trashed]
        if ids:
            self._push(RestoreImagesCommand(self, ids))

    def empty_trash(self) -> EmptiedTrash:
        """Delete the pictures in the project's trash for good (not undoable: see the module's doc)."""
        if self.project.read_only:
            raise self.project.write_refused("empty the trash")
        emptied = self.project.empty_trash_report()
        self.forget_images(emptied.ids)
        if emptied.ids:
            self.images_changed.emit()
        return emptied

    def forget_images(self, ids: Iterable[int]) -> None:
        """Pictures ``ids`` are gone for good: undo steps forget them, and steps only about them are dropped."""
        gone = set(ids)
        if not gone:
            return
        stack = self.undo_stack
        for i in range(stack.count()):
            cmd = stack.command(i)
            if _forget(cmd, gone):
                cmd.setObsolete(True)
        self._drop_obsolete()

    def forget_gone(self, direction: str) -> tuple[str, bool]:
        """Before Undo (``direction`` "undo") or Redo ("redo") of the Data page's step next in line: the pictures it
        is about that are no longer in the project (deleted for good from outside the window) are forgotten, by the
        one rule of :meth:`forget_images`. Returns what to tell the user ("" when none were gone) and whether the step
        is still there to run (False: it was only about those pictures, and was dropped)."""
        stack = self.undo_stack
        index = stack.index() - 1 if direction == "undo" else stack.index()
        if self.undo_group.activeStack() is not stack or not 0 <= index < stack.count():
            return "", True
        cmd = stack.command(index)
        ids = _step_ids(cmd)
        there = {r.id for r in self.project.records(ids)} if ids else set()
        gone = [i for i in ids if i not in there]
        if not gone:
            return "", True
        text = cmd.text()
        self.forget_images(gone)
        self.images_changed.emit()
        was = "was" if len(gone) == 1 else "were"
        if len(gone) == len(ids):
            which = "its picture" if len(gone) == 1 else f"its {counted(len(gone), 'picture')}"
            return f"Nothing to {direction} for “{text}”: {which} {was} deleted for good.", False
        return f"{counted(len(gone), 'picture')} of this step {was} deleted for good.", True

    def _drop_obsolete(self, *_args) -> None:
        """Drop the obsolete steps next in line for Undo and Redo (QUndoStack deletes an obsolete step it reaches
        without running it), so that every Ctrl+Z does something."""
        stack = self.undo_stack
        while stack.index() > 0 and stack.command(stack.index() - 1).isObsolete():
            stack.undo()
        while stack.index() < stack.count() and stack.command(stack.index()).isObsolete():
            stack.redo()

    def set_split(self, ids: Iterable[int], split: str | None, text: str | Callable[[int], str] = "") -> None:
        """Move ``ids`` to ``split`` (None: out of any split), one undoable step; ``text`` names it (by default
        "Move 3 pictures to the test split"): a function of the count says it again after pictures are deleted for
        good."""
        ids = list(ids)
        if ids:
            trashed = self.project.in_trash(ids)  # a picture in the trash stays as it is until it is restored
            ids = [i for i in ids if i not in trashed]
        if ids:
            self._push(SetSplitCommand(self, ids, split, text))

    def keep_findings(self, keys: Iterable[str], text: str = "Keep a finding of the data check") -> None:
        self._push(KeepFindingsCommand(self, list(keys), text))

    def split(self, ratios, seed: int, resplit_test: bool, resplit_folders: bool, groups=()) -> None:
        """Split (undoable), each of ``groups`` (copies of one picture: ui/data/split_task.py) in one split."""
        self._push(SplitCommand(self, ratios, seed, resplit_test, resplit_folders, groups))

    def carve_validation(self, share: float, seed: int, groups=()) -> None:
        """A part of each class's training pictures becomes validation (``groups`` as units); test stays (undoable)."""
        self._push(CarveValidationCommand(self, share, seed, groups))

    def class_info(self, class_id: int) -> ClassInfo:
        for c in self.project.classes():
            if c.id == class_id:
                return c
        raise KeyError(class_id)


#: where Edit > Undo says a picture moved
SPLIT_PLACES = {"train": "the training split", "val": "the validation split", "test": "the test split"}


def _step_ids(cmd: QUndoCommand) -> list[int]:
    """The pictures a step is about (a class step: none)."""
    return list(cmd.ids) if isinstance(cmd, PicturesCommand) else []


def _forget(cmd: QUndoCommand, gone: set[int]) -> bool:
    """Have ``cmd`` forget the pictures ``gone`` (deleted for good); True when it would do nothing now."""
    return cmd.forget(gone) if isinstance(cmd, _Command) else False


class _Command(SafeCommand):
    def __init__(self, session: ProjectSession, text: str):
        super().__init__(text, session.guard)
        self.s = session
        self.p = session.project

    def forget(self, gone: set[int]) -> bool:
        """Forget pictures deleted for good; True when this step would do nothing now (a class step never)."""
        return False


class PicturesCommand(_Command):
    """A step about the pictures :attr:`ids` alone (here, and a camera burst's in ui/camera/camera_panel.py): it
    forgets pictures deleted for good, says its count again by its own :meth:`_words`, and does nothing without
    any."""

    ids: list[int]

    def _words(self, n: int) -> str:
        """The step's undo text for ``n`` of its pictures (also after some were deleted for good); a step whose
        text names no count (a drawn split: "Split into train / validation / test") keeps it."""
        return self.text()

    def forget(self, gone: set[int]) -> bool:
        self.ids = [i for i in self.ids if i not in gone]
        for state in (getattr(self, "before", None), getattr(self, "after", None)):
            if isinstance(state, dict):
                for i in gone:
                    state.pop(i, None)
        if self.ids:
            self.setText(self._words(len(self.ids)))
        return not self.ids


class LabelCommand(PicturesCommand):
    def __init__(self, session, ids, class_id):
        self.to = None if class_id is None else quoted(session.class_info(class_id).name)
        super().__init__(session, self._words(len(ids)))
        self.ids, self.class_id, self.before = ids, class_id, {}

    def _words(self, n: int) -> str:
        return f"Remove the label from {pictures(n)}" if self.to is None else f"Label {pictures(n)} as {self.to}"

    def apply(self):
        self.before = self.p.set_labels(self.ids, self.class_id)
        self.s.labels_changed.emit(self.ids)

    def revert(self):
        self.p.restore_labels(self.before)
        self.s.labels_changed.emit(self.ids)


class AddClassCommand(_Command):
    def __init__(self, session, name, color):
        super().__init__(session, f"Add class {quoted(name)}")
        self.name, self.color, self.info = name, color, None

    def apply(self):
        if self.info is None:
            self.info = self.s.class_info(self.p.add_class(self.name, self.color))
        else:
            self.p.restore_class(self.info, [])
        self.s.classes_changed.emit()

    def revert(self):
        self.p.delete_class(self.info.id)
        self.s.classes_changed.emit()


class ClassAttrCommand(_Command):
    def __init__(self, session, class_id, name=None, color=None):
        info = session.class_info(class_id)
        super().__init__(session, f"Rename class {quoted(info.name)} to {quoted(name)}" if name
                         else f"Recolour class {quoted(info.name)}")
        self.class_id, self.new, self.old = class_id, (name, color), (info.name, info.color)
        if name:  # validate now so a bad name never lands on the undo stack
            session.project._check_name(name)
            clash = session.project.class_by_name(name)
            if clash and clash.id != class_id:
                from ..project import ClassError

                raise ClassError(f"a class named {quoted(clash.name)} already exists: merge the two classes instead")
        if color:
            session.project._check_color(color)

    def _apply(self, values):
        name, color = values
        if name:
            self.p.rename_class(self.class_id, name)
        if color:
            self.p.recolor_class(self.class_id, color)
        self.s.classes_changed.emit()

    def apply(self):
        self._apply(self.new)

    def revert(self):
        self._apply((self.old[0] if self.new[0] else None, self.old[1] if self.new[1] else None))


class DeleteClassCommand(_Command):
    def __init__(self, session, class_id):
        self.info = session.class_info(class_id)
        super().__init__(session, f"Delete class {quoted(self.info.name)}")
        self.freed: list[int] = []

    def apply(self):
        self.freed = self.p.delete_class(self.info.id)
        self.s.classes_changed.emit()
        self.s.labels_changed.emit(self.freed)

    def revert(self):
        self.p.restore_class(self.info, self.freed)
        self.s.classes_changed.emit()
        self.s.labels_changed.emit(self.freed)


class MergeClassesCommand(_Command):
    def __init__(self, session, source_id, target_id):
        self.src = session.class_info(source_id)
        dst = session.class_info(target_id)
        super().__init__(session, f"Merge class {quoted(self.src.name)} into {quoted(dst.name)}")
        self.target_id, self.moved = target_id, []

    def apply(self):
        self.moved = self.p.merge_classes(self.src.id, self.target_id)
        self.s.classes_changed.emit()
        self.s.labels_changed.emit(self.moved)

    def revert(self):
        self.p.restore_class(self.src, self.moved)
        self.s.classes_changed.emit()
        self.s.labels_changed.emit(self.moved)


class DeleteImagesCommand(PicturesCommand):
    def __init__(self, session, ids):
        super().__init__(session, self._words(len(ids)))  # the button says Trash: into the project's trash
        self.ids = ids

    def _words(self, n: int) -> str:
        return f"Trash {pictures(n)}"

    def apply(self):
        self.p.delete_images(self.ids)
        self.s.images_changed.emit()

    def revert(self):
        self.p.restore_images(self.ids)
        self.s.images_changed.emit()


class RestoreImagesCommand(PicturesCommand):
    """Pictures back from the project's trash; undo puts them back in it."""

    def __init__(self, session, ids):
        super().__init__(session, self._words(len(ids)))
        self.ids = ids

    def _words(self, n: int) -> str:
        return f"Bring {pictures(n)} back from the trash"

    def apply(self):
        self.p.restore_images(self.ids)
        self.s.images_changed.emit()

    def revert(self):
        self.p.delete_images(self.ids)
        self.s.images_changed.emit()


class _DrawnSplitCommand(PicturesCommand):
    """A split drawn at random: the first run calls ``draw`` and keeps the pictures it moved (:attr:`ids`), their
    (split, source) before and after; Redo puts back that same assignment, never a new draw."""

    def __init__(self, session, text, draw):
        super().__init__(session, text)
        self.draw = draw  # () -> None: makes the assignment in the project
        self.ids: list[int] = []
        self.before: dict = {}
        self.after: dict = {}

    def apply(self):
        if self.applied:
            self.p.restore_splits(self.after)
        else:
            old = self.p.split_snapshot()
            self.draw()
            now = self.p.split_snapshot()
            self.ids = [i for i, state in now.items() if i in old and old[i] != state]
            self.before, self.after = {i: old[i] for i in self.ids}, {i: now[i] for i in self.ids}
        self.s.splits_changed.emit()

    def revert(self):
        self.p.restore_splits(self.before)
        self.s.splits_changed.emit()


class SplitCommand(_DrawnSplitCommand):
    def __init__(self, session, ratios, seed, resplit_test, resplit_folders, groups=()):
        super().__init__(session, "Split into train / validation / test", lambda: session.project.assign_splits(
            ratios, seed=seed, resplit_test=resplit_test, resplit_folder_splits=resplit_folders, groups=groups))


class CarveValidationCommand(_DrawnSplitCommand):
    def __init__(self, session, share, seed, groups=()):
        super().__init__(session, carve_label(round(share * 100)),  # the carve button's words
                         lambda: carve_validation(session.project, share, seed, groups))


class SetSplitCommand(PicturesCommand):
    """Pictures moved to a split by hand. ``text``: the caller's undo text, said as given (a count in it stays as
    it is); or a function of the count, which says the count again when some pictures are deleted for good."""

    def __init__(self, session, ids, split, text: str | Callable[[int], str] = ""):
        self.split, self.text_of = split, text
        super().__init__(session, self._words(len(ids)))
        self.ids = ids
        self.before: dict = {}

    def _words(self, n: int) -> str:
        if callable(self.text_of):
            return self.text_of(n)
        if self.text_of:
            return self.text_of
        where = SPLIT_PLACES.get(self.split, self.split)
        return f"Move {pictures(n)} to {where}" if self.split else f"Take {pictures(n)} out of their split"

    def apply(self):
        self.before = self.p.set_split(self.ids, self.split)
        self.s.splits_changed.emit()

    def revert(self):
        self.p.restore_splits(self.before)
        self.s.splits_changed.emit()


class KeepFindingsCommand(_Command):
    """The data check's "Keep": stored in the project, undoable."""

    def __init__(self, session, keys, text):
        super().__init__(session, text)
        self.keys = keys

    def apply(self):
        from ..engine.runs.doctor import keep

        keep(self.p, self.keys)

    def revert(self):
        from ..engine.runs.doctor import unkeep

        unkeep(self.p, self.keys)

"""What an import did (:class:`ImportReport`, made by :func:`.importer.import_paths`): the pictures it added, brought
back from the trash and gave a class, the duplicates, the files it skipped or passed over, the classes it made; its
JSON (``cnnstudio import --json``) and the lines the import report and the command line say of it
(:mod:`.import_words`). What taking an import back is about (:attr:`ImportReport.changed`: ui/import_command.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .import_dups import class_given_line
from .import_walk import passed_over_lines


@dataclass
class ImportReport:
    imported: list[int] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    classes_created: list[str] = field(default_factory=list)
    classes_merged: list[str] = field(default_factory=list)  # folders taken as one class: import_labels's lines
    restored: list[int] = field(default_factory=list)  # pictures it had whose missing stored copy came back
    notes: list[dict] = field(default_factory=list)  # {"path", "note"}: imported, with something said (2-page TIFF)
    passed_over: list[dict] = field(default_factory=list)  # {"path", "kind"}: system and hidden files, counted
    class_given: list[int] = field(default_factory=list)  # pictures it had without a class, given this import's
    untrashed: list[int] = field(default_factory=list)  # pictures it had in its trash, brought back by this import
    remembered: bool = False  # it is "the last import" the health note counts the duplicates of (import_paths's)
    cancelled: bool = False
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "imported": len(self.imported),
            "untrashed": len(set(self.untrashed)),
            "duplicates": len(self.already_there),
            "skipped": list(self.skipped),
            "duplicate_files": list(self.duplicates),
            "classes_created": list(self.classes_created),
            "classes_merged": list(self.classes_merged),
            "restored": len(self.restored),
            "notes": list(self.notes),
            "passed_over": list(self.passed_over),
            "class_given": len(self.class_given),
            "cancelled": self.cancelled,
            "seconds": round(self.seconds, 3),
        }

    @property
    def changed(self) -> list[int]:
        """The pictures this import changed, each once: those it added (:attr:`imported`), brought back from the
        trash (:attr:`untrashed`) and gave a class (:attr:`class_given`). What taking the import back is about (the
        Data page's undo step, ui/import_command.py); none: it changed no picture."""
        return list(dict.fromkeys([*self.imported, *self.untrashed, *self.class_given]))

    @property
    def already_there(self) -> list[dict]:
        """The true duplicates: the rows of :attr:`duplicates` for files whose picture the project had (not in its
        trash) or met earlier in this import; a picture brought back from the trash (its row says ``"untrashed"``)
        is counted as that (:attr:`untrashed`), not as a duplicate."""
        return [d for d in self.duplicates if not d.get("untrashed")]

    @property
    def skipped_files(self) -> int:
        """How many files were skipped (a folder that disappeared during the import is one row for its files)."""
        return sum(s.get("files", 1) for s in self.skipped)

    @property
    def passed_over_lines(self) -> list[str]:
        """One line per kind of file a folder walk passed over ("3 system files (.DS_Store, Thumbs.db …) passed
        over"); :func:`.import_walk.passed_over_lines`."""
        return passed_over_lines(self.passed_over)

    @property
    def class_given_line(self) -> str:
        """What the import said of the pictures it had without a class and gave one ("12 pictures already in the
        project got their class from their folder"), or ""; :func:`.import_dups.class_given_line`."""
        return class_given_line(self.duplicates)


__all__ = ["ImportReport"]

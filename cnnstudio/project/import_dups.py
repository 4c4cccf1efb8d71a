"""The same picture met more than once in one import: which file is kept, and the report's row for each other one.

The file kept is the one whose name looks like the original (:mod:`.copy_names`): ``cat.png`` rather than
``cat - Copy.png`` or ``cat (1).png`` met before it, else the shorter name, else the first met. A file met later
takes the place of the one kept only when both files' folders give the same class and split: the picture keeps the
class and split of the file met first, and the report names the other folder's word (a label conflict).

A picture the project already has without a class takes the class the import gives it (:func:`give_classes`; one
with a class keeps it), and the report says so in one line (:func:`class_given_line`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .copy_names import keep_rather
from .counting import counted
from .import_walk import Candidate, shown
from .names import quoted

if TYPE_CHECKING:
    from .import_report import ImportReport
    from .importer import _Prepared
    from .store import Project


def _word(text: str | None) -> str:
    return (text or "").strip().casefold()


@dataclass
class Seen:
    """The pictures met so far in one import, by content: each one's image id (None until its row is in), the file
    kept for it, the kept pictures whose row is not in yet, and the report's rows of the other files."""
    class_name: str | None
    ids: dict[str, int | None] = field(default_factory=dict)
    kept: dict[str, Candidate] = field(default_factory=dict)
    pending: dict[str, _Prepared] = field(default_factory=dict)
    rows: list[tuple[dict, str, Candidate]] = field(default_factory=list)

    def keep(self, p: _Prepared) -> None:
        """``p`` is new to the project and to this import: its file is kept (until a better-named one comes)."""
        self.ids[p.sha256] = None
        self.kept[p.sha256] = p.candidate
        self.pending[p.sha256] = p

    def stored(self, p: _Prepared, image_id: int) -> None:
        """``p``'s row is in, with this id."""
        self.ids[p.sha256] = image_id
        self.pending.pop(p.sha256, None)

    def met_again(self, p: _Prepared, project: Project, report: ImportReport) -> dict:
        """The report's row for a file with the content of a file kept earlier in this import: ``p``'s, or the kept
        file's when ``p``'s name looks more like the original's (then ``p``'s file is the one the picture names)."""
        kept = self.kept[p.sha256]
        duplicate = p.candidate
        if self._same_class_and_split(p.candidate, kept) and keep_rather(p.candidate.path.name, kept.path.name):
            duplicate = kept
            self.kept[p.sha256] = p.candidate
            waiting = self.pending.get(p.sha256)
            if waiting is not None:
                waiting.candidate = p.candidate  # its row is not in yet: it is inserted with this file's name
            else:
                self._rename(project, report, self.ids[p.sha256], kept, p.candidate)
        row = self._describe(duplicate, p.sha256)
        self.rows.append((row, p.sha256, duplicate))
        return row

    def finish(self) -> None:
        """Every row names the file finally kept and its picture's id (known once its row is in)."""
        for row, sha, candidate in self.rows:
            row.clear()
            row.update(self._describe(candidate, sha))

    def _same_class_and_split(self, a: Candidate, b: Candidate) -> bool:
        return (_word(a.label or self.class_name) == _word(b.label or self.class_name)
                and _word(a.split) == _word(b.split))

    @staticmethod
    def _rename(project: Project, report: ImportReport, image_id: int | None, was: Candidate,
                now: Candidate) -> None:
        """A picture whose row is in already names ``now``'s file rather than ``was``'s."""
        if image_id is None:
            return
        with project.transaction() as tx:
            tx.execute("UPDATE images SET original_name = ?, source_path = ? WHERE id = ?",
                       (shown(now.path.name), shown(now.path), image_id))
        for note in report.notes:
            if note["path"] == shown(was.path):
                note["path"] = shown(now.path)

    def _describe(self, c: Candidate, sha: str) -> dict:
        """The report's row for ``c``, the same picture as the file kept in this import: it names that file, and
        says so when the two files' folders give different classes or splits (the kept one's stay)."""
        kept = self.kept[sha]
        reason = f"same picture as {kept.shown}"
        kept_as, says = [], []
        for what, mine, theirs in (("class", c.label or self.class_name, kept.label or self.class_name),
                                   ("split", c.split, kept.split)):
            if mine and _word(theirs) != _word(mine):
                kept_as.append(f"kept {'as' if what == 'class' else 'in'} {_said(what, theirs)}" if theirs
                               else f"kept without a {what}")
                says.append(_said(what, mine))
        reason += (", " + " and ".join(kept_as) + "; this folder says " + " and ".join(says)) if says \
            else ": stored once"
        row = {"path": shown(c.path), "existing_id": self.ids[sha], "reason": reason, "same_as": kept.shown}
        if says:
            row["label_conflict"] = True
        return row


def _said(what: str, word: str) -> str:
    """A class as every page names it (“apples”, names.quoted); a split as its word (train)."""
    return quoted(word) if what == "class" else word


def give_classes(project: Project, to_label: list[tuple[dict, str]], report: ImportReport,
                 known_classes: set[str]) -> None:
    """The importer's: give each picture the project had without a class (a duplicate's row, its ``existing_id``)
    the class this import gives it, in one transaction; each row says ``"class_given"`` (its ``"class_from"``,
    "folder" or "class", set by the importer)."""
    if not to_label:
        return
    given = []  # a picture once, however many of the import's files are copies of it
    with project.transaction() as tx:
        for row, label in to_label:
            if label.casefold() not in known_classes:
                report.classes_created.append(label)
                known_classes.add(label.casefold())
            class_id = project.ensure_class(tx, label)
            if tx.execute("UPDATE images SET class_id = ? WHERE id = ? AND class_id IS NULL",
                          (class_id, row["existing_id"])).rowcount:
                given.append((row, label))
    for row, label in given:
        row["class_given"] = label
        report.class_given.append(row["existing_id"])


def class_given_line(duplicates: list[dict]) -> str:
    """The import report's line on the pictures the project had without a class and this import gave one (the
    duplicates marked ``"class_given"`` by the importer), or "": "12 pictures already in the project got their class
    from their folder", "1 picture already in the project without a class got the class “cat”"."""
    given = [d for d in duplicates if "class_given" in d]
    if not given:
        return ""
    n = len(given)
    already = f"{counted(n, 'picture')} already in the project"
    if all(d.get("class_from") == "folder" for d in given):
        return f"{already} got {'its' if n == 1 else 'their'} class from {'its' if n == 1 else 'their'} folder"
    names = {_word(d["class_given"]) for d in given}
    if len(names) == 1:
        return f"{already} without a class got the class {quoted(given[0]['class_given'])}"
    return f"{already} without a class got {'its' if n == 1 else 'their'} class from this import"

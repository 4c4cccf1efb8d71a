"""The import command: pictures and folders into a project, and its summary (what came in, what came without a
class or a split, what was skipped or passed over, and the command that fixes each)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from ..project import ImageFilter, Project, import_paths
from ..project.counting import counted
from ..project.import_walk import class_folders
from ..project.import_words import import_counts
from ..project.left_out import CLI_FIX, left_out_words
from ..project.names import NO_CLASS, quoted
from ..project.splits import nothing_labelled
from .common import PROJECT_DIR, CliError, Progress, add_json_flag, emit, shell_command


def register(sub) -> None:
    p = sub.add_parser("import", help="import picture files and folders into a project",
                       description="Copy pictures into the project. Folders are searched for pictures, including "
                                   "the folders inside them. A picture that is already in the project is not "
                                   "added twice. Pictures in top-level train/, val/ or test/ folders keep that "
                                   "split.")
    p.add_argument("dir", **PROJECT_DIR)
    p.add_argument("paths", nargs="+", metavar="PATH", help="picture files or folders (searched recursively)")
    g = p.add_mutually_exclusive_group()  # both at once: the folders would win without a word
    g.add_argument("--labels-from-folders", action="store_true",
                   help="the first folder below each given folder names the class (pets/cat/1.jpg -> cat)")
    g.add_argument("--class", dest="class_name", metavar="NAME", help="give every imported picture this class")
    p.add_argument("--ignore-split-folders", action="store_true",
                   help="do not take the split from top-level train/, val/ or test/ folders")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_json_flag(p)
    p.set_defaults(func=cmd_import)


def _where(paths: list[str]) -> str:
    return ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def _class_left(out: dict, class_name: str | None) -> int:
    """With ``--class``: how many duplicates are pictures already in the project with another class, which the
    import leaves as they are (importer._mark_class_left marks them ``"class_left"``)."""
    if not class_name:
        return 0
    out["class_left"] = sum(1 for d in out.get("duplicate_files", []) if "class_left" in d)
    return out["class_left"]


def _listed(report, out: dict) -> list[str]:
    """The plain report's lines after the skipped files: the same picture twice in this import (the ones whose
    folders give another class or split first: the class kept is the first file's), what was said of an imported
    picture (a 2-page TIFF) and what the walk passed over, counted. Duplicates already in the project are only
    counted: importing a folder again would list every picture; a picture brought back from the trash came in, it is
    counted with them, never listed (:attr:`.ImportReport.already_there`, as the Data page's import report)."""
    twice = [d for d in report.already_there if "same_as" in d]
    return ([f"  label conflict {d['path']}: {d['reason']}" for d in twice if d.get("label_conflict")]
            + [f"  duplicate {d['path']}: {d['reason']}" for d in twice if not d.get("label_conflict")]
            + [f"  note {n['path']}: {n['note']}" for n in out["notes"]]
            + [f"  {line}" for line in report.passed_over_lines])


def _lacking(project: Project, ids: list[int], folder, out: dict) -> list[str]:
    """The import summary's lines on the imported pictures that came without a class or without a split (a loose
    picture, a folder beside train/ and test/), each with the command that shows or fixes them; their counts go in
    ``out`` (``no_class``, ``no_split``) when a picture came in."""
    out["no_class"] = out["no_split"] = 0  # always said: 0 when nothing came in (every picture a duplicate)
    if not ids:
        return []
    records = project.records(ids)
    out["no_class"] = no_class = sum(1 for r in records if r.class_id is None)
    out["no_split"] = no_split = sum(1 for r in records if r.split is None)
    lines = []
    if no_class:
        lines.append(f"{counted(no_class, 'picture')} {'has' if no_class == 1 else 'have'} no class: list "
                     f"{'it' if no_class == 1 else 'them'} with "
                     + shell_command("cnnstudio", "images", folder, "--unlabelled"))
    if no_split and nothing_labelled(project.counts()):  # cnnstudio split would have nothing to divide yet
        lines.append(f"{counted(no_split, 'picture')} {'is' if no_split == 1 else 'are'} in no split yet: training "
                     f"divides {'it' if no_split == 1 else 'them'} once {'it has' if no_split == 1 else 'they have'} a "
                     "class")
    elif no_split and not any(project.count(ImageFilter(split=s)) for s in ("train", "val", "test")):
        lines.append(f"{counted(no_split, 'picture')} {'is' if no_split == 1 else 'are'} in no split yet: training "
                     "divides the ones with a class first, or divide them now with "
                     + shell_command("cnnstudio", "split", folder))
    elif no_split:  # in a project already split: training leaves them out until Split gives them one
        labelled = sum(1 for r in records if r.split is None and r.class_id is not None)
        if labelled:
            lines.append(left_out_words(labelled, CLI_FIX))
    return lines


def _folders_hint(project: Project, args, report) -> list[str]:
    """Imported without --labels-from-folders or --class from a folder whose folders look like classes (two or more,
    import_walk.class_folders), with pictures still without a class: the line that says which command makes those
    folder names their classes."""
    if args.labels_from_folders or args.class_name:
        return []
    names = class_folders([p for p in args.paths if Path(p).expanduser().is_dir()],
                          keep_split_folders=not args.ignore_split_folders)
    if len(names) < 2:
        return []
    ids = report.imported + [d["existing_id"] for d in report.duplicates if isinstance(d.get("existing_id"), int)]
    if not any(r.class_id is None for r in project.records(ids)):
        return []
    listed = ", ".join(quoted(n) for n in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    again = shell_command("cnnstudio", "import", args.dir, *args.paths, "--labels-from-folders",
                          *(["--ignore-split-folders"] if args.ignore_split_folders else []))
    return [f"The pictures came from folders named {listed}: to make those names their classes, run: {again}"]


def cmd_import(args) -> int:
    if not Path(args.dir).expanduser().exists():  # the project to import into: say how to make it
        make = shell_command("cnnstudio", "new", args.dir)
        raise CliError(f"{args.dir} does not exist: create it first with: {make}")
    with Project.open(args.dir) as project:
        for path in args.paths:  # every given path checked before anything is imported: nothing half done
            if not Path(path).expanduser().exists():
                raise CliError(f"{path} does not exist")
        cancel = threading.Event()
        previous = signal.getsignal(signal.SIGINT)

        def on_interrupt(signum, frame):  # Ctrl-C: stop after the file in hand, keep what finished
            cancel.set()

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, on_interrupt)
        try:
            report = import_paths(project, args.paths, labels_from_folders=args.labels_from_folders,
                                  keep_split_folders=not args.ignore_split_folders, class_name=args.class_name,
                                  progress=Progress("Importing", quiet=args.quiet), cancel=cancel)
        finally:
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, previous)
        out = report.to_json()
        lacking = _lacking(project, report.imported, args.dir, out)
        left = _class_left(out, args.class_name)
        given = ([report.class_given_line] if report.class_given_line else []) + [  # "Folders “cat” and “Cat” …"
            line[0].upper() + line[1:] + "." for line in report.classes_merged]
        hint = _folders_hint(project, args, report)
        skipped = [f"  skipped {s['path']}: {s['reason']}" for s in out["skipped"]]
        listed = _listed(report, out)
        if report.cancelled or report.imported or report.duplicates:  # duplicates: those pictures are already in
            restored = (f" ({out['restored']} of them had lost their stored copy: restored)"
                        if out["restored"] else "")
            if left:
                kept = {d["class_left"] for d in out["duplicate_files"] if "class_left" in d}
                was = (f"as {quoted(next(iter(kept)))}" if kept != {None} else f"in {quoted(NO_CLASS)}") if len(kept) == 1 \
                    else "with other classes"
                restored += (f" ({left} already in the project {was}: {'its' if left == 1 else 'their'} class was "
                             "left as it is, use 'cnnstudio label')")
            code = 130 if report.cancelled else 0
            emit(args, out, "\n".join([import_counts(report, duplicates_note=restored)
                                       + (" (cancelled)" if report.cancelled else "") + ".",
                                       *given, *lacking, *hint, *skipped, *listed]), exit_code=code,
                 error=f"the import was stopped: {import_counts(report)}, the rest not imported")
            return code
    n = len(skipped)
    one = out["skipped"][0] if n == 1 else None
    said = (f"no pictures could be imported from {_where(args.paths)}: "
            + ((one["reason"] if one["path"] in map(str, args.paths) else "the one file found was skipped")
               if one else f"all {n} files were skipped") if n
            else f"no pictures found in {_where(args.paths)}"
            + "".join(f"; {line}" for line in report.passed_over_lines))  # "1 hidden file passed over": why
    if args.json or skipped:  # nothing imported: the reasons (or the JSON report, with the error) first
        emit(args, {**out, "error": said, "exit_code": 1}, "\n".join(line.lstrip() for line in skipped))
    raise CliError(said)

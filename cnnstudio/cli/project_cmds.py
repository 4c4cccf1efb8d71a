"""Project commands: new, import, info, split, label, class."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from ..project import ImageFilter, Project, import_paths
from ..project.counting import counted
from ..project.split_together import group_splits, together, together_words
from ..project.splits import (CARVE, NO_VAL_FEW, NO_VAL_FOLDERS, NO_VAL_RATIO, NO_VALIDATION_EFFECT, apply_split,
                               plan_split, train_from_folders, why_no_validation)
from .common import CliError, Progress, add_json_flag, check_at_least, emit, shell_command


def register(sub) -> None:
    p = sub.add_parser("new", help="create a new project folder")
    p.add_argument("dir", help="the folder to create (must not exist or be empty)")
    add_json_flag(p)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="import image files and folders into a project")
    p.add_argument("dir", help="the project folder")
    p.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders (searched recursively)")
    g = p.add_mutually_exclusive_group()  # both at once: the folders would win without a word
    g.add_argument("--labels-from-folders", action="store_true",
                   help="the first folder below each given folder names the class (pets/cat/1.jpg -> cat)")
    g.add_argument("--class", dest="class_name", metavar="NAME", help="label every imported image with this class")
    p.add_argument("--ignore-split-folders", action="store_true",
                   help="do not take the split from top-level train/, val/ or test/ folders")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_json_flag(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("info", help="images, classes and splits of a project")
    p.add_argument("dir")
    add_json_flag(p)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("split", help="split labelled images into train / val / test, stratified per class, copies of "
                       "a picture kept in one split (with training and test pictures but no validation ones: "
                       "validation taken from train, test kept)")
    p.add_argument("dir")
    p.add_argument("--ratios", default="70,15,15",
                   help="train,val,test percentages that add up to 100 (default 70,15,15)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--resplit-test", action="store_true", help="also re-draw the test split (normally kept)")
    p.add_argument("--resplit-folders", action="store_true",
                   help="also re-draw images whose split came from train/val/test folders")
    add_json_flag(p)
    p.set_defaults(func=cmd_split)

    p = sub.add_parser("label", help="give images a class (or clear it)")
    p.add_argument("dir")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--class", dest="class_name", metavar="NAME", help="the class (created if new)")
    g.add_argument("--clear", action="store_true", help="remove the label")
    p.add_argument("image_ids", nargs="+", type=int, metavar="IMAGE_ID")
    add_json_flag(p)
    p.set_defaults(func=cmd_label)

    p = sub.add_parser("images", help="list images (ids, files, classes, splits)")
    p.add_argument("dir")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--class", dest="class_name", metavar="NAME", help="only this class")
    g.add_argument("--unlabelled", action="store_true", help="only images without a class")
    p.add_argument("--split", choices=["train", "val", "test", "none"])
    p.add_argument("--trashed", action="store_true",
                   help="the pictures in the project's trash instead (back with 'cnnstudio trash DIR --restore ID')")
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--limit", type=int, default=100)
    add_json_flag(p)
    p.set_defaults(func=cmd_images)

    p = sub.add_parser("class", help="add, rename, recolour, delete or merge classes")
    csub = p.add_subparsers(dest="class_command", metavar="ACTION", required=True, parser_class=type(p))
    c = csub.add_parser("add", help="add a class")
    c.add_argument("dir"); c.add_argument("name"); c.add_argument("--color", help="#RRGGBB")
    c = csub.add_parser("rename", help="rename a class")
    c.add_argument("dir"); c.add_argument("name"); c.add_argument("new_name")
    c = csub.add_parser("recolor", help="change a class's colour")
    c.add_argument("dir"); c.add_argument("name"); c.add_argument("color", help="#RRGGBB")
    c = csub.add_parser("delete", help="delete a class (its images become unlabelled)")
    c.add_argument("dir"); c.add_argument("name")
    c = csub.add_parser("merge", help="move every image of SOURCE into TARGET and delete SOURCE")
    c.add_argument("dir"); c.add_argument("source"); c.add_argument("target")
    c = csub.add_parser("list", help="list classes")
    c.add_argument("dir")
    for action in csub.choices.values():
        add_json_flag(action)
    p.set_defaults(func=cmd_class)


def cmd_new(args) -> int:
    project = Project.create(args.dir)
    out = {"project": str(project.root), "schema_version": project.schema_version}
    project.close()
    emit(args, out, f"Created project {out['project']}")
    return 0


def _where(paths: list[str]) -> str:
    return ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def _class_left(out: dict, class_name: str | None) -> int:
    """With ``--class``: how many duplicates are pictures already in the project with another class, which the
    import leaves as they are (importer._mark_class_left marks them ``"class_left"``)."""
    if not class_name:
        return 0
    out["class_left"] = sum(1 for d in out.get("duplicate_files", []) if "class_left" in d)
    return out["class_left"]


def _listed(out: dict, passed_over: list[str]) -> list[str]:
    """The plain report's lines after the skipped files: the same picture twice in this import (the ones whose
    folders give another class or split first: the class kept is the first file's), what was said of an imported
    picture (a 2-page TIFF) and what the walk passed over, counted. Duplicates already in the project are only
    counted: importing a folder again would list every picture."""
    twice = [d for d in out["duplicate_files"] if "same_as" in d]
    return ([f"  label conflict {d['path']}: {d['reason']}" for d in twice if d.get("label_conflict")]
            + [f"  duplicate {d['path']}: {d['reason']}" for d in twice if not d.get("label_conflict")]
            + [f"  note {n['path']}: {n['note']}" for n in out["notes"]] + [f"  {line}" for line in passed_over])


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
        left = _class_left(out, args.class_name)
        skipped = [f"  skipped {s['path']}: {s['reason']}" for s in out["skipped"]]
        listed = _listed(out, report.passed_over_lines)
        if report.cancelled or report.imported or report.duplicates:  # duplicates: those pictures are already in
            restored = (f" ({out['restored']} of them had lost their stored copy: restored)"
                        if out["restored"] else "")
            if left:
                kept = {d["class_left"] for d in out["duplicate_files"] if "class_left" in d}
                was = (f"as '{next(iter(kept))}'" if kept != {None} else "unlabelled") if len(kept) == 1 \
                    else "with other classes"
                restored += (f" ({left} already in the project {was}: {'its' if left == 1 else 'their'} class was "
                             "left as it is, use 'cnnstudio label')")
            emit(args, out, "\n".join([f"Imported {_images(out['imported'])}, {out['duplicates']} "
                                       f"duplicate{'s' if out['duplicates'] != 1 else ''}{restored}, "
                                       f"{report.skipped_files} skipped" + (" (cancelled)" if report.cancelled else ""),
                                       *skipped, *listed]))
            return 130 if report.cancelled else 0
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


def cmd_info(args) -> int:
    with Project.open(args.dir) as project:
        out = project.summary()
    lines = [f"Project {out['project']}: {out['images']} images, {out['unlabelled']} unlabelled",
             "  splits: " + ", ".join(f"{k} {v}" for k, v in out["splits"].items())]
    if out["trashed"]:  # left out of the counts above and of training; listed by 'images --trashed'
        lines.append(f"  in the trash: {out['trashed']} (list them with "
                     f"{shell_command('cnnstudio', 'images', args.dir, '--trashed')})")
    for c in out["classes"]:
        n = c["counts"]
        lines.append(f"  {c['name']:<20} train {n['train']:>6}  val {n['val']:>6}  test {n['test']:>6}"
                     f"  unassigned {n['unassigned']:>6}")
    emit(args, out, "\n".join(lines))
    return 0


#: The command that gives validation pictures after a split left none, by splits.why_no_validation's reason (a line
#: that ends in a command has no full stop: it pastes as it is)
NO_VALIDATION_FIX = {NO_VAL_RATIO: "give validation a share: {split} --ratios 70,15,15",
                     NO_VAL_FOLDERS: "the training pictures keep the split of their train folder, so draw them "
                                     "again: {split} --ratios {ratios} --resplit-folders",
                     NO_VAL_FEW: "no class has enough training pictures to spare some for validation: add "
                                 "pictures with cnnstudio import, then run {split} again."}


def _percent(r: float) -> str:
    return f"{r * 100:.3g}"


def copy_groups(project: Project, quiet: bool = False) -> list[list[int]]:
    """The copies and near copies of a picture that a split keeps together (:mod:`cnnstudio.engine.runs.split_groups`),
    with a progress bar on a terminal unless ``quiet``."""
    import sys

    from ..engine.runs.split_groups import find_split_groups

    shown = not quiet and sys.stderr.isatty()
    return find_split_groups(project, Progress("Looking for copies", quiet=not shown))


#: what puts copies together that a split left apart (their splits are kept), in the command's words
REDRAW = "add --resplit-test and --resplit-folders"


def cmd_split(args) -> int:
    with Project.open(args.dir) as project:
        plan = plan_split(project.counts(), args.ratios, args.resplit_test, args.resplit_folders)
        kept = 0 if plan.resplit_test else project.count(ImageFilter(split="test"))
        groups = copy_groups(project, quiet=args.json)
        before = {i: split for i, (split, _source) in project.split_snapshot().items()}
        counts = apply_split(project, plan, seed=args.seed, groups=groups)
        changed = {i: split for i, (split, _source) in project.split_snapshot().items()} != before
        folders = not counts["val"] and train_from_folders(project)
        from_folders = not plan.resplit_folders and train_from_folders(project)
        copies = together(groups, group_splits(project, groups))
    out = {"ratios": [round(r, 6) for r in plan.ratios], "seed": args.seed, "counts": counts, "test_kept": kept,
           "action": plan.action, "copies_together": copies.kept, "copies_apart": copies.apart}
    lines = ["Split: " + ", ".join(f"{k} {v}" for k, v in counts.items())]
    if together_words(copies, REDRAW):
        lines.append(together_words(copies, REDRAW))
    if plan.action == CARVE:
        lines.append(f"Took {_percent(plan.share)} % of each class's training pictures for validation; test unchanged "
                     "(there were training and test pictures but no validation ones; add --resplit-folders to "
                     "re-split with the ratios instead).")
    elif not changed:
        lines.append("Nothing changed: every picture kept its split" + (
            " (pictures from train/, val/ and test/ folders keep theirs: add --resplit-folders to draw them again)."
            if from_folders else "."))
    elif kept:  # a re-split only adds to test (the data check's fixes may move a test picture out)
        added = max(0, counts["test"] - kept)
        lines.append(f"cnnstudio split kept the {counted(kept, 'test picture')} you had (unseen by any model, so "
                     f"test scores stay comparable){f' and added {added:,}' if added else ''}; add --resplit-test to "
                     "draw the test split again.")
    if not counts["val"]:
        why = why_no_validation(plan, folders)
        out["no_validation"] = why
        split = shell_command("cnnstudio", "split", args.dir)
        lines.append(f"Validation has 0 pictures: {NO_VALIDATION_EFFECT}; "
                     + NO_VALIDATION_FIX[why].format(split=split, ratios=",".join(map(_percent, plan.ratios))))
    emit(args, out, "\n".join(lines))
    return 0


def _class_named(project: Project, name: str):
    info = project.class_by_name(name)
    if info is None:
        known = ", ".join(c.name for c in project.classes()) or "none yet"
        raise CliError(f"there is no class named {name!r} (classes: {known})")
    return info


def cmd_label(args) -> int:
    with Project.open(args.dir) as project:
        class_id = None
        project.check_image_ids(args.image_ids)  # before a new class is made: a failed command changes nothing
        if not args.clear:
            info = project.class_by_name(args.class_name)
            class_id = info.id if info else project.add_class(args.class_name)
        before = project.set_labels(args.image_ids, class_id)
    n = len(set(args.image_ids))
    already = sum(1 for c in before.values() if c == class_id)
    out = {"labelled": n, "class": None if args.clear else args.class_name, "changed": n - already}
    emit(args, out, f"{n} image{'s' if n != 1 else ''} " + ("unlabelled" if args.clear
                                                             else f"labelled {args.class_name}")
         + (f" ({already} already {'was' if already == 1 else 'were'})" if already else ""))
    return 0


def cmd_images(args) -> int:
    check_at_least(args.offset, "--offset", 0)
    check_at_least(args.limit, "--limit", 0)
    with Project.open(args.dir) as project:
        class_id = None
        if args.unlabelled:
            from ..project import UNLABELLED
            class_id = UNLABELLED
        elif args.class_name:
            class_id = _class_named(project, args.class_name).id
        flt = ImageFilter(class_id=class_id, split=args.split, trashed=args.trashed)
        names = {c.id: c.name for c in project.classes()}
        total = project.count(flt)
        rows = [{"id": r.id, "file": r.file, "original_name": r.original_name, "class": names.get(r.class_id),
                 "split": r.split, "width": r.width, "height": r.height}
                for r in project.page(flt, args.offset, args.limit)]
    out = {"total": total, "offset": args.offset, "trashed": args.trashed, "images": rows}
    text = "\n".join(f"{r['id']:>7}  {r['class'] or '-':<15} {r['split'] or '-':<6} {r['original_name']}" for r in rows)
    shown = f"(no images{' from --offset ' + str(args.offset) if args.offset else ''}; {total:,} in all)"
    none = "(no images in the trash)" if args.trashed else "(no images)"
    emit(args, out, text or (shown if total else none))
    return 0


def cmd_class(args) -> int:
    with Project.open(args.dir) as project:
        action = args.class_command
        if action == "add":
            cid = project.add_class(args.name, args.color)
            out = {"added": args.name.strip(), "id": cid}
            said = f"Added class '{out['added']}'."
        elif action == "rename":
            old = _class_named(project, args.name)
            project.rename_class(old.id, args.new_name)
            out = {"renamed": old.name, "to": args.new_name.strip()}
            said = f"Renamed class '{old.name}' to '{out['to']}'."
        elif action == "recolor":
            c = _class_named(project, args.name)
            project.recolor_class(c.id, args.color)
            out = {"recolored": c.name, "color": args.color.strip().upper()}
            said = f"Class '{c.name}' is now {out['color']}."
        elif action == "delete":
            c = _class_named(project, args.name)
            ids = project.delete_class(c.id)
            out = {"deleted": c.name, "unlabelled_images": len(ids)}
            said = f"Deleted class '{c.name}'; {_images(len(ids))} now unlabelled."
        elif action == "merge":
            src, dst = _class_named(project, args.source), _class_named(project, args.target)
            ids = project.merge_classes(src.id, dst.id)
            out = {"merged": src.name, "into": dst.name, "moved_images": len(ids)}
            said = f"Merged '{src.name}' into '{dst.name}': {_images(len(ids))} moved; '{src.name}' is gone."
        else:
            out, said = {}, ""
        out["classes"] = [{"id": c.id, "name": c.name, "color": c.color} for c in project.classes()]
    table = "\n".join(f"{c['id']:>4} {c['color']} {c['name']}" for c in out["classes"])
    emit(args, out, (said + "\n" if said else "") + table)
    return 0


def _images(n: int) -> str:
    return f"{n:,} image{'s' if n != 1 else ''}"



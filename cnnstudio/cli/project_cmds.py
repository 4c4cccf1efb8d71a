"""Project commands: new, info, split, label, images, class (import: `import_cmds`)."""

from __future__ import annotations

from ..engine.use.figures import percent
from ..project import ImageFilter, Project
from ..project.counting import counted
from ..project.health import MORE_VALIDATION_CLI, few_validation, few_validation_words
from ..project.import_marker import take_stopped_import
from ..project.names import NO_CLASS, SPLIT_NAMES, quoted
from ..project.split_together import group_splits, together, together_words
from ..project.splits import (AUTO_SPLIT, CARVE, NO_VAL_FEW, NO_VAL_FOLDERS, NO_VAL_RATIO, NO_VALIDATION_EFFECT,
                               NOTHING_LABELLED, apply_split, kept_test_over_share, kept_test_words, nothing_labelled,
                               parse_ratios, plan_split, train_from_folders, why_no_validation)
from . import import_cmds
from .common import (PROJECT_DIR, CliError, Progress, add_json_flag, check_at_least, emit, option_error,
                     shell_command)

_DEFAULT_RATIOS = ",".join(map(str, AUTO_SPLIT))  # split's ratios when --ratios is not given
ID_HELP = "a picture's id, as 'cnnstudio images' lists it"  # every IMAGE_ID (label, move, trash)


def register(sub) -> None:
    p = sub.add_parser("new", help="create a new project folder",
                       description="Create an empty project folder. Add pictures to it with 'cnnstudio import'.")
    p.add_argument("dir", metavar="DIR", help="the folder to create (must not exist or be empty)")
    add_json_flag(p)
    p.set_defaults(func=cmd_new)

    import_cmds.register(sub)  # "import" between "new" and "info" in the help

    p = sub.add_parser("info", help="pictures, classes and splits of a project",
                       description="Show how many pictures the project has, how many have no class, and how many "
                                   "of each class are in each split. Nothing is changed.")
    p.add_argument("dir", **PROJECT_DIR)
    add_json_flag(p)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("split", help="put labelled pictures in train / validation / test, the same share of each "
                                     "class in each; copies of a picture stay together",
                       description="Divide the labelled pictures into train, validation and test by the ratios, "
                                   "the same share of each class in each split. Copies and near copies of a "
                                   "picture are kept together in one split, so the test stays honest. The test "
                                   "pictures you already have are kept (unless --resplit-test), and so are "
                                   "splits taken from train/, val/ and test/ folders (unless --resplit-folders). "
                                   "When the project has training and test pictures but no validation ones, "
                                   "validation is taken from each class's training pictures and test is kept: "
                                   "without --ratios, or when the training pictures came from a train/ folder.")
    p.add_argument("dir", **PROJECT_DIR)
    p.add_argument("--ratios", default=None,
                   help=f"train,validation,test percentages that add up to 100 (default {_DEFAULT_RATIOS})")
    p.add_argument("--seed", type=int, default=0, help="random seed: the same seed gives the same split (default 0)")
    p.add_argument("--resplit-test", action="store_true", help="also draw the test split again (normally kept)")
    p.add_argument("--resplit-folders", action="store_true",
                   help="also draw again the pictures whose split came from train/, val/ or test/ folders")
    add_json_flag(p)
    p.set_defaults(func=cmd_split)

    p = sub.add_parser("label", help="give pictures a class (or clear it)",
                       description="Give the pictures with these ids a class (made if it is new), or take their "
                                   "class away with --clear. 'cnnstudio images DIR' lists the ids.")
    p.add_argument("dir", **PROJECT_DIR)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--class", dest="class_name", metavar="NAME", help="the class (created if new)")
    g.add_argument("--clear", action="store_true", help="remove the class")
    p.add_argument("image_ids", nargs="+", type=int, metavar="IMAGE_ID",
                   help=ID_HELP)
    add_json_flag(p)
    p.set_defaults(func=cmd_label)

    p = sub.add_parser("images", help="list pictures (ids, files, classes, splits)",
                       description="List the project's pictures: id, class, split and file name, 100 at a time "
                                   "(--offset and --limit for more). The ids are what 'label', 'move' and "
                                   "'trash' take.")
    p.add_argument("dir", **PROJECT_DIR)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--class", dest="class_name", metavar="NAME",
                   help=f"only this class ('{NO_CLASS}': the pictures without a class, as --unlabelled)")
    g.add_argument("--unlabelled", action="store_true", help="only pictures without a class")
    p.add_argument("--split", choices=["train", "val", "test", "none"],
                   help="only this split (val: validation; none: the pictures in no split)")
    p.add_argument("--trashed", action="store_true",
                   help="the pictures in the project's trash instead (back with 'cnnstudio trash DIR --restore ID')")
    p.add_argument("--offset", type=int, default=0, help="skip this many pictures first (default 0)")
    p.add_argument("--limit", type=int, default=100, help="list at most this many pictures (default 100)")
    add_json_flag(p)
    p.set_defaults(func=cmd_images)

    p = sub.add_parser("class", help="add, rename, recolour, delete or merge classes",
                       description="Change the project's classes. Each action prints the classes after it.")
    csub = p.add_subparsers(dest="class_command", metavar="ACTION", required=True, parser_class=type(p))
    name = {"metavar": "NAME", "help": "the class's name"}
    c = csub.add_parser("add", help="add a class", description="Add a class with no pictures yet.")
    c.add_argument("dir", **PROJECT_DIR); c.add_argument("name", **name)
    c.add_argument("--color", help="its colour, as #RRGGBB")
    c = csub.add_parser("rename", help="rename a class", description="Give a class another name.")
    c.add_argument("dir", **PROJECT_DIR); c.add_argument("name", **name)
    c.add_argument("new_name", metavar="NEW_NAME", help="the class's new name")
    c = csub.add_parser("recolor", help="change a class's colour", description="Change the colour a class is "
                                                                               "shown with.")
    c.add_argument("dir", **PROJECT_DIR); c.add_argument("name", **name)
    c.add_argument("color", help="the colour, as #RRGGBB")
    c = csub.add_parser("delete", help="delete a class (its pictures get no class)",
                        description="Delete a class. Its pictures stay in the project, without a class.")
    c.add_argument("dir", **PROJECT_DIR); c.add_argument("name", **name)
    c = csub.add_parser("merge", help="move every picture of SOURCE into TARGET and delete SOURCE",
                        description="Give every picture of SOURCE the class TARGET, then delete SOURCE.")
    c.add_argument("dir", **PROJECT_DIR)
    c.add_argument("source", metavar="SOURCE", help="the class to merge and delete")
    c.add_argument("target", metavar="TARGET", help="the class its pictures join")
    c = csub.add_parser("list", help="list classes", description="List the classes: id, colour and name.")
    c.add_argument("dir", **PROJECT_DIR)
    for action in csub.choices.values():
        add_json_flag(action)
    p.set_defaults(func=cmd_class)


def cmd_new(args) -> int:
    project = Project.create(args.dir)
    out = {"project": str(project.root), "schema_version": project.schema_version}
    project.close()
    emit(args, out, f"Created project {out['project']}.")
    return 0


def _split_name(key: str | None) -> str:
    """A split as the Data page names it ("Validation", "No split"), from a JSON key ("val", "unassigned") or a
    picture's split (None: in no split)."""
    return SPLIT_NAMES.get(None if key in ("unassigned", "none") else key, key)


def cmd_info(args) -> int:
    with Project.open(args.dir) as project:
        out = project.summary()
        stopped = take_stopped_import(project)  # an import the app never finished (killed): said once, as the window
    if stopped:
        out["stopped_import"] = f"{stopped[:1].upper()}{stopped[1:]}."
    lines = [f"Project {out['project']}: {_pictures(out['images'])}, {out['unlabelled']:,} in {quoted(NO_CLASS)}",
             "  splits: " + ", ".join(f"{_split_name(k)} {v:,}" for k, v in out["splits"].items())]
    if out["trashed"]:  # left out of the counts above and of training; listed by 'images --trashed'
        lines.append(f"  in the trash: {out['trashed']} (list them with "
                     f"{shell_command('cnnstudio', 'images', args.dir, '--trashed')})")
    for c in out["classes"]:
        n = c["counts"]
        lines.append(f"  {c['name']:<20} " + "  ".join(f"{_split_name(k)} {n[k]:>6,}"
                                                      for k in ("train", "val", "test", "unassigned")))
    if stopped:
        lines.append(out["stopped_import"])
    emit(args, out, "\n".join(lines))
    return 0


#: The command that gives validation pictures after a split left none, by splits.why_no_validation's reason (a line
#: that ends in a command has no full stop: it pastes as it is)
NO_VALIDATION_FIX = {NO_VAL_RATIO: "give validation a share: {split} --ratios {fix}",
                     NO_VAL_FOLDERS: "the training pictures keep the split of their train folder, so draw them "
                                     "again: {split} --ratios {ratios} --resplit-folders",
                     NO_VAL_FEW: "no class has enough training pictures to spare some for validation: add "
                                 "pictures with cnnstudio import, then run {split} again."}


def _percent(r: float) -> str:
    return f"{r * 100:.3g}"


def _share_for_validation(ratios: tuple[float, float, float]) -> str:
    """The ratios NO_VAL_RATIO's command gives: 15 % of train for validation and the test share kept, so that the test
    pictures a re-split keeps fit them (70,0,30 -> 55,15,30); a small training share: the default ratios, test drawn
    again."""
    train, _val, test = ratios
    if train >= 0.3:
        return ",".join(_percent(r) for r in (train - 0.15, 0.15, test))
    return f"{_DEFAULT_RATIOS} --resplit-test"


def copy_groups(project: Project, quiet: bool = False) -> list[list[int]]:
    """The copies and near copies of a picture that a split keeps together (:mod:`cnnstudio.engine.runs.split_groups`),
    with a progress bar on a terminal unless ``quiet``."""
    import sys

    from ..engine.runs.split_groups import find_split_groups

    shown = not quiet and sys.stderr.isatty()
    return find_split_groups(project, Progress("Looking for copies", quiet=not shown))


def _redraw(folder_splits: bool) -> str:
    """What puts copies together that a split left apart (their splits are kept), in the command's words: the
    folders' option only when some split came from a folder."""
    return "add --resplit-test and --resplit-folders" if folder_splits else "add --resplit-test"


def _carve_words(plan, folder_splits: bool) -> str:
    """What a split that took validation from train says, and how to re-split with ratios instead."""
    why = ("the training pictures came from a train/ folder, which a re-split keeps; add --resplit-folders to "
           "re-split with the ratios instead" if folder_splits else
           "there were training and test pictures but no validation ones; give --ratios to re-split with them "
           "instead")
    return f"Took {percent(plan.share)} of each class's training pictures for validation; test unchanged ({why})."


def nothing_to_split(folder) -> str:
    """What ``cnnstudio split`` says when no picture has a class (splits.nothing_labelled), with the commands that give
    pictures one (the Data page says its own way: health.NOTHING_TO_SPLIT)."""
    label = shell_command("cnnstudio", "label", folder) + " ID... --class NAME"
    images = shell_command("cnnstudio", "images", folder, "--unlabelled")
    again = shell_command("cnnstudio", "import", folder) + " FOLDER --labels-from-folders"
    return (f"{NOTHING_LABELLED[:1].lower()}{NOTHING_LABELLED[1:]}: give pictures a class with {label} ({images} "
            f"lists their ids), or import a folder with one folder per class with {again}")


def cmd_split(args) -> int:
    if args.ratios is not None:
        try:
            parse_ratios(args.ratios)  # the Data page's rule, its sentence naming the option as typed
        except ValueError as e:
            raise option_error(e, "ratios", "--ratios") from None
    with Project.open(args.dir) as project:
        before_counts = project.counts()
        if nothing_labelled(before_counts):  # not "no class has enough pictures": none has a class yet
            raise CliError(nothing_to_split(args.dir))
        folder_splits = train_from_folders(project)
        plan = plan_split(before_counts, args.ratios or _DEFAULT_RATIOS, args.resplit_test, args.resplit_folders,
                          ratios_asked=args.ratios is not None, folder_splits=folder_splits)
        kept = 0 if plan.resplit_test else project.count(ImageFilter(split="test"))
        over = plan.action != CARVE and kept and kept_test_over_share(before_counts, plan.ratios)
        groups = copy_groups(project, quiet=args.json)
        before = {i: split for i, (split, _source) in project.split_snapshot().items()}
        counts = apply_split(project, plan, seed=args.seed, groups=groups)
        changed = {i: split for i, (split, _source) in project.split_snapshot().items()} != before
        folders = not counts["val"] and train_from_folders(project)
        from_folders = not plan.resplit_folders and train_from_folders(project)
        copies = together(groups, group_splits(project, groups))
        few = few_validation(project)
        few_words = few_validation_words(project, MORE_VALIDATION_CLI)
    out = {"ratios": [round(r, 6) for r in plan.ratios], "seed": args.seed, "counts": counts, "test_kept": kept,
           "action": plan.action, "copies_together": copies.kept, "copies_apart": copies.apart}
    lines = ["Split: " + ", ".join(f"{_split_name(k).lower()} {v:,}" for k, v in counts.items())]  # the Data page's
    if together_words(copies, _redraw(from_folders)):
        lines.append(together_words(copies, _redraw(from_folders)))
    if plan.action == CARVE:
        lines.append(_carve_words(plan, folder_splits))
    elif not changed:
        lines.append("Nothing changed: every picture kept its split" + (
            " (pictures from train/, val/ and test/ folders keep theirs: add --resplit-folders to draw them again)."
            if from_folders else "."))
    elif kept:  # a re-split only adds to test (the data check's fixes may move a test picture out)
        lines.append(kept_test_words("cnnstudio split", kept, max(0, counts["test"] - kept),
                                     percent(plan.ratios[2]) if over else None, "add --resplit-test"))
    if few_words:
        out["few_validation"] = dict(few)
        lines.append(few_words)
    if not counts["val"]:
        why = why_no_validation(plan, folders)
        out["no_validation"] = why
        split = shell_command("cnnstudio", "split", args.dir)
        lines.append(f"Validation has 0 pictures: {NO_VALIDATION_EFFECT}; "
                     + NO_VALIDATION_FIX[why].format(split=split, ratios=",".join(map(_percent, plan.ratios)),
                                                     fix=_share_for_validation(plan.ratios)))
    emit(args, out, "\n".join(lines))
    return 0


def _class_named(project: Project, name: str):
    info = project.class_by_name(name)
    if info is None:
        known = ", ".join(c.name for c in project.classes()) or "none yet"
        raise CliError(f"there is no class named {quoted(name)} (classes: {known})")
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
    emit(args, out, f"{_pictures(n)} " + ("now in " + quoted(NO_CLASS) if args.clear
                                          else f"labelled {quoted(args.class_name.strip())}")
         + (f" ({already} already {'was' if already == 1 else 'were'})" if already else "") + ".")
    return 0


def cmd_images(args) -> int:
    check_at_least(args.offset, "--offset", 0)
    check_at_least(args.limit, "--limit", 0)
    with Project.open(args.dir) as project:
        class_id = None
        if args.unlabelled:
            from ..project import UNLABELLED
            class_id = UNLABELLED
        elif args.class_name and args.class_name.strip().casefold() == NO_CLASS.casefold():
            from ..project import UNLABELLED  # the Data page's row of the pictures without a class: --unlabelled
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
    text = "\n".join(f"{r['id']:>7}  {r['class'] or NO_CLASS:<15} {_split_name(r['split']):<10} {r['original_name']}"
                     for r in rows)
    shown = f"(no pictures{' from --offset ' + str(args.offset) if args.offset else ''}; {total:,} in all)"
    none = "(no pictures in the trash)" if args.trashed else "(no pictures)"
    emit(args, out, text or (shown if total else none))
    return 0


def cmd_class(args) -> int:
    with Project.open(args.dir) as project:
        action = args.class_command
        if action == "add":
            cid = project.add_class(args.name, args.color)
            out = {"added": args.name.strip(), "id": cid}
            said = f"Added class {quoted(out['added'])}."
        elif action == "rename":
            old = _class_named(project, args.name)
            project.rename_class(old.id, args.new_name)
            out = {"renamed": old.name, "to": args.new_name.strip()}
            said = f"Renamed class {quoted(old.name)} to {quoted(out['to'])}."
        elif action == "recolor":
            c = _class_named(project, args.name)
            project.recolor_class(c.id, args.color)
            out = {"recolored": c.name, "color": args.color.strip().upper()}
            said = f"Class {quoted(c.name)} is now {out['color']}."
        elif action == "delete":
            c = _class_named(project, args.name)
            ids = project.delete_class(c.id)
            out = {"deleted": c.name, "unlabelled_images": len(ids)}
            said = f"Deleted class {quoted(c.name)}; {_pictures(len(ids))} now in {quoted(NO_CLASS)}."
        elif action == "merge":
            src, dst = _class_named(project, args.source), _class_named(project, args.target)
            ids = project.merge_classes(src.id, dst.id)
            out = {"merged": src.name, "into": dst.name, "moved_images": len(ids)}
            said = (f"Merged {quoted(src.name)} into {quoted(dst.name)}: {_pictures(len(ids))} moved; "
                    f"{quoted(src.name)} is gone.")
        else:
            out, said = {}, ""
        out["classes"] = [{"id": c.id, "name": c.name, "color": c.color} for c in project.classes()]
    table = "\n".join(f"{c['id']:>4} {c['color']} {c['name']}" for c in out["classes"])
    emit(args, out, (said + "\n" if said else "") + table)
    return 0


def _pictures(n: int) -> str:
    return counted(n, "picture")



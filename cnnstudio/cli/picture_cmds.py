"""Picture commands: move pictures to a split by hand, move them to the project's trash (or back), empty the trash.

What the Data page does with a selection (and the data check's "Move to the training split", "Trash it" and "Keep
one" buttons), for a computer without a screen: ``cnnstudio doctor`` prints these commands as its fixes. The ids are
those ``cnnstudio images`` and ``doctor`` show (``cnnstudio images DIR --trashed``: the trash's); every id is checked
before anything changes. ``cnnstudio trash DIR --empty`` deletes the trash's pictures for good.
"""

from __future__ import annotations

from ..project import ImageFilter, Project, ProjectError
from ..project.counting import counted
from ..project.disk import human_bytes
from .common import PROJECT_DIR, CliError, add_json_flag, emit, shell_command
from .project_cmds import ID_HELP

SPLIT_WORDS = {"train": "the training split", "val": "the validation split", "test": "the test split",
               "none": "no split"}


def register(sub) -> None:
    p = sub.add_parser("move", help="put pictures in a split by hand (train, val, test, or none)",
                       description="Put the pictures with these ids in a split by hand: train, val (validation), "
                                   "test, or none (in no split). 'cnnstudio images DIR' lists the ids.")
    p.add_argument("dir", **PROJECT_DIR)
    p.add_argument("--to", required=True, choices=list(SPLIT_WORDS),
                   help="the split (val: validation; none: out of every split)")
    p.add_argument("image_ids", nargs="+", type=int, metavar="IMAGE_ID", help=ID_HELP)
    add_json_flag(p)
    p.set_defaults(func=cmd_move)

    p = sub.add_parser("trash", help="move pictures to the project's trash (or back with --restore; --empty deletes "
                                     "the trash's pictures for good)",
                       usage="%(prog)s [-h] [--json] DIR [--restore] IMAGE_ID [IMAGE_ID ...]\n"
                             "       %(prog)s [-h] [--json] DIR --empty",
                       description="Move the pictures with these ids to the project's trash: they leave every list "
                                   "and training, and --restore brings them back. --empty deletes every picture in "
                                   "the trash for good.")
    p.add_argument("dir", **PROJECT_DIR)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--restore", action="store_true", help="bring the pictures back from the trash")
    g.add_argument("--empty", action="store_true",
                   help="delete every picture in the trash for good (cannot be undone; list them first with "
                        "'cnnstudio images DIR --trashed')")
    ids = p.add_argument("image_ids", nargs="+", type=int, metavar="IMAGE_ID", default=[], help=ID_HELP)
    ids.required = False  # none with --empty; "+" rather than "*": argparse would take none before the options
    add_json_flag(p)
    p.set_defaults(func=cmd_trash)


def _check_not_trashed(project: Project, ids: list[int], folder) -> None:
    """Every id a picture of the project (ProjectError for the first that is not), none of them in its trash."""
    project.check_image_ids(ids)
    trashed = set(project.ids(ImageFilter(trashed=True)))
    inside = [i for i in ids if i in trashed]
    if inside:
        raise ProjectError(f"picture {inside[0]} is in the project's trash; bring it back first with: "
                           f"{shell_command('cnnstudio', 'trash', folder, '--restore', inside[0])}")


def cmd_move(args) -> int:
    ids = list(dict.fromkeys(args.image_ids))
    with Project.open(args.dir) as project:
        _check_not_trashed(project, ids, args.dir)
        before = project.set_split(ids, None if args.to == "none" else args.to)
    target = None if args.to == "none" else args.to
    changed = sum(1 for split, _source in before.values() if split != target)
    emit(args, {"moved": len(ids), "changed": changed, "split": args.to},
         f"{counted(len(ids), 'picture')} {'now in no split' if target is None else 'now in ' + SPLIT_WORDS[args.to]}"
         + (f" ({len(ids) - changed} {'was' if len(ids) - changed == 1 else 'were'} there already)"
            if changed < len(ids) else "") + ".")
    return 0


def cmd_trash(args) -> int:
    ids = list(dict.fromkeys(args.image_ids))
    if args.empty:
        return _empty_trash(args, ids)
    if not ids:
        raise CliError(f"give the ids of the pictures to move (list them with "
                       f"{shell_command('cnnstudio', 'images', args.dir)})")
    with Project.open(args.dir) as project:
        if args.restore:
            trashed = set(project.ids(ImageFilter(trashed=True)))
            missing = [i for i in ids if i not in trashed]
            if missing:
                raise ProjectError(f"no picture with id {missing[0]} is in the project's trash"
                                   + (" (it is in the project)" if missing[0] in set(project.ids()) else ""))
            project.restore_images(ids)
            emit(args, {"restored": len(ids)}, f"{counted(len(ids), 'picture')} back from the trash.")
            return 0
        project.check_image_ids(ids)
        trashed = set(project.ids(ImageFilter(trashed=True)))
        already = [i for i in ids if i in trashed]
        if already:  # pasted twice: done already, said so (and a script does not fail)
            raise ProjectError(f"picture {already[0]} is already in the project's trash")
        project.delete_images(ids)
    back = shell_command("cnnstudio", "trash", args.dir, "--restore", *ids)
    emit(args, {"trashed": len(ids), "restore": back},
         f"{counted(len(ids), 'picture')} moved to the project's trash; bring {'them' if len(ids) != 1 else 'it'} "
         f"back with: {back}")
    return 0


def _empty_trash(args, ids: list[int]) -> int:
    """``--empty``: every picture in the trash deleted for good, said with the space freed."""
    if ids:
        raise CliError("--empty deletes every picture in the trash, so it takes no picture ids: run it without them "
                       "(or bring pictures back first with --restore)")
    with Project.open(args.dir) as project:
        emptied = project.empty_trash_report()
    n = len(emptied.ids)
    text = (f"Deleted {counted(n, 'picture')} from the project's trash for good; {human_bytes(emptied.freed_bytes)} of "
            f"disk space freed." if n else "The project's trash is empty: nothing to delete.")
    if emptied.not_removed:  # files the disk refused to delete: said, and deleted the next time (store.py)
        text += f"\n{emptied.not_removed[0].upper()}{emptied.not_removed[1:]}."
    emit(args, {"deleted": n, "ids": list(emptied.ids), "freed_bytes": emptied.freed_bytes,
                "not_removed": emptied.not_removed}, text)
    return 0

"""``cnnstudio doctor DIR``: check a project's pictures for likely wrong labels, near duplicates, leaks
between the splits, outliers and unusable pictures (:mod:`cnnstudio.engine.runs.doctor`).

The check is kept in the project as the app keeps it (:mod:`cnnstudio.engine.runs.doctor_kept`), so the app's Check
data panel shows it when the project is opened; ``--last`` prints the kept check, its findings still open and how
many pictures changed since, without checking again."""

from __future__ import annotations

import argparse
import time

from ..engine.runs.doctor_findings import KIND_TITLES
from ..project.health import CARVE_VALIDATION, SPLIT_NOW
from .common import PROJECT_DIR, CliError, Progress, UsageError, add_json_flag, emit, option_error, shell_command


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor", help="check the pictures: wrong labels, duplicates, test leaks, outliers, quality",
        description="Check a project's pictures and list what may be wrong, worst first: labels that may be "
                    "wrong (with the label they more likely have), near duplicates, copies that leak between "
                    "train and validation/test, outliers and unusable pictures. Nothing is changed.")
    p.add_argument("dir", **PROJECT_DIR)
    p.add_argument("--kinds", default="labels,duplicates,leaks,outliers,quality",
                   help="what to check, comma-separated: labels, duplicates, leaks, outliers, quality (the default is "
                        "all of them); the names the findings are listed under work too, such as 'Near duplicates' "
                        "or 'Unusual pictures'")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds for the label check (default 5)")
    p.add_argument("--no-backbone", action="store_true",
                   help="do not use the pretrained MobileNetV2 features even when installed: the labels are checked "
                        "by your own design trained briefly per fold, the rest on the pictures' pixels")
    p.add_argument("--last", action="store_true",
                   help="print the last check kept in the project (by this command or the app) and what is still "
                        "open in it, without checking again")
    add_json_flag(p)
    p.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    from ..engine.errors import EngineError
    from ..engine.runs.doctor import LabelsUnchecked, check_data
    from ..engine.runs.doctor_findings import check_kind
    from ..project import Project

    if args.last:
        return _last(args)
    kinds = tuple(dict.fromkeys(check_kind(k.strip()) for k in args.kinds.split(",") if k.strip()))
    with Project.open(args.dir) as project:
        try:
            report = check_data(project, kinds, args.folds, progress=Percent("Checking the pictures"),
                                use_backbone=not args.no_backbone)
        except LabelsUnchecked as e:
            rest = ",".join(k for k in kinds if k != "labels") or "duplicates,leaks,outliers,quality"
            raise CliError(f"{e}, or check the rest only (--kinds {rest})") from None
        except EngineError as e:
            from ..engine.runs.doctor_findings import CHECKED_BY

            if not set(kinds) <= set(CHECKED_BY.values()):  # a bad value of --kinds: a usage error (common.py)
                raise UsageError(f"--kinds: {e}") from None
            raise option_error(e, "folds", "--folds") from None
        from ..engine.runs.doctor_kept import keep_report

        not_kept = keep_report(project, report)  # for the app's Check data panel and --last
        names = _names(project, report.findings)
    lines = [f"{report.images} pictures checked in {report.seconds:.1f} s using {report.method}.",
             *_findings_lines(report, report.findings, names, args.dir)]
    obj = report.to_json(_original(names))
    if not_kept:
        lines.append(f"  note: {not_kept}")
        obj["not_kept"] = not_kept
    emit(args, obj, "\n".join(lines))
    return 0


def _last(args: argparse.Namespace) -> int:
    """``--last``: the kept check, its findings still open (fixed, trashed or kept since: not shown), and how many
    pictures changed since."""
    from ..engine.runs.doctor_kept import changed_since, changed_words, checked_words, load_report
    from ..engine.runs.doctor_review import named_now, still_open
    from ..project import Project

    with Project.open(args.dir, read_only=True) as project:
        report = load_report(project)
        if report is None:
            raise CliError("no data check is kept in this project: check the pictures with "  # one colon (QA #16)
                           f"'{shell_command('cnnstudio', 'doctor', args.dir)}'")
        findings = [named_now(f, report, project) for f in still_open(project, report)]  # a class renamed since
        changed = changed_since(project, report)
        names = _names(project, findings)
    again = f"run {shell_command('cnnstudio', 'doctor', args.dir)} again"  # the app's words name its button
    head = (checked_words(report), changed_words(changed, again),
            f"{report.images} pictures were checked using {report.method}.")
    lines = [" ".join(w for w in head if w),
             *_findings_lines(report, findings, names, args.dir, still=len(report.findings) - len(findings))]
    obj = report.to_json(_original(names))
    obj.update(findings=[f.to_json(report.paths, _original(names)) for f in findings], checked_at=report.checked_at,
               changed_since=changed, closed_since=len(report.findings) - len(findings))
    emit(args, obj, "\n".join(lines))
    return 0


def _names(project, findings) -> dict[int, tuple[str, str]]:
    classes = {c.id: c.name for c in project.classes()}
    return {r.id: (r.original_name, classes.get(r.class_id, "no class"))
            for r in project.records(sorted({i for f in findings for i in f.images}))}


def _original(names: dict[int, tuple[str, str]]) -> dict[int, str]:
    """Each picture's original file name, for the JSON's ``original_names``."""
    return {i: name for i, (name, _label) in names.items()}


def _findings_lines(report, findings, names, project_dir: str, still: int = 0) -> list[str]:
    """What is to look at, each finding with its pictures and the commands that fix it. ``still``: how many of the
    report's findings were closed since (``--last``)."""
    n = len(findings)
    kept = f" ({report.hidden} kept earlier, not shown)" if report.hidden else ""
    closed = f" ({still} fixed or kept since)" if still else ""
    if n:
        said = f"{n} thing{'s' if n != 1 else ''} {'still ' if still else ''}to look at{kept}{closed}:"
    elif still:
        said = f"Nothing left to look at{closed}."
    else:
        said = f"Nothing {'new ' if report.hidden else ''}to look at: {_none_found(report.kinds)}{kept}."
    lines = [said]
    if n:
        lines.append(SCORE)
    group = None
    for f in findings:  # grouped as the Data page's Check data panel groups them, worst first within a group
        if f.kind != group:
            group = f.kind
            lines.append(f"  {KIND_TITLES.get(f.kind, f.kind)} ({sum(g.kind == f.kind for g in findings)})")
        lines.append(f"    {f.score:4.2f}  {f.reason}")
        if f.images:
            lines.append(f"{INDENT}pictures: {_pictures(f, names)}")
        fix = _fix(f, project_dir)
        if fix:
            lines.append(f"{INDENT}{fix}")
    return lines + [f"  note: {s}" for s in report.notes] + [f"  skipped: {s}" for s in report.skipped]


class Percent(Progress):
    """The data check's progress as a percentage only: it is one total of 100 made of steps with counts of their own
    (pictures decoded, folds, comparisons; :data:`~cnnstudio.engine.runs.doctor_folds.SCALE`), so "40/100" read like
    100 pictures. A line each tenth of the way in a log, a bar redrawn in place on a terminal."""

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if self.quiet or total <= 0:
            return
        percent = min(100, 100 * done // total)
        now = time.perf_counter()
        if self.tty:
            if now - self._last < 0.1 and done < total:
                return
            self._last = now
            self.stream.write(f"\r{self.label} [{'#' * (percent * 30 // 100):<30}] {percent:>3}% {message[:30]:<30}"
                              + ("\n" if done >= total else ""))
        elif percent // 10 != self._last_decile:
            self._last_decile = percent // 10
            self.stream.write(f"{self.label}: {percent}% {now - self._t0:.1f}s" + (f" {message}" if message else "")
                              + "\n")
        self.stream.flush()


INDENT = " " * 10  # under a finding's reason
SCORE = "  (The number before each finding is how likely it is a real problem, from 0 to 1.)"
SHOWN = 6  # pictures named per finding; --json has them all


def _pictures(f, names: dict[int, tuple[str, str]]) -> str:
    """ "#51 0.png (cat), #52 3.png (dog, train)": each picture's id (what 'cnnstudio label' and 'images' use), the
    name of the file it was imported from and its class, with its split where the finding is about splits."""
    splits = dict(zip(f.images, f.splits)) if f.kind == "leak" and f.splits else {}
    shown = []
    for i in f.images[:SHOWN]:
        name, label = names.get(i, ("(no longer in the project)", ""))
        about = ", ".join(w for w in (label, splits.get(i, "")) if w)
        shown.append(f"#{i} {name}" + (f" ({about})" if about else ""))
    more = len(f.images) - SHOWN
    return ", ".join(shown) + (f" and {more} more (see --json)" if more > 0 else "")


def _fix(f, project_dir: str) -> str:
    """How to fix a finding: the commands that do what the data check's buttons do (``label``, ``move`` to one
    split, ``trash``; see picture_cmds.py), quoted to paste; the suggested one first ("fix:"), the others after it
    ("or:", under it; "either:" where nothing says which label of near copies is right); "" when no button changes a
    picture."""
    from ..engine.runs.doctor import fixes_for

    commands = []
    for fix in fixes_for(f):
        ids = [str(i) for i in fix.images]
        if fix.action == "relabel":
            commands.append(shell_command("cnnstudio", "label", project_dir, "--class", fix.value, *ids))
        elif fix.action == "same_split":
            commands.append(shell_command("cnnstudio", "move", project_dir, "--to", fix.value, *ids))
        elif fix.action == "trash":
            commands.append(shell_command("cnnstudio", "trash", project_dir, *ids))
        elif fix.action in (SPLIT_NOW, CARVE_VALIDATION):  # split also takes validation from train, test kept
            commands.append(shell_command("cnnstudio", "split", project_dir))
    first = "either: " if f.labels and not f.suggested else "fix: "  # near copies' labels: nothing says which is right
    return f"\n{INDENT}".join((first if n == 0 else "or: ") + c for n, c in enumerate(commands))


# what each kind of check looks for, in the words of "Nothing to look at: no ... found"
NONE_FOUND = {"labels": "labels that look wrong", "duplicates": "near duplicates",
              "leaks": "copies leaking between the splits", "outliers": "unusual pictures", "quality": "unusable pictures"}


def _none_found(kinds) -> str:
    words = [NONE_FOUND.get(k, k) for k in kinds]
    return "no " + (words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]) + " found"

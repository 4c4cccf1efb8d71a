"""``cnnstudio evaluate DIR``: accuracy with its 95% range, per-class scores, the confusion matrix, the most
confident mistakes and what the run means (the advice). The evaluation is kept in the run for Evaluate and the
report; on a read-only copy of a project the scores are still printed, with a note that they were not kept.

The validation pictures are the default: they are the ones to compare runs by, and the test pictures are looked at
once, on purpose, at the end (project/seen_scores.py), so only ``--split test`` scores them (and marks the run's test
score looked at). A run trained without validation pictures is not scored on its test pictures unasked: the command
says to ask with ``--split test``. The output says which pictures were scored (``"split"`` in ``--json``): on the
test pictures with the sentence the Evaluate page says on them
(:data:`~cnnstudio.project.split_roles.TEST_FOR_THE_END`, ``"split_note"``), on the validation pictures with
:data:`VAL_WORDS` (:data:`NO_VAL_RUN_WORDS` for a run trained without validation, which ``cnnstudio runs`` lists as
"no validation": ``"validation"`` in ``--json``, as there) and, for the best run while no run's test score is looked at
yet (:func:`~cnnstudio.project.seen_scores.look_offered`, as ``cnnstudio runs`` offers it), the command that looks at
it (``"test_look"``, "" otherwise). On the test pictures of a run while other runs' test
scores were already looked at, one warning line on stderr says what that does to the test score (``"warning"`` in
``--json``, "" otherwise: :func:`~cnnstudio.project.seen_scores.another_look_words`), and the scores follow.

The numbers read as on the Evaluate page and in the report: shares through the one rounding rule
(:func:`~cnnstudio.engine.use.figures.percent`, "90.9%"), F1 as "0.82", the recall's 95% range, the average of the
classes last; every table's header over its column, the confusion matrix headed by the predicted classes.
"""

from __future__ import annotations

import sys

from ..engine.errors import EngineError
from ..engine.use.figures import class_ranges, percent, probability_percent, range_text, top_k_says_something
from ..engine.use.precision_words import (NEVER_ANSWERED_LINE, average_precision_text, average_words, never_answered,
                                          precision_text)
from ..project import Project
from ..project.disk import disk_error
from ..project.glossary import RANGE_TERM
from ..project.split_roles import TEST_FOR_THE_END
from .common import (PROJECT_DIR, RUN_WORDS, CliError, add_json_flag, check_at_least, check_run_has_model, emit,
                     named_run, shell_command)

#: said under the scores of the default split, the validation pictures
VAL_WORDS = "Scored on the validation pictures, the ones to compare runs by."
#: said instead of :data:`VAL_WORDS` for a run trained without validation (``--no-val``, "No validation": not
#: :func:`~cnnstudio.project.run_records.has_validation`), as ``cnnstudio runs`` and the Train page list it: it never
#: trained on the project's validation pictures, but nothing chose on them and runs are not ranked by this score
NO_VAL_RUN_WORDS = ("Scored on the validation pictures, which this run never trained on. It was trained without "
                    "validation, so the runs list says “no validation” for it and does not rank it by this score.")


def register(sub) -> None:
    p = sub.add_parser(
        "evaluate", help="accuracy, per-class scores and confusion matrix of a trained run",
        description="Score a trained run on the project's validation pictures (or, with --split test, its test "
                    f"pictures): the accuracy with its {RANGE_TERM}, each class's precision, recall and F1, the "
                    "confusion matrix, the mistakes the model was surest of, and what the scores mean. The scores are "
                    "kept in the run for the Evaluate page and the report. Compare runs and choose one on the "
                    "validation pictures; the test pictures are for the end: look at them once, on purpose, with "
                    "--split test (a test score you use to choose a model stops being honest).")
    p.add_argument("dir", **PROJECT_DIR)
    p.add_argument("--run", metavar="RUN_ID",
                   help=f"the run: {RUN_WORDS} (default: the best finished run)")
    p.add_argument("--split", choices=["val", "test"], default=None,
                   help="which pictures: val (the default: the validation pictures, to compare runs and choose one) "
                        "or test (the check at the end of a project, looked at once, on purpose)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default=None,
                   help="where to run the model: auto (the default: the graphics card when this computer has one, "
                        "else the processor), cpu, cuda or mps")
    p.add_argument("--mistakes", type=int, default=20, metavar="N",
                   help="list the N most confident mistakes (default 20)")
    add_json_flag(p)
    p.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args) -> int:
    from ..engine.runs import lifecycle as runs
    from ..engine.runs.advice import advice_json, advice_text, advise
    from ..engine.use.intervals import accuracy_interval

    check_at_least(args.mistakes, "--mistakes", 0)
    check_run_has_model(args.dir, args.run)  # a run that failed before saving its model: how to resume it

    unsaved = ""
    with Project.open(args.dir) as project:
        named = named_run(project, args.run).id if args.run is not None else None  # "" too: refused
        try:
            split = args.split or _default_split(project, named, args.dir)
            run_id, ev = runs.evaluate_run(project, named, split, device=args.device, save=False)
            try:  # kept in the run for Evaluate and the report; a read-only copy still gets its scores
                runs.save_evaluation(project, run_id, split, ev)
            except OSError as e:  # the disk's one sentence, as a note under the scores
                unsaved = str(disk_error(e, project.root, "keep this evaluation in the run"))
            # another run's test score was looked at already: said before this one counts as looked at (seen_scores)
            warning = _another_look(project, run_id) if split == "test" else ""
            if split == "test" and not unsaved:  # its test score is looked at now: runs shows it from now on
                _mark_test_seen(project, run_id)
            test_look = _test_look(project, run_id, args.dir) if split == "val" else ""
            validated = _validated(project, run_id)  # as cnnstudio runs and the Train page say it
            changed = runs.data_changed(project, run_id)
            # what the run means and what to do next (engine/runs/advice.py), from the scores printed here
            advice = advise(project, run_id, fresh={split: ev.to_json()})
            mistakes = ev.misclassified[:args.mistakes]
            names = {r.id: r.original_name for r in project.records([m["id"] for m in mistakes])}
        except EngineError as e:
            raise CliError(str(e)) from None
    out = ev.to_json(with_predictions=False)
    # as under the Evaluate page's headline on test pictures; on validation ones, which they are and how to look at test
    split_note = TEST_FOR_THE_END if split == "test" else (VAL_WORDS if validated else NO_VAL_RUN_WORDS) + (
        f" Test pictures are for the end: look at this run's test score once, on purpose, with: {test_look}"
        if test_look else "")
    lo, hi = accuracy_interval(ev.accuracy, ev.images)
    out = {"run": run_id, **out, "accuracy_interval": [lo, hi],
           "misclassified": [{**m, "file": names.get(m["id"])} for m in mistakes], "data_changed": bool(changed),
           "data_changed_words": changed or "",
           "advice": advice_json(advice), "saved": not unsaved, "split_note": split_note, "test_look": test_look,
           "warning": warning, "validation": validated}
    top_k = (f", top-{ev.top_k} {percent(ev.top_k_accuracy)}" if top_k_says_something(ev.top_k, len(ev.classes))
             else "")
    lines = [f"Run {run_id}, {split} split: {ev.images} images, accuracy {percent(ev.accuracy)} "
             f"({range_text(lo, hi)} likely){top_k}"]
    if split_note:
        lines.append(split_note)
    if changed:
        lines.append(f"note: {changed}")
    if unsaved:
        lines.append(f"note: {unsaved}")
    lines += _score_lines(out)
    lines += _matrix_lines(ev.classes, ev.confusion_matrix)
    lines += _mistake_lines(mistakes, names, args.mistakes)
    lines += ["What this means:", advice_text(advice, args.dir)]
    if warning:  # on stderr, as a warning: the scores go on (a script reads "warning" in --json)
        print(f"warning: {warning}", file=sys.stderr, flush=True)
    emit(args, out, "\n".join(lines))
    return 0


def table(head: tuple[str, ...], rows: list[tuple[str, ...]], right: tuple[int, ...] = ()) -> list[str]:
    """Rows under a header, each column as wide as its widest cell, indented by two spaces: the columns numbered in
    ``right`` (numbers) are right-aligned, header included, so every header stands over its values."""
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells) -> str:
        return "  " + "  ".join(c.rjust(w) if i in right else c.ljust(w)
                                for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return [line(head), *(line(r) for r in rows)]


def _score_lines(ev: dict) -> list[str]:
    """Precision, recall, the recall's 95% range, F1 and pictures of each class, then their average, as the
    Evaluate page's table shows them."""
    ranges = class_ranges(ev)
    rows = []
    for name in ev["classes"]:
        m, r = ev["per_class"][name], ranges[name]["recall"]
        rows.append((name, precision_text(ev, name), percent(m["recall"]), "—" if r is None else range_text(*r),
                     f"{m['f1']:.2f}", f"{m['support']:,}"))
    mac = ev["macro"]
    rows.append(("average", average_precision_text(ev), percent(mac["recall"]), "", f"{mac['f1']:.2f}",
                 f"{ev['images']:,}"))
    head = ("class", "precision", "recall", f"recall, {RANGE_TERM}", "F1", "pictures")
    why = [f"  {NEVER_ANSWERED_LINE}"] if any(never_answered(ev, name) for name in ev["classes"]) else []
    over = average_words(ev)  # the average precision leaves a "–" out: over how many classes
    why += [f"  {over}"] if over else []
    return ["scores per class (average: each class counts the same):", *table(head, rows, right=(1, 2, 3, 4, 5)),
            *why]


def _matrix_lines(classes: list[str], matrix: list[list[int]]) -> list[str]:
    """The confusion matrix: a row per true class, a column per predicted class, each headed by its name (names
    longer than 12 characters cut with "…")."""
    names = [c if len(c) <= 12 else c[:11] + "…" for c in classes]
    rows = [(name, *(f"{v:,}" for v in row)) for name, row in zip(names, matrix)]
    return ["confusion matrix (rows: true class, columns: predicted class):",
            *table(("", *names), rows, right=tuple(range(1, len(names) + 1)))]


def _mistake_lines(mistakes: list[dict], names: dict[int, str], asked: int) -> list[str]:
    """The most confident mistakes as a table: image id, the file's own name, true and predicted class, how
    sure the model was. Nothing when --mistakes 0 asked for none."""
    if asked == 0:
        return []
    if not mistakes:
        return ["most confident mistakes: none, every image was right"]
    rows = [(str(m["id"]), names.get(m["id"]) or "(deleted)", m["true"], m["predicted"],
             probability_percent(m["confidence"])) for m in mistakes]
    head = ("id", "file", "true class", "predicted", "confidence")
    return [f"most confident mistakes ({len(rows)}, the surest first):", *table(head, rows, right=(0, 4))]


def _default_split(project, named: str | None, folder) -> str:
    """The pictures a plain ``cnnstudio evaluate`` scores: the validation ones. A run trained without any, but with
    test pictures, is refused with the command that looks at its test score on purpose (never an unasked look)."""
    from ..engine.runs.lifecycle import pick_run, read_dataset

    info = pick_run(project, named)
    try:
        _, entries = read_dataset(project, info.id)
    except (EngineError, OSError, KeyError, ValueError, TypeError):
        return "val"  # evaluate_run says what is wrong with the run
    splits = {e.split for e in entries}
    if "val" in splits or "test" not in splits:
        return "val"
    look = shell_command("cnnstudio", "evaluate", folder, "--run", info.id, "--split", "test")
    raise CliError(f"run {info.id} was trained without validation pictures, and its test pictures are for the end: "
                   f"look at its test score once, on purpose, with: {look}")


def _validated(project, run_id: str) -> bool:
    """Whether run ``run_id`` chose its epoch on validation pictures (run_records.has_validation: the one rule
    ``cnnstudio runs`` and the Train page list a run by, "no validation" when not)."""
    from ..project import run_records

    return run_records.has_validation(run_records.get_run(project, run_id))


def _test_look(project, run_id: str, folder) -> str:
    """The command that looks at run ``run_id``'s test score on purpose, when it is the run the command line offers
    that look for (:func:`~cnnstudio.project.seen_scores.look_offered`: the best run, while no run's test score was
    looked at, as ``cnnstudio runs`` offers it) and it has test pictures; "" otherwise."""
    from ..engine.runs.lifecycle import read_dataset
    from ..project.errors import ProjectError
    from ..project.seen_scores import look_offered

    try:
        if look_offered(project) != run_id:
            return ""
    except (OSError, ProjectError):
        return ""
    try:
        _, entries = read_dataset(project, run_id)
    except (EngineError, OSError, KeyError, ValueError, TypeError):
        return ""
    if not any(e.split == "test" for e in entries):
        return ""
    return shell_command("cnnstudio", "evaluate", folder, "--run", run_id, "--split", "test")


def _another_look(project, run_id: str) -> str:
    """:func:`~cnnstudio.project.seen_scores.another_look_words` for run ``run_id`` ("" when it cannot be read)."""
    from ..project.errors import ProjectError
    from ..project.seen_scores import another_look_words

    try:
        return another_look_words(project, run_id)
    except (OSError, ProjectError):
        return ""


def _mark_test_seen(project, run_id: str) -> None:
    """Keep that run ``run_id``'s test score has been looked at (seen_scores, as the Evaluate page does); a disk that
    says no keeps it unmarked, its runs row blank, without failing the scores just printed."""
    from ..project.errors import ProjectError
    from ..project.seen_scores import mark_test_seen

    try:
        mark_test_seen(project, run_id)
    except (OSError, ProjectError):
        pass

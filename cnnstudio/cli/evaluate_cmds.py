"""``cnnstudio evaluate DIR``: accuracy with its 95 % range, per-class scores, the confusion matrix, the most
confident mistakes and what the run means (the advice). The evaluation is kept in the run for Evaluate and the
report; on a read-only copy of a project the scores are still printed, with a note that they were not kept.
"""

from __future__ import annotations

from ..engine.errors import EngineError
from ..engine.use.figures import percent, range_text, top_k_says_something
from ..project import Project
from ..project.disk import disk_error
from .common import CliError, add_json_flag, check_at_least, check_run_has_model, emit


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="accuracy, per-class scores and confusion matrix of a trained run")
    p.add_argument("dir", help="the project folder")
    p.add_argument("--run", metavar="ID", help="the run (default: the best finished run)")
    p.add_argument("--split", choices=["val", "test"], default="test", help="which split (default test)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default="cpu")
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
        try:
            run_id, ev = runs.evaluate_run(project, args.run, args.split, device=args.device, save=False)
            try:  # kept in the run for Evaluate and the report; a read-only copy still gets its scores
                runs.save_evaluation(project, run_id, args.split, ev)
            except OSError as e:  # the disk's one sentence, as a note under the scores
                unsaved = str(disk_error(e, project.root, "keep this evaluation in the run"))
            changed = runs.data_changed(project, run_id)
            # what the run means and what to do next (engine/runs/advice.py), from the scores printed here
            advice = advise(project, run_id, fresh={args.split: ev.to_json()})
            mistakes = ev.misclassified[:args.mistakes]
            names = {r.id: r.original_name for r in project.records([m["id"] for m in mistakes])}
        except EngineError as e:
            raise CliError(str(e)) from None
    out = ev.to_json(with_predictions=False)
    lo, hi = accuracy_interval(ev.accuracy, ev.images)
    out = {"run": run_id, **out, "accuracy_interval": [lo, hi],
           "misclassified": [{**m, "file": names.get(m["id"])} for m in mistakes], "data_changed": bool(changed),
           "data_changed_words": changed or "",
           "advice": advice_json(advice), "saved": not unsaved}
    top_k = (f", top-{ev.top_k} {percent(ev.top_k_accuracy)}" if top_k_says_something(ev.top_k, len(ev.classes))
             else "")
    lines = [f"Run {run_id}, {args.split} split: {ev.images} images, accuracy {percent(ev.accuracy)} "
             f"({range_text(lo, hi)} likely){top_k}"]
    if changed:
        lines.append(f"note: {changed}")
    if unsaved:
        lines.append(f"note: {unsaved}")
    width = max(len(c) for c in ev.classes)
    lines.append(f"  {'class':<{width}}  precision  recall     f1  support")
    for name, m in ev.per_class.items():
        lines.append(f"  {name:<{width}}  {m['precision']:9.2%} {m['recall']:7.2%} {m['f1']:6.2%}  {m['support']:7d}")
    lines.append("confusion matrix (rows: true class, columns: predicted):")
    for name, row in zip(ev.classes, ev.confusion_matrix):
        lines.append(f"  {name:<{width}}  " + " ".join(f"{v:5d}" for v in row))
    lines += _mistake_lines(mistakes, names, args.mistakes)
    lines += ["What this means:", advice_text(advice, args.dir)]
    emit(args, out, "\n".join(lines))
    return 0


def _mistake_lines(mistakes: list[dict], names: dict[int, str], asked: int) -> list[str]:
    """The most confident mistakes as a table: image id, the file's own name, true and predicted class, how
    sure the model was. Nothing when --mistakes 0 asked for none."""
    if asked == 0:
        return []
    if not mistakes:
        return ["most confident mistakes: none, every image was right"]
    rows = [(str(m["id"]), names.get(m["id"]) or "(deleted)", m["true"], m["predicted"],
             percent(m["confidence"])) for m in mistakes]
    head = ("id", "file", "true class", "predicted", "confidence")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [f"most confident mistakes ({len(rows)}, the surest first):",
             "  " + "  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip()]
    lines += ["  " + "  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    return lines

"""``cnnstudio runs DIR``: the training runs of a project, each with its scores and what is to be done with it (a
stopped run's command to continue it, files gone by hand); ``--rename`` and ``--delete`` one (not one that is
training: run_records.delete_run refuses it)."""

from __future__ import annotations

import time

from ..engine.errors import EngineError
from ..engine.use.figures import score_text
from ..project import Project, ProjectError, run_records
from .common import CliError, add_json_flag, emit, resume_command


def register(sub) -> None:
    p = sub.add_parser("runs", help="list the training runs of a project (or rename / delete one)")
    p.add_argument("dir", help="the project folder")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--rename", nargs=2, metavar=("RUN_ID", "NAME"), help="rename a run")
    g.add_argument("--delete", metavar="RUN_ID", help="delete a run and its files")
    add_json_flag(p)
    p.set_defaults(func=cmd_runs)


def cmd_runs(args) -> int:
    with Project.open(args.dir) as project:
        if args.rename:
            if not args.rename[0].strip():
                raise CliError("--rename needs a run id: 'cnnstudio runs DIR' lists them")
            info = run_records.rename_run(project, args.rename[0], args.rename[1])
            emit(args, {"run": info.id, "name": info.name}, f"Renamed run {info.id} to {info.name!r}")
            return 0
        if args.delete is not None:  # "" too: an empty id is refused, never taken for no option
            if not args.delete.strip():
                raise CliError("--delete needs a run id: 'cnnstudio runs DIR' lists them")
            run_records.delete_run(project, args.delete)
            emit(args, {"run": args.delete, "deleted": True}, f"Deleted run {args.delete}")
            return 0
        try:  # runs left "running" by a process that has gone: failed, with the reason
            run_records.settle_abandoned(project)
        except ProjectError:
            pass  # the disk says no: list them as they are
        best = run_records.best_run(project)
        items, scored = [], []  # scored: pictures behind each run's validation and test scores (their ranges)
        missing: dict[str, str] = {}  # run id -> what is gone (run_records.missing_part)
        for r in run_records.list_runs(project):
            s = r.summary
            missing[r.id] = run_records.missing_part(project, r.id, r.status) if r.status != "running" else ""
            scored.append((run_records.scored_pictures(s, "val"), run_records.scored_pictures(s, "test")))
            items.append({
                "id": r.id, "name": r.name, "status": r.status,
                "created_at": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.created_at)),
                "preset": r.config.get("preset", ""), "best_epoch": s.get("best_epoch"),
                "epochs": s.get("last_epoch"), "val_accuracy": s.get("val_accuracy"),
                "test_accuracy": s.get("test_accuracy"), "best": best is not None and r.id == best.id,
                "validation": run_records.has_validation(r), "data_changed": project_data_changed(project, r.id),
                "files_missing": bool(missing[r.id]),
            })
            if not missing[r.id] and run_records.can_resume(project, r):
                items[-1]["resume"] = resume_command(args.dir, r.id)
    lines = [f"{'run':<22} {'status':<13} {'epochs':>6} {'val acc (95 % range)':>20} {'test acc':>17}  name"] \
        if items else ["No runs yet: train one with 'cnnstudio train DIR'"]
    for it, (n_val, n_test) in zip(items, scored):
        val = score_text(it["val_accuracy"], n_val) if it["validation"] else "no validation"
        test = score_text(it["test_accuracy"], n_test)
        status = "files missing" if it["files_missing"] else it["status"]
        lines.append(f"{it['id']:<22} {status:<13} {it['epochs'] or 0:>6} {val:>20} "
                     f"{test:>17}  {it['name']}{'  (best)' if it['best'] else ''}")
    if any(not it["validation"] for it in items):
        lines.append(f"no validation: {run_records.NO_VALIDATION_WHY}")
    lines += [f"files missing: {run_records.files_missing_sentence(it['id'], missing[it['id']])}"
              for it in items if it["files_missing"]]
    lines += [f"{it['status']}: continue {it['id']} with: {it['resume']}" for it in items if it.get("resume")]
    emit(args, {"runs": items}, "\n".join(lines))
    return 0


def project_data_changed(project: Project, run_id: str) -> bool:
    from ..engine.runs import lifecycle as runs

    try:
        return bool(runs.data_changed(project, run_id))
    except EngineError:
        return False

"""``cnnstudio advise DIR [--run RUN_ID]``: what a run's curves and scores mean and what to do next
(:mod:`cnnstudio.engine.runs.advice`); ``cnnstudio report DIR [--run RUN_ID] --out report.html``: one self-contained
HTML report of a run (:mod:`cnnstudio.engine.runs.report`), which shows the test pictures' score and so marks it
looked at (project/seen_scores.py), saying so in a line (``"shows_test"`` and ``"test_seen"`` in ``--json``); a
project open for viewing only keeps no such mark, and says that instead
(:func:`~cnnstudio.project.seen_scores.report_look_words`). While other runs' test scores were already looked at, one
warning line on stderr says what that does to this one's, as ``cnnstudio evaluate --split test`` does
(:func:`~cnnstudio.project.seen_scores.another_look_words`; ``"warning"`` in ``--json``, "" otherwise)."""

from __future__ import annotations

import argparse
import sys

from .common import PROJECT_DIR, RUN_WORDS, CliError, add_json_flag, check_out_file, emit, named_run


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("advise", help="what a run's results mean and what to do next, in plain words",
                       description="Read a run's curves, scores and data and say what they mean (overfitting, "
                                   "underfitting, learning rate, data, how far the score can be trusted) and "
                                   "what to do next, most important first. Nothing is changed.")
    p.add_argument("dir", **PROJECT_DIR)
    p.add_argument("--run", metavar="RUN_ID", help=f"the run: {RUN_WORDS} (default: the best finished run)")
    add_json_flag(p)
    p.set_defaults(func=cmd_advise)

    p = sub.add_parser("report", help="write one HTML report of a run, to keep, print or send",
                       description="Write a self-contained HTML file (pictures inside it) about a run: data, "
                                   "model, settings, curves, confusion matrix, per-class scores with intervals, "
                                   "the most confident mistakes, the advice and the library versions. Print it "
                                   "to PDF from a browser for clean pages. A report is for the end of the work: "
                                   "it shows the test pictures' score, so that score counts as looked at from "
                                   "then on.")
    p.add_argument("dir", **PROJECT_DIR)
    p.add_argument("--run", metavar="RUN_ID", help=f"the run: {RUN_WORDS} (default: the best finished run)")
    p.add_argument("--out", required=True, metavar="FILE.html", help="the HTML file to write, e.g. report.html")
    add_json_flag(p)
    p.set_defaults(func=cmd_report)


def _pick(project, run_id: str | None) -> str:
    from ..engine.runs.lifecycle import pick_run

    if run_id is not None:  # "" too: refused, never taken for the best run
        return pick_run(project, named_run(project, run_id).id).id
    from ..project import run_records

    best = run_records.best_run(project)
    if best is not None:
        return best.id
    done = [r for r in run_records.list_runs(project) if r.status in ("finished", "stopped", "failed")]
    if not done:
        raise CliError("this project has no trained model yet: train one first ('cnnstudio train')")  # = evaluate's
    return done[0].id


def cmd_advise(args: argparse.Namespace) -> int:
    from ..engine.errors import EngineError
    from ..engine.runs.advice import advice_json, advice_text, advise
    from ..project import Project

    with Project.open(args.dir) as project:
        try:
            run_id = _pick(project, args.run)
            items = advise(project, run_id)
        except EngineError as e:
            raise CliError(str(e)) from None
    emit(args, {"run": run_id, "advice": advice_json(items)}, f"Run {run_id}:\n" + advice_text(items, args.dir))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..engine.errors import EngineError
    from ..engine.runs.report import shows_test, write_report
    from ..project import Project
    from ..project.seen_scores import REPORT_LOOK_WORDS, another_look_words, report_look_words

    check_out_file(args.out, "report.html")  # a folder, or a mistyped one: refused before the report is gathered
    with Project.open(args.dir) as project:
        try:
            run_id = _pick(project, args.run)
            # another run's test score was looked at already: said before this one counts as looked at, as
            # `cnnstudio evaluate --split test` says it (seen_scores.another_look_words)
            warning = another_look_words(project, run_id) if shows_test(project, run_id) else ""
            path = write_report(project, run_id, args.out)
            test = shows_test(project, run_id)  # and looked at now (write_report marked it), where it could
            look = report_look_words(project, run_id) if test else ""  # not kept: viewing only, said so
        except EngineError as e:
            raise CliError(str(e)) from None
        except OSError as e:
            raise CliError(f"cannot write {args.out}: {e.strerror or e}") from None
    if warning:  # on stderr, as a warning: the report is written all the same (a script reads "warning" in --json)
        print(f"warning: {warning}", file=sys.stderr, flush=True)
    emit(args, {"run": run_id, "report": str(path), "bytes": path.stat().st_size, "shows_test": test,
                "test_seen": look == REPORT_LOOK_WORDS, "warning": warning},
         f"Wrote the report of run {run_id} to {path}." + (f"\n{look}" if look else ""))
    return 0

"""The run records: one row per training run in the project database, and the names of a run's files
(stdlib only).

The files of a run live in ``<project>/runs/<run-id>/`` (written by :mod:`cnnstudio.engine.runs.lifecycle`,
named by the constants below); the row holds what lists and menus need without opening them: name, time,
status, the settings (config), a summary of the results, and the data fingerprint. Every function that
writes is one transaction.

Status values: ``created`` -> ``running`` -> ``finished`` | ``stopped`` (resumable) | ``failed``.
A run left ``running`` by a killed process can be resumed like a stopped one. The process training a run is
recorded in its summary (``"process": "host:pid"``, :data:`PROCESS`); the runs whose process on this computer has
ended without saying so are marked failed by :func:`cnnstudio.project.run_abandoned.settle_abandoned`.

The best run (:func:`best_run`) is chosen on validation among the runs scored on the same validation pictures
(:mod:`cnnstudio.project.val_pictures`).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectError
from .names import check_name, quoted
from .processes import alive_here
from .run_checkpoint import CHECKPOINT_DIR, DAMAGED, checkpoint_state
from .store import RUNS_DIR, Project

STATUSES = ("created", "running", "finished", "stopped", "failed")

# the files of a run folder (what each holds: :mod:`cnnstudio.engine.runs.lifecycle`)
CONFIG = "config.json"
DATASET = "dataset.json"
METRICS = "metrics.jsonl"
EVALUATION = "evaluation.json"
ERROR = "error.txt"
MODEL_DIR = "model"
RUN_NAME_LIMIT = 200
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class RunInfo:
    id: str
    name: str
    created_at: float
    status: str
    config: dict
    summary: dict
    data_fingerprint: str


def run_settings(config) -> dict:
    """A run record's settings (its config's "settings"); {} when there are none, or what is there is not an object
    (a config.json edited by hand or damaged: a list or a string): such a run is taken as a run without settings."""
    st = config.get("settings") if isinstance(config, dict) else None
    return st if isinstance(st, dict) else {}


def new_run_id(now: float | None = None) -> str:
    """Sortable and readable: ``20250131-142501-3fa2``."""
    t = time.localtime(time.time() if now is None else now)
    return time.strftime("%Y%m%d-%H%M%S", t) + "-" + secrets.token_hex(2)


def check_run_id(run_id: str) -> str:
    if not isinstance(run_id, str) or not _ID_RE.match(run_id):
        raise ProjectError(f"{quoted(run_id)} is not a valid run id")
    return run_id


def run_dir(project: Project, run_id: str) -> Path:
    return project.root / RUNS_DIR / check_run_id(run_id)


def missing_part(project: Project, run_id: str, status: str = "") -> str:
    """The one rule for "a run's files are gone" (deleted by hand, a copy of the project made without runs/): ""
    when nothing is missing, else what is, as a path under the project: the run's folder (the row is there, the
    folder is not; a run's folder is made before its row — lifecycle.create_run, jobs — so a row without one never
    means "not started yet"), or, for a ``status`` "finished" run, its trained model's folder."""
    folder = run_dir(project, run_id)
    if not folder.is_dir():
        return f"{RUNS_DIR}/{run_id}"
    if status == "finished" and not (folder / MODEL_DIR).is_dir():
        return f"{RUNS_DIR}/{run_id}/{MODEL_DIR}"
    return ""


def files_missing(project: Project, run_id: str, status: str) -> bool:
    """Whether :func:`missing_part` finds something gone."""
    return bool(missing_part(project, run_id, status))


def has_model(project: Project, run_id: str) -> bool:
    """The one rule for "this run has a model" (its bundle folder): what prediction, export and evaluation need."""
    return (run_dir(project, run_id) / MODEL_DIR).is_dir()


def can_resume(project: Project, info: "RunInfo") -> bool:
    """The one rule for "Resume goes on with this run": it stopped, failed or was killed (not finished, not
    training now), its folder is there, and it saved a checkpoint to go on from that is not damaged
    (:func:`must_restart`)."""
    if info.status not in ("stopped", "failed", "created"):
        return False
    checkpoint = run_dir(project, info.id) / CHECKPOINT_DIR
    try:
        return checkpoint.is_dir() and any(checkpoint.iterdir()) and not must_restart(project, info)
    except OSError:
        return False


def must_restart(project: Project, info: "RunInfo") -> bool:
    """A run that stopped or failed and whose last checkpoint is damaged: it can only be trained again from the
    start (run_checkpoint.py)."""
    return (info.status in ("stopped", "failed", "created", "running")
            and checkpoint_state(run_dir(project, info.id)) == DAMAGED)


def failure_reason(project: Project, info: "RunInfo") -> str:
    """Why a failed run failed, in one line: what its row keeps (written even when ``error.txt`` could not be, on a
    full disk), else the first line of its ``error.txt``; "" for a run that did not fail or said nothing."""
    if info.status != "failed":
        return ""
    said = info.summary.get("error")
    if isinstance(said, str) and said.strip():
        return said.strip().splitlines()[0]
    try:
        text = (run_dir(project, info.id) / ERROR).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return text.splitlines()[0] if text else ""


def files_missing_sentence(run_id: str, part: str = "", folder: str | os.PathLike | None = None) -> str:
    """What every command and page says of a run whose files are gone (``part``: :func:`missing_part`; by default
    the whole folder; ``folder``: the project's, for the command to paste). With a folder it serves both (an engine
    error reaches the window and the terminal alike): the command and the window's way to delete the run; without
    one it is the window's runs list's own words."""
    import shlex

    part = part or f"{RUNS_DIR}/{run_id}"
    what = "the trained model" if part.endswith("/" + MODEL_DIR) else "the files"
    missing = f"{what} of run {run_id} {'is' if what == 'the trained model' else 'are'} missing ({part})"
    if folder is None:  # the window's own runs list: its words only (no command with a placeholder to fill in)
        return f"{missing}: delete it with Delete in the runs list"
    return (f"{missing}: delete it with 'cnnstudio runs {shlex.quote(str(folder))} --delete {shlex.quote(run_id)}' "
            "or with Delete in the Train page's runs list")


def check_files(project: Project, run_id: str) -> None:
    """Raise :func:`files_missing_sentence` for a run whose folder (or, finished, whose model) is gone."""
    info = find_run(project, run_id)
    part = missing_part(project, run_id, info.status if info is not None else "")
    if part:
        raise ProjectError(files_missing_sentence(run_id, part, project.root))


def _row(r) -> RunInfo:
    def load(s):
        try:
            v = json.loads(s or "{}")
            return v if isinstance(v, dict) else {}
        except json.JSONDecodeError:
            return {}
    return RunInfo(r[0], r[1], r[2], r[3], load(r[4]), load(r[5]), r[6])


_COLS = "id, name, created_at, status, config, summary, data_fingerprint"


def add_run(project: Project, run_id: str, name: str = "", *, status: str = "created", config: dict | None = None,
            summary: dict | None = None, data_fingerprint: str = "", created_at: float | None = None) -> RunInfo:
    check_run_id(run_id)
    if status not in STATUSES:
        raise ProjectError(f"unknown run status {status!r}")
    name = check_run_name(name) if (name or "").strip() else f"Run {run_id}"
    with project.transaction() as tx:
        if tx.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone():
            raise ProjectError(f"a run with id {run_id!r} already exists")
        tx.execute(f"INSERT INTO runs({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (run_id, name, time.time() if created_at is None else created_at, status,
                    json.dumps(config or {}), json.dumps(summary or {}), data_fingerprint))
    return get_run(project, run_id)


def get_run(project: Project, run_id: str) -> RunInfo:
    row = project._con().execute(f"SELECT {_COLS} FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise ProjectError(f"there is no run {quoted(run_id)} in this project (see 'cnnstudio runs')")
    return _row(row)


def resolve_run(project: Project, word: str) -> RunInfo:
    """The run ``word`` names: its id, or else the name of exactly one run (what ``cnnstudio runs`` lists in its
    name column); refused in one sentence when no run has it, or when several runs have that name."""
    info = find_run(project, word)
    if info is not None:
        return info
    named = [r for r in list_runs(project) if r.name.strip() == word.strip()]
    if len(named) == 1:
        return named[0]
    if named:
        raise ProjectError(f"{len(named)} runs are named {quoted(word)}: give the id of the one you mean (see "
                           "'cnnstudio runs')")
    raise ProjectError(f"there is no run {quoted(word)} in this project (see 'cnnstudio runs')")


def find_run(project: Project, run_id: str) -> RunInfo | None:
    row = project._con().execute(f"SELECT {_COLS} FROM runs WHERE id = ?", (run_id,)).fetchone()
    return _row(row) if row else None


def list_runs(project: Project, status: str | None = None) -> list[RunInfo]:
    """Newest first."""
    if status is None:
        rows = project._con().execute(f"SELECT {_COLS} FROM runs ORDER BY created_at DESC, id DESC")
    else:
        rows = project._con().execute(f"SELECT {_COLS} FROM runs WHERE status = ? ORDER BY created_at DESC, id DESC",
                                      (status,))
    return [_row(r) for r in rows]


def scored_pictures(summary: dict, split: str) -> int:
    """How many pictures a run was scored on for ``split`` ("val" counts the held-out ones; 0: not recorded): the
    size behind its score's 95 % range."""
    images = summary.get("images")
    n = images.get(split) if isinstance(images, dict) else None
    return n if isinstance(n, int) and not isinstance(n, bool) else 0


PROCESS = "process"  # summary key: "host:pid" of the process training the run (processes.this_process)


def grouped_runs(runs: list[RunInfo]) -> list[tuple[str, list[RunInfo]]]:
    """The runs list's groups: ``("", runs not made by a study)`` first, in the order given, then one group per
    tuning study (its runs carry ``summary["study"]``), the study with the newest run first, its trials in
    trial order."""
    plain = [r for r in runs if not r.summary.get("study")]
    studies: dict[str, list[RunInfo]] = {}
    for r in runs:
        if r.summary.get("study"):
            studies.setdefault(str(r.summary["study"]), []).append(r)
    order = sorted(studies, key=lambda name: max(r.created_at for r in studies[name]), reverse=True)
    out = [("", plain)] if plain else []
    for name in order:
        trials = studies[name]
        out.append((name, sorted(trials, key=lambda r: (r.summary.get("trial", 0), r.created_at))))
    return out


def update_run(project: Project, run_id: str, *, status: str | None = None, summary: dict | None = None,
               config: dict | None = None, name: str | None = None, data_fingerprint: str | None = None,
               merge_summary: bool = True) -> RunInfo:
    """Change some fields of a run; ``summary`` is merged into the stored one unless ``merge_summary=False``."""
    if status is not None and status not in STATUSES:
        raise ProjectError(f"unknown run status {status!r}")
    with project.transaction() as tx:
        row = tx.execute(f"SELECT {_COLS} FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise ProjectError(f"there is no run {quoted(run_id)} in this project")
        cur = _row(row)
        new_summary = ({**cur.summary, **summary} if merge_summary else summary) if summary is not None \
            else cur.summary
        tx.execute("UPDATE runs SET name = ?, status = ?, config = ?, summary = ?, data_fingerprint = ? WHERE id = ?",
                   ((name.strip() or cur.name) if name is not None else cur.name,
                    status or cur.status,
                    json.dumps(config if config is not None else cur.config),
                    json.dumps(new_summary),
                    data_fingerprint if data_fingerprint is not None else cur.data_fingerprint,
                    run_id))
    return get_run(project, run_id)


def check_run_name(name: str) -> str:
    """A name the user gave a run, trimmed: the rule class names follow too (names.py), so no name breaks a row."""
    return check_name(name, "a run", RUN_NAME_LIMIT)


def rename_run(project: Project, run_id: str, name: str) -> RunInfo:
    return update_run(project, run_id, name=check_run_name(name))


def training_now(info: "RunInfo") -> bool:
    """Whether a process of this computer is training the run now (its row says running and its process lives)."""
    return info.status == "running" and alive_here(str(info.summary.get(PROCESS, "")))


def training_now_words(run_id: str, name: str = "") -> str:
    """A run trained by a process now, by its ``name`` when the caller knows it (the window's), else its id."""
    who = quoted(name) if name else run_id
    return f"run {who} is training now (in CNN Studio's window or a 'cnnstudio train' command)"


def delete_run(project: Project, run_id: str, delete_files: bool = True) -> None:
    """Remove the row (committed first), then the run's folder. A crash in between leaves only a folder
    that no row points to, which :func:`orphan_run_dirs` finds. A run that a process of this computer is training
    is refused: the training would end with "there is no run" (stop it first)."""
    info = get_run(project, run_id)
    if training_now(info):
        raise ProjectError(f"{training_now_words(run_id, info.name)}: stop it first, then delete it")
    with project.transaction() as tx:
        tx.execute("DELETE FROM runs WHERE id = ?", (run_id,))
    if delete_files:
        folder = run_dir(project, run_id)
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def orphan_run_dirs(project: Project) -> list[Path]:
    known = {r.id for r in list_runs(project)}
    base = project.root / RUNS_DIR
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and p.name not in known and not p.name.startswith("."))


def metrics_rows(path: Path) -> list[dict]:
    """A run's rows in its metrics.jsonl at ``path``, up to a line cut short by a crash; [] when there is none. The one
    reader of the file, for the engine (lifecycle.read_metrics) and the command line, which reads a job folder's runs
    without opening a project (cli/train_rows.run_metrics)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            break  # a line cut short by a crash
    return out


def write_json_atomic(path: Path, obj) -> None:
    """Helper shared with the engine: temp file + rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False), encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:  # a full disk leaves neither half a file nor a temporary one
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise


def _real(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) != float("inf")


#: Why a run without validation is marked so (the runs list's tooltip, ``cnnstudio runs``).
NO_VALIDATION_WHY = ("this run was trained without validation pictures, so nothing chose its epoch or told when "
                     "it started to overfit. Do not pick it by its test score: a test score used to choose "
                     "becomes a validation score and no longer says how the model does on new pictures.")


#: Why a search's trial shows no test score in the runs list (its tooltip; ``cnnstudio runs`` says the same).
TRIAL_TEST_WHY = ("a search compares its trials on validation pictures only; the test score of the trial you keep "
                  "is on Evaluate. Test scores side by side for every trial would invite choosing by them, and a "
                  "test score used to choose no longer says how the model does on new pictures.")


def is_search_trial(info: RunInfo) -> bool:
    """A run trained as one trial of a tuning study (not the study's final run, which is the model it keeps)."""
    s = info.summary if isinstance(info.summary, dict) else {}
    return bool(s.get("study")) and s.get("final_of") is None


def has_validation(info: RunInfo) -> bool:
    """Did this run choose its epoch on validation pictures? False for a run trained with validation off
    (``--no-val``, "No validation"), and for a finished run with no validation accuracy (no validation
    pictures). Such a run is listed as "no validation" and never chosen by its test score."""
    if run_settings(info.config).get("validation") is False:
        return False
    return not (info.status == "finished" and not _real(info.summary.get("val_accuracy")))


def _score(r: RunInfo) -> tuple:
    """Validation accuracy, then lower validation loss (of the best epoch), then newest. Never the test score:
    choosing by it would make the test score a validation score."""
    acc, loss = r.summary.get("val_accuracy"), r.summary.get("val_loss")
    return (acc if _real(acc) else -1.0,  # a missing or NaN accuracy ranks below every real one
            -loss if _real(loss) else -float("inf"), r.created_at, r.id)


#: Why :func:`best_run_why` chose its run over another: a higher validation accuracy; the same accuracy and a lower
#: validation loss (of the best epoch); the same of both (or no loss to compare), the newer; a search's final run,
#: which has no validation score of its own (its trial's was the highest); the only run with a model; the other run
#: was scored on other validation pictures than the ones a new run is scored on now, so it is not compared
#: (val_pictures.same_pictures).
BEST_BY_ACCURACY, BEST_BY_LOSS, BEST_BY_NEWER, BEST_FINAL, BEST_ONLY = "accuracy", "loss", "newer", "final", "only"
BEST_OTHER_PICTURES = "other"


def best_run(project: Project, status: str = "finished") -> RunInfo | None:
    """The finished run with a model and the highest validation accuracy; on ties the lower validation loss
    of the best epoch, then the newest. The test accuracy is never looked at. None without such a run. Only runs
    scored on the same validation pictures are compared: when they differ, the runs scored on the ones a new run is
    scored on now (val_pictures.same_pictures).

    When that run is a search's trial and the search trained its final run (the trial's settings on every training
    picture, chosen by the trial's validation score: engine/tune/final.py), the final run is the one: it is the
    search's model, as the Tune page says, and it has no validation score of its own to rank by. Why it was chosen:
    :func:`best_run_why`."""
    chosen = best_run_why(project, status)
    return chosen[0] if chosen is not None else None


def best_run_why(project: Project, status: str = "finished", over: str | None = None) -> tuple[RunInfo, str] | None:
    """:func:`best_run`'s run and the one reason it was chosen over run ``over`` (None: over the next best run), one
    of :data:`BEST_BY_ACCURACY`, :data:`BEST_BY_LOSS`, :data:`BEST_BY_NEWER`, :data:`BEST_FINAL` (a search's final
    run: its trial ranked first), :data:`BEST_OTHER_PICTURES` (``over``, or the next best run, was scored on other
    validation pictures and is not compared; ``over`` the best run itself while such runs were left out) and
    :data:`BEST_ONLY` (no other run with a model, ``over`` has none, or is the best run itself); None without such a
    run. The words that say why follow this reason, never a copy of the ranking."""
    from .val_pictures import same_pictures  # it reads the run rows through this module

    runs = [r for r in list_runs(project, status) if has_model(project, r.id)]
    if not runs:
        return None
    pool, left_out = same_pictures(project, runs)
    ranked = sorted(pool, key=_score, reverse=True)
    best = ranked[0]
    study = best.summary.get("study") if is_search_trial(best) else None
    finals = [r for r in runs if study and r.summary.get("study") == study and r.summary.get("final_of") is not None]
    if finals:
        final = max(finals, key=lambda r: (r.created_at, r.id))
        return final, (BEST_ONLY if over == final.id else BEST_FINAL)
    if left_out and (over in {r.id for r in left_out} or over == best.id or (over is None and len(ranked) == 1)):
        return best, BEST_OTHER_PICTURES
    # ``over`` without a model (or not finished): it is not in the running, so the best is the only one
    other = next((r for r in ranked if r.id == over), None) if over is not None else (
        ranked[1] if len(ranked) > 1 else None)
    if other is None or other.id == best.id:
        return best, BEST_ONLY
    mine, theirs = _score(best), _score(other)
    if mine[0] != theirs[0]:
        return best, BEST_BY_ACCURACY
    return best, (BEST_BY_LOSS if mine[1] != theirs[1] else BEST_BY_NEWER)


def check_finished_files(project: Project) -> None:
    """With no finished run to use: raise :func:`files_missing_sentence` for the newest finished run whose folder
    is gone, so "train one first" is never said of a project whose models were lost."""
    for r in list_runs(project, "finished"):
        check_files(project, r.id)


def best_bundle_path(project: Project | str | os.PathLike, run_id: str | None = None) -> Path:
    """The model bundle folder of run ``run_id``, or of the best finished run."""
    own = not isinstance(project, Project)
    proj = Project.open(project) if own else project
    try:
        if run_id is not None:
            get_run(proj, run_id)
            check_files(proj, run_id)
            path = run_dir(proj, run_id) / MODEL_DIR
            if not path.is_dir():
                raise ProjectError(f"run {run_id} has no trained model yet (it stopped before its first epoch "
                                   "ended, or failed)")
            return path
        best = best_run(proj)
        if best is None:
            check_finished_files(proj)
            raise ProjectError(f"{proj.root} has no finished training run with a model: train one first "
                               "('cnnstudio train')")
        return run_dir(proj, best.id) / MODEL_DIR
    finally:
        if own:
            proj.close()

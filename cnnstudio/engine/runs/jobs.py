"""Train elsewhere: pack a run into a self-contained job, train it on any machine, bring the run home.

A job is a MINIMAL PROJECT FOLDER holding exactly what one run needs, plus two files::

    JOB/                       (or JOB.zip holding the folder JOB/)
      job.json                 {"format": "cnnstudio-job", "format_version": 1, "run": RUN_ID, ...}
      README.txt               the commands to train it and to bring the result home
      project.db               only the run's images, their classes (same order and colours) and splits
      images/                  those images, the original bytes, named by content hash as at home
      runs/RUN_ID/             the run, created but not trained: config.json (settings, model spec,
                               preset) and dataset.json (every image, label and split; the fingerprint)

Because it is a project, the ordinary machinery trains it: ``cnnstudio train JOB.zip`` unpacks it beside
the zip (``JOB/``; unpacking again reuses that folder, so running the command again after a stop
resumes), opens it and runs RUN_ID with :func:`cnnstudio.engine.runs.lifecycle.run`, on whatever device is there,
in one process or in several under ``torchrun``. Everything the run produces lands in
``JOB/runs/RUN_ID/`` (plus ``run.json``: its name, status and summary from the job's database).

:func:`import_run` adds that run folder (or the job folder, or a zip of either) to the original project.
It refuses a run trained on other data, comparing the fingerprint of the run's ``dataset.json`` (image
hashes, labels, splits) with the project's and saying what differs. Image ids in ``dataset.json`` are
mapped back to the project's by content hash.

Safety: zips are read member by member; a member with an absolute path, a drive letter, a ``..``
component or a link is refused before anything is written, and the declared sizes must fit on the disk
(:mod:`cnnstudio.engine.runs.job_archive`: job.json, opening jobs, safe zips).
Only known files are imported (JSON, JSONL, text and safetensors under their usual names); nothing is
ever unpickled.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
import zipfile
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator

from ... import __version__
from ...project import run_records
from ...project.importer import import_paths
from ...project.run_records import CHECKPOINT_DIR, CONFIG, DATASET, ERROR, EVALUATION, METRICS, MODEL_DIR
from ...project.store import CACHE_DIR, RUNS_DIR, Project
from ...project.run_reindex import NotARun, index_run_folder, status_and_summary
from ..data.entries import Entry, dataset_entries, fingerprint
from ..train.checkpoint import BEST, LAST
from ..use.bundle import MANIFEST, MANIFEST_LIMIT, WEIGHTS, WEIGHTS_CAP
from ...project.disk import check_free_space, disk_writes
from ...project.names import quoted
from ...project.zip_reading import TooLarge, read_file, too_large_sentence
from .job_archive import (FORMAT, FORMAT_VERSION, JOB_FILE, CheckedZip, JobError, checked_zip, open_job, read_job,
                          zip_folder)

README = "README.txt"
RUN_FILE = "run.json"  # written beside the run's files after training elsewhere: the database row
ProgressFn = Callable[[int, int, str], None]

# what import_run copies from a run folder (relative paths); anything else is left behind
RUN_FILES = (CONFIG, DATASET, METRICS, EVALUATION, ERROR, RUN_FILE,
             f"{MODEL_DIR}/{MANIFEST}", f"{MODEL_DIR}/{WEIGHTS}",
             f"{CHECKPOINT_DIR}/{LAST}", f"{CHECKPOINT_DIR}/{BEST}")
#: the most a run's own JSON file may hold (dataset.json lists every picture: about 200 bytes each)
RUN_JSON_LIMIT = 512 << 20
#: the most a run's checkpoint may hold: the model's weights and the optimiser's two tensors per weight (Adam's)
CHECKPOINT_CAP = 3 * WEIGHTS_CAP


def _run_member(parts: tuple[str, ...]) -> bool:
    """A member of a zip brought home that a run can hold (or the job file that says which run): the only ones
    unpacked."""
    names = {PurePosixPath(n).name for n in (*RUN_FILES, JOB_FILE)}
    return parts[-1] in names or parts[-1] in (MODEL_DIR, CHECKPOINT_DIR)


def _run_member_limit(parts: tuple[str, ...]) -> tuple[int, str]:
    """The most a run's file may unpack to, and whose limit it is (the one rule: project/zip_reading.py)."""
    if parts[-1] == WEIGHTS:
        return WEIGHTS_CAP, "a CNN Studio model can hold"
    if parts[-1] == MANIFEST:
        return MANIFEST_LIMIT, "a model's manifest can hold"
    if parts[-1] in (LAST, BEST):
        return CHECKPOINT_CAP, "a run's checkpoint can hold"
    return RUN_JSON_LIMIT, "a run's file can hold"


# ------------------------------------------------------------------ pack
def pack_job(project: Project, out_path: str | os.PathLike, settings=None, spec: Any = None,
             preset: str | None = None, progress: ProgressFn | None = None, name: str = "") -> Path:
    """Write a job (a ``.zip`` for a path ending in .zip, else a folder) that trains one run of
    ``project`` on another machine; return its path. ``settings`` default to the default recipe sized
    for the project's pictures; ``spec`` / ``preset`` as in :func:`cnnstudio.engine.runs.lifecycle.create_run`.
    The project is not changed."""
    from .lifecycle import plan_run

    out = Path(out_path).expanduser().absolute()
    as_zip = out.suffix.lower() == ".zip"
    if out.exists() and (as_zip or not out.is_dir() or any(out.iterdir())):
        raise JobError(f"{out} already exists: choose another name")
    plan = plan_run(project, settings, spec, preset=preset)  # bad data or a bad design fails before any copying
    settings, class_names, entries = plan.settings, plan.class_names, plan.entries
    where = out.parent
    while not where.exists() and where != where.parent:
        where = where.parent
    images = sum(_size(project.root / e.file) for e in entries)
    # the job's copies of the pictures (+ a zip of them beside, while it is written) and a little database
    check_free_space(where, images * (2 if as_zip else 1) + 8_000 * len(entries) + 1_000_000, "pack the job",
                     f"a job of {len(entries)} pictures")
    with disk_writes(where, "pack the job", "the project was not changed"):
        return _pack(project, out, as_zip, settings, spec, preset, progress, name, class_names, entries)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _pack(project: Project, out: Path, as_zip: bool, settings, spec, preset, progress, name, class_names,
          entries) -> Path:
    from .lifecycle import create_run, read_json

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp"
    folder_name = out.stem if as_zip else out.name
    job_root = staging / folder_name
    try:
        job = Project.create(job_root)
        try:
            colours = {c.name: c.color for c in project.classes()}
            for cname in class_names:  # same classes in the same order: same outputs of the model
                job.add_class(cname, colours.get(cname))
            groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
            for e in entries:
                groups[(e.label_name, e.split)].append(e)
            done, total = 0, len(entries)
            if progress:
                progress(0, total, "copying images")
            for (label, split), items in sorted(groups.items()):
                report = import_paths(job, [project.root / e.file for e in items], class_name=label,
                                      keep_split_folders=False, project_files=True)
                if report.skipped:
                    bad = report.skipped[0]
                    raise JobError(f"image {bad['path']} cannot be packed: {bad['reason']}")
                ids = report.imported + [d["existing_id"] for d in report.duplicates if d.get("existing_id")]
                job.set_split(ids, split)
                done += len(items)
                if progress:
                    progress(done, total, f"{label} / {split}")
            run_id = create_run(job, settings, spec, preset=preset, name=name)
            ds = read_json(run_records.run_dir(job, run_id) / DATASET)
            if ds["fingerprint"] != fingerprint(entries):
                raise JobError("the packed images do not match the project's (labels or splits differ): "
                               "nothing was written")
            info = {"format": FORMAT, "format_version": FORMAT_VERSION, "run": run_id,
                    "name": run_records.get_run(job, run_id).name, "packed_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "source_project": project.root.name, "fingerprint": ds["fingerprint"],
                    "images": len(entries), "classes": class_names, "cnnstudio": __version__}
        finally:
            job.close()
        shutil.rmtree(job_root / CACHE_DIR, ignore_errors=True)  # thumbnails: rebuilt on demand
        (job_root / CACHE_DIR).mkdir()
        run_records.write_json_atomic(job_root / JOB_FILE, info)
        (job_root / README).write_text(_readme(info, out.name, as_zip), encoding="utf-8")
        if as_zip:
            tmp_zip = staging / "job.zip"
            zip_folder(job_root, tmp_zip, folder_name)
            os.replace(tmp_zip, out)
        else:
            if out.exists():
                out.rmdir()
            os.replace(job_root, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _readme(info: dict, out_name: str, as_zip: bool) -> str:
    job = out_name
    folder = Path(out_name).stem if as_zip else out_name
    return f"""CNN Studio training job
=======================

Run {info['run']} ("{info['name']}"): {info['images']:,} images of {len(info['classes'])} classes
({', '.join(info['classes'][:10])}{', ...' if len(info['classes']) > 10 else ''}), packed {info['packed_at']}
from project "{info['source_project']}" with CNN Studio {info['cnnstudio']}.

On the machine that trains (any OS, any GPU or none), with Python 3.10+:

    pip install cnnstudio            # or: pip install /path/to/the/cnnstudio/repository
    cnnstudio train {job}

It uses the best device there (a CUDA GPU when there is one; add --device cpu to force the CPU).
Several GPUs on one machine (one process per GPU, PyTorch DistributedDataParallel):

    cnnstudio train {job} --nproc 4
    # or, the same thing with PyTorch's launcher:
    torchrun --nproc-per-node 4 -m cnnstudio train {job}

Stopped (Ctrl-C) or interrupted? Run the same command again: it continues from the last checkpoint.

The result is in {folder}/runs/{info['run']}/ . Copy that folder (or all of {folder}/) back and add it
to the original project:

    cnnstudio import-run PROJECT_FOLDER {folder}/runs/{info['run']}
"""


# ------------------------------------------------------------------ training a job
def prepare_job(path: str | os.PathLike) -> tuple[Path, str]:
    """Unpack/check a job for training: (job folder, run id). Raises :class:`JobError` when its run has
    already finished."""
    folder, info = open_job(path)
    with Project.open(folder) as project:
        run = run_records.find_run(project, info["run"])
        if run is None:
            raise JobError(f"the job's run {info['run']} is missing from {folder}: the job is damaged")
        if run.status == "finished":
            raise JobError(f"this job has already been trained: bring run {run.id} home with 'cnnstudio "
                           f"import-run PROJECT_FOLDER {folder / RUNS_DIR / run.id}'")
    return folder, info["run"]


def train_job(path: str | os.PathLike, *, stop=None, device: str | None = None, threads: int | None = None,
              dist=None, batch_event_interval: float = 0.1) -> Iterator:
    """Train (or continue) a job's run: the events of :func:`cnnstudio.engine.runs.lifecycle.run`. Bad input raises
    at the first ``next()``."""
    from .lifecycle import run

    folder, run_id = prepare_job(path)
    project = Project.open(folder)
    try:
        yield from run(project, run_id, resume=True, stop=stop, device=device, threads=threads, dist=dist,
                       batch_event_interval=batch_event_interval)
    finally:
        try:
            if dist is None or dist.is_main:
                write_run_file(project, run_id)
        finally:
            project.close()


def write_run_file(project: Project, run_id: str) -> Path:
    """``runs/<id>/run.json``: the run's database row, so the folder alone can be imported elsewhere."""
    r = run_records.get_run(project, run_id)
    path = run_records.run_dir(project, run_id) / RUN_FILE
    run_records.write_json_atomic(path, {"id": r.id, "name": r.name, "created_at": r.created_at, "status": r.status,
                                   "summary": r.summary, "data_fingerprint": r.data_fingerprint})
    return path


# ------------------------------------------------------------------ import a run
def _find_run_folder(root: Path, shown: str | None = None) -> Path:
    """The run folder inside ``root``: itself, a job/project folder's run, or the only folder below. ``shown``
    names what the user gave in the messages (a zip's name, not the folder it was unpacked to)."""
    if (root / CONFIG).is_file() and (root / DATASET).is_file():
        return root
    if (root / JOB_FILE).is_file():
        folder = root / RUNS_DIR / read_job(root)["run"]
        if folder.is_dir():
            return folder
        raise JobError(f"the job in {shown or root.name} has no run folder {folder.name}")
    runs_dir = root / RUNS_DIR
    if runs_dir.is_dir():
        found = [p for p in runs_dir.iterdir() if p.is_dir() and (p / DATASET).is_file()]
        if len(found) == 1:
            return found[0]
        if found:
            raise JobError(f"{shown or root} holds {len(found)} runs: give the folder of the one to import "
                           f"({', '.join(sorted(p.name for p in found)[:5])})")
    subs = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")] if root.is_dir() else []
    if len(subs) == 1:
        return _find_run_folder(subs[0], shown)
    raise JobError(f"{shown or root.name} is not a training run (no config.json and dataset.json): give the run's "
                   "folder (JOB/runs/RUN_ID), the job folder, or a zip of either")


def describe_difference(run_images: list[dict], entries: list[Entry]) -> str:
    """What differs between the images a run was trained on and a project's labelled images."""
    then = {r["sha256"]: (r["label"], r["split"]) for r in run_images}
    now = {e.sha256: (e.label_name, e.split) for e in entries}
    missing = len(then.keys() - now.keys())
    common = then.keys() & now.keys()
    relabelled = sum(1 for k in common if then[k][0] != now[k][0])
    moved = sum(1 for k in common if then[k][0] == now[k][0] and then[k][1] != now[k][1])
    extra = len(now.keys() - then.keys())
    parts = []
    if missing:
        parts.append(f"{missing:,} of them {'is' if missing == 1 else 'are'} not among this project's labelled "
                     "images")
    if relabelled:
        parts.append(f"{relabelled:,} {'has' if relabelled == 1 else 'have'} another label here (relabelled)")
    if moved:
        parts.append(f"{moved:,} {'is' if moved == 1 else 'are'} in another split here")
    text = f"the run was trained on {len(then):,} images" + (": " + ", ".join(parts) if parts else "")
    if extra:
        text += f"; this project has {extra:,} labelled image{'s' if extra != 1 else ''} the run did not use"
    if not parts and not extra:
        text += ", with the same labels and splits, but its class names or data record differ"
    return text


def import_run(project: Project, path: str | os.PathLike, name: str | None = None) -> str:
    """Add a run trained elsewhere (its folder, the job folder, or a zip of either) to ``project``, with
    its metrics, curves, evaluation and model. Returns the run id. Refuses a run trained on other data. A disk
    that says no (full, read-only, gone) is one :class:`~cnnstudio.project.disk.DiskError` sentence, checked up
    front, and nothing is left over."""
    src_path = Path(path).expanduser().absolute()
    if not src_path.exists():
        raise JobError(f"{src_path} does not exist")
    if not (src_path.is_file() or src_path.is_dir()):  # /dev/zero would be read for ever
        raise JobError(f"{src_path} is not a run's folder or a zip file")
    if zipfile.is_zipfile(src_path):  # its directory read and checked once: for the space and for unpacking
        with checked_zip(src_path, _run_member, _run_member_limit) as run_zip:
            return _bring_home(project, src_path, name, run_zip, 2 * run_zip.size)  # unpacked here, then copied in
    needed = sum(f.stat().st_size for f in src_path.rglob("*") if f.is_file()) if src_path.is_dir() else 0
    return _bring_home(project, src_path, name, None, needed)


def _bring_home(project: Project, src_path: Path, name: str | None, run_zip: CheckedZip | None, needed: int) -> str:
    check_free_space(project.root, needed + 200_000, "bring the run home", "this run")
    with disk_writes(project.root, "bring the run home", "the project was not changed"):
        return _import_run(project, src_path, name, run_zip)


def _verified_model(src: Path, run_id: str) -> dict:
    """The manifest of the run's model once it is known to be whole: the rule prediction and evaluation use
    (use/bundle.load_bundle: no pickle, the manifest's checksum, the weights fit the design); its checkpoints must be
    whole safetensors files too (project/run_checkpoint.py). JobError in one sentence otherwise."""
    from ...project.run_checkpoint import safetensors_whole
    from ..use.bundle import BundleError, load_bundle

    try:
        manifest = load_bundle(src / MODEL_DIR).manifest
    except BundleError as e:
        if e.why:
            raise JobError(f"run {run_id} was not imported, because its trained model is damaged: {e.why}") from None
        raise JobError(f"run {run_id} was not imported: {e}") from None
    for f in (src / CHECKPOINT_DIR / LAST, src / CHECKPOINT_DIR / BEST):
        if f.exists() and not safetensors_whole(f):
            raise JobError(f"run {run_id} was not imported, because its checkpoint {f.name} is damaged")
    return manifest


def _import_run(project: Project, src_path: Path, name: str | None, run_zip: CheckedZip | None) -> str:
    runs_root = project.root / RUNS_DIR
    runs_root.mkdir(exist_ok=True)
    staging = runs_root / f".import-{os.getpid()}-{secrets.token_hex(3)}"
    try:
        if src_path.is_file():
            if run_zip is None:
                raise JobError(f"{src_path.name} is not a zip file or a run folder")
            # unpack only what a run can hold (and the job file that says which run): nothing else is written
            run_zip.extract(staging / "zip")
            src = _find_run_folder(staging / "zip", src_path.name)
        else:
            src = _find_run_folder(src_path)
        run_id = src.name
        run_file = _load_json(src / RUN_FILE) if (src / RUN_FILE).is_file() else {}
        if isinstance(run_file.get("id"), str):
            run_id = run_file["id"]
        try:
            run_records.check_run_id(run_id)
        except Exception:  # noqa: BLE001 - a zip of a run folder unpacked at its root has no name
            run_id = run_records.new_run_id()
        if run_records.find_run(project, run_id) is not None:  # the database says, not the folder
            raise JobError(f"run {run_id} is already in this project")
        if (runs_root / run_id).exists():
            if src_path.is_dir() and src.resolve() == (runs_root / run_id).resolve():
                return _index_own_folder(project, src, run_id, name)
            raise JobError(f"the project's {RUNS_DIR} folder already holds a folder {run_id} that no run lists: "
                           f"import that folder ({runs_root / run_id}) instead")
        config = _load_json(src / CONFIG)
        dataset = _own_dataset(src, run_id)
        images = dataset["images"]
        class_names, entries = dataset_entries(project)
        if fingerprint(entries) != dataset["fingerprint"] or list(dataset["classes"]) != class_names:
            raise JobError(f"run {run_id} was trained on other data than this project has now: "
                           + describe_difference(images, entries)
                           + ". Import it into the project it was packed from, as it was then")
        if not (src / MODEL_DIR).is_dir():
            raise JobError(f"run {run_id} has no trained model yet: train it to the end (or until it has "
                           "finished at least one epoch) before bringing it home")
        manifest = _verified_model(src, run_id)
        if manifest.get("data_fingerprint") not in ("", None, dataset["fingerprint"]):
            raise JobError(f"the model of run {run_id} was trained on other data than its dataset.json says")
        # copy the known files, with image ids and files mapped to this project's
        by_sha = {e.sha256: e for e in entries}
        dataset["images"] = [dict(r, id=by_sha[r["sha256"]].id, file=by_sha[r["sha256"]].file) for r in images]
        dest = staging / run_id
        for rel in RUN_FILES:
            f = src / rel
            if f.is_file() and not f.is_symlink():
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest / rel)
        run_records.write_json_atomic(dest / DATASET, dataset)
        (dest / RUN_FILE).unlink(missing_ok=True)
        status, summary = status_and_summary(dest, run_file, manifest)
        os.rename(dest, runs_root / run_id)
        try:
            theirs = " ".join(str(run_file.get("name") or "").split())[:run_records.RUN_NAME_LIMIT]  # on one line:
            # an older version let a name hold a line break, which names.check_name now refuses
            run_records.add_run(project, run_id, name or theirs, status=status, config=config,
                          summary=summary, data_fingerprint=dataset["fingerprint"],
                          created_at=run_file.get("created_at") if isinstance(run_file.get("created_at"),
                                                                               (int, float)) else None)
        except BaseException:
            shutil.rmtree(runs_root / run_id, ignore_errors=True)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return run_id


def _own_dataset(src: Path, run_id: str) -> dict:
    """A run folder's dataset.json, whole and matching its own fingerprint (else a JobError in one sentence): what
    both an import and a run folder indexed again read first."""
    dataset = _load_json(src / DATASET)
    images = dataset.get("images")
    if not isinstance(images, list) or not isinstance(dataset.get("classes"), list):
        raise JobError(f"the dataset.json of run {run_id} is damaged")
    try:
        run_entries = [Entry(0, str(r["sha256"]), "", 0, str(r["label"]), str(r["split"])) for r in images]
    except (KeyError, TypeError):
        raise JobError(f"the dataset.json of run {run_id} is damaged") from None
    if fingerprint(run_entries) != dataset.get("fingerprint"):
        raise JobError(f"the dataset.json of run {run_id} does not match its own fingerprint: it was changed "
                       "by hand or damaged")
    return dataset


def _index_own_folder(project: Project, src: Path, run_id: str, name: str | None) -> str:
    """A run folder already in the project's runs/ that no row lists (a copy of project.db was put back): its row
    again, from its own files, once its model is known to be whole. Its dataset may differ from the project's
    pictures now, as any run of the project's may (pictures added since it trained)."""
    _own_dataset(src, run_id)  # whole, as it was written
    _load_json(src / CONFIG)
    if not (src / MODEL_DIR).is_dir():
        raise JobError(f"run {run_id} has no trained model yet: train it to the end (or until it has "
                       "finished at least one epoch) before bringing it home")
    manifest = _verified_model(src, run_id)
    try:
        return index_run_folder(project, src, name or "", manifest)
    except NotARun as e:
        raise JobError(str(e)) from None


def _load_json(path: Path) -> dict:
    try:
        value = json.loads(read_file(path, RUN_JSON_LIMIT).decode("utf-8"))
    except FileNotFoundError:
        raise JobError(f"{path.name} is missing from run folder {path.parent.name}") from None
    except TooLarge as e:
        raise JobError(too_large_sentence(f"run folder {quoted(path.parent.name)}", e, "a run's file can hold")) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise JobError(f"{path.name} of run {path.parent.name} is damaged ({e})") from None
    if not isinstance(value, dict):
        raise JobError(f"{path.name} of run {path.parent.name} is damaged")
    return value


__all__ = ["RUN_FILE", "RUN_FILES", "describe_difference", "import_run", "pack_job", "prepare_job", "train_job",
           "write_run_file"]

"""The Predict page's Model box and what it says while the model loads, without Qt (and without PyTorch: the page
knows which run it will load before the engine is imported).

The box offers "Best run (name)" — the project's best run (:func:`~cnnstudio.project.run_records.best_run`), or the
newest run with a model when no finished run has a validation score: "Newest run (name)", the engine's own choice
(:func:`cnnstudio.engine.runs.lifecycle.pick_run`) — then every run with a model, newest first, with its validation
score (a run still training: :data:`TRAINING`, its model so far). :func:`model_entries` gives the box's rows and the
run "Best run" stands for; :func:`chosen_run` the run a row means.

A run's model file changes while it trains, and when it is resumed or trained further: :func:`model_stamp` tells one
saved model from the next, so the page reloads a run whose model changed since it was loaded, and predicts its pictures
again (:func:`changed_words`).

A model file from elsewhere (a bundle exported by CNN Studio, from this project or another computer) is chosen with
the box's last row, :data:`OPEN_FILE` ("Open a model file…"); it is then a row of its own whose data is
:func:`file_key` (``"file:"`` and its path), read back by :func:`file_path`; it is loaded as ``cnnstudio predict
--model`` loads one (:func:`cnnstudio.engine.use.bundle.load_bundle`: no code in it ever runs) and predicts as a run's
model does, without the "unlike the training pictures" hint (its training pictures are not here) and without Export
(it is a file already).

A model is loaded in a thread (:mod:`.model_loader`); meanwhile the page says :data:`LOADING` (:data:`MEASURING` while a
run used for the first time measures its "unlike the training pictures" hint), and a model that cannot be loaded is one
sentence, :func:`load_failed` (a damaged one named as the box names it, with the way out), followed under the list by
the pictures that wait for a model that loads (:func:`failed_note`)."""

from __future__ import annotations

from pathlib import Path

from ...engine.use.figures import score_text
from ...project import run_records as index
from ...project.counting import counted
from ...project.names import quoted
from ..sentence import sentence

BEST = "__best__"  # the Model box's row that follows the best run
OPEN_FILE = "__open_file__"  # the Model box's last row: choose a model file from elsewhere
OPEN_FILE_TEXT = "Open a model file…"
NO_MODEL_ROW = "No model yet"  # the Model box's first row while the project has no trained model and no file is open
FILE = "file:"  # a model file's key: "file:" and its path
MODEL_FILE_FILTER = "CNN Studio model (*.zip manifest.json);;All files (*)"
LOADING = "Loading the model…"
MEASURING = "Getting ready to spot pictures unlike the training ones (only the first time)…"  # engine/runs/run_novelty
DAMAGED = "its file is damaged"  # what the loading thread says of a run's model whose file is damaged (model_loader)
NO_MODEL = "there is no trained model yet: train one first"
TRAINING = "still training: its model so far"  # the Model box's words for a run that is training now


def file_key(path: str | Path) -> str:
    """The Model box's data for a model file (its absolute path)."""
    return FILE + str(Path(path).absolute())


def file_path(key: str | None) -> Path | None:
    """The model file a Model box key means, or None for a run's key (or none)."""
    return Path(key[len(FILE):]) if isinstance(key, str) and key.startswith(FILE) else None


def file_row(path: str | Path) -> tuple[str, str]:
    """The Model box's row for a model file: ("File: model.zip (in Downloads)", its key)."""
    path = Path(path).absolute()
    shown = path.parent if path.name == "manifest.json" else path  # a bundle folder is named by its folder
    return f"File: {shown.name} (in {shown.parent.name or shown.parent})", file_key(path)


def model_stamp(project, run_id: str) -> tuple:
    """What tells ``run_id``'s saved model from the next one it saves (each file of its model folder: name, size, time
    written, inode: training writes a new file over the old); () when there is none or it cannot be read. A model
    file's key (:func:`file_key`): that file's (a bundle folder's files when it is its manifest)."""
    chosen = file_path(run_id)
    if chosen is not None:
        try:
            files = [f for f in chosen.parent.iterdir() if f.is_file()] if chosen.name == "manifest.json" else [chosen]
            return tuple(sorted((f.name, st.st_size, st.st_mtime_ns, st.st_ino) for f in files for st in [f.stat()]))
        except OSError:
            return ()
    folder = index.run_dir(project, run_id) / index.MODEL_DIR
    try:
        return tuple(sorted((f.name, st.st_size, st.st_mtime_ns, st.st_ino)
                            for f in folder.iterdir() if f.is_file() for st in [f.stat()]))
    except OSError:
        return ()


def changed_words(name: str, training: bool) -> str:
    """One line for the pictures predicted again because the model of run ``name`` changed since it was loaded."""
    model = "its model so far (it is still training)" if training else "its finished model"
    return f"The model of {quoted(name)} changed since: predicted again with {model}."


def file_changed_words(path: Path) -> str:
    """One line for the pictures predicted again because the model file chosen changed on disk since it was loaded."""
    return f"The model file {quoted(Path(path).name)} changed since it was loaded: predicted again with it as it is now."


def model_entries(project, with_model: list) -> tuple[list[tuple[str, str]], str | None]:
    """``([(text, data)], best run id)``: the Model box's rows for ``with_model`` (the runs with a model, newest
    first) and the run its "Best run" row stands for (None without a run)."""
    if not with_model:
        return [], None
    best = index.best_run(project)
    newest = with_model[0]
    rows = [(f"Best run ({best.name})" if best else
             f"Newest run ({newest.name})" + (f" — {TRAINING}" if newest.status == "running" else ""), BEST)]
    for r in with_model:
        acc = r.summary.get("val_accuracy")
        extra = (f" — validation {score_text(acc, index.scored_pictures(r.summary, 'val'))}"
                 if isinstance(acc, (int, float)) else f" — {r.status}")
        if r.status == "running":
            extra = f" — {TRAINING}" + (f" ({extra[3:]})" if isinstance(acc, (int, float)) else "")
        rows.append((f"{r.name}{extra}", r.id))
    return rows, (best.id if best else with_model[0].id)


def chosen_run(choice: str | None, best_id: str | None) -> str | None:
    """The run a Model box row means: its own, or for "Best run" the best one (None: no row, no run, or the row that
    opens a file); a model file's row: its key (:func:`file_key`)."""
    if choice is None or choice == OPEN_FILE:
        return None
    return best_id if choice == BEST else choice


def load_failed(reason: str, name: str = "") -> str:
    """One sentence for a model that could not be loaded: "The model could not be loaded: disk full." (``reason``:
    the engine's or the project's words). A run's model whose file is damaged (:data:`DAMAGED`) is named as the Model
    box names its run (``name``), with the one way out."""
    if reason == DAMAGED:
        return (f"The model{' of ' + quoted(name) if name else ''} could not be loaded because its file is damaged (it "
                "was changed or only partly copied): train it again on the Train page, or choose another model.")
    said = sentence(reason).rstrip(".")
    if not said:
        return "The model could not be loaded."
    if len(said) > 1 and said[0].isupper() and said[1].islower():  # "The folder…" -> "the folder…", not "CNN…"
        said = said[0].lower() + said[1:]
    return f"The model could not be loaded: {said}."


def failed_note(said: str, waiting: list[Path]) -> str:
    """The note under the picture list when the model could not be loaded: ``said``, then what waits for a model that
    loads (the pictures dropped, pasted or opened meanwhile: "2 pictures wait: they are predicted once a model
    loads."); "" without ``said``."""
    if not said or not waiting:
        return said
    folders = sum(1 for p in waiting if Path(p).is_dir())
    parts = [counted(n, w) for n, w in ((len(waiting) - folders, "picture"), (folders, "folder")) if n]
    one = len(waiting) == 1
    return (f"{said} {' and '.join(parts)} {'waits' if one else 'wait'}: {'it is' if one else 'they are'} predicted "
            "once a model loads.")

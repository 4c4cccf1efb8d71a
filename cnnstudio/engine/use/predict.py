"""Use a trained model: class probabilities for pictures, one at a time or whole folders.

:class:`Predictor` wraps a loaded model bundle. It decodes pictures exactly as training did
(:func:`cnnstudio.engine.data.preprocess.image_to_uint8`: the importer's decoding rules, then the bundle's
resize), runs the model in eval mode under :func:`torch.inference_mode`, and returns the softmax of
the logits. The model is built once, when the predictor is made; a call only decodes and runs.

Batch mode (:meth:`Predictor.predict_many`, :func:`predict_folder`) decodes files in a small thread
pool (Pillow releases the GIL), runs batched forwards, and reports every file it could not read with
a reason instead of stopping.

A predictor given a run's novelty rule (:attr:`Predictor.novelty`, :mod:`.novelty`: kept in the run's folder, made
when the run is first used to predict) also says whether each picture looks unlike the pictures the model learned from
(:attr:`Prediction.unlike_training`), from the same forward pass; without one (a bundle given alone, a run with too few
validation pictures) that is None, never a guess.

A "MODEL" given by the user (:func:`resolve_model`) is a bundle folder, a bundle ``.zip``, or a
project folder, which means the bundle of its best finished run (highest validation accuracy).
"""

from __future__ import annotations

import contextlib
import csv
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import torch
from PIL import Image

from ...project import imaging
from ...project.import_walk import shown
from ..errors import EngineError
from ..data.preprocess import Preprocess, image_to_uint8, normalize
from .batching import CPU_PREDICT_BATCH, scoring_batch, scoring_device
from .novelty import features_of
from .unsure import is_unsure

__all__ = [
    "Prediction", "BatchResult", "Predictor", "PredictError", "predict_folder", "resolve_model",
    "resolve_model_path", "results_path", "write_csv", "csv_header",
]

ProgressFn = Callable[[int, int, str], None]
ImageLike = str | os.PathLike | Image.Image | torch.Tensor


class PredictError(EngineError):
    """A model or input that cannot be used for prediction (the message says why)."""


@dataclass(frozen=True)
class Prediction:
    """The model's answer for one picture."""

    path: str | None  # the file (the real path: it opens it), or None for an in-memory picture
    label: str  # the most probable class
    index: int  # its index in ``class_names``
    confidence: float  # its probability
    probabilities: dict[str, float]  # every class -> probability, in the model's class order (sum 1)
    # whether the picture looks unlike the training pictures (:mod:`.novelty`); None: no hint for this model
    unlike_training: bool | None = None
    novelty: float | None = None  # the score behind it (None with it)

    def top(self, k: int | None = None) -> list[tuple[str, float]]:
        ranked = sorted(self.probabilities.items(), key=lambda kv: -kv[1])
        return ranked if k is None else ranked[:max(1, k)]

    @property
    def unsure(self) -> bool:
        """Whether this is an unsure answer (:func:`~cnnstudio.engine.use.unsure.is_unsure`: the top class under
        50 %, or the next class less than 10 points behind)."""
        return is_unsure(self.probabilities)

    @property
    def shown_path(self) -> str | None:
        """The path as text to print, show or write to a CSV (a name that is not valid UTF-8 gets a replacement
        character: :func:`~cnnstudio.project.import_walk.shown`)."""
        return None if self.path is None else shown(self.path)

    def to_json(self, top: int | None = None) -> dict:
        probs = dict(self.top(top)) if top else dict(self.probabilities)
        return {"path": self.shown_path, "label": self.label, "confidence": self.confidence, "probabilities": probs,
                "unsure": self.unsure, "unlike_training": self.unlike_training}


def is_not_a_picture(skipped: dict) -> bool:
    """Whether a skipped file (``{"path", "reason"}``) is not a picture at all: its name has no picture's extension
    (notes.txt, README), the rule a drop on the Predict page follows, or its content was found to be no picture
    whatever its name (:func:`~cnnstudio.project.imaging.is_not_a_picture_reason`: a text file named broken.png,
    an HTML page, an SVG drawing). A damaged or truncated picture, or one in a format not read (HEIC), is a picture
    that could not be read, and a folder that could not be listed is neither."""
    name = str(skipped.get("path", ""))
    reason = str(skipped.get("reason", ""))
    if name in ("", "<image>") or reason.startswith(("cannot open the folder", "cannot list the folder")):
        return False  # a picture given in memory, a folder
    if imaging.is_not_a_picture_reason(reason):
        return True
    if reason in imaging.FORMAT_NOT_READ_REASONS:  # an iPhone's HEIC photo is a picture, in a format not read
        return False
    return not imaging.has_image_extension(name) and not Path(name).is_dir()


@dataclass
class BatchResult:
    predictions: list[Prediction] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    cancelled: bool = False
    csv_path: str | None = None

    def not_pictures(self) -> list[dict]:
        """The skipped files that are not pictures at all (:func:`is_not_a_picture`: notes.txt, a text file named
        .png)."""
        return [s for s in self.skipped if is_not_a_picture(s)]

    def unreadable(self) -> list[dict]:
        """The other skipped entries: pictures that could not be read (damaged, truncated), folders that could not
        be listed."""
        return [s for s in self.skipped if not is_not_a_picture(s)]

    def to_json(self, top: int | None = None) -> dict:
        out = {"predictions": [p.to_json(top) for p in self.predictions],
               "skipped": [{**s, "path": shown(s["path"])} for s in self.skipped]}  # text JSON can hold
        if self.cancelled:
            out["cancelled"] = True
        if self.csv_path:
            out["csv"] = self.csv_path
        return out


def _cancel_fn(cancel: Callable[[], bool] | threading.Event | None) -> Callable[[], bool]:
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel or (lambda: False)


class Predictor:
    """Probabilities for pictures from one trained model.

    ``bundle``: a ``LoadedBundle`` (from :func:`cnnstudio.engine.use.bundle.load_bundle`), or a path that
    :func:`resolve_model` understands (bundle folder, bundle .zip, project folder).
    ``device``: ``"auto"``, ``"cpu"``, ``"cuda"``, ``"mps"`` or a ``torch.device``; None (the default): one
    picture's device, the CPU (:func:`~cnnstudio.engine.use.batching.scoring_device`; a caller that scores a folder
    passes ``scoring_device()``, the card when there is one).
    ``threads``: if given, ``torch.set_num_threads(threads)`` (process-wide; for a small CNN on one
    picture, 1 thread is often the fastest). Left alone by default.
    """

    def __init__(self, bundle: Any, device: str | torch.device | None = None, threads: int | None = None,
                 batch_size: int | None = None, decode_workers: int | None = None):
        if isinstance(bundle, (str, os.PathLike)):
            bundle = resolve_model(bundle)
        self.bundle = bundle
        self.class_names: list[str] = list(bundle.class_names)
        self.preprocess: Preprocess = bundle.preprocess
        if not self.class_names:
            raise PredictError("the model bundle lists no classes")
        if threads:
            torch.set_num_threads(int(threads))
        if isinstance(device, str) or device is None:
            from ..device import pick_device

            self.device = pick_device(scoring_device(1) if device is None else device)  # an error for a missing GPU
        else:
            self.device = device
        self.model = bundle.model.to(self.device).eval()
        self.novelty = None  # the run's novelty rule (.novelty.Novelty), when a caller gave it one
        self.batch_size = scoring_batch(self.model, tuple(self.preprocess.input_shape), self.device,
                                        CPU_PREDICT_BATCH, batch_size)  # 32 on the CPU, fewer if memory says so
        self.decode_workers = decode_workers or max(1, min(4, os.cpu_count() or 1))
        mean, std = self.preprocess.effective_mean_std()
        # normalisation as one fused multiply-add on the model's device
        self._scale = torch.tensor([1.0 / (255.0 * s) for s in std], dtype=torch.float32,
                                   device=self.device).view(1, -1, 1, 1)
        self._shift = torch.tensor([-m / s for m, s in zip(mean, std)], dtype=torch.float32,
                                   device=self.device).view(1, -1, 1, 1)

    # ------------------------------------------------------------------ building blocks
    @classmethod
    def from_path(cls, path: str | os.PathLike, run_id: str | None = None, **kw: Any) -> "Predictor":
        return cls(resolve_model(path, run_id=run_id), **kw)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        return self.preprocess.input_shape

    def to_uint8(self, image: ImageLike) -> torch.Tensor:
        """One picture -> ``(C, H, W)`` uint8 at the model's size. Raises ``ImageRejected``."""
        if isinstance(image, torch.Tensor):
            t = image.squeeze(0) if image.dim() == 4 and image.shape[0] == 1 else image
            if t.dtype != torch.uint8 or tuple(t.shape) != self.input_shape:
                raise PredictError(f"expected a uint8 tensor of shape {self.input_shape}, "
                                   f"got {t.dtype} {tuple(t.shape)}")
            return t
        if isinstance(image, Image.Image):
            try:
                return image_to_uint8(image, self.preprocess)
            except (OSError, ValueError) as e:
                raise imaging.ImageRejected(f"damaged picture data ({e})") from None
        return image_to_uint8(image, self.preprocess)

    def to_input(self, batch_uint8: torch.Tensor) -> torch.Tensor:
        """``(N, C, H, W)`` uint8 -> normalised float32 on the model's device."""
        x = batch_uint8.to(self.device, non_blocking=True)
        if x.dtype != torch.uint8:
            return normalize(x, self.preprocess)
        return torch.addcmul(self._shift, x.to(torch.float32), self._scale)

    def probabilities(self, batch_uint8: torch.Tensor) -> torch.Tensor:
        """``(N, C, H, W)`` uint8 -> ``(N, classes)`` float32 probabilities on the CPU."""
        return self.scores(batch_uint8)[0]

    def scores(self, batch_uint8: torch.Tensor, features: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``(probabilities, output-layer inputs)`` of one forward pass: the second ``(N, D)`` float32 on the CPU with
        ``features`` (:func:`~cnnstudio.engine.use.novelty.features_of`), else None."""
        with torch.inference_mode(), (features_of(self.model) if features else contextlib.nullcontext([])) as got:
            logits = self.model(self.to_input(batch_uint8))
            if logits.dim() != 2 or logits.shape[1] != len(self.class_names):
                raise PredictError(f"the model gives {tuple(logits.shape)} outputs for "
                                   f"{len(self.class_names)} classes; the bundle is inconsistent")
            probs = torch.softmax(logits.float(), dim=1).cpu()
        feats = got[-1].float().cpu() if features and got else None
        return probs, feats

    def _answers(self, batch_uint8: torch.Tensor) -> tuple[torch.Tensor, list[float | None], list[bool | None]]:
        """Probabilities, and with a novelty rule each picture's novelty and whether it is unlike the training
        pictures (else None for each)."""
        novelty = self.novelty
        probs, feats = self.scores(batch_uint8, features=novelty is not None)
        n = probs.shape[0]
        if novelty is None or feats is None:
            return probs, [None] * n, [None] * n
        scores = novelty.scores(feats)
        return probs, scores.tolist(), novelty.unlike(scores)

    def _prediction(self, probs: torch.Tensor, path: str | None, novelty: float | None = None,
                    unlike: bool | None = None) -> Prediction:
        values = probs.tolist()
        i = max(range(len(values)), key=values.__getitem__)
        return Prediction(path=path, label=self.class_names[i], index=i, confidence=values[i],
                          probabilities=dict(zip(self.class_names, values)), unlike_training=unlike, novelty=novelty)

    # ------------------------------------------------------------------ one picture
    def predict(self, image: ImageLike) -> Prediction:
        """Probabilities for one picture (a file path, PIL image or uint8 tensor).

        Raises :class:`~cnnstudio.project.imaging.ImageRejected` (with a reason) for a bad file.
        """
        u8 = self.to_uint8(image)
        path = str(image) if isinstance(image, (str, os.PathLike)) else None
        probs, novelty, unlike = self._answers(u8.unsqueeze(0))
        return self._prediction(probs[0], path, novelty[0], unlike[0])

    __call__ = predict

    # ------------------------------------------------------------------ many pictures
    def _decode(self, image: ImageLike) -> torch.Tensor | str:
        try:
            return self.to_uint8(image)
        except imaging.ImageRejected as e:
            return str(e)
        except PredictError as e:
            return str(e)
        except MemoryError:
            return "not enough memory to decode this picture"

    def predict_many(self, images: Iterable[ImageLike], progress: ProgressFn | None = None,
                     cancel: Callable[[], bool] | threading.Event | None = None,
                     on_prediction: Callable[[Prediction], None] | None = None) -> BatchResult:
        """Predict every picture, ``batch_size`` at a time. Unreadable files land in ``skipped``.

        ``progress(done, total, message)`` is called after each batch from this thread; ``cancel``
        (a callable or Event) stops before the next batch (``result.cancelled``).
        """
        items = list(images)
        total = len(items)
        is_cancelled = _cancel_fn(cancel)
        result = BatchResult()
        if progress:
            progress(0, total, f"Predicting {total} pictures")
        done = 0
        workers = min(self.decode_workers, max(1, total))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="predict-decode") as pool:
            chunks = [items[i:i + self.batch_size] for i in range(0, total, self.batch_size)]
            pending = pool.map(self._decode, chunks[0]) if chunks else iter(())
            for ci, chunk in enumerate(chunks):
                if is_cancelled():
                    result.cancelled = True
                    break
                decoded = list(pending)
                if ci + 1 < len(chunks):  # decode the next batch while this one runs
                    pending = pool.map(self._decode, chunks[ci + 1])
                good: list[tuple[ImageLike, torch.Tensor]] = []
                for item, d in zip(chunk, decoded):
                    name = str(item) if isinstance(item, (str, os.PathLike)) else None
                    if isinstance(d, str):
                        result.skipped.append({"path": shown(name) if name is not None else "<image>", "reason": d})
                    else:
                        good.append((item, d))
                if good:
                    probs, novelty, unlike = self._answers(torch.stack([t for _, t in good]))
                    for (item, _), p, nov, far in zip(good, probs, novelty, unlike):
                        name = str(item) if isinstance(item, (str, os.PathLike)) else None
                        pred = self._prediction(p, name, nov, far)
                        result.predictions.append(pred)
                        if on_prediction:
                            on_prediction(pred)
                done += len(chunk)
                if progress:
                    progress(done, total, str(chunk[-1]) if isinstance(chunk[-1], (str, os.PathLike)) else "")
        return result


# ---------------------------------------------------------------------------- folders and CSV
def csv_header(class_names: Sequence[str]) -> list[str]:
    """``path, label, confidence, <one column per class>, error, unsure, unlike_training``.

    ``unsure`` (``true``/``false``, empty for a skipped file: :attr:`Prediction.unsure`), then ``unlike_training``
    (``true``/``false``: :attr:`Prediction.unlike_training`; empty for a skipped file and when the model has no such
    hint) come last, after the columns a CSV had before, so they keep their places. A class whose name clashes with a
    fixed column gets a ``p_`` prefix.
    """
    fixed = ("path", "label", "confidence", "error", "unsure", "unlike_training")
    cols = []
    for n in class_names:
        col = n
        while col in fixed or col in cols:
            col = "p_" + col
        cols.append(col)
    return ["path", "label", "confidence", *cols, "error", "unsure", "unlike_training"]


def check_csv_path(csv_path: str | os.PathLike, replace_csv: bool = False) -> Path:
    """``csv_path`` as the CSV to write: not a folder, and not a file that is something else (a picture to
    classify, a report). An existing .csv is replaced when it holds predictions written before, or when the user
    said to replace it (``replace_csv``: a save dialog asked); otherwise (the user's own table) it is kept. Check
    it before predicting."""
    out = Path(csv_path)
    if out.is_dir():
        raise PredictError(f"{out} is a folder; give a file name for the CSV")
    if out.exists() and (out.suffix.lower() != ".csv" or not (replace_csv or _our_csv(out))):
        raise PredictError(f"{out} is already there and does not hold predictions CNN Studio wrote; choose "
                           f"another name for the CSV (it was left as it is)")
    return out


def results_path(folder: str | os.PathLike, last: str | os.PathLike | None = None) -> Path:
    """Where a folder's predictions are offered to go: in ``last`` (the folder results went to before, if it is
    still there), else beside ``folder``, never among the pictures; named for it: "holiday predictions.csv"."""
    folder = Path(folder)
    name = f"{folder.name or 'pictures'} predictions.csv"
    where = Path(last) if last and Path(last).is_dir() else (folder.parent if folder.parent != folder else folder)
    return where / name


HEADER_START = "path,label,confidence,"  # what csv_header() always begins with


def _our_csv(path: Path) -> bool:
    """A CSV this module wrote: its first line starts as :func:`csv_header` does (an editor's BOM allowed)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return f.read(len(HEADER_START)) == HEADER_START
    except (OSError, UnicodeDecodeError):
        return False


def write_csv(result: BatchResult, class_names: Sequence[str], csv_path: str | os.PathLike,
              replace_csv: bool = False) -> Path:
    """Write predictions (then skipped files, with their reason in ``error``) atomically as UTF-8 CSV with a byte-order
    mark (Excel on Windows reads "café" and "猫" right only with one; :func:`_our_csv` and other readers skip it); a
    file name that is not valid UTF-8 is written with a replacement character
    (:func:`~cnnstudio.project.import_walk.shown`)."""
    out = check_csv_path(csv_path, replace_csv)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8-sig") as f:  # a BOM: Excel reads it as UTF-8
            w = csv.writer(f)
            w.writerow(csv_header(class_names))
            for p in result.predictions:
                w.writerow([p.shown_path or "", p.label, f"{p.confidence:.6f}",
                            *(f"{p.probabilities[c]:.6f}" for c in class_names), "", _flag(p.unsure),
                            _flag(p.unlike_training)])
            for s in result.skipped:
                w.writerow([shown(s["path"]), "", "", *([""] * len(class_names)), s["reason"], "", ""])
        os.replace(tmp, out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise PredictError(f"cannot write {out}: {e.strerror or e}") from None
    return out


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def collect_images(paths: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()
                   ) -> tuple[list[Path], list[dict]]:
    """Expand files and folders (recursively, hidden ones passed over) like the importer does
    (:func:`.folder_pictures.walk_for_prediction`, the rule the window's "Predict a folder…" asks before its save
    dialog).

    Every regular file is a candidate (decoding decides what is a picture, so a stray text file is
    reported with a reason); folders that cannot be listed are reported too.
    """
    from .folder_pictures import walk_for_prediction

    walked = walk_for_prediction(paths)
    excluded = {os.path.abspath(p) for p in exclude}
    files = [c.path for c in walked.candidates if os.path.abspath(c.path) not in excluded]
    return files, walked.skipped


def predict_folder(model: Any, folder: str | os.PathLike | Sequence[str | os.PathLike],
                   csv_path: str | os.PathLike | None = None, progress: ProgressFn | None = None,
                   cancel: Callable[[], bool] | threading.Event | None = None, replace_csv: bool = False
                   ) -> BatchResult:
    """Predict every file under ``folder`` (recursively; a list of files/folders works too).

    ``model``: a :class:`Predictor`, a loaded bundle or a MODEL path. With ``csv_path``, writes
    ``path, label, confidence, <class probabilities...>, error, unsure, unlike_training`` (skipped files have an
    error and no label; ``unsure`` is true or false: :func:`~cnnstudio.engine.use.unsure.is_unsure`;
    ``unlike_training`` true, false or empty when the predictor has no novelty rule: :mod:`.novelty`), also when cancelled (with
    what was done). The CSV's path is checked first (:func:`check_csv_path`), so a refused one costs no predicting.
    """
    if csv_path is not None:
        check_csv_path(csv_path, replace_csv)
    predictor = model if isinstance(model, Predictor) else Predictor(model, device=scoring_device())
    roots = [folder] if isinstance(folder, (str, os.PathLike)) else list(folder)
    for r in roots:
        if not Path(r).exists():
            raise PredictError(f"{r} does not exist")
    files, skipped = collect_images(roots, exclude=[csv_path] if csv_path else ())
    result = predictor.predict_many(files, progress=progress, cancel=cancel)
    result.skipped = skipped + result.skipped
    if csv_path is not None:
        result.csv_path = str(write_csv(result, predictor.class_names, csv_path, replace_csv))
    return result


# ---------------------------------------------------------------------------- MODEL arguments
def resolve_model_path(path: str | os.PathLike, run_id: str | None = None) -> Path:
    """The bundle a MODEL argument means: a bundle folder or .zip as is; for a project folder, the
    bundle of run ``run_id``, or of the best finished run (highest validation accuracy)."""
    from ...project.store import is_project

    p = Path(path)
    if not p.exists():
        raise PredictError(f"{p} does not exist")
    if p.is_dir() and is_project(p):
        return _project_bundle(p, run_id)
    if run_id is not None:
        raise PredictError(f"--run needs a project folder; {p} is not a CNN Studio project")
    return p


def resolve_model(path: str | os.PathLike, run_id: str | None = None) -> Any:
    """Load the bundle a MODEL argument means (see :func:`resolve_model_path`) -> ``LoadedBundle``."""
    from .bundle import load_bundle

    return load_bundle(resolve_model_path(path, run_id))


def _project_bundle(root: Path, run_id: str | None) -> Path:
    from ...project.errors import ProjectError
    from ...project.run_records import best_bundle_path

    try:
        return best_bundle_path(root, run_id)  # best = highest val accuracy among finished runs
    except ProjectError as e:
        raise PredictError(str(e)) from None

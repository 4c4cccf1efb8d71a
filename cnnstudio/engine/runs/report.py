"""A run's report: one self-contained HTML file to keep, print or send (``cnnstudio report``, Evaluate >
"Save report...").

:func:`build_report` gathers everything from the run's own files (config.json, dataset.json, metrics.jsonl,
evaluation.json) and the project's pictures: the run's name and date, the data (classes, pictures per split,
sample thumbnails per class), the model (the layer table of :func:`~cnnstudio.engine.model.validate.validate`:
shapes, parameters, multiply-adds), the settings, the training curves and the confusion matrix (drawn with
matplotlib's Agg canvas into PNG, no pyplot and no global backend, so it is safe inside the GUI process), the
per-class table with Wilson intervals, the most confident mistakes as thumbnails, the advice
(:mod:`.advice`) and the library versions. The settings are in words (:mod:`.settings_words`), and a project whose
data changed since the run was trained says so above the scores (:func:`data_change_note`), as the Evaluate page
does. :func:`write_report` renders it (:mod:`.report_html`) and writes
it atomically. Every picture is inlined as a ``data:`` URI: the file needs nothing next to it.

A report is kept at the end of the work, and it shows the test pictures' score (the accuracy, the confusion matrix,
the mistakes) when the run has one: writing it is a look at that score on purpose, so :func:`write_report` marks it
looked at (:func:`~cnnstudio.project.seen_scores.mark_test_seen`, as the Evaluate page on test pictures does) and
:func:`shows_test` tells the command line and the window to say so
(:data:`~cnnstudio.project.seen_scores.REPORT_LOOK_WORDS`). What it says of its test score follows how many runs' test
scores were looked at (``Report.test_looks``, :func:`~cnnstudio.project.seen_scores.report_test_words`): the honest
estimate when only this run's was, an optimistic one for a run chosen among several by it.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import platform
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from ...project import run_records
from ...project.disk import disk_error
from ...project.imaging import open_normalised
from ...project.run_checkpoint import saved_metrics
from ...project.store import Project
from ..errors import EngineError
from ..model.spec import ModelSpec
from ..model.validate import shape_text, validate
from ..use.bundle import library_versions
from ..use.export_paths import missing_folder
from ..use.intervals import accuracy_interval, wilson_interval
from .advice import Advice, advise, class_counts, read_evaluation
from .head_rows import head_rows
from .lifecycle import data_changed, read_config, read_dataset, read_metrics
from .settings_words import design_text, settings_rows

THUMB = 64  # pixels, the longer side of a thumbnail in the report
SAMPLES_PER_CLASS = 6
MISTAKES = 12


@dataclass
class Report:
    """Everything the HTML shows, as plain values (the tests read it too)."""
    run_id: str
    name: str
    created: str
    status: str
    classes: list[str]
    counts: dict[str, dict[str, int]]  # split -> class -> pictures
    samples: dict[str, list[str]]  # class -> data URIs
    layers: list[dict]  # index, label, output, params, macs
    totals: dict[str, int]
    model_errors: list[str]
    settings: dict[str, Any]
    preset: str
    curves_png: str  # data URI, "" without metrics
    confusion_png: str  # data URI, "" without an evaluation
    confusion_split: str
    scores: list[dict]  # per split: split, images, accuracy, interval, per_class rows
    mistakes: list[dict]  # per split (validation first): split, images, items (true, predicted, confidence, image)
    advice: list[Advice]
    versions: dict[str, str]
    trained_with: dict[str, str]
    made_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M"))
    settings_words: list[tuple[str, str]] = field(default_factory=list)  # (setting, value) as a reader says them
    design: str = ""  # "Recommended design", "MobileNetV2 transfer, frozen", "your design (2 convolutions)"
    data_change: str = ""  # data_change_note(...) when the data changed since training, else ""
    confusion_images: int = 0  # the pictures the confusion matrix counts
    best_epoch: int | None = None  # marked on the curves
    loss_note: str = ""  # why the training loss is above the validation loss, when it is
    test_looks: int = 0  # how many runs' test scores were looked at, this one's counted when the report shows it


def data_change_note(changed: str) -> str:
    """The warning under a run's scores when its data changed since training (``changed``: the sentence of
    :func:`.lifecycle.data_changed`): "The data changed since this model was trained: 2 images relabelled: these
    scores are for the pictures and labels it was trained with." The Evaluate page and the report say the same."""
    return f"{changed[0].upper() + changed[1:]}: these scores are for the pictures and labels it was trained with."


def changed_note(project: Project, run_id: str) -> str:
    """:func:`data_change_note` for ``run_id`` now, or "" when its data is what the project has (or cannot be
    compared: a run folder without its dataset.json)."""
    from ..errors import EngineError

    try:
        changed = data_changed(project, run_id)
    except (EngineError, OSError, KeyError, ValueError, TypeError):
        return ""
    return data_change_note(changed) if changed else ""


def has_scores(evaluation: dict, split: str) -> bool:
    """Whether ``evaluation`` (a run's evaluation.json) holds scores on the ``split`` pictures: the report shows
    them."""
    ev = evaluation.get(split) if isinstance(evaluation, dict) else None
    return isinstance(ev, dict) and bool(ev.get("images"))


def shows_test(project: Project, run_id: str) -> bool:
    """Whether the report of run ``run_id`` shows the test pictures' score (and writing it marks that score looked
    at): the command line and the window say so (:data:`~cnnstudio.project.seen_scores.REPORT_LOOK_WORDS`)."""
    return has_scores(read_evaluation(project, run_id), "test")


def png_uri(im: Image.Image) -> str:
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def thumbnail_uri(path: Path, size: int = THUMB) -> str:
    """A picture as a small PNG data URI; small pictures are enlarged with sharp pixels. "" if unreadable."""
    try:
        im = open_normalised(path)
    except Exception:  # noqa: BLE001 - a missing or broken picture leaves a gap, not a broken report
        return ""
    im = im.convert("RGB") if im.mode not in ("L", "RGB") else im
    scale = size / max(im.size)
    resample = Image.Resampling.NEAREST if scale >= 1 else Image.Resampling.BILINEAR
    im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), resample)
    return png_uri(im)


#: Fonts with Chinese, Japanese and Korean letters that may be installed, tried after matplotlib's own for class
#: names (DejaVu Sans has none): a name in such letters is drawn where one of them is present, as boxes otherwise.
WIDE_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK KR", "Source Han Sans", "WenQuanYi Zen Hei",
              "Droid Sans Fallback", "Microsoft YaHei", "Yu Gothic", "Malgun Gothic", "Hiragino Sans",
              "PingFang SC", "Arial Unicode MS")


WIDE_FONT_FILES = ("notosanscjk", "sourcehansans", "wqy", "droidsansfallback", "msyh", "yugoth", "malgun",
                   "hiragino", "pingfang", "arialuni")  # their file names, lower case


@functools.lru_cache(maxsize=1)
def _name_fonts() -> tuple[str, ...]:
    """The font families for class names: matplotlib's own first, then the wide ones this computer has. Fonts
    installed after matplotlib built its font list (its cache is not refreshed) are looked for on disk once."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if not {f.name for f in manager.ttflist} & set(WIDE_FONTS):
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name.lower().replace("-", "").replace("_", "") for k in WIDE_FONT_FILES):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    pass
    have = {f.name for f in manager.ttflist}
    return ("DejaVu Sans", *(f for f in WIDE_FONTS if f in have))


@contextlib.contextmanager
def _quiet_glyphs():
    """A letter no font has is drawn as a box; matplotlib's warning about it (at layout and drawing) is noise."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        yield


def _figure_uri(fig) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    with _quiet_glyphs():
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _num(v) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else float("nan")


def curves_uri(metrics: list[dict], best_epoch: int | None = None, rows=None) -> str:
    """Loss and accuracy per epoch, training and validation, side by side; accuracy in percent, as every sentence
    of the report writes it; the best epoch (the model kept) marked on both, as the Train page's plots do. ``rows``:
    a frozen head fitted exactly (:func:`~.head_rows.head_rows`): its rows are strengths of regularisation, then
    fine-tuning epochs, and said so (the axis, the mark "★ kept: strength 7", where the fine-tuning begins)."""
    if not metrics:
        return ""
    return _figure_uri(curves_figure(metrics, best_epoch, rows))


def curves_figure(metrics: list[dict], best_epoch: int | None = None, rows=None):
    """The figure :func:`curves_uri` draws (a matplotlib Figure; the tests read its axes' words)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    epochs = [m.get("epoch") for m in metrics]
    fig = Figure(figsize=(9, 3.2))
    for ax, key, title in ((fig.add_subplot(1, 2, 1), "loss", "Loss (lower is better)"),
                           (fig.add_subplot(1, 2, 2), "accuracy", "Accuracy (higher is better)")):
        scale = 100 if key == "accuracy" else 1
        ax.plot(epochs, [_num(m.get(f"train_{key}")) * scale for m in metrics], "o-", label="training",
                color="#1f6fb2")
        val = [_num(m.get(f"val_{key}")) * scale for m in metrics]
        if any(v == v for v in val):
            ax.plot(epochs, val, "s-", label="validation", color="#d9822b")
        ax.set_title(title)
        ax.set_xlabel(rows.axis() if rows is not None else "epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if rows is not None and rows.fine_tuned and 0 < rows.head < len(metrics):
            ax.axvline(rows.head + 0.5, color="#888888", linewidth=1, label="fine-tuning begins")
        if best_epoch in epochs:
            mark = f"★ kept: {rows.row(best_epoch)}" if rows is not None else f"★ best epoch ({best_epoch})"
            ax.axvline(best_epoch, color="#2e8b57", linestyle="--", linewidth=1, label=mark)
        ax.legend(loc="best")
        if key == "accuracy":
            ax.set_ylim(-2, 102)
            ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    fig.tight_layout()
    return fig


def confusion_uri(matrix: list[list[int]], classes: list[str]) -> str:
    """The confusion matrix as a heat map with the counts written in (rows: true class)."""
    if not matrix:
        return ""
    from matplotlib.figure import Figure

    k = len(classes)
    side = min(9.0, 1.6 + 0.55 * k)
    fig = Figure(figsize=(side, side * 0.85))
    ax = fig.add_subplot(1, 1, 1)
    ax.imshow(matrix, cmap="Blues")
    top = max(max(row) for row in matrix) or 1
    if k <= 30:
        for i, row in enumerate(matrix):
            for j, v in enumerate(row):
                ax.text(j, i, str(v), ha="center", va="center", fontsize=9,
                        color="white" if v > top / 2 else "black")
    fonts = list(_name_fonts())
    ax.set_xticks(range(k), classes, rotation=45 if k > 4 else 0, ha="right" if k > 4 else "center",
                  fontfamily=fonts)
    ax.set_yticks(range(k), classes, fontfamily=fonts)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    with _quiet_glyphs():
        fig.tight_layout()
    return _figure_uri(fig)


def _model_table(cfg: dict, k: int) -> tuple[list[dict], dict[str, int], list[str]]:
    try:
        rep = validate(ModelSpec.from_json(cfg.get("spec")), k)
    except Exception as e:  # noqa: BLE001 - an odd spec still gives a report
        return [], {}, [str(e)]
    rows = [{"index": r.index, "label": r.label, "output": shape_text(r.out_shape), "params": r.params,
             "macs": r.macs} for r in rep.layers]
    return rows, {"params": rep.total_params, "trainable": rep.trainable_params, "macs": rep.total_macs}, rep.errors


def _scores(evaluation: dict) -> list[dict]:
    out = []
    for split in ("val", "test"):
        if not has_scores(evaluation, split):
            continue
        ev = evaluation[split]
        n = int(ev["images"])
        rows = []
        for name, m in (ev.get("per_class") or {}).items():
            support = int(m.get("support", 0))
            lo, hi = wilson_interval(round(m.get("recall", 0.0) * support), support)
            rows.append({"class": name, "precision": m.get("precision", 0.0), "recall": m.get("recall", 0.0),
                         "recall_interval": [lo, hi], "f1": m.get("f1", 0.0), "support": support,
                         "answered": _answered(ev, name)})
        out.append({"split": split, "images": n, "accuracy": ev.get("accuracy", 0.0),
                    "interval": list(accuracy_interval(ev.get("accuracy", 0.0), n)), "per_class": rows,
                    "average": _average(ev) if ev.get("classes") else None})
    return out


def _average(ev: dict) -> dict | None:
    """The classes' average as the per-class table's last row, its precision as every page writes it, a "–" left out,
    and over how many classes when one was (precision_words); None when the evaluation cannot say."""
    from ..use.precision_words import average_precision_text, average_words

    macro = ev.get("macro") or {}
    try:
        return {"precision": average_precision_text(ev), "recall": macro.get("recall", 0.0),
                "f1": macro.get("f1", 0.0), "words": average_words(ev)}
    except (KeyError, ValueError, IndexError, TypeError, AttributeError):
        return None


def _answered(ev: dict, name: str) -> bool:
    """Whether the model answered the class ``name`` at all in an evaluation (a precision to show: else "–",
    :mod:`~cnnstudio.engine.use.precision_words`); True where the evaluation lacks the matrix to tell."""
    from ..use.precision_words import never_answered

    try:
        return not never_answered(ev, name)
    except (KeyError, ValueError, IndexError, TypeError):
        return True


def build_report(project: Project, run_id: str) -> Report:
    """Gather a run's report (see the module doc)."""
    info = run_records.get_run(project, run_id)
    cfg, settings = read_config(project, run_id)
    names, entries = read_dataset(project, run_id)
    _, counts = class_counts(project, run_id)
    metrics = read_metrics(project, run_id)
    if info.status not in ("running", "created"):  # a run cut off between checkpoints: the epochs it kept
        metrics = saved_metrics(info, metrics)
    evaluation = read_evaluation(project, run_id)
    samples: dict[str, list[str]] = {}
    for c in names:
        pics = [e for e in entries if e.label_name == c and e.split == "train"] or \
            [e for e in entries if e.label_name == c]
        samples[c] = [u for u in (thumbnail_uri(project.root / e.file) for e in pics[:SAMPLES_PER_CLASS]) if u]
    layers, totals, errors = _model_table(cfg, len(names))
    # the matrix on the test pictures when the run has test scores (never used to choose it), else on the validation
    # pictures; report_html.CONFUSION_WHY says which and why, each score block names its pictures
    cm_ev = evaluation.get("test") or evaluation.get("val") or {}
    files = {e.id: e.file for e in entries}
    mistakes = []  # the validation pictures' first: the headline and the advice are about them
    for split in ("val", "test"):
        if not has_scores(evaluation, split):
            continue
        ev = evaluation[split]
        items = []
        for m in (ev.get("misclassified") or [])[:MISTAKES]:
            f = files.get(m.get("id"))
            items.append({"true": m.get("true"), "predicted": m.get("predicted"),
                          "confidence": m.get("confidence", 0.0),
                          "image": thumbnail_uri(project.root / f) if f else ""})
        mistakes.append({"split": split, "images": int(ev["images"]), "wrong": len(ev.get("misclassified") or []),
                         "items": items})
    versions = {**library_versions(), "python": platform.python_version()}
    try:
        import matplotlib
        versions["matplotlib"] = matplotlib.__version__
    except ImportError:  # pragma: no cover - a dependency
        pass
    return Report(
        run_id=run_id, name=info.name, created=time.strftime("%Y-%m-%d %H:%M", time.localtime(info.created_at)),
        status=info.status, classes=names, counts=counts, samples=samples, layers=layers, totals=totals,
        model_errors=errors, settings=settings.to_json(), preset=str(cfg.get("preset") or ""),
        curves_png=curves_uri(metrics, info.summary.get("best_epoch"), head_rows(cfg, metrics)),
        confusion_png=confusion_uri(cm_ev.get("confusion_matrix") or [], cm_ev.get("classes") or names),
        confusion_split=str(cm_ev.get("split") or ""), scores=_scores(evaluation), mistakes=mistakes,
        # the same findings as the Train page and 'cnnstudio advise' (no model: resume); a report that shows the test
        # pictures' score is a look at it on purpose (marked once written), so its findings may quote them too
        advice=advise(project, run_id, looking_at_test=has_scores(evaluation, "test")),
        versions=versions, trained_with={k: str(v) for k, v in (cfg.get("versions") or {}).items()},
        settings_words=settings_rows(cfg, info.summary), design=design_text(cfg),
        data_change=changed_note(project, run_id), confusion_images=int(cm_ev.get("images") or 0),
        best_epoch=info.summary.get("best_epoch"), loss_note=loss_note(metrics, settings),
        test_looks=_test_looks(project, run_id, has_scores(evaluation, "test")))


def _test_looks(project: Project, run_id: str, shows: bool) -> int:
    """How many runs' test scores were looked at once this report is written: the other runs' looked at before, and
    this one's when the report shows it (writing it is a look: :func:`write_report`)."""
    from ...project.errors import ProjectError
    from ...project.seen_scores import runs_seen, score_seen

    try:
        others = len(runs_seen(project, but=run_id))
        own = shows or score_seen(run_records.get_run(project, run_id).summary)
    except (OSError, ProjectError):
        return 1 if shows else 0
    return others + (1 if own else 0)


def loss_note(metrics: list[dict], settings) -> str:
    """Why the training loss stays above the validation loss (a reader who knows "lower is better" thinks something
    is wrong): the training pictures are made harder on purpose. "" when it is not above, or nothing explains it."""
    rows = [(m.get("train_loss"), m.get("val_loss")) for m in metrics[-3:]]
    rows = [(t, v) for t, v in rows if isinstance(t, (int, float)) and isinstance(v, (int, float))]
    if not rows or not all(t > v for t, v in rows):
        return ""
    why = []
    if settings.augment.enabled:
        why.append("the training pictures are changed a little each time (augmentation), which makes them harder")
    if getattr(settings, "label_smoothing", 0):
        why.append("label smoothing keeps the model from being fully sure of its training answers")
    if not why:
        return ""
    return ("The training loss is above the validation loss, and that is expected here: " + " and ".join(why)
            + ". The validation loss is the one that says how well the model does.")


def write_report(project: Project, run_id: str, out: str | Path) -> Path:
    """Build the report of ``run_id`` and write it to ``out`` (atomically). Returns the path. ``out`` is a new
    ``.html`` file or a report written before, nothing else (:func:`.report_paths.report_path` says why not), in a
    folder that exists. A report that shows the run's test score marks it looked at (the module doc), once written."""
    from .report_html import render
    from .report_paths import report_path

    out = report_path(out)
    missing = missing_folder(out)  # a mistyped folder is refused, not made (nor are the folders above it)
    if missing:
        raise EngineError(missing)
    report = build_report(project, run_id)
    html = render(report)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(out)
    except OSError as e:  # a full or read-only disk, a folder gone: one sentence, no half-written file
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise disk_error(e, out.parent, "save the report", "the run itself is unchanged") from e
    if any(sc["split"] == "test" for sc in report.scores):  # it shows the test score (has_scores): looked at now
        _mark_test_seen(project, run_id)
    return out


def _mark_test_seen(project: Project, run_id: str) -> None:
    """Keep that run ``run_id``'s test score was looked at (seen_scores); a disk that says no keeps it unmarked (the
    runs list stays blank) without failing the report just written."""
    from ...project.errors import ProjectError
    from ...project.seen_scores import mark_test_seen

    try:
        mark_test_seen(project, run_id)
    except (OSError, ProjectError):
        pass


__all__ = ["Report", "build_report", "changed_note", "confusion_uri", "curves_uri", "data_change_note", "has_scores",
           "shows_test", "thumbnail_uri", "write_report"]

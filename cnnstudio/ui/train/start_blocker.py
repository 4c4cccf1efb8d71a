"""Why the Train page's Start is off, in words that point at the page where it is fixed. Qt-free (a page model the
Train page observes, like ``tune/tune_state.py``): one rule, tested on its own.

The order matters: a project open for viewing only (a read-only disk) cannot train whatever else is right, so that
comes first, with no page to go to. A project with no labelled pictures also has a design that cannot be built
(0 classes), but what a beginner must do is import and label pictures, on the Data page, not "fix" the design. So
the data comes next, then the design, then the pretrained weights the design starts from (not on this computer: chosen or turned
off on the Model page), then work elsewhere that keeps Start off (a search on the Tune page).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sentence import sentence

STEP_BUTTON = {"data": "Go to the Data page", "model": "Go to the Model page", "tune": "Go to the Tune page",
               "train": "Go to the Train page"}  # "train": the Tune page's blocker (tune/search_blocker.py)


@dataclass(frozen=True)
class Blocker:
    text: str  # one or two plain sentences (no markup)
    step: str  # the page that fixes it: "data", "model", "tune" ("" for none)

    @property
    def button(self) -> str:
        """The words of the button that goes there ("" when there is none)."""
        return STEP_BUTTON.get(self.step, "")


LEFT_OUT_FIX = "go to the Data step and press 'Split'"  # the Train page's next step for pictures in no split


def left_out_note(counts: dict) -> str:
    """The note beside Start (not a blocker: training works without them) when labelled pictures have no split
    while others do, so training leaves them out (:func:`cnnstudio.project.left_out.left_out`, its one sentence with
    this page's next step); "" when none is left out. ``counts``: :meth:`~cnnstudio.project.store.Project.counts`."""
    from ...project.left_out import left_out, left_out_words

    n = left_out(counts)
    return left_out_words(n, LEFT_OUT_FIX) if n else ""


def data_problem(names, entries, counts: dict) -> str | None:
    """Why the project's pictures (``dataset_entries``' ``names, entries``) cannot be trained on, in the engine's
    words (``check_trainable``); None when they can, or when Start splits them first (``counts``: unsplit)."""
    from ...engine.data.entries import check_trainable
    from ...engine.errors import EngineError
    from ...project.splits import needs_auto_split

    if needs_auto_split(counts):
        return None
    try:
        check_trainable(names, entries)
    except EngineError as e:
        return str(e)
    return None


def finder_blocker(spec, settings) -> str:
    """Why "Find" has no rate to find for the run Start would make (``spec`` and ``settings``: what give the Model
    page's design and the Train page's settings; the engine's ``finder_refusal``: a frozen pretrained network's last
    layer fitted exactly uses no learning rate); "" when it has, or when the settings cannot be made (Find shows
    their error as ever)."""
    from ...engine.errors import EngineError
    from ...engine.runs.lr_find import finder_refusal

    try:
        return finder_refusal(spec(), settings())
    except EngineError:
        return ""


def missing_weights(backbone: dict | None) -> str:
    """Which pretrained weights the design starts from that are not on this computer, in one short sentence without
    its full stop ("The pretrained ResNet-18 weights are not on this computer"); "" when the design has no pretrained
    backbone, or its weights are here. ``backbone``: the design's, as JSON. The engine's long sentence (the file's
    name and its official address) is the Model page's, where the file is chosen: a page with plots keeps two
    sentences (:func:`start_blocker`)."""
    from ...engine.errors import EngineError
    from ...engine.model.backbones import get_backbone, weights_status

    if not backbone or not backbone.get("pretrained", True):
        return ""
    try:
        if not weights_status(backbone["name"], backbone.get("weights_file"))["missing"]:
            return ""
        return f"The pretrained {get_backbone(backbone['name']).title} weights are not on this computer"
    except (EngineError, KeyError):  # an unknown backbone: the design's own check says so
        return ""


def start_blocker(counts: dict, data_error: str | None = None, design_error: str | None = None,
                  busy: str = "", weights: str = "", read_only: str = "") -> Blocker | None:
    """Why Start cannot be pressed, or None when it can.

    ``counts``: the project's pictures per class id (None: unlabelled) and split (``Project.counts()``);
    ``data_error``: why the engine cannot train on them (``check_trainable``'s words), if it cannot;
    ``design_error``: why the Model page's design is not valid; ``weights``: :func:`missing_weights`' sentence (two
    sentences in all: the Model page says where the file is found);
    ``busy``: why other work keeps Start off; ``read_only``: why a project open for viewing only cannot train
    (:func:`~cnnstudio.ui.read_only_words.read_only_refusal`), said first: nothing else can be fixed there.
    """
    if read_only:
        return Blocker(sentence(read_only), "")
    pictures = sum(n for per_split in counts.values() for n in per_split.values())
    labelled = {cid: sum(per_split.values()) for cid, per_split in counts.items() if cid is not None}
    classes = sum(1 for n in labelled.values() if n > 0)
    if pictures == 0:
        return Blocker("This project has no pictures yet. Import and label pictures first.", "data")
    if classes == 0:
        return Blocker(f"None of the {pictures:,} pictures is labelled yet. Label pictures of at least two "
                       "classes first.", "data")
    if classes == 1:
        return Blocker("Only one class has labelled pictures. Label pictures of a second class first: a model "
                       "learns to tell classes apart.", "data")
    if data_error:
        return Blocker(sentence(data_error) + " Fix it on the Data page.", "data")
    if design_error:
        said = design_error.strip().rstrip(".")
        return Blocker(f"The network design cannot be used: {said[:1].lower() + said[1:]}. Fix it on the Model "
                       "page.",
                       "model")
    if weights:
        return Blocker(f"{sentence(weights)} Choose the file, or untick “Pretrained”, on the Model page, which says "
                       "where to get it.", "model")
    if busy:
        return Blocker(sentence(busy), "tune" if "tune" in busy.lower() else "")
    return None


"""The Predict page's model, loaded in a thread: PyTorch's import and the checkpoint's read take seconds the first
time, and the window must not stand still for them (a first picture dropped used to stall it ~2 s).

:meth:`ModelLoader.want` starts loading a run's model in a :class:`~cnnstudio.ui.workers.TaskThread` (the page asks
as soon as it is shown and when the model chosen changes); ``loaded(run id)`` or ``failed(run id, sentence)`` follow in
the GUI thread. Only the run wanted last counts: a model chosen while another loads makes the other's result be
dropped, so the page never shows the answers of a model no longer chosen. :meth:`ready` is the chosen run's model once
it is there (None meanwhile); :meth:`get` loads it on the spot for whoever cannot wait (a folder's copy on another
device, Grad-CAM's own copy: the model is always there by then).

A loaded model is the run's *as it was saved then*: training writes the run's model again each epoch, and a run
resumed or trained further saves a newer one. So a model is reused only while its run's saved model is the same
(:func:`~.model_choice.model_stamp`, taken before it is read); :meth:`ModelLoader.stale` says when it changed since,
and ``want`` / ``ready`` / ``get`` load it again.

The first time a run is used to predict, its loading also measures how unlike its training pictures a picture may
look before it is said to (:mod:`cnnstudio.engine.runs.run_novelty`: a few seconds on the sample digits; kept in the
run's folder, so later loads read it back); a run without that hint (too few validation pictures, or it could not be
measured) loads all the same, and its answers carry no hint; :attr:`ModelLoader.no_hint` then says why (the page says
it beside the answer: :func:`.unsure.unknown_line`)."""

from __future__ import annotations

import copy

from PySide6.QtCore import QObject, Signal

from ..workers import TaskThread
from ...project.run_records import find_run
from .model_choice import DAMAGED, NO_MODEL, file_path, load_failed, model_stamp


def _bundle(project, key: str):
    """The model a Model box key names: a run's (its model folder) or a model file's (:func:`.model_choice.file_key`:
    read as ``cnnstudio predict --model`` reads one, its own sentence when it cannot be)."""
    from ...engine.runs.lifecycle import load_run_bundle
    from ...engine.use.bundle import load_bundle

    chosen = file_path(key)
    return load_bundle(chosen) if chosen is not None else load_run_bundle(project, key)


def _load(project, run_id: str, progress=None, cancel=None) -> tuple:
    """In the thread: ``(predictor, no_hint)``, the run's model on one picture's device (the CPU), with PyTorch
    imported here the first time, and its "unlike the training pictures" hint (:func:`_with_novelty`; ``no_hint``:
    why there is none, "" when there is one). A damaged model file is :data:`DAMAGED`: the page says it in its own
    words, naming the run as its Model box does. A model file (``run_id`` a file's key) is loaded without the hint
    (its training pictures are not here) and a damaged one says why in its own words."""
    from ...engine.use.bundle import BundleError
    from ...engine.use.novelty_words import NO_PICTURES_HERE
    from ...engine.use.predict import Predictor

    if file_path(run_id) is not None:
        return Predictor(_bundle(project, run_id)), NO_PICTURES_HERE
    try:
        bundle = _bundle(project, run_id)
    except BundleError as e:
        if e.why:
            raise BundleError(DAMAGED, e.why) from None
        raise
    return _with_novelty(Predictor(bundle), project, run_id, progress, cancel)


def _with_novelty(predictor, project, run_id: str, progress=None, cancel=None) -> tuple:
    """``(predictor, no_hint)``: ``predictor`` with its run's novelty rule (computed the first time, then read from
    the run's folder), ``no_hint`` ""; without it when the run has none (too few validation pictures:
    :data:`~cnnstudio.engine.use.novelty_words.NO_VALIDATION`) or it cannot be measured now (a picture cache that
    cannot be read, a stopped thread), ``no_hint`` saying why: the hint is extra, the model's answers do not need
    it."""
    from ...engine.runs.run_novelty import attach_novelty
    from ...engine.use.novelty_words import NOT_MEASURED

    try:
        why = attach_novelty(predictor, project, run_id, progress=progress, stop=cancel)
    except Exception:  # noqa: BLE001 - a damaged dataset.json, a stop, a full disk: the model loads without the hint
        predictor.novelty, why = None, NOT_MEASURED
    return predictor, ("" if predictor.novelty is not None else why or NOT_MEASURED)


class LoadThread(TaskThread):
    """One run's model, loaded in a thread (:func:`_load`); ``run_id`` tells the loader whose signal it hears."""

    def __init__(self, project, run_id: str, parent: QObject | None = None):
        super().__init__(_load, project, run_id, parent=parent)
        self.run_id = run_id
        self.stamp = model_stamp(project, run_id)  # the saved model it reads (taken before: a newer one is stale)


class ModelLoader(QObject):
    """The chosen run's Predictor (one at a time), loaded in a thread; the folder's and Grad-CAM's copies."""

    loaded = Signal(str)  # the run id whose model is ready now
    failed = Signal(str, str)  # the run id, and one sentence saying why its model could not be loaded
    measuring = Signal(str, int, int)  # the run id, done, total: its hint is measured (the first time it is used)

    def __init__(self, session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.predictor = None
        self.key: str | None = None  # the run of ``predictor``
        self.stamp: tuple = ()  # which of its saved models it is (model_choice.model_stamp)
        self.no_hint = ""  # why ``predictor`` has no "unlike the training pictures" hint ("": it has one, or none)
        self.wanted: str | None = None  # the run being loaded for the page (None: nothing is)
        self._threads: dict[str, TaskThread] = {}  # run id -> its loading thread, until it ends
        self._replaced: set[TaskThread] = set()  # threads reading a model of a run saved over since, until they end
        self._folder_predictor = None  # the run's model on a folder's device, when that is not the CPU
        self._cam = None  # (run id, a Predictor with its own copy of the model) for Grad-CAM

    # ------------------------------------------------------------------ in a thread
    def ready(self, run_id: str | None):
        """``run_id``'s model when it is loaded and its run's saved model is still the one loaded, else None."""
        if run_id is None or self.key != run_id or self.stale(run_id):
            return None
        return self.predictor

    def stale(self, run_id: str | None) -> bool:
        """Whether ``run_id``'s model is loaded and its run has saved another since (it trained on, or finished)."""
        return run_id is not None and self.key == run_id and model_stamp(self.session.project, run_id) != self.stamp

    def loading(self) -> bool:
        """A model is on its way for the page (and not loaded on the spot meanwhile)."""
        return self.wanted is not None and self.ready(self.wanted) is None

    def want(self, run_id: str | None) -> None:
        """Load ``run_id``'s model in a thread unless it is there or on its way; what another run's loading brings
        back is dropped from now on. None: nothing is wanted (no run)."""
        if run_id is None or self.ready(run_id) is not None:
            self.wanted = None
            return
        self.wanted = run_id
        on_its_way = self._threads.get(run_id)
        if on_its_way is not None:
            if on_its_way.stamp == model_stamp(self.session.project, run_id):
                return
            self._replaced.add(on_its_way)  # it reads a model saved over since: what it brings back is dropped
        thread = self._threads[run_id] = LoadThread(self.session.project, run_id, parent=self)
        thread.succeeded.connect(self._got)  # bound methods that ask the sender whose it is: no lambda holds a thread
        thread.errored.connect(self._failed)
        thread.progress.connect(self._measuring)
        thread.finished.connect(self._ended)
        thread.start()

    def _sent_for(self) -> str | None:
        """The run whose loading thread sent the signal being handled (None: not one of these threads)."""
        thread = self.sender()
        return thread.run_id if isinstance(thread, LoadThread) else None

    def _got(self, loaded: tuple) -> None:
        run_id = self._sent_for()
        if run_id is None or run_id != self.wanted or self._threads.get(run_id) is not self.sender():
            return  # another model was chosen meanwhile, or a newer one of this run is on its way
        self.wanted = None
        if self.ready(run_id) is None:  # else loaded on the spot meanwhile (get): that copy stays
            self._keep(run_id, *loaded, self.sender().stamp)
        self.loaded.emit(run_id)

    def _measuring(self, done: int, total: int, _message: str) -> None:
        run_id = self._sent_for()
        if run_id is not None and run_id == self.wanted:
            self.measuring.emit(run_id, done, total)

    def _failed(self, message: str, _tb: str) -> None:
        run_id = self._sent_for()
        if run_id is None or self._threads.get(run_id) is not self.sender():
            return  # not one of these threads, or an older model of the run: a newer one is on its way
        # it has nothing more to give: the run chosen again before this thread ends loads afresh, not nothing
        del self._threads[run_id]
        if run_id != self.wanted:
            return
        self.wanted = None
        if self.ready(run_id) is not None:  # loaded on the spot meanwhile
            self.loaded.emit(run_id)
            return
        run = find_run(self.session.project, run_id) if file_path(run_id) is None else None
        self.failed.emit(run_id, load_failed(message, run.name if run is not None else ""))

    def _ended(self) -> None:
        thread = self.sender()
        if not isinstance(thread, LoadThread):
            return
        if self._threads.get(thread.run_id) is thread:
            del self._threads[thread.run_id]
        self._replaced.discard(thread)
        thread.deleteLater()

    def _keep(self, run_id: str, predictor, no_hint: str, stamp: tuple) -> None:
        self.predictor, self.key, self.stamp, self.no_hint = predictor, run_id, stamp, no_hint
        self._folder_predictor = None
        self._cam = None

    def forget(self) -> None:
        """Drop the model loaded (its run saved another since): the next ``want`` / ``get`` loads it again."""
        self.predictor, self.key, self.stamp, self.no_hint = None, None, (), ""
        self._folder_predictor = self._cam = None

    # ------------------------------------------------------------------ on the spot
    def get(self, run_id: str | None, folder: bool = False):
        """``run_id``'s Predictor, loaded now when it is not there yet: on one picture's device (the CPU) for dropped
        pictures and the camera; with ``folder``, on a folder's (the graphics card when there is one:
        :func:`~cnnstudio.engine.use.batching.scoring_device`), a second copy of the model only on another device."""
        from ...engine.device import pick_device
        from ...engine.use.batching import scoring_device
        from ...engine.use.predict import Predictor

        if run_id is None:
            raise RuntimeError(NO_MODEL)
        if self.ready(run_id) is None:
            stamp = model_stamp(self.session.project, run_id)
            self._keep(run_id, *_load(self.session.project, run_id), stamp)
        if not folder:
            return self.predictor
        device = pick_device(scoring_device())
        if device == self.predictor.device:
            return self.predictor
        if self._folder_predictor is None:  # its own copy: moving the model there would move the page's too
            self._folder_predictor = Predictor(_bundle(self.session.project, run_id), device=device)
            self._folder_predictor.novelty = self.predictor.novelty  # the same rule: its features are the same
        return self._folder_predictor

    def cam_predictor(self, run_id: str):
        """A Predictor with its own copy of ``run_id``'s model: Grad-CAM hooks its model and runs it in design order,
        so the prediction threads (dropped pictures, a folder) go on with the page's model at the same time."""
        predictor = self.get(run_id)
        if self._cam is None or self._cam[0] != run_id:
            cam = copy.copy(predictor)
            cam.model = copy.deepcopy(predictor.model)
            self._cam = (run_id, cam)
        return self._cam[1]

    def shutdown(self) -> None:
        """Wait for the loading threads (a model's read cannot be interrupted, measuring its hint can; the result is
        dropped)."""
        self.wanted = None
        for thread in [*self._threads.values(), *self._replaced]:
            thread.cancel()
            thread.wait(30_000)
        self._threads.clear()
        self._replaced.clear()

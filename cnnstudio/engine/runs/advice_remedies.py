"""What a run already does among the remedies the advice (:mod:`.advice`) names, and so which of them it may still
suggest: one rule for every sentence and button that suggests augmentation, transfer learning, weighing the classes
or early stopping (QA: "augmentation or transfer learning help meanwhile" of a MobileNetV2 run with augmentation on).

:class:`RunUses` says what a run does: a pretrained backbone (transfer learning), its training pictures changed a
little each time (augmentation: on, and on a path that applies it), the classes weighed, early stopping; and what
could reach its training at all (a frozen backbone's head trains on features computed once: no augmentation reaches
it, and an exact fit weighs no classes). :func:`run_uses` reads it from a run's settings and design.
:func:`unused` keeps, of the remedies a finding would name, those the run does not do and could;
:func:`help_words` says them ("augmentation or transfer learning help meanwhile"), and :func:`overfitting_remedy`
is the overfitting finding's sentence and button.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..train.settings import TrainSettings

# the remedies, as the findings name them
AUGMENT, STRONGER, TRANSFER, EARLY_STOPPING, WEIGH = ("augmentation", "stronger augmentation", "transfer learning",
                                                      "early stopping", "weighing the classes")


@dataclass(frozen=True)
class RunUses:
    transfer: bool = False  # a pretrained backbone: transfer learning already
    augments: bool = False  # its training pictures are changed a little every time they are shown
    can_augment: bool = True  # augmentation would reach its training (not a frozen backbone's features alone)
    weighs_classes: bool = False  # the classes weighed equally (class_weights "balanced")
    can_weigh: bool = True  # weighing would change its training (not a frozen backbone's last layer fitted exactly)
    early_stopping: bool = False  # stops after some epochs without a better model


def run_uses(settings: TrainSettings, transfer: bool = False, features_only: bool = False,
             exact: bool = False) -> RunUses:
    """What a run of ``settings`` does; ``transfer``: its design has a pretrained backbone; ``features_only``: it
    trains on a frozen backbone's features computed once, and is not fine-tuned (no augmentation reaches it:
    :mod:`~.frozen_run`); ``exact``: its last layer is fitted exactly, and not fine-tuned (no classes weighed)."""
    can_augment = not features_only
    return RunUses(transfer=transfer, augments=can_augment and settings.augment.enabled, can_augment=can_augment,
                   weighs_classes=settings.class_weights != "none", can_weigh=not exact,
                   early_stopping=settings.early_stopping_patience > 0)


def uses_of_config(config: dict, settings: TrainSettings) -> RunUses:
    """:func:`run_uses` of a run from its ``config`` (config.json: its design and preprocessing); a design that
    cannot be read: its settings alone."""
    from ..data.preprocess import Preprocess
    from ..errors import EngineError
    from ..model.spec import ModelSpec
    from .frozen_run import has_linear_head, uses_frozen_path

    try:
        spec = ModelSpec.from_json(config["spec"])
        pp = Preprocess.from_json(config.get("preprocess") or config["settings"]["preprocess"])
    except (EngineError, KeyError, TypeError, ValueError, AttributeError):
        return run_uses(settings)
    bb = getattr(spec, "backbone", None)
    frozen = uses_frozen_path(spec, pp) and not settings.fine_tune_epochs
    return run_uses(settings, transfer=bool(bb is not None and bb.pretrained), features_only=frozen,
                    exact=frozen and has_linear_head(spec))


def unused(uses: RunUses, wanted: tuple[str, ...]) -> list[str]:
    """The remedies of ``wanted`` (in its order) that the run does not do and that would reach its training:
    augmentation when it is off (:data:`STRONGER` when it is on), transfer learning without a pretrained backbone,
    weighing the classes, early stopping."""
    doing = {AUGMENT: uses.augments or not uses.can_augment, STRONGER: not uses.augments,
             TRANSFER: uses.transfer, WEIGH: uses.weighs_classes or not uses.can_weigh,
             EARLY_STOPPING: uses.early_stopping}
    return [r for r in wanted if not doing[r]]


def either(words: list[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def help_words(uses: RunUses, wanted: tuple[str, ...] = (AUGMENT, TRANSFER), when: str = " meanwhile") -> str:
    """ "; augmentation or transfer learning help meanwhile.", "; transfer learning helps meanwhile.", or "." when
    the run does them all already (or none would reach it): the end of a sentence."""
    left = unused(uses, wanted)
    if not left:
        return "."
    return f"; {either(left)} help{'' if len(left) > 1 else 's'}{when}."


OVERFITTING_WORDS = {AUGMENT: "augmentation (each picture changed a little every time it is shown)",
                     STRONGER: "stronger augmentation", EARLY_STOPPING: "stopping earlier (early stopping)",
                     TRANSFER: "transfer learning (a network pretrained on many pictures)"}


def overfitting_remedy(uses: RunUses) -> tuple[str, str | None]:
    """The overfitting finding's last sentence and its button's action kind: "More pictures, augmentation (...), a
    smaller model or stopping earlier (early stopping) help.", naming only what the run does not do; the button is
    the first of turning augmentation on, early stopping, transfer learning and stronger augmentation the run does
    not do (None: more pictures and a smaller model are all that is left)."""
    left = unused(uses, (AUGMENT, EARLY_STOPPING, TRANSFER, STRONGER))
    said = [OVERFITTING_WORDS[r] for r in (AUGMENT, STRONGER) if r in left] + ["a smaller model"] + [
        OVERFITTING_WORDS[r] for r in (EARLY_STOPPING, TRANSFER) if r in left]
    kinds = {AUGMENT: "augment", STRONGER: "augment", EARLY_STOPPING: "early_stopping", TRANSFER: "transfer"}
    return f"{either(['More pictures'] + said)} help.", (kinds[left[0]] if left else None)

__all__ = ["AUGMENT", "EARLY_STOPPING", "STRONGER", "TRANSFER", "WEIGH", "RunUses", "either", "help_words",
           "overfitting_remedy", "run_uses", "unused", "uses_of_config"]

"""The glossary (Help > Guide and the pages' tooltips) says what the app does today: the defaults it names are the
engine's, and every word a page asks it for is in it."""

import ast
from pathlib import Path

import pytest

import cnnstudio
from cnnstudio.engine.model import jargon
from cnnstudio.engine.model.backbones import BACKBONES
from cnnstudio.engine.runs.recipe import SMALL_PER_CLASS
from cnnstudio.engine.runs.settings_words import OPTIMIZER_WORDS, SCHEDULE_WORDS
from cnnstudio.engine.train.precision import choose_precision
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.project.glossary import explain

GLOSSARY_CALLS = {"tip", "term_tip", "explain", "heading"}


def _asked_words() -> set[str]:
    """Every literal word the app's code hands the glossary: tip("validation", "test"), term_tip("MACs")..."""
    words = set()
    for path in Path(cnnstudio.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in GLOSSARY_CALLS:
                    words |= {c.value for a in node.args for c in ast.walk(a)  # tip(*(("top-k",) if k else ()))
                              if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return words


def test_every_word_a_page_asks_the_glossary_for_is_in_it():
    words = _asked_words() | set(jargon.CATEGORY_TERMS.values()) | set(jargon.PARAM_TERMS.values())
    assert {"validation", "test", "confidence interval", "MACs", "top-k", "frozen"} <= words  # the scan sees them
    missing = []
    for w in sorted(words):
        try:
            explain(w)
        except KeyError:
            missing.append(w)
    assert not missing


def test_the_optimizer_and_schedule_are_the_defaults_start_uses():
    d = default_settings()
    optimizer = explain("optimizer")
    assert f"{OPTIMIZER_WORDS[d.optimizer]}, the default" in optimizer
    assert "Adam is a safe choice" not in optimizer
    assert f"{SCHEDULE_WORDS[d.schedule].lower()}, the default" in explain("schedule").lower()
    assert explain("one-cycle").startswith("The default learning-rate schedule") and d.schedule == "one_cycle"


def test_one_cycle_climbs_for_the_share_the_glossary_says():
    from cnnstudio.engine.train.trainer import lr_at

    rates = [lr_at(step, 1000, default_settings()) for step in range(1000)]
    peak = rates.index(max(rates))
    assert f"first {round(peak / 10)}%" in explain("one-cycle")
    assert rates[-1] < max(rates) / 1000  # "falls smoothly to almost nothing"


def test_augmentation_gives_the_defaults_own_examples_and_no_flips():
    aug = default_settings().augment
    words = explain("augmentation")
    assert f"{aug.rotation:g}°" in words and f"{aug.translate * 100:g}%" in words
    assert f"between {aug.scale_min:g} and {aug.scale_max:g}" in words
    assert not aug.hflip and not aug.vflip
    assert "flips" not in words and "Mirroring is off unless you turn it on" in words
    assert not aug.brightness and not aug.saturation and "colour" not in words


def test_the_default_recipe_and_the_backbones_are_the_engines():
    words = explain("default recipe")
    assert f"fewer than {SMALL_PER_CLASS} training pictures per class" in words
    assert "transfer learning" in words and "validation" in words
    for info in BACKBONES.values():
        assert info.title in explain("backbone")
    assert "ImageNet" in explain("pretrained")


@pytest.mark.parametrize("device", ["cpu", "mps"])
def test_mixed_precision_is_a_graphics_card_thing(device):
    assert choose_precision(True, device, True) == "fp32"
    assert choose_precision(True, "cuda", True) != "fp32"
    assert "NVIDIA graphics card" in explain("mixed precision") and "32-bit" in explain("mixed precision")


def test_the_novelty_hint_has_one_name_and_the_glossary_explains_both_its_forms():
    from cnnstudio.engine.use.novelty_words import HINT, NO_VALIDATION, UNLIKE_LONG, UNLIKE_SHORT
    from cnnstudio.project.glossary import heading

    assert heading(UNLIKE_LONG) == heading(UNLIKE_SHORT) == f"{UNLIKE_LONG} ({UNLIKE_SHORT})"
    meaning = explain(UNLIKE_SHORT)
    assert meaning.startswith("A hint, not a promise") and "validation pictures" in meaning
    assert UNLIKE_LONG in HINT and UNLIKE_LONG in NO_VALIDATION

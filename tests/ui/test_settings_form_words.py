"""The Train settings' tooltips in plain words (QA keys #4): every field of the form and of its Advanced part says
what it does and when to change it for someone who has never trained a network; a precise term (NaN, bf16, the
square-root rule) comes only in a last, optional aside in brackets, and a word the glossary explains is its entry."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QWidget

from cnnstudio.project.glossary import tip

from .test_training_view import make_project

JARGON = ("NaN", "float", "square-root", "linear", "diverge", "Loss:", "peak", "bf16", "fp16", "loss scaling",
          "2,048", "record")


def plain_part(text: str) -> str:
    """The tooltip less its last paragraph's closing aside in brackets (where a precise term may stay)."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", text)


def test_every_train_setting_says_itself_in_plain_words(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    form = window.workspace.train_page.settings_form
    form.set_advanced_open(True)
    tips = {w: w.toolTip() for w in form.widget().findChildren(QWidget) if w.toolTip()}
    for field in (form.epochs, form.batch_size, form.auto_batch, form.lr, form.device, form.run_name, form.optimizer,
                  form.schedule, form.weight_decay, form.label_smoothing, form.balanced, form.patience,
                  form.no_validation, form.fine_tune, form.seed, form.mixed_precision, form.advanced_button,
                  form.recommended):
        assert field in tips, field  # every setting explains itself
    for field, text in tips.items():
        plain = plain_part(text)
        assert not [w for w in JARGON if w.lower() in plain.lower()], (field, text)
    # a word the glossary explains is its entry, once (one rule in one place)
    for field, term in ((form.mixed_precision, "mixed precision"), (form.seed, "seed"), (form.lr, "learning rate"),
                        (form.patience, "early stopping")):
        assert tips[field].startswith(tip(term)) and tips[field].count(tip(term)) == 1
    # when to change it, and what the recommended value does
    assert "smaller" in tips[form.lr] and "recommended" in tips[form.lr]
    assert "Off unless you tick it" in tips[form.balanced] and "few pictures" in tips[form.balanced]

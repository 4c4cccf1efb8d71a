"""A setting a layer does not have, and the one-click fix the Model page offers for it. Qt-free and torch-free.

A hand-written design file may misspell a setting (``"kernal_size": 5``). Reading the file keeps it as written
(:mod:`.spec`: the layer also gets the catalog's default for the setting it meant), the design check names it with
the setting it was probably meant to be ("has no setting 'kernal_size' (did you mean 'kernel_size'?)",
:mod:`.validate`), and the layer's card offers to fix it: the value becomes that setting's ("Use 5 as the kernel
size"), or, when no setting is close, the unknown one is removed ("Remove 'colour'"). Which setting is meant is the
catalog's one rule for a name that is close to another (:func:`~.catalog.suggest`), so the fix and the sentence always
agree. A value the setting does not allow is moved all the same: the card then says what it must be, and its editor
sets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import CATALOG, LayerType, _word, suggest
from .param_words import setting_name


@dataclass(frozen=True)
class SettingFix:
    key: str  # the unknown setting, as written in the file
    value: Any
    setting: str | None  # the layer's setting it becomes; None: it is removed

    def words(self) -> str:
        """What the fix's button says: "Use 5 as the kernel size", "Remove 'colour'"."""
        if self.setting is None:
            return f"Remove '{self.key}'"
        return f"Use {_word(self.value)} as the {setting_name(self.setting)}"

    def why(self, title: str) -> str:
        """What pressing it does, for the button's tooltip (``title``: the layer's, "Convolution")."""
        if self.setting is None:
            return f"{title} has no setting '{self.key}' and none with a name close to it: remove it from this layer."
        return (f"{title} has no setting '{self.key}': its value {_word(self.value)} becomes the "
                f"{setting_name(self.setting)}, and '{self.key}' is removed.")


def setting_fixes(layer_type: LayerType | None, params: dict) -> list[SettingFix]:
    """A fix for each setting in ``params`` that a layer of ``layer_type`` does not have, in their order; none for a
    layer type the catalog does not know (its card offers to remove the layer). Two misspellings of one setting: the
    first is moved, the second removed."""
    if layer_type is None:
        return []
    names = [p.name for p in layer_type.params]
    fixes, taken = [], set()
    for key, value in params.items():
        if key in names:
            continue
        meant = suggest(key, names) if isinstance(key, str) else None
        if meant in taken:
            meant = None
        taken.add(meant)
        fixes.append(SettingFix(str(key), value, meant))
    return fixes


def layer_fixes(layer: dict) -> list[SettingFix]:
    """:func:`setting_fixes` of a layer as the design holds it (``{"type", "params"}``)."""
    kind = layer.get("type")
    return setting_fixes(CATALOG.get(kind) if isinstance(kind, str) else None, layer.get("params") or {})


def fixed_params(params: dict, fixes: list[SettingFix]) -> dict:
    """``params`` with ``fixes`` made: each unknown setting removed, its value given to the setting it meant."""
    out = {k: v for k, v in params.items() if k not in {f.key for f in fixes}}
    for f in fixes:
        if f.setting is not None:
            out[f.setting] = f.value
    return out


def fix_words(fixes: list[SettingFix]) -> str:
    """The one button of a card with ``fixes``: the fix's own words, or "Fix 2 settings"."""
    return fixes[0].words() if len(fixes) == 1 else f"Fix {len(fixes)} settings"

"""What a search starts from, Qt-free. A new search: the Model page's design and the Train page's settings with the
form's space (:func:`new_inputs`). Continue: what the chosen study itself started from, read back
(:func:`cnnstudio.engine.tune.overview.study_base`), never the pages as they are now, so that its trials stay
comparable (said by :data:`CONTINUE_KEEPS`); a form changed since is for a new search (:func:`form_differs`, said
by :data:`CHANGED_FORM`).

Which design the Model page holds (:func:`design_kind`): the built-in one (its structure can be searched), a
variant of it that a search made (another depth, width or dropout: "Use these settings" puts one there), or one of
the user's own.
"""

from __future__ import annotations

from ...engine.tune.space import SpaceError, is_built_in_design, parse_space

CONTINUE_KEEPS = ("Continue carries on the chosen search with its own design and starting settings, whatever the "
                  "Model and Train pages hold now.")  # said after the "Starts from" line while a search is chosen
CHANGED_FORM = ("The form differs from the chosen search: Continue keeps that search's settings to try as they were; "
                "Start my search begins a new one with the form.")
VARIANT_LAYERS = ("conv2d", "batch_norm2d", "relu", "max_pool2d", "flatten", "dropout")  # all scaled_default uses
CONTINUE_TIP = ("Carry on the chosen search: more trials of the same search, with its own settings to try, design "
                "and starting settings (the budget is the form's)")
#: Why Continue is off for a search that ended because its trials kept failing: it would replay the same starting
#: settings and design, read back from the study, so its trials would fail the same way again.
FAILING_TIP = ("This search stopped because its trials kept failing: fix the cause, then start a new search (Continue "
               "would repeat the same settings and fail again).")


def continue_refusal(summary: dict | None) -> str:
    """Why Continue cannot carry on the search ``summary`` describes (:data:`FAILING_TIP`), or "" when it can: a
    search that had to end because its trials kept failing (``ended_why``) would only fail again."""
    return FAILING_TIP if (summary or {}).get("ended_why") else ""


def new_inputs(settings, spec_json: dict, space: dict) -> dict:
    """A new search's design, starting settings and space, as :func:`cnnstudio.engine.tune.child.request` takes
    them: the built-in design goes as the preset (its structure can be searched), any other as its spec."""
    pp = settings.preprocess
    built_in = is_built_in_design(spec_json, pp.height, pp.width, pp.channels)
    return {"settings": settings.to_json(), "spec": None if built_in else spec_json,
            "preset": "default" if built_in else None, "space": space}


def continued_inputs(base: dict) -> dict:
    """A continued search's inputs: the study's own (``study_base``'s answer)."""
    return {k: base[k] for k in ("settings", "spec", "preset", "space")}


def _normal(space) -> dict | None:
    try:
        return parse_space(space).to_json()
    except SpaceError:
        return None


def form_differs(form_space: dict | None, study_space: dict | None) -> bool:
    """The form's space is another search than the study's (its ranges, choices or epochs per trial)."""
    if not isinstance(study_space, dict):
        return False
    return form_space is None or _normal(form_space) != _normal(study_space)


def design_kind(spec_json: dict, height: int, width: int, channels: int) -> str:
    """"built-in" (the Model page's Recommended design), "variant" (that design with the depth, width or dropout
    a search gave it) or "own"."""
    if is_built_in_design(spec_json, height, width, channels):
        return "built-in"
    return "variant" if _is_variant(spec_json, height, width, channels) else "own"


def _is_variant(spec_json: dict, height: int, width: int, channels: int) -> bool:
    """The built-in design made with another depth, width multiplier or dropout (``scaled_default``): each
    convolution's filters give the width multipliers that could have made it (filters are rounded to
    a multiple of 8: the multipliers that round to them, the middle and both ends, are tried)."""
    from ...engine.model.presets import scaled_default

    layers = spec_json.get("layers") if isinstance(spec_json, dict) else None
    if not isinstance(layers, list) or not all(isinstance(ly, dict) and ly.get("type") in VARIANT_LAYERS
                                               for ly in layers):
        return False
    drops = [ly.get("params", {}).get("p") for ly in layers if isinstance(ly, dict) and ly.get("type") == "dropout"]
    dropout = drops[0] if len(drops) == 1 and isinstance(drops[0], (int, float)) else 0.0
    filters = [ly.get("params", {}).get("out_channels") for ly in layers
               if isinstance(ly, dict) and ly.get("type") == "conv2d"]
    filters = [f for f in filters if isinstance(f, int) and f > 0]
    for blocks in range(1, 7):
        tried: set[float] = set()
        for f in dict.fromkeys(filters):  # every filter count: one of them is a block's
            for level in range(blocks):  # f filters: a multiplier that rounds to them, its middle or ends
                for multiplier in ((f + d) / (32 * 2 ** level) for d in (0, -3.99, 3.99)):
                    if not 0.125 <= multiplier <= 8 or multiplier in tried:
                        continue
                    tried.add(multiplier)
                    try:
                        made = scaled_default(height, width, channels, blocks, multiplier, float(dropout)).to_json()
                    except Exception:  # noqa: BLE001 - not a design scaled_default can make
                        continue
                    if made.get("layers") == layers and made.get("input") == spec_json.get("input"):
                        return True
    return False

"""A setting a layer does not have (a hand-written design file's "kernal_size") and its one-click fix
(engine/model/setting_fixes.py): the setting the design check suggests gets the value, or the setting is removed;
the fixed design then passes the check."""

from __future__ import annotations

import json

from cnnstudio.engine.model.catalog import CATALOG
from cnnstudio.engine.model.setting_fixes import SettingFix, fix_words, fixed_params, layer_fixes, setting_fixes
from cnnstudio.engine.model.spec import FORMAT, ModelSpec
from cnnstudio.engine.model.validate import validate


def _file(tmp_path, layers) -> ModelSpec:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"format": FORMAT, "input": {"height": 28, "width": 28, "channels": 1},
                                "layers": layers}))
    return ModelSpec.load(path)


def test_a_misspelt_setting_is_moved_to_the_setting_the_check_suggests(tmp_path):
    spec = _file(tmp_path, [{"type": "conv2d", "params": {"out_channels": 8, "kernal_size": 5}},
                            {"type": "global_avg_pool"}])
    report = validate(spec, 2)
    assert report.errors == ["layer 1, convolution: has no setting 'kernal_size' (did you mean 'kernel_size'?)"]
    layer = spec.layers[0].to_json()
    assert layer["params"]["kernel_size"] == 3  # the file left it out: the catalog's default
    fixes = layer_fixes(layer)
    assert fixes == [SettingFix("kernal_size", 5, "kernel_size")]
    assert fix_words(fixes) == "Use 5 as the kernel size"
    assert fixes[0].why("Convolution") == ("Convolution has no setting 'kernal_size': its value 5 becomes the kernel "
                                           "size, and 'kernal_size' is removed.")
    params = fixed_params(layer["params"], fixes)
    assert params["kernel_size"] == 5 and "kernal_size" not in params
    fixed = ModelSpec.create(28, 28, 1, [{"type": "conv2d", "params": params}, {"type": "global_avg_pool"}])
    assert validate(fixed, 2).ok and validate(fixed, 2).layers[0].label == "conv 8 5x5"


def test_a_setting_with_no_close_name_is_removed_and_the_fix_names_settings_in_words():
    conv, dropout, relu = CATALOG["conv2d"], CATALOG["dropout"], CATALOG["relu"]
    assert setting_fixes(relu, {"colour": "red"}) == [SettingFix("colour", "red", None)]
    assert fix_words(setting_fixes(relu, {"colour": "red"})) == "Remove 'colour'"
    assert "ReLU has no setting 'colour'" in setting_fixes(relu, {"colour": "red"})[0].why("ReLU")
    assert fix_words(setting_fixes(dropout, {"P": 0.3, "p": 0.5})) == "Use 0.3 as the dropout rate"  # never "the p"
    both = setting_fixes(conv, {"kernal_size": 5, "kernel_sise": 7, "strid": 2})
    assert both == [SettingFix("kernal_size", 5, "kernel_size"), SettingFix("kernel_sise", 7, None),  # one of two
                    SettingFix("strid", 2, "stride")]
    assert fix_words(both) == "Fix 3 settings"
    assert fixed_params({"kernal_size": 5, "kernel_sise": 7, "strid": 2, "kernel_size": 3}, both) == {
        "kernel_size": 5, "stride": 2}


def test_nothing_to_fix_on_a_layer_with_known_settings_or_of_an_unknown_type():
    assert setting_fixes(CATALOG["conv2d"], {"kernel_size": 3}) == []
    assert layer_fixes({"type": "conv3d", "params": {"kernal_size": 3}}) == []  # its card offers to remove it
    assert layer_fixes({"type": "relu"}) == []

"""Without options `train`, `pack` and `lr-find` take what the window's Model and Train pages hold, and their help
says so (it said "default: default" and "the default recipe"); `lr-find` says it on stderr as `train` does."""

from __future__ import annotations

import pytest

from cnnstudio.engine.model.spec import LayerSpec, ModelSpec
from cnnstudio.project import Project
from tests.cli.helpers import error_out, run
from tests.cli.test_train_saved_pages import _project
from tests.engine.test_data import tiny_spec
from tests.engine.test_saved_pages import PAGE_FORM, _store_pages

FORM = {**PAGE_FORM, "batch_size": 8}


def help_text(capsys, command: str) -> str:
    with pytest.raises(SystemExit) as e:
        run(capsys, command, "--help")
    assert e.value.code == 0
    return " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("command", ["train", "pack", "lr-find"])
def test_the_help_says_no_options_means_the_model_and_train_pages(capsys, command):
    text = help_text(capsys, command)
    assert "default: default" not in text and "Without options: the default recipe." not in text
    assert "Model and Train pages" in text
    assert "never opened in the window" in text


def test_lr_find_without_options_tests_the_pages_design_and_says_so(tmp_path, capsys):
    folder = _project(tmp_path, form=FORM)
    code, out, err = run(capsys, "lr-find", folder, "--json")
    assert code == 0, err
    assert out["suggested_lr"] > 0
    assert "Design and settings: as set on the Model and Train pages (" in err
    assert "--preset NAME or --spec FILE tests another design." in err

    code, out, err = run(capsys, "lr-find", folder, "--quiet", "--json")
    assert code == 0 and "Model and Train pages" not in err


def test_lr_find_uses_the_pages_design_not_the_default_one(tmp_path, capsys):
    folder = _project(tmp_path, form=FORM)
    tiny = tiny_spec()
    broken = ModelSpec(tiny.input, (LayerSpec("dropout", {"p": 1.5}),) + tuple(tiny.layers), tiny.backbone)
    with Project.open(folder) as project:
        _store_pages(project, spec=broken, form=FORM)
    code, out, err = run(capsys, "lr-find", folder, "--json")
    assert code == 1 and error_out(out, err)
    assert "the dropout rate must be a number from 0 to 0.95, not 1.5" in err


def test_lr_find_with_an_option_leaves_the_pages_alone(tmp_path, capsys):
    folder = _project(tmp_path, form=FORM)
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, out, err = run(capsys, "lr-find", folder, "--spec", spec, "--quiet", "--json")
    assert code == 0, err
    code, out, err = run(capsys, "lr-find", folder, "--spec", spec, "--json")
    assert code == 0 and "Model and Train pages" not in err

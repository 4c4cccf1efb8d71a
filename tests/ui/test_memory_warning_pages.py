"""The training memory warning counts the batch size the user set on the Train page: on the Model page under the
design (the batch size saved in the project, before the Train page is ever shown) and on the Train page under
Batch size; both pages say the engine's one sentence (engine/model/cost.py memory_warning), and follow each other's
changes: a new batch size on the Train page, a new design on the Model page."""

from __future__ import annotations

import json
import math

import pytest

from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.cost import memory_warning
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs.saved_pages import META_SETTINGS
from cnnstudio.project.memory import total_ram
from tests.ui.test_training_view import make_project

pytestmark = pytest.mark.skipif(not total_ram(), reason="this computer's memory is unknown: nothing to warn about")


def big_design() -> ModelSpec:
    """A design that fits this computer's memory at a batch of some hundreds of pictures and not at a thousand."""
    filters = max(1, min(4096, round(total_ram() / 2 / 1000 / (5 * 256 * 256))))
    return ModelSpec.create(256, 256, 1, [layer("conv2d", out_channels=filters), layer("global_avg_pool")])


def test_both_pages_warn_for_the_batch_size_set_on_the_train_page(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    project = window.session.project
    model = window.workspace.model_page
    model.set_spec(big_design())
    est = model.report.memory
    fits = math.floor((total_ram() / 2 - est.fixed) / est.per_picture)  # the largest batch that fits
    too_many = fits + 1
    assert 2 <= fits < too_many <= 4096  # both within the Train page's batch sizes
    assert memory_warning(est, fits) is None and memory_warning(est, too_many) is not None
    assert "⚠" not in model.layer_stack.summary.text()  # nothing saved yet: a batch of 64 fits

    project.set_meta(META_SETTINGS, json.dumps({"batch_size": too_many}))  # as the Train page saves it
    window.close_project()
    assert window.open_project(project.root)  # a new window's pages read the project: the Model page first
    model = window.workspace.model_page
    assert window.workspace.built("train") is None
    warning = memory_warning(model.report.memory, too_many)
    assert warning.startswith(f"A batch of {too_many} pictures would need about ")
    assert warning in model.layer_stack.summary.text()

    form = window.workspace.train_page.settings_form
    window.workspace.show_step_key("train")
    assert form.batch_size.value() == too_many
    assert form.memory_note.isVisible() and warning in form.memory_note.text()

    form.batch_size.setValue(fits)  # the user lowers the batch size: no warning on either page
    assert not form.memory_note.isVisible() and form.memory_note.text() == ""
    assert "⚠" not in model.layer_stack.summary.text()
    form.batch_size.setValue(too_many)
    assert form.memory_note.isVisible() and warning in form.memory_note.text()
    assert warning in model.layer_stack.summary.text()

    model.set_spec(ModelSpec.create(256, 256, 1, [layer("conv2d", out_channels=1), layer("global_avg_pool")]))
    assert not form.memory_note.isVisible()  # a smaller design: the Train page follows the Model page
    model.set_spec(big_design())
    assert form.memory_note.isVisible() and warning in form.memory_note.text()
    model.set_param(0, "kernel_size", 999)  # a mistake: no estimate, no warning
    assert model.report.memory is None and not form.memory_note.isVisible()

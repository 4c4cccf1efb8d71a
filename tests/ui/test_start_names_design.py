"""Start's tooltip (and its menu item's status tip) names the design it trains, as the runs list will name the
run: the QA found 'Train 20 more epochs' starting the Model page's design while nothing on the Train page said
which design that was."""

from __future__ import annotations

from .test_training_view import make_project


def test_start_says_which_design_it_trains(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    model = window.workspace.model_page
    train = window.workspace.train_page
    model.apply_preset("lenet5")
    assert train.start_button.isEnabled()
    assert train.start_button.toolTip().endswith("the Model page's design: LeNet-5. Ctrl+Return starts it from "
                                                 "any step.")
    assert train.controls.start_action.statusTip() == train.start_button.toolTip()
    model.apply_preset("vgg_small")  # the page follows the design as it changes
    assert train.start_button.toolTip().endswith("the Model page's design: Small VGG. Ctrl+Return starts it "
                                                 "from any step.")

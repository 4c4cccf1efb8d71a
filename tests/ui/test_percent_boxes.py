"""Every box that holds a share reads as every figure on screen does, "70%" with no space (figures.percent): the
Split & health tab's ratios and the Model page's augmentation shares. Real window, offscreen Qt."""

from __future__ import annotations


def test_the_split_ratios_and_augmentation_shares_read_as_figures_do(window, tmp_path):
    assert window.create_project(tmp_path / "p")
    splits = window.workspace.data.splits
    aug = window.workspace.model_page.tabs.augment_panel
    assert splits.train.text() == "70%" and splits.val.text() == "15%"
    for box in (splits.train, splits.val, splits.test, aug.translate, aug.brightness, aug.contrast, aug.saturation,
                aug.erasing):
        assert box.suffix() == "%" and box.text() == f"{box.value()}%", box.text()

"""`cnnstudio split` keeps copies and near copies of a picture in one split (engine/runs/split_groups.py finds them,
project/split_together.py keeps them together): on part of the shipped sample, where a split that ignores them leaves
copies across splits, the data check finds no leak after it, and the command says how many pairs it kept."""

from __future__ import annotations

import shutil

import pytest

from cnnstudio.engine.runs.doctor import check_data
from cnnstudio.engine.runs.split_groups import find_split_groups
from cnnstudio.project import Project
from cnnstudio.project.split_together import group_splits, together
from cnnstudio.resources import resource_path
from tests.cli.helpers import run

CLASSES = ("1", "2", "3")  # digits with near copies in the sample (8 x 8 pictures: look-alikes abound)


def _leaks(root, use_backbone: bool = False) -> list:
    with Project.open(root) as p:
        report = check_data(p, kinds=("duplicates", "leaks"), use_backbone=use_backbone)
    return [f for f in report.findings if f.kind == "leak"]


@pytest.fixture
def sample_part(tmp_path, capsys):
    src = tmp_path / "src"
    for name in CLASSES:
        shutil.copytree(resource_path("sample") / name, src / name)
    root = tmp_path / "proj"
    assert run(capsys, "new", root)[0] == 0
    assert run(capsys, "import", "--quiet", "--labels-from-folders", root, src)[0] == 0
    return root


def test_split_leaves_no_copy_across_splits(sample_part, capsys):
    with Project.open(sample_part) as p:
        groups = find_split_groups(p)
        p.assign_splits((70, 15, 15), seed=0)  # the split before: copies drawn one by one
        assert together(groups, group_splits(p, groups)).apart, "a split that ignores copies puts some apart"
    code, text, _ = run(capsys, "split", sample_part, "--resplit-test")
    assert code == 0
    said = [line for line in text.splitlines() if line.startswith("Kept ")]
    assert len(said) == 1 and said[0].endswith(" pairs of near-identical pictures in the same split so the test "
                                               "stays honest.")
    assert _leaks(sample_part) == []
    code, out, _ = run(capsys, "split", sample_part, "--resplit-test", "--json")
    assert out["copies_together"] == int(said[0].split()[1]) and out["copies_apart"] == 0


@pytest.mark.slow
def test_the_check_with_pretrained_features_finds_no_leak_either(sample_part, capsys):
    from cnnstudio.engine.errors import WeightsNotFound
    from cnnstudio.engine.model.backbones import find_weights

    try:
        find_weights("mobilenet_v2")
    except WeightsNotFound:
        pytest.skip("the MobileNetV2 weights are not installed: the check looks at the pixels only")
    assert run(capsys, "split", sample_part)[0] == 0
    assert _leaks(sample_part, use_backbone=True) == []

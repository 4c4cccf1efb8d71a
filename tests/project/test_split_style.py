"""Split colours are not class colours: the split chart's "val" is never the first class's orange."""

from cnnstudio.project import Project
from cnnstudio.project.split_style import SPLIT_BADGES, SPLIT_COLORS, split_color, split_rgb
from cnnstudio.ui.colour_rules import text_on


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))


def test_no_split_colour_is_or_is_near_a_class_colour(tmp_path):
    with Project.create(tmp_path / "p") as p:
        for i in range(20):
            p.add_class(f"class {i}")
        class_colors = [c.color.upper() for c in p.classes()]
    assert len(class_colors) == 20
    for split, color in SPLIT_COLORS.items():
        assert color.upper() not in class_colors, split
        for cc in class_colors:  # not merely unequal: far enough apart to be told apart at a glance
            distance = sum((a - b) ** 2 for a, b in zip(_rgb(color), _rgb(cc))) ** 0.5
            assert distance >= 40, (split, color, cc)


def test_the_three_splits_differ_from_each_other_and_their_badges_read():
    rgbs = [split_rgb(s) for s in ("train", "val", "test")]
    assert len(set(rgbs)) == 3
    assert set(SPLIT_BADGES) == {"train", "val", "test"}
    assert text_on(split_color("train")) == "#FFFFFF" and text_on(split_color("test")) == "#000000"

"""The Data page's dataset health in a beginner's words (QA first-run #10, data2): "pictures", the File menu's real
items, a note (not a red error) where training splits by itself, and one picture said as one."""

from __future__ import annotations

from cnnstudio.project import Project, import_paths
from cnnstudio.project.health import SPLIT_NOW, dataset_warnings
from tests.conftest import write_dataset


def test_an_empty_project_names_the_real_import_menu_items(tmp_path):
    (w,) = dataset_warnings(Project.create(tmp_path / "p"))
    assert w.text == ("The project has no pictures yet: drop pictures or folders onto the window, or use File > "
                      "Import Images… (Ctrl+I) or File > Import Folder… (Ctrl+Shift+I).")


def test_nothing_split_yet_is_a_note_that_training_splits_first(tmp_path):
    p = Project.create(tmp_path / "p")
    import_paths(p, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=12)], labels_from_folders=True)
    (w,) = [w for w in dataset_warnings(p) if w.fix == SPLIT_NOW]
    assert w.level == "info"
    assert w.in_app == ("No picture is in a split yet: training will first divide the labelled pictures 70/15/15 "
                        "into train, validation and test. Press 'Split' to choose other ratios.")
    assert all(w.level != "error" for w in dataset_warnings(p))
    ids = p.ids()
    p.set_split(ids[1:], "test")  # some split, none in train: training would not split by itself
    (w,) = [w for w in dataset_warnings(p) if w.fix == SPLIT_NOW]
    assert w.level == "error" and w.text.startswith("No picture is in the training split yet")
    assert "1 labelled picture has no split yet" not in w.text
    p.set_split(ids[1:], "train")
    said = [w.text for w in dataset_warnings(p)]
    assert ("1 labelled picture has no split yet, so training leaves it out: press 'Split' to give it one (it keeps "
            "your test pictures where they are; the others may move between training and validation).") in said
    assert not [t for t in said if " image" in t]


def test_pictures_without_a_class_are_said_as_the_data_page_says_them(tmp_path):
    """"No class" in the filter, tiles, preview and status bar: the health line says the same, one picture as one."""
    p = Project.create(tmp_path / "p")
    import_paths(p, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=6)], labels_from_folders=True)
    ids = p.ids()
    p.set_labels(ids[:2], None)
    said = [w.text for w in dataset_warnings(p)]
    assert ("2 pictures have no class yet and will not be used for training: select them and press a class's number "
            "key (the # column of the class list).") in said
    assert not [t for t in said if "unlabelled" in t]
    p.set_labels(ids[1:2], p.classes()[0].id)
    assert ("1 picture has no class yet and will not be used for training: select it and press a class's number key "
            "(the # column of the class list).") in [w.text for w in dataset_warnings(p)]

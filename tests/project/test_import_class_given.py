"""A picture already in the project without a class gets the class an import gives it (its folder's name, or
``class_name``); one with a class keeps it. And which folders look like classes (import_walk.class_folders)."""

from __future__ import annotations

from cnnstudio.project import Project, import_paths
from cnnstudio.project.import_dups import class_given_line
from cnnstudio.project.import_walk import class_folders
from tests.conftest import write_dataset, write_image


def _classes(project: Project) -> dict[str, str | None]:
    names = {c.id: c.name for c in project.classes()}
    return {r.original_name: names.get(r.class_id) for r in project.records(project.ids())}


def test_a_duplicate_without_a_class_takes_its_folders_class_and_one_with_a_class_keeps_it(tmp_path):
    pics = write_dataset(tmp_path / "pics", classes=("circle", "square"), per_class=3)
    with Project.create(tmp_path / "q") as project:
        first = import_paths(project, [pics])
        assert len(first.imported) == 6 and not first.class_given and first.class_given_line == ""
        project.set_labels([project.ids()[0]], project.add_class("ring"))  # circle_0: labelled by hand
        again = import_paths(project, [pics], labels_from_folders=True)
        assert again.imported == [] and len(again.duplicates) == 6
        assert len(again.class_given) == 5 and again.to_json()["class_given"] == 5
        assert sorted(again.classes_created) == ["circle", "square"]
        assert again.class_given_line == "5 pictures already in the project got their class from their folder"
        assert _classes(project) == {"circle_0.png": "ring", "circle_1.png": "circle", "circle_2.png": "circle",
                                     "square_0.png": "square", "square_1.png": "square", "square_2.png": "square"}
        third = import_paths(project, [pics], labels_from_folders=True)  # all have a class now: nothing changes
        assert not third.class_given and third.class_given_line == "" and third.classes_created == []


def test_a_duplicate_without_a_class_takes_the_class_given_and_the_line_names_it(tmp_path):
    pic = write_image(tmp_path / "loose" / "a.png")
    with Project.create(tmp_path / "q") as project:
        import_paths(project, [pic])
        report = import_paths(project, [pic], class_name="cat")
        assert report.class_given_line == "1 picture already in the project without a class got the class “cat”"
        assert "class_left" not in report.duplicates[0]  # it has the class asked for now: nothing left
        assert _classes(project) == {"a.png": "cat"}


def test_the_line_for_classes_from_both_folders_and_the_class_given():
    rows = [{"class_given": "cat", "class_from": "folder"}, {"class_given": "dog", "class_from": "class"}]
    assert class_given_line(rows) == ("2 pictures already in the project without a class got their class from "
                                      "this import")
    assert class_given_line([{"path": "x"}]) == ""


def test_class_folders_are_the_first_folders_holding_pictures_split_folders_looked_into(tmp_path):
    write_dataset(tmp_path / "pics", classes=("square", "Circle"), per_class=1)
    (tmp_path / "pics" / "empty").mkdir()
    write_image(tmp_path / "pics" / ".hidden" / "h.png")
    (tmp_path / "pics" / "notes").mkdir()
    (tmp_path / "pics" / "notes" / "readme.txt").write_text("not a picture")
    assert class_folders([tmp_path / "pics"]) == ["Circle", "square"]
    write_dataset(tmp_path / "data" / "train", classes=("cat", "dog"), per_class=1)
    write_dataset(tmp_path / "data" / "test", classes=("cat",), per_class=1)
    write_image(tmp_path / "data" / "val" / "loose.png")
    assert class_folders([tmp_path / "data"]) == ["cat", "dog"]
    assert class_folders([tmp_path / "data"], keep_split_folders=False) == ["test", "train", "val"]
    write_image(tmp_path / "flat" / "one.png")
    assert class_folders([tmp_path / "flat"]) == [] and class_folders([tmp_path / "flat" / "one.png"]) == []


def test_two_copies_of_one_picture_without_a_class_count_it_once(tmp_path):
    """QA (3,010 pictures): imported again with its folders' classes, a picture the project holds once while the
    folder holds it twice was said twice ("2,982 pictures already in the project ..." of 2,981)."""
    import shutil

    pics = write_dataset(tmp_path / "pics", classes=("circle", "square"), per_class=2)
    with Project.create(tmp_path / "q") as project:
        assert len(import_paths(project, [pics]).imported) == 4
        shutil.copy(pics / "circle" / "circle_0.png", pics / "circle" / "circle_0 copy.png")
        again = import_paths(project, [pics], labels_from_folders=True)
        assert len(again.duplicates) == 5 and sorted(again.class_given) == sorted(project.ids())
        assert again.class_given_line == "4 pictures already in the project got their class from their folder"

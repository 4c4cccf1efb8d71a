"""What an import changed, from its report (the Data page's undo step takes exactly this back, ui/import_command.py):
the pictures it added, those it brought back from the trash, those it gave a class, each once."""

from __future__ import annotations

from cnnstudio.project import ImageFilter, Project, import_paths
from tests.conftest import write_dataset, write_image


def test_the_report_names_the_pictures_added_brought_back_from_the_trash_and_classed(tmp_path):
    pics = write_dataset(tmp_path / "pics", classes=("circle",), per_class=3)
    with Project.create(tmp_path / "q") as project:
        first = import_paths(project, [pics])  # without labels: three pictures without a class
        assert not first.untrashed and first.changed == first.imported and len(first.imported) == 3
        trashed = first.imported[0]
        project.delete_images([trashed])
        new = write_image(tmp_path / "more" / "circle" / "new.png", color=(250, 1, 1))
        again = import_paths(project, [pics, tmp_path / "more"], labels_from_folders=True)
        assert again.untrashed == [trashed] and project.in_trash([trashed]) == set()
        assert sorted(again.class_given) == sorted(first.imported)  # the one back from the trash had no class either
        assert len(again.imported) == 1 and project.records(again.imported)[0].original_name == new.name
        assert sorted(again.changed) == sorted(first.imported + again.imported)  # each picture once
        assert project.count(ImageFilter(class_id=project.class_by_name("circle").id)) == 4
        assert import_paths(project, [pics, tmp_path / "more"], labels_from_folders=True).changed == []

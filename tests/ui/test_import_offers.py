"""What an import's report offers (QA report on the Data step, items 5 and 19): pictures that came without a class
are counted with "Show them", and while the gallery shows one class, "Give them the class “cat”"; "Undo this import
(move its N pictures to the trash)" takes the whole import back. Each is one undoable step, on the Data step."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from cnnstudio.project import UNLABELLED, ImageFilter
from cnnstudio.ui.workspace import step_index
from tests.conftest import write_image
from tests.ui.conftest import open_data_page


@pytest.fixture
def data(window, tmp_path):
    open_data_page(window, tmp_path, ("cat", "dog"), per_class=4)
    window.importer.show_report = True
    return window


def _import(window, qtbot, tmp_path, n=3, name="new"):
    files = [write_image(tmp_path / name / f"{name}{i}.png", color=(i * 60, 200, 9)) for i in range(n)]
    with qtbot.waitSignal(window.importer.finished, timeout=20_000) as blocker:
        assert window.import_paths(files, [], ask=False)
    dialog = window.importer.report_dialog
    assert dialog.isVisible()
    return blocker.args[0], dialog


def test_pictures_imported_while_one_class_is_shown_are_offered_that_class(data, qtbot, tmp_path):
    page, p = data.workspace.data, data.session.project
    cat = p.class_by_name("cat").id
    page.gallery.show_class(cat)
    report, dialog = _import(data, qtbot, tmp_path)
    assert "3 pictures have no class yet" in dialog.findChild(QLabel, "summary").text()
    assert dialog.actions["give"].text() == "Give them the class “cat”"
    assert dialog.actions["trash"].text() == "Undo this import (move its 3 pictures to the trash)"
    assert dialog.minimumSizeHint().width() <= 1024  # its three buttons in a row fit a small screen
    dialog.actions["give"].click()
    assert not dialog.isVisible()
    assert p.count(ImageFilter(class_id=cat)) == 3
    assert sorted(page.gallery.list.selected_ids()) == sorted(report.imported)  # in view, selected
    assert "Labelled 3 pictures as “cat”" in data.statusBar().currentMessage()
    data.undo_action.trigger()
    assert p.count(ImageFilter(class_id=cat)) == 0 and p.count(ImageFilter(class_id=UNLABELLED)) == 7


def test_show_them_sets_the_filter_to_the_pictures_without_a_class(data, qtbot, tmp_path):
    page = data.workspace.data
    page.gallery.show_class(data.session.project.class_by_name("dog").id)
    data.workspace.show_step(step_index("train"))  # File > Import works from any step
    report, dialog = _import(data, qtbot, tmp_path, n=2)
    dialog.actions["show"].click()
    assert data.workspace.current_step() == "data"
    assert page.gallery.class_filter.currentText() == "No class"
    assert sorted(page.gallery.list.selected_ids()) == sorted(report.imported)


def test_the_report_moves_the_whole_import_to_the_trash_undoably(data, qtbot, tmp_path):
    p = data.session.project
    report, dialog = _import(data, qtbot, tmp_path, n=2)
    assert "give" not in dialog.actions  # all classes shown: nothing to offer but showing them
    assert dialog.actions["trash"].text() == "Undo this import (move its 2 pictures to the trash)"  # the whole import
    dialog.actions["trash"].click()  # the import's own step undone: Redo brings it back
    assert p.count() == 4 and sorted(p.ids(ImageFilter(trashed=True))) == sorted(report.imported)
    assert data.workspace.current_step() == "data" and "Import 2 pictures" in data.redo_action.text()
    assert "Import 2 pictures undone" in data.statusBar().currentMessage()
    data.redo_action.trigger()
    assert p.count() == 6


def test_the_reports_undo_after_a_later_step_trashes_the_import_as_a_step_of_its_own(data, qtbot, tmp_path):
    p = data.session.project
    report, dialog = _import(data, qtbot, tmp_path, n=2)
    data.session.label(report.imported[:1], p.class_by_name("dog").id)  # a step after the import
    dialog.actions["trash"].click()
    assert sorted(p.ids(ImageFilter(trashed=True))) == sorted(report.imported)
    assert "Trash 2 pictures" in data.undo_action.text()
    data.undo_action.trigger()
    assert p.count() == 6 and p.count(ImageFilter(class_id=p.class_by_name("dog").id)) >= 1


def test_a_labelled_import_offers_only_the_trash(data, qtbot, tmp_path):
    src = tmp_path / "more"
    for i in range(2):
        write_image(src / "dog" / f"d{i}.png", color=(9, i * 90, 90))
    with qtbot.waitSignal(data.importer.finished, timeout=20_000):
        data.importer.start([src], [], labels_from_folders=True)
    dialog = data.importer.report_dialog
    assert "no class yet" not in dialog.findChild(QLabel, "summary").text()
    assert set(dialog.actions) == {"trash"}


def test_labelled_pictures_imported_after_the_first_split_are_said_left_out_with_split_at_hand(data, qtbot, tmp_path):
    """QA: pictures imported after the first split have no split, and training left them out without a word in the
    window. The report says so (project/left_out.py's sentence, as ``cnnstudio train`` says it) with "Split", and so
    does the Split & health tab until they have one; the test pictures stay where they are."""
    from cnnstudio.project.left_out import left_out_words

    page, p = data.workspace.data, data.session.project
    ids = p.ids()  # 4 pictures: a cat and a dog in train, a cat in validation, a dog in test
    p.set_labels(ids[:2], p.class_by_name("cat").id)
    p.set_labels(ids[2:], p.class_by_name("dog").id)
    p.set_split([ids[0], ids[2]], "train")
    p.set_split([ids[1]], "val")
    p.set_split([ids[3]], "test")
    data.session.splits_changed.emit()
    src = tmp_path / "more"
    for i in range(3):
        write_image(src / "dog" / f"d{i}.png", color=(9, i * 90, 90))
    with qtbot.waitSignal(data.importer.finished, timeout=20_000):
        data.importer.start([src], [], labels_from_folders=True)
    dialog = data.importer.report_dialog
    said = left_out_words(3)
    assert said.startswith("3 labelled pictures have no split yet, so training leaves them out: press 'Split'")
    assert said in dialog.findChild(QLabel, "summary").text().replace("&#x27;", "'")
    assert said in page.splits.health.text()  # the Data page's health panel, beside its Split button
    assert set(dialog.actions) == {"split", "trash"}
    with qtbot.waitSignal(data.session.splits_changed, timeout=20_000):
        dialog.actions["split"].click()
    assert not dialog.isVisible() and page.side.currentWidget() is page.splits
    assert p.count(ImageFilter(split="none")) == 0
    assert p.image(ids[3]).split == "test"  # the test picture stayed
    assert said not in page.splits.health.text()


def test_the_pictures_in_red_are_shown_on_the_data_page(data, qtbot, tmp_path):
    """QA beginner shot 07: a picture in two folders that give it two classes was listed in red, "Check them on the
    Data page", with no way to find it there. "Show the picture in red" selects the kept one, every class shown."""
    page, p = data.workspace.data, data.session.project
    page.gallery.show_class(p.class_by_name("dog").id)
    banana = write_image(tmp_path / "fruit" / "apples" / "banana.png", color=(230, 210, 40))
    (tmp_path / "fruit" / "bananas").mkdir()
    (tmp_path / "fruit" / "bananas" / "banana.png").write_bytes(banana.read_bytes())
    data.workspace.show_step(step_index("train"))
    with qtbot.waitSignal(data.importer.finished, timeout=20_000) as blocker:
        assert data.importer.start([tmp_path / "fruit"], [], labels_from_folders=True, keep_split_folders=True)
    report, dialog = blocker.args[0], data.importer.report_dialog
    assert dialog.actions["conflicts"].text() == "Show the picture in red"
    dialog.actions["conflicts"].click()
    assert not dialog.isVisible() and data.workspace.current_step() == "data"
    assert page.gallery.class_filter.currentIndex() == 0  # every class: the kept copy's class is not "dog"
    assert page.gallery.list.selected_ids() == report.imported  # the one picture kept, as "apples"
    assert p.image(report.imported[0]).class_id == p.class_by_name("apples").id

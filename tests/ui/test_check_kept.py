"""The Check data panel keeps its last check in the project (engine/runs/doctor_kept.py) and shows a finding's
pictures side by side (ui/data/check_compare.py): a real check of real pictures in a real project, reopened."""

from __future__ import annotations

import io
import shutil

from PIL import Image
from PySide6.QtCore import Qt

from cnnstudio.engine.runs.doctor import check_data
from cnnstudio.engine.runs.doctor_findings import Finding
from cnnstudio.engine.runs.doctor_kept import KEPT_FILE
from cnnstudio.project import Project, import_paths
from cnnstudio.resources import sample_dataset_dir
from cnnstudio.ui.data.check_compare import CompareDialog
from cnnstudio.ui.data.check_panel import FINDING, CheckPanel
from cnnstudio.ui.session import ProjectSession


def _pictures(tmp_path):
    """20 sample digits, a black picture (unusable) and a re-saved copy of a "1" (a leak once it is in test)."""
    src = tmp_path / "src"
    for c in ("0", "1"):
        (src / c).mkdir(parents=True)
        for f in sorted((sample_dataset_dir() / c).glob("*.png"))[:10]:
            shutil.copy(f, src / c / f.name)
    Image.new("L", (28, 28), 0).save(src / "0" / "black.png")
    buf = io.BytesIO()
    Image.open(sorted((src / "1").glob("*.png"))[0]).convert("RGB").save(buf, "JPEG", quality=70)
    (src / "1" / "copy.jpg").write_bytes(buf.getvalue())
    return src


def _project(window, tmp_path):
    assert window.create_project(tmp_path / "proj")
    p = window.session.project
    import_paths(p, [_pictures(tmp_path)], labels_from_folders=True)
    recs = {r.original_name: r for r in p.records(p.ids())}
    p.set_split([r.id for r in recs.values()], "train")
    p.set_split([recs["copy.jpg"].id], "test")
    window.session.images_changed.emit()
    window.session.undo_stack.clear()
    return recs


def _rows(panel):
    return [g.child(i) for g in (panel.tree.topLevelItem(n) for n in range(panel.tree.topLevelItemCount()))
            for i in range(g.childCount())]


def _check(panel, qtbot):
    with qtbot.waitSignal(panel.checked, timeout=180_000):
        panel.run.click()
    qtbot.waitUntil(lambda: panel.thread is None)


def _reopen(window, path):
    window.close_project()
    assert window.open_project(path)
    return window.workspace.data.check


def test_a_check_is_kept_and_shown_again_after_reopening(window, tmp_path, qtbot):
    recs = _project(window, tmp_path)
    panel = window.workspace.data.check
    assert not panel.when.isVisibleTo(panel)  # no check kept yet
    _check(panel, qtbot)
    assert (tmp_path / "proj" / KEPT_FILE).is_file()
    total = len(panel.report.findings)
    shown = [r.data(0, FINDING) for r in _rows(panel)]
    black = next(f for f in shown if f.images == (recs["black.png"].id,))

    panel = _reopen(window, tmp_path / "proj")
    window.workspace.data.side.setCurrentWidget(panel)
    assert [r.data(0, FINDING) for r in _rows(panel)] == shown
    assert panel.run.text() == "Check again" and f"{total} thing" in panel.summary.text()
    assert panel.when.isVisibleTo(panel) and panel.when.text().startswith("Checked ")
    assert "since this check" not in panel.when.text()

    # a fix applied after reopening; then, with the project closed, a picture added and one relabelled
    panel.tree.setCurrentItem(next(r for r in _rows(panel) if r.data(0, FINDING) == black))
    next(b for b in panel.fix_buttons if b.text() == "Trash it").click()
    assert black not in [r.data(0, FINDING) for r in _rows(panel)]
    qtbot.waitUntil(lambda: not panel._when_timer.isActive())  # what changed is counted once after a burst
    assert panel.when.text().startswith("Checked ") and "since this check" not in panel.when.text()  # the check's fix
    plain = next(r for n, r in recs.items() if all(r.id not in f.images for f in shown))
    window.session.set_split([plain.id], "val")  # while the panel is open: said
    qtbot.waitUntil(lambda: "1 picture moved to another split since this check; press Check again to include it."
                    in panel.when.text())  # a split alone: moved, not "changed" (QA: a split said "1,500 changed")
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: "since this check" not in panel.when.text())
    window.close_project()
    with Project.open(tmp_path / "proj") as p:
        more = tmp_path / "more"
        more.mkdir()
        Image.new("RGB", (28, 28), (200, 10, 10)).save(more / "red.png")
        import_paths(p, [more])
        p.set_labels([plain.id], None)
    assert window.open_project(tmp_path / "proj")
    panel = window.workspace.data.check
    left = [r.data(0, FINDING) for r in _rows(panel)]
    assert black not in left and left == [f for f in shown if f != black]  # fixed: it does not come back
    assert "1 picture added and 1 changed since this check; press Check again to include them." in panel.when.text()


def test_a_damaged_kept_check_is_ignored(window, tmp_path, qtbot):
    _project(window, tmp_path)
    window.close_project()
    (tmp_path / "proj" / KEPT_FILE).write_text('{"format": "cnnstudio data check", "version": 1, "findings": 7}')
    panel = _reopen(window, tmp_path / "proj")
    assert panel.report is None and _rows(panel) == [] and panel.run.text() == "Check data"
    assert not panel.when.isVisibleTo(panel)


def test_a_read_only_project_shows_its_check_and_says_it_was_not_kept(tmp_path, qtbot):
    src = _pictures(tmp_path)
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [src], labels_from_folders=True)
        report = check_data(p, ("duplicates", "quality"), use_backbone=False)
    project = Project.open(tmp_path / "proj", read_only=True)
    session = ProjectSession(project)
    panel = CheckPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    try:
        panel._on_done(report)  # what the check's worker calls when it ends
        assert len(_rows(panel)) == len(report.findings) > 0
        said = panel.when.text()
        assert said.count("The results were not kept") == 1 and "read-only" in said
        assert not (tmp_path / "proj" / KEPT_FILE).exists()
    finally:
        project.close()


def test_the_compare_view_shows_a_findings_pictures_and_its_fix_applies(window, tmp_path, qtbot):
    recs = _project(window, tmp_path)
    window.resize(1024, 614)  # the smallest window the app fits
    panel = window.workspace.data.check
    window.workspace.data.side.setCurrentWidget(panel)
    _check(panel, qtbot)
    row = next(r for r in _rows(panel) if recs["copy.jpg"].id in r.data(0, FINDING).images)
    leak = row.data(0, FINDING)
    assert leak.kind == "leak"
    panel.tree.setCurrentItem(row)
    assert panel.compare_button.isEnabled()
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)  # Enter on a finding opens it
    dialog = panel.compare_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert [c.image_id for c in dialog.cards] == list(leak.images)
    words = {c.image_id: c.facts.text() for c in dialog.cards}
    copy = recs["copy.jpg"]
    assert f"{copy.width} × {copy.height} pixels" in words[copy.id] and "Split: Test" in words[copy.id]
    assert "Class: 1" in words[copy.id] and dialog.cards[0].name.toolTip() in {r.original_name for r in recs.values()}
    assert [b.text() for b in dialog.fix_buttons] == [b.text() for b in panel.fix_buttons]
    assert not any("Kept by" in c.facts.text() for c in dialog.cards)  # a leak's fixes trash nothing
    hint = dialog.minimumSizeHint()
    assert dialog.width() <= 1024 and dialog.height() <= 614 and hint.width() <= 1024 and hint.height() <= 614
    assert all(c.picture.width() >= 150 and c.picture.height() >= 150 for c in dialog.cards)  # large, side by side
    assert dialog.cards[0].geometry().right() < dialog.cards[1].geometry().left()
    assert dialog.current == 0
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    assert dialog.current == 1
    qtbot.keyClick(dialog, Qt.Key.Key_Right)  # the last: it stays
    assert dialog.current == len(dialog.cards) - 1 == 1
    dialog.fix_buttons[0].setFocus()
    qtbot.keyClick(dialog.fix_buttons[0], Qt.Key.Key_Left)  # from a button too, not moving between buttons
    assert dialog.current == 0 and dialog.focusWidget() is dialog.fix_buttons[0]

    move = next(b for b in dialog.fix_buttons if b.text().startswith("Move to the"))
    with qtbot.waitSignal(dialog.finished):
        move.click()
    assert window.session.project.image(copy.id).split == "train"
    assert leak not in [r.data(0, FINDING) for r in _rows(panel)]
    window.undo_action.trigger()  # one undoable action, as from the panel
    assert window.session.project.image(copy.id).split == "test"
    assert leak in [r.data(0, FINDING) for r in _rows(panel)]

    # Esc closes; a double-click opens it too
    row = next(r for r in _rows(panel) if r.data(0, FINDING) == leak)
    panel.tree.setCurrentItem(row)
    panel.tree.itemActivated.emit(row, 0)
    dialog = panel.compare_dialog
    qtbot.waitUntil(dialog.isVisible)
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    # near copies: the picture "Trash the other 2" keeps is marked; 3 pictures side by side in the smallest window
    ids = tuple(r.id for r in list(recs.values())[:3])
    near = Finding("near_duplicate", ids, 0.9, "3 almost identical pictures", splits=("train",) * 3, key="k")
    dialog = CompareDialog(panel, near, window)
    dialog.open()
    qtbot.waitUntil(dialog.isVisible)
    assert [b.text() for b in dialog.fix_buttons] == ["Trash the other 2", "Keep them all"]
    assert ["Kept by “Trash the other 2”" in c.facts.text() for c in dialog.cards] == [True, False, False]
    qtbot.waitUntil(lambda: dialog.cards[2].geometry().right() <= dialog.scroll.viewport().width())
    dialog.reject()

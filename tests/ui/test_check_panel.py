"""The Data step's "Check data" panel: a real check in a worker thread, findings grouped, fixes undoable."""

from __future__ import annotations

import io
import shutil

from PIL import Image

from cnnstudio.engine.runs.doctor import kept_keys
from cnnstudio.project import import_paths
from cnnstudio.resources import sample_dataset_dir
from cnnstudio.ui.data.check_panel import GROUP


def _findings(panel, kind_title):
    for g in range(panel.tree.topLevelItemCount()):
        group = panel.tree.topLevelItem(g)
        if group.data(0, GROUP)[1].startswith(kind_title):  # the whole title: the shown one may end in "…"
            return [group.child(i) for i in range(group.childCount())]
    return []


def test_check_then_fix_and_undo(window, tmp_path, qtbot):
    src = tmp_path / "src"
    for c in ("0", "1"):
        (src / c).mkdir(parents=True)
        for f in sorted((sample_dataset_dir() / c).glob("*.png"))[:25]:
            shutil.copy(f, src / c / f.name)
    Image.new("L", (28, 28), 0).save(src / "0" / "black.png")
    buf = io.BytesIO()
    Image.open(sorted((src / "1").glob("*.png"))[0]).convert("RGB").save(buf, "JPEG", quality=70)
    (src / "1" / "copy.jpg").write_bytes(buf.getvalue())
    assert window.create_project(tmp_path / "proj")
    s = window.session
    p = s.project
    import_paths(p, [src], labels_from_folders=True)
    recs = {r.original_name: r for r in p.records(p.ids())}
    original = recs[sorted(n for n in recs if n.startswith("1_"))[0]]
    p.set_split([r.id for r in recs.values()], "train")
    p.set_split([recs["copy.jpg"].id], "test")
    s.images_changed.emit()
    s.undo_stack.clear()
    data = window.workspace.data
    panel = data.check
    data.side.setCurrentWidget(panel)

    with qtbot.waitSignal(panel.checked, timeout=180_000):
        panel.run.click()
    qtbot.waitUntil(lambda: panel.thread is None)
    assert "pictures checked" in panel.summary.text() and panel.run.text() == "Check again"
    total = len(panel.report.findings)
    assert f"{total} thing" in panel.summary.text() and "linear classifier" in panel.summary.toolTip()

    # an unusable picture: selecting it selects it in the gallery; Trash is one undoable action
    flat = [i for i in _findings(panel, "Pictures that may be unusable")
            if i.data(0, 256).images == (recs["black.png"].id,)]
    assert len(flat) == 1
    panel.tree.setCurrentItem(flat[0])
    assert data.gallery.list.selected_ids() == [recs["black.png"].id]
    assert [b.text() for b in panel.fix_buttons] == ["Trash it", "Keep it"]
    trash = panel.fix_buttons[0]
    unusable = len(flat_group := _findings(panel, "Pictures that may be unusable"))
    trash.click()
    assert recs["black.png"].id not in p.ids()
    assert s.undo_stack.undoText() == "Trash 1 picture"  # the button said "Trash it"; the window says picture
    assert window.statusBar().currentMessage() == "Done: Trash 1 picture. Ctrl+Z undoes it."  # QA data2: it was silent
    assert len(_findings(panel, "Pictures that may be unusable")) == unusable - 1
    left = [f for f in panel.report.findings if recs["black.png"].id not in f.images]  # all about it close
    assert f"{len(left)} of {total} things still to look at" in panel.summary.text()
    window.undo_action.trigger()  # Edit > Undo: the picture and its finding come back, to choose another fix
    assert recs["black.png"].id in p.ids()
    assert len(_findings(panel, "Pictures that may be unusable")) == unusable == len(flat_group)
    assert f"{total} things to look at" in panel.summary.text()

    # the copy in the test split: a leak, moved to the training split in one click, undoable
    leak = [i for i in _findings(panel, "Copies in more than one split") if recs["copy.jpg"].id in i.data(0, 256).images]
    assert len(leak) == 1 and original.id in leak[0].data(0, 256).images
    panel.tree.setCurrentItem(leak[0])
    leak_finding = leak[0].data(0, 256)
    reason = leak_finding.reason  # a row shows three lines of it; the selected one is said in full
    assert panel.detail.isVisible() and panel.detail.text() == reason[0].upper() + reason[1:] + "."
    assert [b.text() for b in panel.fix_buttons] == ["Move to the training split", "Leave them where they are"]
    # the longest fix words still fit a small laptop's screen, once the layouts have taken the new rows in: each
    # level's layout request is posted by the one below, so one round of events may still read a stale (wider) hint
    qtbot.waitUntil(lambda: window.minimumSizeHint().width() <= 1024, timeout=5_000)
    move = panel.fix_buttons[0]
    leaks = len(_findings(panel, "Copies in more than one split"))
    move.click()
    assert p.image(recs["copy.jpg"].id).split == "train"
    assert s.undo_stack.undoText() == "Move 1 copy to the training split"
    assert len(_findings(panel, "Copies in more than one split")) == leaks - 1
    window.undo_action.trigger()
    assert p.image(recs["copy.jpg"].id).split == "test"
    back = [i for i in _findings(panel, "Copies in more than one split") if i.data(0, 256) == leak_finding]
    assert len(_findings(panel, "Copies in more than one split")) == leaks and len(back) == 1
    window.redo_action.trigger()  # redo closes it again
    assert len(_findings(panel, "Copies in more than one split")) == leaks - 1
    window.undo_action.trigger()

    # Keep: stored in the project, undoable
    left = _findings(panel, "Labels that may be wrong") + _findings(panel, "Near duplicates") \
        + _findings(panel, "Classes") + _findings(panel, "Unusual pictures")
    assert left
    finding = left[0].data(0, 256)
    panel.tree.setCurrentItem(left[0])
    keep_words = ("Keep the label", "Keep them all", "Keep it", "Dismiss")
    next(b for b in panel.fix_buttons if b.text() in keep_words).click()
    assert finding.key in kept_keys(p)
    shown = [i.data(0, 256) for g in range(panel.tree.topLevelItemCount())
             for i in _findings(panel, panel.tree.topLevelItem(g).data(0, GROUP)[1])]
    assert finding not in shown and len(shown) == total - 1
    s.undo_stack.undo()
    assert finding.key not in kept_keys(p)
    assert f"{total} things to look at" in panel.summary.text()


def test_a_fix_or_its_undo_keeps_closed_groups_the_scroll_place_and_the_selection(window, tmp_path, qtbot):
    """The list is rebuilt after each fix and undo: the groups the user closed stay closed, the list stays where it
    was scrolled to, the selected finding stays selected; a group's title goes on two lines in a narrow panel, and its
    count shows however narrow the panel."""
    from PySide6.QtWidgets import QApplication

    from cnnstudio.engine.runs.doctor import DataReport, Finding, fixes_for
    from cnnstudio.ui.data.check_panel import GROUP
    from tests.ui.test_training_view import make_project

    assert window.open_project(make_project(tmp_path))
    s, p = window.session, window.session.project
    ids = p.ids()
    assert len(ids) >= 16
    findings = [Finding("leak", (ids[0], ids[1]), 1.0, "the same picture in training and test",
                        splits=("train", "test"), key="leak-0")]
    findings += [Finding("quality", (i,), 0.5, f"almost all one colour ({n})", what="flat", key=f"q-{n}")
                 for n, i in enumerate(ids[2:16])]
    data = window.workspace.data
    panel = data.check
    data.side.setCurrentWidget(panel)
    panel.tree.setFixedHeight(120)  # a list longer than the tree: it scrolls
    panel.show_report(DataReport(images=len(ids), seconds=1.0, method="test", kinds=("quality", "leak"),
                                 findings=findings))
    QApplication.processEvents()

    def group(kind):
        return next(g for g in panel._groups() if g.data(0, GROUP)[0] == kind)

    group("leak").setExpanded(False)
    quality = group("quality")
    chosen = quality.child(11)
    panel.tree.setCurrentItem(chosen)
    bar = panel.tree.verticalScrollBar()
    assert bar.maximum() > 3
    bar.setValue(bar.maximum() - 1)
    scroll = bar.value()
    selected = chosen.data(0, 256)

    other = findings[3]  # "Keep" another finding: it leaves the list, which is rebuilt
    panel.apply(other, next(f for f in fixes_for(other) if f.action == "keep"))
    assert len(panel._shown) == len(findings) - 1
    assert not group("leak").isExpanded() and group("quality").isExpanded()
    assert bar.value() == scroll and panel.selected_finding() == selected

    s.undo_stack.undo()  # it comes back: the list is rebuilt again
    assert len(panel._shown) == len(findings)
    assert not group("leak").isExpanded()
    assert bar.value() == scroll and panel.selected_finding() == selected

    metrics = panel.tree.fontMetrics()
    panel.tree.setFixedWidth(190)  # a narrow panel: the title goes on two lines, its count whole at the end
    QApplication.processEvents()
    title = group("leak").text(0)
    room = panel.tree.viewport().width() - panel.tree.indentation()
    assert title.count("\n") == 1 and title.replace("\n", " ") == "Copies in more than one split (leaks) (1)"
    assert all(metrics.horizontalAdvance(line) <= room for line in title.split("\n"))
    row = panel.tree.visualItemRect(group("leak"))
    assert row.height() >= 2 * metrics.lineSpacing()  # both lines shown
    panel.tree.setFixedWidth(120)  # narrower: the second line gives way, the count does not
    QApplication.processEvents()
    title = group("leak").text(0)
    room = panel.tree.viewport().width() - panel.tree.indentation()
    assert title.endswith("… (1)") and title.startswith("Copies") and title.count("\n") == 1
    assert all(metrics.horizontalAdvance(line) <= room for line in title.split("\n"))

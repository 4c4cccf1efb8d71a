"""A dataset finding with a one-click fix: "No image is in the training split yet" offers "Split now", which splits
with the Split & health tab's ratios (undoable), and the finding closes once the split is there."""

from __future__ import annotations

from cnnstudio.engine.runs.doctor import DataReport, Finding, fixes_for
from cnnstudio.engine.runs.doctor_review import HEALTH
from cnnstudio.project import import_paths
from cnnstudio.project.health import SPLIT_NOW, dataset_warnings
from tests.conftest import write_dataset


def test_split_now_from_the_data_check(window, tmp_path):
    assert window.create_project(tmp_path / "p")
    s, p = window.session, window.session.project
    import_paths(p, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=10)], labels_from_folders=True,
                 keep_split_folders=False)
    p.set_split(p.ids(), None)  # labelled, in no split
    s.images_changed.emit()
    (warning,) = [w for w in dataset_warnings(p) if w.fix == SPLIT_NOW]
    finding = Finding("class", (), 1.0, warning.text, suggested=SPLIT_NOW, what=HEALTH, key="health-0")
    assert [f.text for f in fixes_for(finding)] == ["Split now", "Dismiss"]
    data = window.workspace.data
    panel = data.check
    data.side.setCurrentWidget(panel)
    panel.show_report(DataReport(images=20, seconds=1.0, method="test", kinds=("labels",), findings=[finding]))
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0).child(0))
    next(b for b in panel.fix_buttons if b.text() == "Split now").click()
    assert p.summary()["splits"]["train"] > 0  # split with the tab's ratios
    assert window.statusBar().currentMessage().startswith("Split: train")  # the tab's own words, not a bare "Done:"
    assert panel.tree.topLevelItemCount() == 0  # the warning no longer holds: its finding closed
    s.undo_stack.undo()
    assert p.summary()["splits"]["train"] == 0
    assert panel.tree.topLevelItemCount() == 1  # back, as the split went


def test_doctor_prints_the_split_command():
    from cnnstudio.cli.doctor_cmds import _fix

    finding = Finding("class", (), 1.0, "No image is in the training split yet", suggested=SPLIT_NOW, what=HEALTH)
    assert _fix(finding, "my p") == "fix: cnnstudio split 'my p'"

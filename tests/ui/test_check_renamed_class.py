"""A label finding's "Relabel as ..." after its class was renamed (QA: the fix held the old name and failed): it
relabels with the class the check named, under its new name. Real project, real Qt."""

from __future__ import annotations

from cnnstudio.engine.runs.doctor import DataReport, Finding
from cnnstudio.engine.runs.doctor_review import named_now
from cnnstudio.project import import_paths
from tests.conftest import write_dataset


def test_relabel_after_the_class_was_renamed(window, tmp_path):
    assert window.create_project(tmp_path / "p")
    s, p = window.session, window.session.project
    import_paths(p, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=3)], labels_from_folders=True)
    s.images_changed.emit()
    ids = {c.name: c.id for c in p.classes()}
    cat = next(r for r in p.records(p.ids()) if r.class_id == ids["cat"])
    wrong = Finding("label", (cat.id,), 0.9, "labelled “cat”, looks like “dog”", given="cat", suggested="dog",
                    key="k")
    report = DataReport(6, 1.0, "test", ("labels",), findings=[wrong], class_ids=dict(ids),
                        seen={cat.id: (ids["cat"], cat.split)})
    panel = window.workspace.data.check
    window.workspace.data.side.setCurrentWidget(panel)
    panel.show_report(report)
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0).child(0))
    s.rename_class(ids["dog"], "hound")
    assert named_now(wrong, report, p).suggested == "hound"
    button = next(b for b in panel.fix_buttons if b.text().startswith("Relabel"))
    assert button.text() == "Relabel as “hound”"
    button.click()
    assert p.image(cat.id).class_id == ids["dog"]  # the class the check meant, whatever its name now
    assert panel.tree.topLevelItemCount() == 0  # the finding closed
    s.undo_stack.undo()
    assert p.image(cat.id).class_id == ids["cat"]

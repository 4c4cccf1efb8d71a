"""QA: after every picture was trashed, the Check data panel's summary said "All 157 things looked at: nothing
left." Nothing was looked at: it says that every picture checked has been trashed since (the sentence of
engine/runs/doctor_review.all_trashed_words, which what changed since a kept check says too), once, and Undo brings
the summary back. Real Qt, a real project, real files."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cnnstudio.engine.runs.doctor import DataReport, Finding, fixes_for
from cnnstudio.project import import_paths
from tests.conftest import write_dataset

GONE = "Every picture checked has been trashed since this check: there is nothing left to check."


def test_everything_trashed_is_said_plainly_once_and_undo_brings_the_summary_back(window, tmp_path, qtbot):
    assert window.create_project(tmp_path / "p")
    s, p = window.session, window.session.project
    import_paths(p, [write_dataset(tmp_path / "src", ("circle", "square"), per_class=3)], labels_from_folders=True)
    s.images_changed.emit()
    ids = p.ids()
    seen = {r.id: (r.sha256, r.class_id, r.split) for r in p.records(ids)}
    flats = [Finding("quality", (i,), 0.5, f"almost all one colour ({n})", what="flat", key=f"q-{n}")
             for n, i in enumerate(ids[:2])]
    data = window.workspace.data
    panel = data.check
    data.side.setCurrentWidget(panel)
    panel.show_report(DataReport(images=len(ids), seconds=1.0, method="test", kinds=("quality",), findings=flats,
                                 pictures=seen))
    for f in flats:  # each finding looked at: its own fix
        panel.apply(f, next(x for x in fixes_for(f) if x.action == "trash"))
    assert "All 2 things looked at: nothing left." in panel.summary.text()
    s.delete_images(p.ids())  # then everything else
    assert p.count() == 0
    said = panel.summary.text()
    assert said == f"{len(ids)} pictures checked in 1 s. {GONE}" and "looked at" not in said
    qtbot.waitUntil(lambda: not panel._when_timer.isActive())
    QApplication.processEvents()
    assert GONE not in panel.when.text()  # said once, in the summary
    s.undo_stack.undo()
    assert "All 2 things looked at: nothing left." in panel.summary.text()

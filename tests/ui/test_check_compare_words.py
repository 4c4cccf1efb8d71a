"""The Compare dialog's words (ui/data/check_compare.py): a picture's split named as the Data page's filter and
gallery name it ("Train", "Validation", "Test", "No split": picture_words.SPLIT_NAMES, not "training"); a finding of
one picture (a doubtful label) is "Look at the picture", with no "← →" hint; two or more are compared with it."""

from __future__ import annotations

from cnnstudio.engine.runs.doctor_findings import Finding
from cnnstudio.project import import_paths
from cnnstudio.ui.data.check_compare import CompareDialog
from cnnstudio.ui.data.picture_words import SPLIT_NAMES
from tests.conftest import write_dataset


def _pictures(window, tmp_path) -> list[int]:
    """Four labelled pictures in train, validation, test and no split, in that order."""
    assert window.create_project(tmp_path / "proj")
    p = window.session.project
    import_paths(p, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=2)], labels_from_folders=True)
    ids = sorted(p.ids())
    for image_id, split in zip(ids, ("train", "val", "test")):
        p.set_split([image_id], split)
    window.session.images_changed.emit()
    return ids


def _dialog(window, qtbot, finding) -> CompareDialog:
    dialog = CompareDialog(window.workspace.data.check, finding, window)
    dialog.open()
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_each_split_is_named_as_the_gallery_names_it(window, tmp_path, qtbot):
    ids = _pictures(window, tmp_path)
    near = Finding("near_duplicate", tuple(ids), 0.9, "4 almost identical pictures", key="k")
    dialog = _dialog(window, qtbot, near)
    facts = [c.facts.text() for c in dialog.cards]
    assert [f.split("\n")[1] for f in facts] == ["Split: Train", "Split: Validation", "Split: Test", "Split: No split"]
    assert [SPLIT_NAMES[s] for s in ("train", "val", "test", None)] == ["Train", "Validation", "Test", "No split"]
    assert "training" not in " ".join(facts) and "split Train" in dialog.cards[0].accessibleName()
    assert dialog.windowTitle() == "Compare pictures"
    assert dialog.keys.text() == "Picture 1 of 4 · ← → the previous or next picture · Esc closes"
    dialog.reject()


def test_one_picture_is_looked_at_with_no_arrows_hint(window, tmp_path, qtbot):
    ids = _pictures(window, tmp_path)
    label = Finding("label", (ids[0],), 0.8, "This picture may be a dog", given="cat", suggested="dog", key="l")
    dialog = _dialog(window, qtbot, label)
    assert dialog.windowTitle() == "Look at the picture"
    assert dialog.keys.text() == "Esc closes" and "←" not in dialog.keys.text()
    assert [b.text() for b in dialog.fix_buttons][0] == "Relabel as “dog”"  # its fixes, as in the panel
    dialog.reject()

""""Check data" on a project with no labels yet (QA: an error naming a command-line flag): the checks that can run
do, and the summary says in plain words why the labels were not checked. Real check, real pictures, real Qt."""

from __future__ import annotations

import random

from PIL import Image

from cnnstudio.project import import_paths


def test_no_labels_checks_the_rest_and_says_why_not_the_labels(window, tmp_path, qtbot):
    rng = random.Random(0)
    src = tmp_path / "src"
    src.mkdir()
    for i in range(6):
        Image.frombytes("L", (16, 16), bytes(rng.randrange(256) for _ in range(256))).save(src / f"{i}.png")
    Image.new("L", (16, 16), 0).save(src / "black.png")
    assert window.create_project(tmp_path / "proj")
    s = window.session
    import_paths(s.project, [src])  # no labels
    s.images_changed.emit()
    panel = window.workspace.data.check
    window.workspace.data.side.setCurrentWidget(panel)

    seen = []  # what the bar and the words say while it runs: the step in the summary's wrapped words, the bar a share
    panel.progress.valueChanged.connect(lambda _: seen.append((panel.progress.format(), panel.summary.text())))
    with qtbot.waitSignal(panel.checked, timeout=120_000):
        panel.run.click()
    qtbot.waitUntil(lambda: panel.thread is None)
    said = panel.summary.text()
    assert "7 pictures checked" in said, said
    assert "Labels were not checked: label at least 2 pictures in each of 2 classes." in said
    assert "--" not in said and "kinds" not in said  # no command-line words in the app
    assert "labels" not in panel.report.kinds and any(f.what == "flat" for f in panel.report.findings)
    assert seen[0] == ("%p%", "Starting the data check…")  # "0%" like the shares after it, as "93%" everywhere
    assert len(seen) > 2 and all(bar.endswith("%") and bar[:-1].isdigit() for bar, _ in seen[1:]), seen
    assert "Looking for near copies (0 of 7)…" in {words for _, words in seen}, seen  # its step's own count


"""Changes another program made to an open project, told from the window's own (project/changed_elsewhere.py, QA
report "two at once", items 2 and 3): SQLite's data_version on the window's connection, the areas' stamps, and the
pictures an action can no longer act on."""

from __future__ import annotations

import threading

from cnnstudio.project import Project, import_paths, run_records
from cnnstudio.project.changed_elsewhere import (CLASSES, PICTURES, RUNS, ChangeWatch, gone_pictures, gone_words)
from tests.conftest import write_dataset


def _project(tmp_path):
    p = Project.create(tmp_path / "proj")
    import_paths(p, [write_dataset(tmp_path / "src", ("x",), per_class=4)])
    p.add_class("cat")
    return p


def test_another_connection_s_changes_are_said_by_area_and_once(tmp_path):
    p = _project(tmp_path)
    watch = ChangeWatch(p)
    assert watch.poll() == frozenset()
    other = Project.open(p.root)
    try:
        other.add_class("dog")
        assert watch.poll() == {CLASSES}
        assert watch.poll() == frozenset()  # said once
        other.delete_images([p.ids()[0]])
        assert watch.poll() == {PICTURES}
        other.set_labels([p.ids()[1]], other.class_by_name("dog").id)
        assert watch.poll() == {PICTURES}
        run_records.add_run(other, run_records.new_run_id(), "cli run")
        assert watch.poll() == {RUNS}
        other.rename_class(other.class_by_name("dog").id, "hound")
        other.delete_class(other.class_by_name("hound").id)  # its picture is unlabelled too
        assert watch.poll() == {CLASSES, PICTURES}
        other.set_meta("something", "else")  # no page shows it: nothing said
        assert watch.poll() == frozenset()
    finally:
        other.close()
        p.close()


def test_the_window_s_own_changes_are_never_said(tmp_path):
    p = _project(tmp_path)
    watch = ChangeWatch(p)
    p.add_class("dog")  # on the watching connection: data_version does not move
    p.set_labels(p.ids()[:2], p.class_by_name("dog").id)
    watch.settle()  # the window says it changed them
    assert watch.poll() == frozenset()
    done = []
    worker = threading.Thread(target=lambda: done.append(p.delete_images(p.ids()[:1])))  # its own worker thread
    worker.start()
    worker.join()
    assert done == [1]
    assert watch.poll() == frozenset()
    watch.settle({PICTURES})  # the worker's signal, when it is done, says what it wrote
    assert watch.poll() == frozenset()
    other = Project.open(p.root)  # then another program: said again
    try:
        other.add_class("bird")
        assert watch.poll() == {CLASSES}
    finally:
        other.close()
        p.close()


def test_the_window_s_own_unsaid_writes_are_stamped_at_a_look_that_finds_no_other_writer(tmp_path):
    p = _project(tmp_path)
    watch = ChangeWatch(p)
    p.add_class("dog")  # on the watching connection, no settle (the Evaluate page marking a test score seen)
    run_records.add_run(p, run_records.new_run_id(), "renamed here")
    assert watch.poll() == frozenset()
    other = Project.open(p.root)
    try:
        other.set_meta("something", "else")  # another program moves data_version, changing no area
        assert watch.poll() == frozenset()
    finally:
        other.close()
        p.close()


def test_another_program_s_change_while_a_worker_writes_is_said_once_the_worker_is_quiet(tmp_path):
    p = _project(tmp_path)
    watch = ChangeWatch(p)
    other = Project.open(p.root)
    try:
        other.add_class("dog")  # the command line, while this program imports
        worker = threading.Thread(target=lambda: p.delete_images(p.ids()[:1]))  # this program's worker thread
        worker.start()
        worker.join()
        assert watch.poll() == frozenset()  # the worker wrote since: nothing said yet
        watch.settle({PICTURES})  # the worker's signal when it is done
        assert watch.poll() == {CLASSES}  # data_version has not moved since, yet the command line's class is said
        assert watch.poll() == frozenset()
    finally:
        other.close()
        p.close()


def test_another_program_s_change_just_before_the_window_s_own_in_the_same_area_is_said(tmp_path):
    """The racy path: the command line writes after the last look, the window then changes the same area and says
    so; its stamp would hold the command line's change too, taken for the window's (not said, undo kept)."""
    p = _project(tmp_path)
    watch = ChangeWatch(p)
    other = Project.open(p.root)
    try:
        assert watch.poll() == frozenset()  # the last look
        other.add_class("dog")  # the command line, within the 2 seconds before the next look
        p.add_class("bird")  # the window's own change of the classes
        watch.settle({CLASSES})
        assert watch.poll() == {CLASSES}  # said (and so the Data page's undo history goes)
        assert watch.poll() == frozenset()
        a, b = p.ids()[:2]
        other.set_labels([a], other.class_by_name("dog").id)
        p.set_labels([b], p.class_by_name("bird").id)
        watch.settle({PICTURES})
        assert watch.poll() == {PICTURES}
        # this program's own writers still settle what they wrote: a worker thread, and the training child (its
        # runs, quiet while it trains) whose writes move data_version as another program's do
        worker = threading.Thread(target=lambda: p.delete_images([a]))
        worker.start()
        worker.join()
        watch.settle({PICTURES})  # the worker's signal before the next look
        assert watch.poll() == frozenset()
        run_records.add_run(other, run_records.new_run_id(), "trained by this window's child")
        p.set_labels([b], p.class_by_name("dog").id)
        watch.settle({PICTURES}, quiet={RUNS})
        assert watch.poll(quiet={RUNS}) == frozenset()
    finally:
        other.close()
        p.close()


def test_quiet_areas_are_stamped_not_said(tmp_path):
    p = _project(tmp_path)
    watch = ChangeWatch(p)
    other = Project.open(p.root)
    try:
        run_records.add_run(other, run_records.new_run_id(), "trained by this window's child")
        assert watch.poll(quiet={RUNS}) == frozenset()
        assert watch.poll() == frozenset()  # and not said later either
    finally:
        other.close()
        p.close()


def test_gone_pictures_are_those_trashed_or_deleted_for_good(tmp_path):
    p = _project(tmp_path)
    a, b, c, d = p.ids()
    p.delete_images([c])
    p.empty_trash()  # c deleted for good
    p.delete_images([a, b])
    p.restore_images([b])  # a in the trash
    p.delete_images([d])
    p.restore_images([d])
    assert gone_pictures(p, [a, b, c, d]) == [a, c]
    assert gone_pictures(p, [a, b, c], trash_shown=True) == [c]  # the trash shown: its pictures are there
    assert gone_words(1, 1, "nothing was labelled") == ("This picture was moved to the trash or deleted outside this "
                                                        "window, so nothing was labelled: the gallery shows the project "
                                                        "as it is now.")
    assert gone_words(2, 5, "nothing was labelled").startswith("2 of the 5 selected pictures were moved")
    assert gone_words(3, 3, "nothing was moved to the trash").startswith("These pictures were moved")
    p.close()

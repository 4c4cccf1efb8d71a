import sqlite3

import pytest

from cnnstudio.project import (UNLABELLED, ClassError, ImageFilter, NewerSchemaError, NotAProjectError, Project,
                               ProjectError, ProjectExistsError, import_paths)
from cnnstudio.project.schema import SCHEMA_VERSION
from tests.conftest import write_dataset, write_image


def test_create_makes_the_documented_layout(tmp_path):
    with Project.create(tmp_path / "p") as p:
        for sub in ("project.db", "images", "runs", "cache"):
            assert (p.root / sub).exists()
        assert p.schema_version == SCHEMA_VERSION
        assert p.integrity_check() == "ok"


def test_create_refuses_existing_project_and_non_empty_folder(tmp_path):
    Project.create(tmp_path / "p").close()
    with pytest.raises(ProjectExistsError, match="already a CNN Studio project"):
        Project.create(tmp_path / "p")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("x")
    with pytest.raises(ProjectExistsError, match="not empty"):
        Project.create(tmp_path / "full")


def test_open_says_what_is_wrong(tmp_path):
    with pytest.raises(NotAProjectError, match="does not exist"):
        Project.open(tmp_path / "nope")
    (tmp_path / "plain").mkdir()
    with pytest.raises(NotAProjectError, match="not a CNN Studio project"):
        Project.open(tmp_path / "plain")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "project.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(NotAProjectError):
        Project.open(tmp_path / "bad")
    other = tmp_path / "other"
    other.mkdir()
    sqlite3.connect(other / "project.db").execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(NotAProjectError, match="not a CNN Studio project database"):
        Project.open(other)


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    Project.create(tmp_path / "p").close()
    con = sqlite3.connect(tmp_path / "p" / "project.db")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    before = (tmp_path / "p" / "project.db").read_bytes()
    with pytest.raises(NewerSchemaError, match="newer CNN Studio"):
        Project.open(tmp_path / "p")
    assert (tmp_path / "p" / "project.db").read_bytes() == before


def test_classes_add_rename_recolor_delete_merge(project, tmp_path):
    cat = project.add_class("cat")
    dog = project.add_class("dog", "#00ff00")
    assert [c.name for c in project.classes()] == ["cat", "dog"]
    assert project.classes()[1].color == "#00FF00"
    with pytest.raises(ClassError, match="already exists"):
        project.add_class("CAT ")
    with pytest.raises(ClassError, match="needs a name"):
        project.add_class("  ")
    with pytest.raises(ClassError, match="#RRGGBB"):
        project.recolor_class(cat, "red")
    project.rename_class(cat, "kitten")
    with pytest.raises(ClassError, match="merge"):
        project.rename_class(cat, "dog")
    project.recolor_class(cat, "#123456")
    assert project.class_by_name("kitten").color == "#123456"

    report = import_paths(project, [write_dataset(tmp_path / "src", ("a", "b"), per_class=3)])
    ids = report.imported
    project.set_labels(ids[:2], cat)
    project.set_labels(ids[2:4], dog)
    moved = project.merge_classes(cat, dog)
    assert sorted(moved) == sorted(ids[:2])
    assert [c.name for c in project.classes()] == ["dog"]
    assert project.count(ImageFilter(class_id=dog)) == 4
    info = project.class_by_name("dog")
    freed = project.delete_class(dog)
    assert sorted(freed) == sorted(ids[:4])
    assert project.count(ImageFilter(class_id=UNLABELLED)) == 6
    project.restore_class(info, freed)  # undo
    assert project.count(ImageFilter(class_id=dog)) == 4


def test_set_labels_on_many_images_is_one_transaction(project, tmp_path):
    ids = import_paths(project, [write_dataset(tmp_path / "src", ("x",), per_class=5)]).imported
    cat = project.add_class("cat")
    before = project.set_labels(ids, cat)
    assert before == {i: None for i in ids}
    assert project.count(ImageFilter(class_id=cat)) == 5
    with pytest.raises(ProjectError, match="no image with id"):
        project.set_labels([ids[0], 999999], None)
    # the failing call changed nothing: all-or-nothing
    assert project.count(ImageFilter(class_id=cat)) == 5
    project.restore_labels(before)
    assert project.count(ImageFilter(class_id=UNLABELLED)) == 5
    with pytest.raises(ClassError):
        project.set_labels(ids, 4242)


def test_changes_survive_reopening(tmp_path):
    src = write_dataset(tmp_path / "src", ("cat", "dog"), per_class=4)
    with Project.create(tmp_path / "p") as p:
        import_paths(p, [src], labels_from_folders=True)
        p.assign_splits((50, 25, 25), seed=3)
        expected = p.summary()
    with Project.open(tmp_path / "p") as p:
        assert p.summary() == expected


def test_trash_and_restore_and_empty(project, tmp_path):
    ids = import_paths(project, [write_dataset(tmp_path / "src", ("x",), per_class=4)]).imported
    files = [project.image_path(i) for i in ids]
    assert project.delete_images(ids[:2]) == 2
    assert project.count() == 2
    assert project.count(ImageFilter(trashed=True)) == 2
    project.restore_images(ids[:1])
    assert project.count() == 3
    assert project.empty_trash() == 1
    assert not files[1].exists() and files[0].exists()
    with pytest.raises(ProjectError):
        project.image(ids[1])


def test_queries_page_filter_and_counts(project, tmp_path):
    ids = import_paths(project, [write_dataset(tmp_path / "src", ("a", "b"), per_class=5)],
                       labels_from_folders=True).imported
    a = project.class_by_name("a").id
    project.set_labels(ids[:1], None)
    assert project.count(ImageFilter(class_id=UNLABELLED)) == 1
    page = project.page(ImageFilter(class_id=a), offset=1, limit=2)
    assert len(page) == 2 and all(r.class_id == a for r in page)
    assert project.ids(ImageFilter(split="none")) == sorted(ids)
    counts = project.counts()
    assert counts[a] == {None: 4} and counts[None] == {None: 1}
    with pytest.raises(ProjectError, match="unknown split"):
        project.count(ImageFilter(split="holdout"))
    recs = project.records([ids[3], ids[0], 424242])
    assert [r.id for r in recs] == [ids[3], ids[0]]


def test_thumbnail_is_rebuilt_when_cache_deleted(project, tmp_path):
    ids = import_paths(project, [write_image(tmp_path / "big.png", size=(400, 300))]).imported
    thumb = project.thumbnail_path(ids[0])
    assert thumb.is_file()
    import shutil

    shutil.rmtree(project.root / "cache")
    again = project.thumbnail_path(ids[0])
    assert again.is_file()
    from PIL import Image

    with Image.open(again) as im:
        assert max(im.size) == 128 and im.size == (128, 96)


def test_queries_stay_usable_with_100k_images(project):
    """100,000 rows: the GUI asks for counts, a page, and ids; each answers without loading rows it won't show."""

    cid = project.add_class("bulk")
    with project.transaction() as tx:
        tx.executemany(
            "INSERT INTO images(sha256, file, original_name, class_id, split, added_at) VALUES (?, ?, ?, ?, ?, 0)",
            ((f"{i:064x}", f"images/x/{i}.png", f"{i}.png", cid if i % 2 else None,
              ("train", "val", "test")[i % 3]) for i in range(100_000)),
        )
    assert project.count() == 100_000
    assert project.count(ImageFilter(class_id=cid, split="val")) == sum(
        1 for i in range(100_000) if i % 2 and i % 3 == 1)
    page = project.page(ImageFilter(class_id=UNLABELLED), offset=40_000, limit=50)
    assert len(page) == 50 and page[0].class_id is None
    assert len(project.ids()) == 100_000
    assert sum(sum(v.values()) for v in project.counts().values()) == 100_000

"""Every saved project format ever released must still open (TagStudio's fixture-per-version idea)."""

import shutil
from pathlib import Path

import pytest

from cnnstudio.project import ImageFilter, Project
from cnnstudio.project.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VERSIONS = sorted(int(p.name.split("_v")[1]) for p in FIXTURES.glob("db_v*"))


def test_there_is_a_fixture_for_every_schema_version():
    assert VERSIONS == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", VERSIONS)
def test_saved_project_opens_and_is_migrated(tmp_path, version):
    copy = tmp_path / f"v{version}"
    shutil.copytree(FIXTURES / f"db_v{version}", copy)
    with Project.open(copy) as p:
        assert p.schema_version == SCHEMA_VERSION
        assert p.integrity_check() == "ok"
        assert [c.name for c in p.classes()] == ["cat", "dog"]
        assert p.count() == 3
        assert p.count(ImageFilter(class_id=-1)) == 1
        for iid in p.ids():
            assert p.image_path(iid).is_file()
            assert p.thumbnail_path(iid).is_file()  # the cache is rebuilt on demand
        # the migrated project takes new work
        cid = p.add_class("bird")
        p.set_labels(p.ids()[:1], cid)
        p.assign_splits((70, 15, 15), seed=0)
    with Project.open(copy) as p:
        assert p.class_by_name("bird") is not None

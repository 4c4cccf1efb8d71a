"""A source folder deleted during an import: one sentence for the folder, not one row per file, and the pictures
imported before it went are kept."""

from __future__ import annotations

import shutil

from cnnstudio.project import Project, import_paths
from tests.disk_helpers import write_noise_images


def test_a_folder_that_disappears_mid_import_is_said_once(tmp_path):
    src = write_noise_images(tmp_path / "holiday", 30, 8)  # 60 pictures in holiday/a and holiday/b
    gone = []

    def progress(done, total, _message):  # the user deletes the folder once some pictures are in
        if done == 20 and not gone:
            shutil.rmtree(src)
            gone.append(done)

    with Project.create(tmp_path / "P") as p:
        report = import_paths(p, [src], labels_from_folders=True, progress=progress, workers=1)
        imported = len(report.imported)
        assert gone and 20 <= imported < 60 and p.count() == imported and p.integrity_check() == "ok"
        assert report.skipped_files == 60 - imported
        assert report.skipped == [{"path": str(src), "files": 60 - imported, "reason": f"this folder disappeared during the import: "
                                   f"{imported} pictures were imported, the other {60 - imported} files were not found"}]


def test_one_file_deleted_mid_import_is_its_own_row(tmp_path):
    src = write_noise_images(tmp_path / "holiday", 30, 8)
    victim = src / "b" / "b_29.png"

    def progress(done, total, _message):
        if done == 5:
            victim.unlink(missing_ok=True)

    with Project.create(tmp_path / "P") as p:
        report = import_paths(p, [src], labels_from_folders=True, progress=progress, workers=1)
    assert report.skipped == [{"path": str(victim), "reason": "the file is not there any more (moved or deleted "
                                                              "during the import)"}]
    assert len(report.imported) == 59

"""health.few_validation: the classes a split left fewer than MIN_VAL_PER_CLASS validation pictures (one rule for
the Data page's Split and `cnnstudio split`); none while validation is empty (its own words say that)."""

from __future__ import annotations

from cnnstudio.project import Project, import_paths
from cnnstudio.project.health import MIN_VAL_PER_CLASS, few_validation, few_validation_words
from tests.conftest import write_dataset


def test_classes_short_of_validation_pictures_are_named_with_their_count(tmp_path):
    with Project.create(tmp_path / "p") as p:
        import_paths(p, [write_dataset(tmp_path / "src", ("a", "b"), per_class=20)], labels_from_folders=True)
        assert few_validation(p) == [] and few_validation_words(p, "fix it") == ""  # no split: nothing to say
        p.assign_splits((0.9, 0.0, 0.1), seed=0, resplit_test=True)
        assert few_validation(p) == []  # validation empty: said elsewhere
        p.assign_splits((0.9, 0.05, 0.05), seed=0, resplit_test=True)
        assert few_validation(p) == [("a", 1), ("b", 1)]
        said = few_validation_words(p, "fix it")
        assert said.endswith("of each of 2 classes (“a” 1, “b” 1): too few to tell reliably which epoch is best; fix it.")
        p.assign_splits((0.5, 0.3, 0.2), seed=0, resplit_test=True)
        assert few_validation(p) == [] and MIN_VAL_PER_CLASS == 5

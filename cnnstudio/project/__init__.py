"""The user's data on disk: Qt-free and torch-free (stdlib + Pillow only)."""

from .errors import ClassError, NewerSchemaError, NotAProjectError, ProjectError, ProjectExistsError
from .imaging import IMAGE_EXTENSIONS, ImageRejected, open_normalised
from .importer import ImportReport, collect, import_paths
from .schema import SCHEMA_VERSION
from .splits import SPLITS, parse_ratios
from .records import UNLABELLED, ClassInfo, ImageFilter, ImageRecord
from .store import Project, is_project

__all__ = [
    "ClassError", "ClassInfo", "IMAGE_EXTENSIONS", "ImageFilter", "ImageRecord", "ImageRejected",
    "ImportReport", "NewerSchemaError", "NotAProjectError", "Project", "ProjectError", "ProjectExistsError",
    "SCHEMA_VERSION", "SPLITS", "UNLABELLED", "collect", "import_paths", "is_project", "open_normalised",
    "parse_ratios",
]

"""Errors the project store raises. Each carries a sentence a person can act on."""


class ProjectError(Exception):
    """Base class: something about a project folder the user must know."""


class NotAProjectError(ProjectError):
    """The folder is not a CNN Studio project."""


class DamagedProjectError(NotAProjectError):
    """The project's database is damaged or lacks what a CNN Studio project has (the message says what to do)."""


class NewerSchemaError(ProjectError):
    """The project was written by a newer version of the app."""


class ProjectExistsError(ProjectError):
    """Creating a project where one (or other files) already exist."""


class ClassError(ProjectError):
    """A class operation that cannot be done (duplicate name, unknown class...)."""

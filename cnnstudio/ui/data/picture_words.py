"""What the gallery says about its pictures, in words (Qt-free): a picture as a screen reader announces it, and what
a labelling key did, for the status bar."""

from __future__ import annotations

from ...project.counting import counted
from ...project.names import NO_CLASS, SPLIT_NAMES  # SPLIT_NAMES: the gallery and preview name splits with it


def class_words(class_name: str | None) -> str:
    """A picture's class as the Data page names it: its name, or "No class" (the class list's row)."""
    return class_name or NO_CLASS


def picture_words(name: str, class_name: str | None, split: str | None) -> str:
    """"0_0000.png, class 0, train split"; a picture without a class or split says so ("no class", "no split")."""
    return f"{name}, {f'class {class_name}' if class_name else 'no class'}, {f'{split} split' if split else 'no split'}"


def coming_words(name: str, class_name: str) -> str:
    """A camera picture on its way in: "frame_0003.png, being added to cat from the camera"."""
    return f"{name}, being added to {class_name} from the camera"


def pictures(n: int) -> str:
    """"1 picture", "3 pictures", "1,204 pictures" (project/counting.py's rule)."""
    return counted(n, "picture")


def labelled_words(n: int, class_name: str | None, already: int = 0) -> str:
    """What labelling pictures did: ``n`` of them given the class ``class_name`` (None: their class cleared),
    ``already`` more had it before and are not part of the step (so that this count and Edit > Undo's are the same:
    "Labelled 1,000 pictures as “square” (500 already were)", undone as "Label 1,000 pictures as “square”")."""
    if not n and already:
        verb = "is" if already == 1 else "are"
        return (f"{pictures(already)} already {'has' if already == 1 else 'have'} no class" if class_name is None
                else f"{pictures(already)} already {verb} “{class_name}”: nothing changed")
    said = (f"Cleared the class of {pictures(n)}" if class_name is None
            else f"Labelled {pictures(n)} as “{class_name}”")  # the quotes of Edit > Undo's "Label 3 pictures as “3”"
    if already:
        said += f" ({already:,} {'had none' if class_name is None else 'already ' + ('was' if already == 1 else 'were')})"
    return said


__all__ = ["SPLIT_NAMES", "class_words", "coming_words", "labelled_words", "picture_words", "pictures"]

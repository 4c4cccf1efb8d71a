"""Where an export may write: the rules that keep it from replacing anything but a model CNN Studio exported
before (a user's report, photo archive, weights from elsewhere, or notes beside a bundle are refused with one
sentence and left as they are, by :func:`check_target` before any step of the export), and the temporary name it
writes under before renaming into place. Which run an earlier export holds: :mod:`.export_held`.

What CNN Studio wrote is told by its content, not its name: a bundle's manifest says ``cnnstudio-model``, an
ONNX file's producer is ``cnnstudio``, a TorchScript file carries the extra file ``cnnstudio.json``."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path
from typing import Callable

from ..errors import EngineError
from ...project.zip_reading import TooLarge, read_file, read_member
from .bundle import FORMAT_NAME, MANIFEST, MANIFEST_LIMIT, WEIGHTS


class ExportError(EngineError):
    """An export that could not be done; the message says why."""


class ExportRefused(ExportError):
    """An export refused before any step, because it would replace what CNN Studio did not write (a user's own file,
    a folder with other files, a device): nothing failed and nothing was touched. ``str()`` is the command line's
    sentence (the whole path); :attr:`sentence` the Export dialog's, which says it was not exported, why, and what to
    do: "Not exported: good3.png is not a model CNN Studio exported, so it was left as it is. Choose another name."
    """

    def __init__(self, message: str, name: str, why: str, then: str = "Choose another name"):
        super().__init__(message)
        self.sentence = f"Not exported: {name} {why}, so it was left as it is. {then}."


def tmp_beside(out: Path, pid: int | None = None) -> Path:
    """The name an export is written under beside ``out`` before it is renamed into place (by the process ``pid``,
    this one by default: a cancelled export's child is killed and its file removed by name)."""
    return out.with_name(f".{out.name}.{os.getpid() if pid is None else pid}.tmp")


def refuse_special(out: Path) -> None:
    """A device, pipe or socket at ``out`` (``/dev/full``, ``/dev/zero``, a link to one) is never read to see
    whether CNN Studio wrote it (reading ``/dev/zero`` never ends) nor written to: one sentence instead."""
    try:
        mode = out.stat().st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise ExportRefused(f"{out} is not an ordinary file: choose another name (it was left as it is)", out.name,
                            "is not an ordinary file")


def _not_ours(out: Path, kind: str = "a model") -> ExportRefused:
    """A file there that CNN Studio did not export (``kind``: "an ONNX model", "a model bundle"); the dialog says "a
    model", the format being the one the user just chose."""
    return ExportRefused(f"{out} is already there and is not {kind} CNN Studio exported; choose another name (it "
                         f"was left as it is)", out.name, "is not a model CNN Studio exported")


def onnx_props(path: Path) -> dict[str, str] | None:
    """The metadata of an ONNX file CNN Studio wrote (its producer is "cnnstudio"); None for any other file. Read as
    data only (protobuf, no other file loaded), and not at all when it is larger than any model CNN Studio exports
    could be."""
    try:
        if Path(path).stat().st_size > 2**31:
            return None
        import onnx

        model = onnx.load(str(path), load_external_data=False)
        if model.producer_name != "cnnstudio":
            return None
        return {p.key: p.value for p in model.metadata_props}
    except Exception:  # noqa: BLE001 - not ONNX at all, or not readable: not ours
        return None


def is_our_onnx(path: Path) -> bool:
    """An ONNX file CNN Studio wrote (:func:`onnx_props`)."""
    return onnx_props(path) is not None


def is_our_torchscript(path: Path) -> bool:
    """A TorchScript file CNN Studio wrote: a zip with the extra file ``cnnstudio.json``. Only the zip's list of
    names is read: nothing in it is unpickled or run."""
    try:
        with zipfile.ZipFile(path) as zf:
            return any(name.endswith("extra/cnnstudio.json") for name in zf.namelist())
    except Exception:  # noqa: BLE001 - not a zip, or a damaged one: not ours
        return False


def onnx_producer(head: bytes) -> str:
    """The producer an ONNX file names in its first bytes (``head``), or "". A ModelProto's fields come in number
    order: ir_version (1, a varint) then producer_name (2, a string); the bytes are read as data, not as a model."""
    def varint(i: int) -> tuple[int, int]:
        value, shift = 0, 0
        while i < len(head) and shift < 64:
            value |= (head[i] & 0x7F) << shift
            shift += 7
            i += 1
            if not head[i - 1] & 0x80:
                return value, i
        raise ValueError
    try:
        i = 0
        while i < len(head):
            tag, i = varint(i)
            if tag == 0x08:  # ir_version
                _, i = varint(i)
            elif tag == 0x12:  # producer_name
                n, i = varint(i)
                return head[i:i + n].decode("utf-8") if i + n <= len(head) else ""
            else:
                return ""
    except (ValueError, UnicodeDecodeError):
        pass
    return ""


def exported_kind(path: Path) -> str:
    """ "TorchScript" or "ONNX" for a model file CNN Studio exported for other programs, "" for anything else.
    Told by the zip's list of names or the ONNX file's first bytes: a stranger's model file is never opened as a
    model, so nothing in it runs."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(256)
    except OSError:
        return ""
    if head.startswith(b"PK"):
        return "TorchScript" if is_our_torchscript(path) else ""
    return "ONNX" if onnx_producer(head) == "cnnstudio" else ""


def not_a_bundle_sentence(path: Path) -> str:
    """Why a model CNN Studio exported (:func:`exported_kind`) cannot be used to predict, and what to give instead;
    "" for any other file."""
    kind = exported_kind(path)
    if not kind:
        return ""
    return (f"{Path(path).name} is {'a TorchScript' if kind == 'TorchScript' else 'an ONNX'} file CNN Studio "
            "exported; predict needs a model bundle: export one with 'cnnstudio export PROJECT --out model.zip', "
            "or pass the project folder")


def check_out(path: str | os.PathLike, suffix: str, ours, kind: str) -> Path:
    """``path`` as a file to write ``suffix`` (.onnx, .pt) to: not a folder, and nothing there but a model of
    this ``kind`` ("an ONNX model") CNN Studio exported before (``ours(path)`` says so). Nothing is written."""
    out = Path(path)
    refuse_special(out)
    if out.is_dir():
        raise ExportRefused(f"{out} is a folder; give a file name ending in {suffix}", out.name, "is a folder",
                            f"Give a file name ending in {suffix}")
    if out.exists() and not ours(out):
        raise _not_ours(out, kind)
    return out


def missing_folder(out: Path) -> str:
    """The sentence for a file or folder ``out`` to be made in a folder that is not there, "" when it is: a mistyped
    folder name is refused, never made into new folders (an export's, a run report's ``--out``)."""
    folder = Path(out).parent
    if folder.is_dir() or folder.exists():  # a file there instead of a folder: the write says so
        return ""
    return f"the folder {folder} does not exist: create it first or choose another"


def check_target(fmt: str, path: str | os.PathLike) -> Path:
    """Whether an export in format ``fmt`` may write ``path``, asked before anything is loaded or converted: a
    refusal (one sentence, :class:`ExportRefused`) comes before any step of the export. Nothing is written."""
    missing = missing_folder(Path(path))
    if missing:
        refused = ExportRefused(missing, Path(path).name, "")
        refused.sentence = (f"Not exported: the folder {Path(path).parent} does not exist. Create it first or choose "
                            "another folder.")  # a path typed in the Export dialog
        raise refused
    if fmt == "onnx":
        return check_out(path, ".onnx", is_our_onnx, "an ONNX model")
    if fmt == "torchscript":
        return check_out(path, ".pt", is_our_torchscript, "a TorchScript model")
    out = Path(path)
    refuse_to_replace(out)
    return out


def _our_manifest(raw: bytes) -> bool:
    try:
        return json.loads(raw.decode("utf-8")).get("format") == FORMAT_NAME
    except (ValueError, AttributeError):
        return False


def _limited(read: Callable[[], bytes]) -> bytes:
    """What ``read`` gives (a manifest read within its limit: project/zip_reading.py), or b"" for one larger than a
    manifest can be, which no manifest CNN Studio wrote is."""
    try:
        return read()
    except TooLarge:
        return b""


def refuse_to_replace(out: Path) -> None:
    """Export replaces an earlier exported bundle at ``out`` (a folder or a .zip of only its two files, with
    CNN Studio's manifest) or fills an empty folder; anything else there (a report, a photo archive, a bundle
    folder the user added notes to, someone's weights file) is refused with one sentence and left as it is."""
    ours = {MANIFEST, WEIGHTS}
    if not out.exists():
        return
    refuse_special(out)
    if out.is_dir():
        names = sorted(p.name for p in out.iterdir())
        if not names:
            return
        others = [n for n in names if n not in ours]
        manifest = out / MANIFEST
        if others and manifest.is_file():
            raise ExportRefused(f"{out} holds an exported model and other files ({others[0]}"
                                f"{', ...' if len(others) > 1 else ''}); choose a new or empty folder (it was left as "
                                f"it is)", out.name, f"holds an exported model and other files ({others[0]}"
                                f"{', …' if len(others) > 1 else ''})", "Choose a new or empty folder")
        if others or not manifest.is_file() or not _our_manifest(_limited(lambda: read_file(manifest, MANIFEST_LIMIT))):
            raise ExportRefused(f"{out} is a folder with other files in it; choose a new or empty folder", out.name,
                                "is a folder with other files in it", "Choose a new or empty folder")
        return
    try:
        with zipfile.ZipFile(out) as zf:
            names = set(zf.namelist())
            ok = MANIFEST in names and names <= ours and _our_manifest(_limited(lambda: read_member(zf, MANIFEST,
                                                                                                MANIFEST_LIMIT)))
    except (OSError, zipfile.BadZipFile, KeyError):
        ok = False
    if out.suffix.lower() != ".zip" or not ok:
        raise _not_ours(out, "a model bundle")

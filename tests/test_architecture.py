"""The layers stand alone: the store needs neither torch nor Qt, the engine needs no Qt (ARCHITECTURE.md).

import-linter checks the import graph statically (``make test`` runs it); this checks what really gets
loaded, which also catches imports hidden in functions that run at import time."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(out.stdout.split())


def test_project_loads_neither_torch_nor_qt():
    mods = _loaded_after("import cnnstudio.project; import cnnstudio.project.importer, cnnstudio.project.sample")
    assert not {m for m in mods if m.split(".")[0] in {"torch", "torchvision", "PySide6", "pyqtgraph", "numpy"}}


@pytest.mark.parametrize("module", ["cnnstudio.engine", "cnnstudio.cli"])
def test_engine_and_cli_load_no_qt(module):
    mods = _loaded_after(f"import {module}")
    assert not {m for m in mods if m.split(".")[0] in {"PySide6", "pyqtgraph"}}


def test_cli_starts_without_torch():
    """`cnnstudio --version`, `info`, `import` must not pay for importing torch."""
    mods = _loaded_after("import cnnstudio.cli as c; c.build_parser()")
    assert "torch" not in mods

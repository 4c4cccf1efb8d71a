"""The "Example:" line at the end of the main commands' ``--help``: a real command line to copy, on a project folder
named ``flowers`` (tests/cli/test_help_examples.py parses each one)."""

from __future__ import annotations

import argparse

#: command -> one command line that works as it is written (a project "flowers" with its pictures in ~/Pictures)
EXAMPLES = {
    "new": "cnnstudio new flowers",
    "import": "cnnstudio import flowers ~/Pictures/flowers --labels-from-folders",
    "split": "cnnstudio split flowers --ratios 70,15,15",
    "train": "cnnstudio train flowers --epochs 20",
    "evaluate": "cnnstudio evaluate flowers",
    "predict": "cnnstudio predict flowers ~/Pictures/new --csv predictions.csv",
    "export": "cnnstudio export flowers --out flowers.onnx",
    "tune": "cnnstudio tune flowers --trials 10",
    "doctor": "cnnstudio doctor flowers",
    "report": "cnnstudio report flowers --out report.html",
}


class ExampleFormatter(argparse.HelpFormatter):
    """argparse's help, the description wrapped as ever, the example's line kept as written (not run together)."""

    def _fill_text(self, text, width, indent):
        if text.startswith("Example:"):
            return "\n".join(indent + line for line in text.splitlines())
        return super()._fill_text(text, width, indent)


def add_examples(commands: dict) -> None:
    """Give each command of :data:`EXAMPLES` (``commands``: name -> its parser) its "Example:" epilog."""
    for name, line in EXAMPLES.items():
        parser = commands[name]
        parser.epilog = f"Example:\n  {line}"
        parser.formatter_class = ExampleFormatter

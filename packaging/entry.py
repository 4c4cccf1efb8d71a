"""The frozen app's entry script (PyInstaller runs this as ``__main__``): the same as ``python -m cnnstudio``.

``freeze_support()`` first: a frozen app re-executes itself for any ``multiprocessing`` child (spawn,
and PyTorch's DataLoader workers), and the child must run the worker, not a second copy of the app.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from cnnstudio.cli import main

    sys.exit(main())

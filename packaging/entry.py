"""The frozen app's entry script (PyInstaller runs this as ``__main__``): the same as ``python -m cnnstudio``.

``freeze_support()`` first: a frozen app re-executes itself for any ``multiprocessing`` child (spawn,
and PyTorch's DataLoader workers), and the child must run the worker, not a second copy of the app.

Then ``[-u] -m MODULE ARGS``: code that starts ``sys.executable -m MODULE`` expects a Python interpreter, and
in the frozen app ``sys.executable`` is this program. ``cnnstudio train --nproc N`` does that twice
(``engine/train/distributed.py`` runs ``-m cnnstudio.engine.train.distributed``, i.e. torchrun, and torchrun
starts each worker as ``-u -m cnnstudio ...``), so the bundle runs MODULE as ``python`` would. No command of
the app starts with ``-u`` or ``-m``.
"""

import multiprocessing
import sys


def _python_style(argv: list[str]) -> int | None:
    """``[-u] -m MODULE ARGS`` as ``python`` runs it; None for any other command line."""
    args = list(argv)
    unbuffered = False
    while args and args[0] == "-u":
        unbuffered = True
        args.pop(0)
    if len(args) < 2 or args[0] != "-m":
        return None
    module, rest = args[1], args[2:]
    if unbuffered:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None and hasattr(stream, "reconfigure"):
                stream.reconfigure(line_buffering=True, write_through=True)
    import runpy

    sys.argv = [sys.executable, *rest]  # runpy puts the module's file name first, as python -m does
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as e:
        code = e.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    multiprocessing.freeze_support()
    if getattr(sys, "frozen", False) and sys.argv[1:2] and sys.argv[1] in ("-u", "-m"):
        status = _python_style(sys.argv[1:])
        if status is not None:
            sys.exit(status)
    from cnnstudio.cli import main

    sys.exit(main())

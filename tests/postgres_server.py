"""A throwaway PostgreSQL cluster for tests: ``initdb`` + ``pg_ctl`` in a temporary folder, Unix socket only.

``initdb`` refuses to run as root: as root the cluster is made and run by the ``postgres`` user that
Debian's server package creates (``.ci/run`` / ``make test`` install the package). No TCP port is
opened; the URL points SQLAlchemy/psycopg at the socket folder.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from typing import Iterator


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def available() -> str:
    """'' when a server can be started here, else why not (one sentence)."""
    if not (_bin("initdb") and _bin("pg_ctl")):
        return "PostgreSQL's server programs (initdb, pg_ctl) are not installed: apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return ""


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a cluster; yield its SQLAlchemy URL; stop it and delete everything."""
    why = available()
    if why:
        raise RuntimeError(why)
    folder = tempfile.mkdtemp(prefix="cnnstudio-pg-")
    data, sock = os.path.join(folder, "data"), folder
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    pg_ctl = _bin("pg_ctl")
    try:
        subprocess.run(as_user + [_bin("initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"],
                       check=True, capture_output=True, text=True)
        subprocess.run(as_user + [pg_ctl, "-D", data, "-w", "-l", os.path.join(folder, "log"), "-o",
                                  f"-k {sock} -c listen_addresses='' -c fsync=off -c max_connections=50", "start"],
                       check=True, capture_output=True, text=True)
        try:
            yield f"postgresql+psycopg://postgres@/postgres?host={sock}"
        finally:
            subprocess.run(as_user + [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"], capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

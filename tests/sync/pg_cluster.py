"""A throw-away PostgreSQL cluster for the sync tests: `initdb` in a temporary directory, started
with `pg_ctl` on 127.0.0.1 (and a socket in that directory) on a free port, removed at the end.

PostgreSQL refuses to run as root, so as root (CI) the cluster runs as the `postgres` system
user of the Debian package. Durability is switched off (`fsync`, `synchronous_commit`): the
cluster lives for one test session and speed is what counts.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

REQUIRE_ENV = "FELTKONSULENT_REQUIRE_POSTGRES"
_SEARCH = ("/usr/lib/postgresql/*/bin",)
_RUN_AS = "postgres"


class NoPostgres(Exception):
    """PostgreSQL's server binaries are not installed here."""


def find_bindir() -> Path:
    """The newest installed PostgreSQL's bin directory (Debian's layout), or one on PATH."""
    found = sorted(
        (p for pattern in _SEARCH for p in Path("/").glob(pattern.lstrip("/")) if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise NoPostgres("PostgreSQL's initdb and pg_ctl are not installed (Debian: apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """A running cluster; `new_database()` gives the URL of a fresh, empty database."""

    def __init__(self, port: int, user: str) -> None:
        self.port = port
        self.user = user
        self._names = itertools.count(1)

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            # FILE_COPY: a copy of the small, empty template is quicker than the WAL-logged one.
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 STRATEGY FILE_COPY')
        return self.url(name)


def _as_cluster_user(command: list[str]) -> tuple[list[str], str]:
    """The command as run by the user the cluster belongs to: `postgres` when we are root."""
    if os.geteuid() != 0:
        return command, pwd.getpwuid(os.geteuid()).pw_name
    return ["runuser", "-u", _RUN_AS, "--", *command], _RUN_AS


@contextmanager
def running_cluster() -> Iterator[Cluster]:
    bindir = find_bindir()
    base = Path(tempfile.mkdtemp(prefix="feltkonsulent-pg-"))
    data, log = base / "data", base / "server.log"
    port = _free_port()
    _, user = _as_cluster_user([])
    if os.geteuid() == 0:
        entry = pwd.getpwnam(_RUN_AS)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")

    def run(*command: str) -> None:
        full, _ = _as_cluster_user([str(bindir / command[0]), *command[1:]])
        subprocess.run(full, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    try:
        run("initdb", "-D", str(data), "--auth=trust", f"--username={user}", "--encoding=UTF8",
            "--locale=C", "--no-sync")
        run("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
        try:
            yield Cluster(port, user)
        finally:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(base, ignore_errors=True)

"""A throwaway PostgreSQL server for the tests and the benchmarks: Debian's server binaries
(package ``postgresql``), a new cluster in a temporary folder, listening on 127.0.0.1 at a free
port, stopped and removed by :meth:`LocalPostgres.stop`.

Run as root (as scripts/test.sh and CI do), the cluster belongs to the ``postgres`` system user
(``initdb`` refuses root); otherwise to the current user. Connections from this machine need no
password (``trust``): the server is only for the process that started it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

if TYPE_CHECKING:
    from plans.model import Catalog

BIN_GLOB = "/usr/lib/postgresql/*/bin"
FAST = ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
"""Settings for the tests only: nothing is worth keeping after a crash of a test server."""


def server_bin() -> Path | None:
    """The newest installed server's binaries (``initdb``, ``postgres``), or None."""
    found = sorted(Path("/").glob(BIN_GLOB.lstrip("/")), key=lambda p: int(p.parent.name))
    return found[-1] if found and (found[-1] / "initdb").exists() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalPostgres:
    """A PostgreSQL cluster of its own in a temporary folder (see the module)."""

    def __init__(self, durable: bool = True) -> None:
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="dmst-pg-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    def _run_as(self) -> list[str]:
        return ["runuser", "-u", self._user, "--"] if os.geteuid() == 0 else []

    def start(self) -> LocalPostgres:
        binaries = server_bin()
        if binaries is None:
            raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        if os.geteuid() == 0:
            shutil.chown(self.folder, self._user)
        data = self.folder / "data"
        subprocess.run(
            [
                *self._run_as(),
                str(binaries / "initdb"),
                "-D",
                str(data),
                "--auth=trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
        )
        self.process = subprocess.Popen(
            [
                *self._run_as(),
                str(binaries / "postgres"),
                "-D",
                str(data),
                "-p",
                str(self.port),
                "-k",
                str(self.folder),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=200",
                *(() if self.durable else FAST),
            ],
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "server.log").open("w"),
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return self
            except psycopg.OperationalError as err:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = (self.folder / "server.log").read_text()[-2000:]
                    raise RuntimeError(f"PostgreSQL did not start: {log}") from err
                time.sleep(0.1)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of ``template`` when given); returns its address."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        pid_file = self.folder / "data" / "postmaster.pid"
        if self.process is not None and self.process.poll() is None:
            if pid_file.exists():  # the server itself (not runuser): SIGINT is its "fast" shutdown
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def copied_store(source: Path, catalog: Catalog, name: str, stack: ExitStack) -> tuple[str, float]:
    """The DuckDB store ``source`` copied (``store.transfer.copy_store``, as ``python -m store copy``)
    into database ``name`` of a new server of its own, stopped when ``stack`` closes: its address and
    the seconds the copy took."""
    from store.transfer import copy_store

    server = LocalPostgres().start()
    stack.callback(server.stop)
    url = server.create_database(name)
    start = time.perf_counter()
    copy_store(source, url, catalog)
    return url, round(time.perf_counter() - start, 1)

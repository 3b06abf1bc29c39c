"""A PostgreSQL server of its own for the cluster rig and the tests: Debian's PostgreSQL 15,
run as an unprivileged user in a folder of ours, listening on 127.0.0.1 only, with a
password (scram-sha-256) for the tracker's role.

PostgreSQL refuses to run as root. As root (CI, this sandbox), the server runs as the
`postgres` user that Debian's package creates, and the folder is handed to it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
ROLE = "cjb"
DATABASE = "tracker"


@dataclass(frozen=True)
class Server:
    folder: Path
    port: int
    password: str

    @property
    def dsn(self) -> str:
        return f"postgresql://{ROLE}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def database_dsn(self, name: str) -> str:
        return f"postgresql://{ROLE}:{self.password}@127.0.0.1:{self.port}/{name}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(args: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    command = ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args
    return subprocess.run(command, capture_output=True, text=True, check=True, **options)  # type: ignore[call-overload, no-any-return]


def start(folder: Path, port: int | None = None) -> Server:
    """initdb (once) and start a server in `folder`; returns how to reach it."""
    if not (BIN / "initdb").exists():
        raise RuntimeError("PostgreSQL 15 is not installed: apt-get install postgresql")
    folder.mkdir(parents=True, exist_ok=True)
    data, secret = folder / "data", folder / "password"
    if not data.exists():
        secret.write_text(secrets.token_urlsafe(18), encoding="utf-8")
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
            shutil.chown(secret, "postgres")
        _as_server_user([
            str(BIN / "initdb"), "-D", str(data), "-U", ROLE, "--auth=scram-sha-256",
            f"--pwfile={secret}", "--encoding=UTF8", "--locale=C.UTF-8",
        ])  # fmt: skip
    port = port or free_port()
    _as_server_user([
        str(BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60",
        "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=on",
        "start",
    ])  # fmt: skip
    server = Server(folder, port, secret.read_text(encoding="utf-8").strip())
    _wait(server)
    create_database(server, DATABASE)
    return server


def create_database(server: Server, name: str) -> None:
    """A database on the server, unless it is already there."""
    import psycopg

    with psycopg.connect(server.database_dsn("postgres"), autocommit=True) as con:
        if not con.execute("select 1 from pg_database where datname = %s", [name]).fetchall():
            con.execute(f'create database "{name}"')


def _wait(server: Server) -> None:
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(server.database_dsn("postgres"), connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(folder: Path) -> None:
    """Stop the server in `folder` (fast shutdown), if it runs."""
    if (folder / "data" / "postmaster.pid").exists():
        _as_server_user([str(BIN / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"])

"""The cluster rig: PostgreSQL, several dashboard replicas and nginx in front, all on
127.0.0.1, started by the project's own files (`make cluster`; README "Running for several
Boards").

    python -m deploy.cluster start [--dir DIR] [--replicas N] [--port PORT] [--empty]
    python -m deploy.cluster stop [--dir DIR]

`start` runs Debian's PostgreSQL 15 as an unprivileged user in DIR/pg (deploy/pgserver.py),
creates the tracker there with the illustrative demo data (unless --empty), starts N
`streamlit run serve.py` replicas on free ports with CJB_TRACKER_DB set to PostgreSQL, and
nginx (deploy/cluster-nginx.conf.template, which includes deploy/cjb-tracker-proxy.conf) on
PORT with sticky sessions. It writes DIR/cluster.json (what runs where) and prints the URL.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cjb_tracker.replica import redact
from deploy import pgserver

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = Path("/tmp/cjb-cluster")
NGINX = "/usr/sbin/nginx"
# What `make run` serves: the dashboard with the session routes (HttpOnly cookie, packs).
SCRIPT = "serve.py"


@dataclass
class Cluster:
    folder: str
    url: str
    dsn: str
    replicas: list[dict[str, int]] = field(default_factory=list)  # {"port", "pid"}
    nginx_pid: int = 0

    @property
    def replica_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{r['port']}" for r in self.replicas]

    def save(self) -> None:
        (Path(self.folder) / "cluster.json").write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, folder: Path) -> Cluster:
        return cls(**json.loads((folder / "cluster.json").read_text()))


def start_replica(dsn: str, port: int, log: Path, cookie_secret: str) -> subprocess.Popen[bytes]:
    """One dashboard replica: what `make run` starts, on PostgreSQL. Every replica has the
    same cookie secret: Streamlit signs its XSRF token (uploads) with it, so a browser moved
    to another replica when its own stops can still upload."""
    command = [
        sys.executable, "-m", "streamlit", "run", SCRIPT,
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "CJB_TRACKER_DB": dsn,
                 "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret},
        )  # fmt: skip


def wait_healthy(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not become healthy in {seconds:.0f} s") from None
            time.sleep(0.3)


def start(folder: Path, replicas: int = 2, port: int | None = None, demo: bool = True) -> Cluster:
    """Start it all; whatever started is stopped again if a part fails."""
    try:
        return _start(folder, replicas, port, demo)
    except BaseException:
        stop(folder)
        raise


def _start(folder: Path, replicas: int, port: int | None, demo: bool) -> Cluster:
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)
    server = pgserver.start(folder / "pg")
    init = [sys.executable, "-m", "cjb_tracker", "init", "--db", server.dsn]
    init += ["--demo"] if demo else ["--seed-only"]
    made = subprocess.run(init, cwd=ROOT, capture_output=True, text=True)
    if made.returncode != 0 and "already holds a tracker" not in made.stderr:
        raise RuntimeError(made.stderr)
    cluster = Cluster(str(folder), "", server.dsn)
    cookie_secret = secrets.token_urlsafe(32)
    for _ in range(replicas):
        replica_port = pgserver.free_port()
        log = folder / f"replica-{replica_port}.log"
        process = start_replica(server.dsn, replica_port, log, cookie_secret)
        cluster.replicas.append({"port": replica_port, "pid": process.pid})
    cluster.save()
    for url in cluster.replica_urls:
        wait_healthy(url)
    port = port or pgserver.free_port()
    cluster.url = f"http://127.0.0.1:{port}"
    cluster.nginx_pid = _start_nginx(folder, port, [r["port"] for r in cluster.replicas])
    cluster.save()
    wait_healthy(cluster.url)
    return cluster


def _start_nginx(folder: Path, port: int, replica_ports: list[int]) -> int:
    (folder / "nginx-temp").mkdir(exist_ok=True)
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in replica_ports
    )
    template = (ROOT / "deploy" / "cluster-nginx.conf.template").read_text()
    config = folder / "nginx.conf"
    config.write_text(template.format(folder=folder, port=port, servers=servers, repo=ROOT))
    subprocess.run([NGINX, "-c", str(config), "-p", str(folder)], check=True)
    deadline = time.monotonic() + 10
    while not (folder / "nginx.pid").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("nginx did not start")
        time.sleep(0.1)
    return int((folder / "nginx.pid").read_text().strip())


def stop(folder: Path) -> None:
    """Stop nginx, the replicas and PostgreSQL (whatever of them still runs)."""
    if (folder / "cluster.json").exists():
        cluster = Cluster.load(folder)
        # (a pid of 0 would signal this very process group: nginx never started)
        if cluster.nginx_pid > 0:
            with contextlib.suppress(ProcessLookupError):
                os.kill(cluster.nginx_pid, signal.SIGQUIT)  # nginx's graceful stop
        for replica in cluster.replicas:
            if replica["pid"] > 0:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(replica["pid"], signal.SIGTERM)
    pgserver.stop(folder / "pg")
    (folder / "cluster.json").unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__)
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--empty", action="store_true", help="the seed only, no demo data")
    args = parser.parse_args(argv)
    if args.command == "stop":
        stop(args.dir)
        print(f"Stopped the cluster in {args.dir}.")
        return 0
    if (args.dir / "cluster.json").exists() and _alive(Cluster.load(args.dir).nginx_pid):
        running = Cluster.load(args.dir)
        print(f"The cluster in {args.dir} already runs at {running.url}; stop it with: "
              "make cluster-stop")  # fmt: skip
        return 0
    cluster = start(args.dir, args.replicas, args.port, demo=not args.empty)
    print(f"The tracker runs at {cluster.url} (nginx), on replicas {cluster.replica_urls},")
    print(f"sharing PostgreSQL {redact(cluster.dsn)}. Stop it with: make cluster-stop")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Debian's nginx in front of a real dashboard, with the committed proxy rules
(deploy/cjb-tracker-proxy.conf): no root needed (one process, everything under a temporary
prefix), on a free local port. Reusable by any test that wants the deployed path."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from browser.browserkit import ROOT, free_port

NGINX = "/usr/sbin/nginx"
PROXY_RULES = ROOT / "deploy" / "cjb-tracker-proxy.conf"

# A test's nginx.conf begins so: one process as whoever runs the test, files under the prefix.
_HEAD = """
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{}}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
"""
# The deployed path: the dashboard (or dashboards) as the `cjb_tracker` upstream, the
# committed rules included.
_CONF = (
    _HEAD
    + """    upstream cjb_tracker {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        include {rules};
    }}
}}
"""
)


@contextmanager
def running_proxy(prefix: Path, *upstreams: str) -> Iterator[str]:
    """nginx on a free port in front of the dashboards at `upstreams` (their URLs); yields
    the proxy's URL."""
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    servers = "\n".join(f"        server {urlsplit(u).netloc};" for u in upstreams)
    url = f"http://127.0.0.1:{port}"
    conf = _CONF.format(prefix=prefix, servers=servers, port=port, rules=PROXY_RULES)
    with _nginx(prefix, conf, [url]):
        yield url


# Stand-ins for other computers: one nginx server per loopback address, each telling the
# dashboard that its clients come from one public address (X-Forwarded-For), as the deployed
# proxy would report clients from different places. (A browser cannot do this with a header
# of its own: Chromium 150 sends a context's extra headers on pages, not on the WebSocket
# handshake that Streamlit reads the client's address from.)
_SITES_CONF = (
    _HEAD
    + """    map $http_upgrade $connection_upgrade {{
        default upgrade;
        '' close;
    }}
{servers}
}}
"""
)
_SITE = """
    server {{
        listen {listen}:{port};
        location / {{
            proxy_pass {upstream};
            proxy_http_version 1.1;
            # (Streamlit accepts a WebSocket only from its own host: these sites pose as it.)
            proxy_set_header Host $proxy_host;
            proxy_set_header Origin http://$proxy_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For {client};
            proxy_read_timeout 1h;
        }}
    }}
"""


@contextmanager
def client_sites(prefix: Path, upstream: str, *clients: str) -> Iterator[list[str]]:
    """For each client address, a URL (http://127.0.0.N:port) at which the dashboard at
    `upstream` sees its visitors as coming from that address."""
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    listens = [f"127.0.0.{n}" for n in range(2, 2 + len(clients))]
    servers = "".join(
        _SITE.format(listen=listen, port=port, upstream=upstream, client=client)
        for listen, client in zip(listens, clients, strict=True)
    )
    urls = [f"http://{listen}:{port}" for listen in listens]
    with _nginx(prefix, _SITES_CONF.format(prefix=prefix, servers=servers), urls):
        yield urls


@contextmanager
def _nginx(prefix: Path, conf: str, urls: list[str]) -> Iterator[None]:
    """nginx run with this configuration (written under prefix) until the block ends, once
    each of `urls` answers."""
    path = prefix / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(path)],
                               stderr=subprocess.PIPE)  # fmt: skip
    try:
        for url in urls:
            _wait_until_answering(url, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_answering(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"nginx exited with {process.returncode}: {error}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("nginx did not answer in 15 s")

"""A real SMTP server for the reminder tests: aiosmtpd on 127.0.0.1 on a free port, started
by the test, recording every message it accepts (sender, recipients, the bytes as sent). It
can refuse an address (550), ask for a password, speak STARTTLS or implicit TLS with a
certificate made by openssl for the test."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from cjb_tracker.reminder_settings import ReminderSettings, load

USER, PASSWORD = "tracker@cjb.test", "a-smtp-password-9f3e"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """The aiosmtpd handler: refuses the addresses in `refuse`, keeps what it accepts."""

    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    delay: float = 0.0  # seconds before each message is accepted (a slow mail server)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 <" + address + ">: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        )
        return "250 Message accepted for delivery"


@dataclass
class Server:
    host: str
    port: int
    recorder: Recorder

    @property
    def received(self) -> list[Received]:
        return self.recorder.received


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    good = (
        isinstance(data, LoginPassword)
        and data.login.decode() == USER
        and data.password.decode() == PASSWORD
    )
    return AuthResult(success=good, handled=False)  # handled=False: aiosmtpd answers 535


@contextmanager
def smtp_server(
    *,
    refuse: tuple[str, ...] = (),
    password: bool = False,
    starttls: ssl.SSLContext | None = None,
    implicit_tls: ssl.SSLContext | None = None,
    delay: float = 0.0,
) -> Iterator[Server]:
    """A running SMTP server; with `password`, only USER / PASSWORD may send; with `delay`,
    each message is accepted that many seconds after it arrives."""
    recorder = Recorder(refuse={a.lower() for a in refuse}, delay=delay)
    port = free_port()
    kwargs: dict[str, Any] = {}
    if password:
        # (aiosmtpd counts only STARTTLS as encrypted; an implicit-TLS connection is too.)
        kwargs |= {"authenticator": _authenticator, "auth_required": True,
                   "auth_require_tls": starttls is not None}  # fmt: skip
    if starttls is not None:
        kwargs |= {"tls_context": starttls, "require_starttls": True}
    controller = Controller(
        recorder, hostname="127.0.0.1", port=port, ssl_context=implicit_tls,
        server_hostname="localhost", **kwargs,
    )  # fmt: skip
    controller.start()
    try:
        yield Server("127.0.0.1", port, recorder)
    finally:
        controller.stop()


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (and its key), by openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def settings_for(
    server: Server | None = None,
    *,
    port: int | None = None,
    security: str = "none",
    password: str | None = None,
    ca_file: Path | None = None,
    **reminders: str,
) -> ReminderSettings:
    """Reminder settings as the environment would give them, for this server."""
    env = {
        "CJB_TRACKER_SMTP_HOST": "127.0.0.1",
        "CJB_TRACKER_SMTP_PORT": str(port or (server.port if server else free_port())),
        "CJB_TRACKER_SMTP_SECURITY": security,
        "CJB_TRACKER_SMTP_FROM": "CJB tracker <tracker@cjb.test>",
    }
    if password is not None:
        env |= {"CJB_TRACKER_SMTP_USER": USER, "CJB_TRACKER_SMTP_PASSWORD": password}
    if ca_file is not None:
        env["CJB_TRACKER_SMTP_CA_FILE"] = str(ca_file)
    env |= {f"CJB_TRACKER_{k.upper()}": v for k, v in reminders.items()}
    return load([], env)


def env_for(server: Server, **extra: str) -> dict[str, str]:
    """The environment variables that point the command line or the dashboard at it."""
    return {
        "CJB_TRACKER_SMTP_HOST": server.host,
        "CJB_TRACKER_SMTP_PORT": str(server.port),
        "CJB_TRACKER_SMTP_SECURITY": "none",
        "CJB_TRACKER_SMTP_FROM": "CJB tracker <tracker@cjb.test>",
        **extra,
    }

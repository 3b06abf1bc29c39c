"""Where reminders are sent from, when, and with which links: read from
`.streamlit/secrets.toml` (tables [smtp] and [reminders]) or from the environment, which wins.
Never from the database, and never written to a log: the password stays in this object.

    [smtp]
    host = "smtp.example.gov.uk"
    port = 587                      # default 587 with starttls, 465 with tls, 25 with none
    security = "starttls"           # starttls | tls | none (a relay on this machine)
    user = "tracker@example.gov.uk"
    password = "..."
    from = "CJB tracker <tracker@example.gov.uk>"
    ca_file = "/etc/ssl/private-ca.pem"   # optional: a private certificate authority

    [reminders]
    base_url = "https://tracker.example.gov.uk"
    days_before = [14, 3]           # a digest to each lead this many days before a meeting
    deadline_days = 7               # updates are due this many days before; escalation after
    escalate_to = ["secretariat@example.gov.uk"]   # besides the chairs' own addresses
    send_at = "07:30"               # the dashboard sends what is due each day at this time
    [reminders.bodies.RASSO-OPERATIONAL]
    days_before = [21, 7]
    deadline_days = 10
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cjb_tracker.errors import TrackerError
from cjb_tracker.store import ROOT

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_DAYS_BEFORE = (14, 3)
DEFAULT_DEADLINE_DAYS = 7
ENV = "CJB_TRACKER_"
# What the sentence says to set when there is no SMTP server (the page and the command).
HOW_TO_SET = (
    "Sending needs an SMTP server. Set [smtp] host, port, security (starttls, tls or none), "
    "user, password and from in .streamlit/secrets.toml, or the environment variables "
    "CJB_TRACKER_SMTP_HOST, _PORT, _SECURITY, _USER, _PASSWORD and _FROM. Nothing was sent."
)
# An address as HTML forms accept one (WHATWG): no spaces, quotes, angle brackets or commas,
# so an address can never carry a second header or a second recipient.
_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)


def valid_address(text: str | None) -> bool:
    """Whether text is one plain e-mail address (user@example.gov.uk), nothing more."""
    return bool(text) and len(text or "") <= 254 and bool(_ADDRESS.fullmatch(text or ""))


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: Address
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a repr or a log
    ca_file: str | None = None

    def describe(self) -> str:
        """Where mail goes, for the page and the command's output (no password)."""
        login = f", signing in as {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({self.security}{login}), from {self.sender.addr_spec}"


@dataclass(frozen=True)
class Schedule:
    """When a body's leads are reminded, and when updates are due."""

    days_before: tuple[int, ...] = DEFAULT_DAYS_BEFORE
    deadline_days: int = DEFAULT_DEADLINE_DAYS


@dataclass(frozen=True)
class ReminderSettings:
    smtp: SmtpSettings | None = None
    base_url: str | None = None
    default: Schedule = Schedule()
    bodies: Mapping[str, Schedule] = field(default_factory=dict)
    escalate_to: tuple[str, ...] = ()
    # When the running dashboard sends the day's reminders itself (London time); None: it
    # does not, and cron or a timer runs `cjb-tracker remind` (cjb_tracker.reminder_timer).
    send_at: dt.time | None = None

    def schedule(self, body: str) -> Schedule:
        return self.bodies.get(body, self.default)

    @property
    def sender(self) -> Address:
        """The From address; a placeholder (a reserved .invalid domain) for previews when
        no SMTP server is set."""
        if self.smtp is not None:
            return self.smtp.sender
        return Address("CJB tracker", addr_spec="reminders@not-configured.invalid")


def secrets_files() -> list[Path]:
    """The secrets files read, later ones winning: $CJB_TRACKER_SECRETS alone when set;
    else ~/.streamlit/secrets.toml, then the project's and the working folder's
    .streamlit/secrets.toml (where `streamlit run` looks)."""
    named = os.environ.get(f"{ENV}SECRETS")
    if named:
        return [Path(named)]
    found = [Path.home() / ".streamlit" / "secrets.toml"]
    for folder in (ROOT, Path.cwd()):
        path = folder / ".streamlit" / "secrets.toml"
        if path.resolve() not in [f.resolve() for f in found]:
            found.append(path)
    return found


def load(
    files: list[Path] | None = None, environ: Mapping[str, str] | None = None
) -> ReminderSettings:
    """The settings from the secrets files and the environment (which wins)."""
    tables: dict[str, Any] = {}
    for path in secrets_files() if files is None else files:
        for name, value in _read_toml(path).items():
            if name in ("smtp", "reminders") and isinstance(value, dict):
                tables.setdefault(name, {}).update(value)
    env = os.environ if environ is None else environ
    smtp = dict(tables.get("smtp", {}))
    for key in ("host", "port", "security", "user", "password", "from", "ca_file"):
        if env.get(f"{ENV}SMTP_{key.upper()}"):
            smtp[key] = env[f"{ENV}SMTP_{key.upper()}"]
    reminders = dict(tables.get("reminders", {}))
    for key, name in (
        ("base_url", "BASE_URL"),
        ("days_before", "REMIND_DAYS"),
        ("deadline_days", "DEADLINE_DAYS"),
        ("escalate_to", "ESCALATE_TO"),
        ("send_at", "REMIND_AT"),
    ):
        if env.get(f"{ENV}{name}"):
            reminders[key] = env[f"{ENV}{name}"]
    return ReminderSettings(
        smtp=_smtp(smtp),
        base_url=_base_url(reminders.get("base_url")),
        default=_schedule(reminders, Schedule(), "[reminders]"),
        bodies={
            str(body): _schedule(
                table, _schedule(reminders, Schedule(), "[reminders]"), f"[reminders.bodies.{body}]"
            )
            for body, table in dict(reminders.get("bodies", {})).items()
        },  # fmt: skip
        escalate_to=_addresses(reminders.get("escalate_to"), "escalate_to"),
        send_at=_time_of_day(reminders.get("send_at"), "[reminders] send_at"),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise TrackerError(
            f"The settings file {path} could not be read: {error.strerror}."
        ) from error
    try:
        return tomllib.loads(text.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        # (The message names the line and column, never the file's content.)
        raise TrackerError(f"The settings file {path} is not valid TOML: {error}.") from error


def _smtp(table: Mapping[str, Any]) -> SmtpSettings | None:
    host = str(table.get("host") or "").strip()
    if not host:
        return None
    security = str(table.get("security") or "starttls").strip().lower()
    if security not in SECURITY:
        raise TrackerError(
            f"smtp security '{security}' is not one of {', '.join(SECURITY)}: starttls for "
            "port 587, tls for port 465, none only for a relay on this machine."
        )
    port = _whole_number(table.get("port", DEFAULT_PORTS[security]), "smtp port", 1, 65535)
    sender = _sender(str(table.get("from") or ""))
    user = str(table.get("user") or "").strip() or None
    password = str(table.get("password") or "") or None
    if user and password is None:
        raise TrackerError("smtp user is set but password is not: set both, or neither.")
    ca_file = str(table.get("ca_file") or "").strip() or None
    return SmtpSettings(host, port, security, sender, user, password, ca_file)


def _sender(text: str) -> Address:
    name, address = parseaddr(text.strip())
    if not text.strip() or not valid_address(address) or any(c in text for c in "\r\n"):
        raise TrackerError(
            "smtp from must be the address reminders are sent from, e.g. "
            "'CJB tracker <tracker@example.gov.uk>'."
        )
    return Address(display_name=name, addr_spec=address)


def _base_url(value: Any) -> str | None:
    text = str(value or "").strip().rstrip("/")
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or "\n" in text:
        raise TrackerError(
            f"reminders base_url '{text[:60]}' is not the dashboard's address; give it as "
            "https://tracker.example.gov.uk"
        )
    return text


def _schedule(table: Mapping[str, Any], default: Schedule, where: str) -> Schedule:
    days = table.get("days_before", default.days_before)
    if isinstance(days, str):
        days = [d for d in re.split(r"[,\s]+", days) if d]
    if not isinstance(days, list | tuple) or not days:
        raise TrackerError(f"{where} days_before must be a list of days, e.g. [14, 3].")
    chosen = tuple(sorted({_whole_number(d, f"{where} days_before", 0, 365) for d in days},
                          reverse=True))  # fmt: skip
    deadline = _whole_number(
        table.get("deadline_days", default.deadline_days), f"{where} deadline_days", 0, 365
    )
    return Schedule(chosen, deadline)


def _time_of_day(value: Any, name: str) -> dt.time | None:
    """A time of day as 24-hour HH:MM ("07:30"); None when unset."""
    if value is None or str(value).strip() == "":
        return None
    found = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", str(value).strip())
    if found is None:
        raise TrackerError(
            f"{name} (CJB_TRACKER_REMIND_AT) must be a time of day as 24-hour HH:MM, for "
            f"example 07:30, not '{str(value)[:20]}'."
        )
    return dt.time(int(found.group(1)), int(found.group(2)))


def _whole_number(value: Any, name: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or isinstance(value, float) or not low <= number <= high:
        raise TrackerError(f"{name} must be a whole number from {low} to {high}, not '{value}'.")
    return number


def _addresses(value: Any, name: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = re.split(r"[,;\s]+", value) if isinstance(value, str) else list(value)
    found = tuple(str(a).strip().lower() for a in items if str(a).strip())
    bad = [a for a in found if not valid_address(a)]
    if bad:
        raise TrackerError(f"reminders {name}: '{bad[0][:60]}' is not an e-mail address.")
    return found

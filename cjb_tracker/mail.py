"""E-mail: a message built with the standard library's `email` package (multipart: a
plain-text part always, an HTML part beside it, attachments), and sent with `smtplib`.

Nothing a user wrote can become a header: every header value passes through header_text,
which turns line breaks and other control characters into spaces, and addresses must be
plain addresses (reminder_settings.valid_address). In the body, text is only ever data: the
email package encodes it (quoted-printable or base64) and picks a MIME boundary that does
not occur in it.
"""

from __future__ import annotations

import datetime as dt
import re
import smtplib
import socket
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from cjb_tracker.errors import TrackerError
from cjb_tracker.reminder_settings import SmtpSettings, valid_address

TIMEOUT_SECONDS = 30
# Control characters, and the Unicode line and paragraph separators some mail readers
# treat as line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@dataclass(frozen=True)
class Attachment:
    file_name: str
    media_type: str  # e.g. "text/calendar"
    data: bytes
    params: tuple[tuple[str, str], ...] = ()  # e.g. (("method", "PUBLISH"),)


@dataclass(frozen=True)
class Letter:
    """What a message says: its subject, its plain-text and HTML parts, its attachments."""

    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()


def header_text(text: str, limit: int = 200) -> str:
    """Text fit for a header: every line break and control character a space, runs of
    spaces one, at most `limit` characters."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def build(
    letter: Letter,
    sender: Address,
    to_name: str,
    to_address: str,
    *,
    message_id: str | None = None,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """The message: From, To, Subject, Date and Message-ID headers (the last two made now
    unless given), the plain-text part, the HTML part, then each attachment."""
    if not valid_address(to_address):
        raise TrackerError(f"'{header_text(to_address, 60)}' is not an e-mail address.")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=header_text(to_name, 120), addr_spec=to_address)
    message["Subject"] = header_text(letter.subject)
    message["Date"] = format_datetime(date or dt.datetime.now(dt.UTC))
    message["Message-ID"] = message_id or make_msgid(domain=sender.domain or None)
    # An automatic message (RFC 3834): no out-of-office replies, no auto-forwarding loops.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(letter.text, subtype="plain", charset="utf-8")
    message.add_alternative(letter.html, subtype="html", charset="utf-8")
    for attachment in letter.attachments:
        maintype, subtype = attachment.media_type.split("/", 1)
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=header_text(attachment.file_name, 120),
            params=dict(attachment.params),
        )
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts of a message, decoded."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return (
        str(text.get_content()) if text is not None else "",
        str(html.get_content()) if html is not None else "",
    )


def attachments(message: EmailMessage) -> list[tuple[str, str, bytes]]:
    """(file name, media type, bytes) of each attachment of a message."""
    found = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True)
        found.append((part.get_filename() or "", part.get_content_type(), bytes(data or b"")))
    return found


# --- Sending ---------------------------------------------------------------------------


class NotSent(TrackerError):
    """The mail server could not be reached or refused us; the sentence says which."""


def send_each(
    settings: SmtpSettings, messages: Sequence[EmailMessage]
) -> Iterator[tuple[EmailMessage, str | None]]:
    """Send each message over one connection, yielding it with None once the server has
    accepted it, or with a sentence saying why not. (Yielded as it goes, so the caller
    records each sent message before the next is tried.) When the connection cannot be
    made or is lost, every message not yet sent is yielded with the reason."""
    if not messages:
        return
    try:
        server = connect(settings)
    except NotSent as failed:
        for message in messages:
            yield message, str(failed)
        return
    lost: str | None = None
    try:
        for message in messages:
            if lost is not None:
                yield message, lost
                continue
            try:
                server.send_message(message)
            except smtplib.SMTPServerDisconnected:
                lost = f"The mail server {settings.host} closed the connection before it was sent."
                yield message, lost
                continue
            except (smtplib.SMTPException, OSError) as error:
                yield message, _refusal(error, message)
                continue
            yield message, None
    finally:
        _quit(server)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """A connection to the mail server, encrypted as set and signed in when a user is set;
    any failure is NotSent with a sentence (never the password)."""
    where = f"{settings.host}:{settings.port}"
    server: smtplib.SMTP | None = None
    try:
        context = ssl.create_default_context(cafile=settings.ca_file)
        if settings.security == "tls":
            server = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
            if settings.security == "starttls":
                _starttls(server, context, where)
        if settings.user:
            server.login(settings.user, settings.password or "")
        return server
    except smtplib.SMTPAuthenticationError as error:
        _quit(server)
        raise NotSent(
            f"The mail server {where} refused the sign-in of {settings.user} "
            f"({_answer(error.smtp_code, error.smtp_error)}). Check smtp user and password."
        ) from None
    except smtplib.SMTPNotSupportedError:
        _quit(server)
        raise NotSent(
            f"The mail server {where} does not offer a sign-in. Leave smtp user and password "
            "empty, or check the port."
        ) from None
    except NotSent:
        _quit(server)
        raise
    except ssl.SSLError as error:
        _quit(server)
        raise NotSent(
            f"The encrypted connection to {where} failed ({error.reason or error}). Check smtp "
            "security (starttls for port 587, tls for 465) and, for a private certificate "
            "authority, smtp ca_file."
        ) from None
    except ConnectionRefusedError:
        raise NotSent(
            f"The mail server {where} refused the connection. Check smtp host and port, and "
            "that the server is running."
        ) from None
    except socket.gaierror:
        raise NotSent(f"The mail server {settings.host} is not known. Check smtp host.") from None
    except TimeoutError:
        _quit(server)
        raise NotSent(
            f"The mail server {where} did not answer within {TIMEOUT_SECONDS} seconds."
        ) from None
    except (smtplib.SMTPException, OSError) as error:
        _quit(server)
        raise NotSent(f"The mail server {where} could not be used: {_describe(error)}.") from None


def _starttls(server: smtplib.SMTP, context: ssl.SSLContext, where: str) -> None:
    try:
        server.starttls(context=context)
    except smtplib.SMTPNotSupportedError:
        raise NotSent(
            f"The mail server {where} does not offer STARTTLS. Check smtp security (tls for "
            "port 465) or the port."
        ) from None


def _refusal(error: BaseException, message: EmailMessage) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address} ({_answer(code, text)})"
            for address, (code, text) in error.recipients.items()
        )
        return f"The mail server refused the address {refused}."
    if isinstance(error, smtplib.SMTPSenderRefused):
        return (
            f"The mail server refused the sender {error.sender} "
            f"({_answer(error.smtp_code, error.smtp_error)}). Check smtp from."
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return (
            f"The mail server refused the message ({_answer(error.smtp_code, error.smtp_error)})."
        )
    return f"The message to {message['To']} could not be sent: {_describe(error)}."


def _answer(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {header_text(said, 160)}".strip()


def _describe(error: BaseException) -> str:
    return header_text(str(error) or type(error).__name__, 160)


def _quit(server: smtplib.SMTP | None) -> None:
    if server is None:
        return
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()

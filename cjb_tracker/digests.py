"""What a reminder digest says: its subject, its plain-text and HTML parts and its
attachments (the lead's updates template, the meeting's calendar event), built into the
message that is previewed and sent (the same function does both).

Everything a user wrote (names, titles, the meeting's title) is escaped in the HTML part
(html.escape) and is only data in the plain-text part; mail.build keeps it out of headers.
"""

from __future__ import annotations

import datetime as dt
import html
from email.message import EmailMessage
from urllib.parse import quote

import duckdb

from cjb_tracker import ics, mail, store, upload_templates, vocab
from cjb_tracker.mail import Attachment, Letter
from cjb_tracker.reminder_settings import ReminderSettings
from cjb_tracker.reminders import Digest, Item

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FOOTER = (
    "Sent automatically by the CJB recommendations tracker. Reminders go to every lead with "
    "an update owed, {schedule} before each meeting."
)


def message(
    con: duckdb.DuckDBPyConnection,
    settings: ReminderSettings,
    digest: Digest,
    today: dt.date,
    *,
    message_id: str | None = None,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """The digest as the message that is sent (and previewed)."""
    return mail.build(
        letter(con, settings, digest, today),
        settings.sender,
        digest.name,
        digest.address,
        message_id=message_id,
        date=date,
    )


def letter(
    con: duckdb.DuckDBPyConnection, settings: ReminderSettings, digest: Digest, today: dt.date
) -> Letter:
    links = Links(settings.base_url)
    event = Attachment(
        ics.file_name(digest.meeting.body, digest.meeting.meeting_id),
        ics.MEDIA_TYPE,
        ics.meeting_event(con, digest.meeting.meeting_id, settings.base_url),
        (("method", "PUBLISH"),),
    )
    if digest.kind == "due":
        template = template_attachment(con, digest, today)
        return Letter(
            due_subject(digest),
            due_text(digest, links, template.file_name, event.file_name),
            due_html(digest, links, template.file_name, event.file_name),
            (template, event),
        )
    return Letter(
        escalation_subject(digest),
        escalation_text(digest, links, event.file_name),
        escalation_html(digest, links, event.file_name),
        (event,),
    )


def template_attachment(
    con: duckdb.DuckDBPyConnection, digest: Digest, today: dt.date
) -> Attachment:
    """The updates template of the recommendations the digest lists, each row for the
    meeting (its date and body): the Upload page's template, built by upload_templates."""
    rows = store.run_query(
        con,
        "digest_template_rows",
        rec_ids=digest.rec_ids,
        meeting_id=digest.meeting.meeting_id,
        today=today,
    )
    name = upload_templates.template_file_name(
        "updates", mail.header_text(digest.name), digest.meeting.held_on, "xlsx"
    )
    return Attachment(name, XLSX, upload_templates.template_file("updates", rows, "xlsx"))


class Links:
    """The dashboard's links, when its address (base_url) is set."""

    def __init__(self, base_url: str | None) -> None:
        self.base = base_url

    def upload(self) -> str | None:
        return f"{self.base}/upload" if self.base else None

    def recommendation(self, rec_id: str) -> str | None:
        return f"{self.base}/recommendations?rec={quote(rec_id, safe='')}" if self.base else None

    def meeting(self, meeting_id: str) -> str | None:
        return f"{self.base}/meetings?meeting={quote(meeting_id, safe='')}" if self.base else None


# --- Words shared by both parts --------------------------------------------------------


def uk(day: dt.date | None) -> str:
    return "not set" if day is None else f"{day.day} {day:%b %Y}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def meeting_words(digest: Digest) -> str:
    """'13 Jan 2027 (Board meeting, January 2027)', and the date it moved from."""
    m = digest.meeting
    moved = f"; moved from {uk(m.moved_from)}" if m.moved_from else ""
    return f"{uk(m.held_on)} ({m.title}{moved})"


def position(item: Item) -> str:
    """'Status: In progress. RAG: Amber (at risk). Due: 31 Mar 2025, overdue by 611 days.'"""
    rag = vocab.rag_label(item.rag)
    due = f"Due: {uk(item.due)}"
    if item.days_overdue > 0:
        due += f", overdue by {plural(item.days_overdue, 'day')}"
    elif item.overdue_by_meeting:
        due += ", overdue by the meeting"
    return f"Status: {item.status}. RAG: {rag}. {due}."


def why_listed(item: Item, previous: dt.date | None) -> str:
    reasons = []
    if item.owes_update:
        reasons.append("update owed")
    if item.newly_overdue:
        since = f" since the last meeting ({uk(previous)})" if previous else ""
        reasons.append(f"newly overdue{since}")
    elif item.days_overdue > 0:
        reasons.append("overdue")
    return _first_upper("; ".join(reasons))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def schedule_words(days: tuple[int, ...]) -> str:
    words = [str(d) for d in sorted(days, reverse=True)]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"{joined} days"


def by_lead(items: tuple[Item, ...]) -> list[tuple[str, list[Item]]]:
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item.lead or "No lead set", []).append(item)
    return sorted(groups.items(), key=lambda g: (g[0] == "No lead set", g[0]))


# --- Due: to a lead ------------------------------------------------------------------


def due_subject(digest: Digest) -> str:
    m = digest.meeting
    count = plural(len(digest.items), "recommendation")
    return f"Update needed by {uk(digest.deadline)} for {m.title} ({uk(m.held_on)}): {count}"


def due_text(digest: Digest, links: Links, template: str, event: str) -> str:
    m = digest.meeting
    lines = [
        f"Dear {mail.header_text(digest.name)},",
        "",
        f"The {m.body_name} meets on {meeting_words(digest)}. Please send your update on "
        f"the {plural(len(digest.items), 'recommendation')} below by {uk(digest.deadline)}.",
        "",
    ]
    for item in digest.items:
        lines += [f"{item.rec_id}: {item.title}", f"  {position(item)}"]
        lines.append(f"  Last update: {uk(item.last_update_on)}.")
        if item.last_next_steps:
            lines.append(f"  Next steps you gave then: {item.last_next_steps}")
        if (link := links.recommendation(item.rec_id)) is not None:
            lines.append(f"  {link}")
        lines.append("")
    upload = links.upload()
    lines += [
        "How to send your update",
        f"1. Open the attached spreadsheet, {template}: one row for each recommendation "
        "above, with the meeting's date filled in.",
        "2. Fill in the status, RAG, update and next steps. A revised due date needs its "
        "reason; to propose closure, set the status to Closure proposed and give the evidence.",
        "3. Upload it on the tracker's Upload page" + (f": {upload}" if upload else "."),
        "",
        f"The meeting is attached as a calendar event ({event}).",
        "",
        FOOTER.format(schedule=schedule_words(digest.schedule or (digest.round,))),
    ]
    return "\n".join(lines) + "\n"


def due_html(digest: Digest, links: Links, template: str, event: str) -> str:
    m = digest.meeting
    rows = "".join(_item_row(item, links) for item in digest.items)
    upload = links.upload()
    upload_words = (
        f'the tracker\'s <a href="{_e(upload)}">Upload page</a>' if upload else
        "the tracker's Upload page"
    )  # fmt: skip
    body = f"""
<p>Dear {_e(mail.header_text(digest.name))},</p>
<p>The {_e(m.body_name)} meets on {_e(meeting_words(digest))}. Please send your update on
the {plural(len(digest.items), "recommendation")} below by
<strong>{_e(uk(digest.deadline))}</strong>.</p>
{_table(("Recommendation", "Status", "RAG", "Due", "Last update"), rows)}
<h2>How to send your update</h2>
<ol>
<li>Open the attached spreadsheet, <strong>{_e(template)}</strong>: one row for each
recommendation above, with the meeting's date filled in.</li>
<li>Fill in the status, RAG, update and next steps. A revised due date needs its reason; to
propose closure, set the status to Closure proposed and give the evidence.</li>
<li>Upload it on {upload_words}.</li>
</ol>
<p>The meeting is attached as a calendar event ({_e(event)}).</p>
"""
    footer = FOOTER.format(schedule=schedule_words(digest.schedule or (digest.round,)))
    return _page(due_subject(digest), body, footer)


def _item_row(item: Item, links: Links, extra: str | None = None) -> str:
    link = links.recommendation(item.rec_id)
    name = f'<a href="{_e(link)}">{_e(item.rec_id)}</a>' if link else _e(item.rec_id)
    due = uk(item.due)
    if item.days_overdue > 0:
        due += f"<br><strong>overdue by {plural(item.days_overdue, 'day')}</strong>"
    elif item.overdue_by_meeting:
        due += "<br><strong>overdue by the meeting</strong>"
    last = _e(uk(item.last_update_on))
    if item.last_next_steps:
        last += f"<br>Next steps then: {_e(item.last_next_steps)}"
    cells = [
        f"{name}<br>{_e(item.title)}",
        _e(item.status),
        _rag(item.rag),
        due,
        last,
    ]
    if extra is not None:
        cells.insert(1, _e(extra))
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


# --- Escalation: to the chair and secretariat ----------------------------------------


def escalation_subject(digest: Digest) -> str:
    m = digest.meeting
    owed = [i for i in digest.items if i.owes_update]
    leads = {i.lead for i in owed if i.lead}
    unled = len([i for i in owed if not i.lead])
    return (
        f"Updates still owed for {m.title} ({uk(m.held_on)}): "
        f"{plural(len(owed), 'update')} from {plural(len(leads), 'lead')}"
        + (f" and {unled} with no lead" if unled else "")
    )


def _escalation_summary(digest: Digest) -> str:
    owed = [i for i in digest.items if i.owes_update]
    overdue = [i for i in digest.items if i.days_overdue > 0 or i.newly_overdue]
    return (
        f"Updates for the meeting on {meeting_words(digest)} were due by {uk(digest.deadline)}. "
        f"{plural(len(owed), 'update')} {'is' if len(owed) == 1 else 'are'} still owed, and "
        f"{plural(len(overdue), 'recommendation')} {'is' if len(overdue) == 1 else 'are'} "
        "overdue or newly overdue. By lead:"
    )


def _reminded_words(digest: Digest, lead: str) -> str:
    unreachable = {u.lead for u in digest.unreachable}
    if lead in unreachable:
        return "could not be reminded: no e-mail address"
    days = dict(digest.reminded).get(lead)
    if not days:
        return "not reminded for this meeting"
    return "reminded on " + " and ".join(uk(d) for d in days)


def escalation_text(digest: Digest, links: Links, event: str) -> str:
    lines = [f"Dear {mail.header_text(digest.name)},", "", _escalation_summary(digest), ""]
    for lead, listed in by_lead(digest.items):
        lines.append(f"{lead} ({_reminded_words(digest, lead)})")
        for item in listed:
            lines += [
                f"  {item.rec_id}: {item.title}",
                f"    {why_listed(item, digest.meeting.previous_held_on)}. {position(item)}",
            ]
        lines.append("")
    lines += _unreachable_text(digest)
    if (link := links.meeting(digest.meeting.meeting_id)) is not None:
        lines += [f"The meeting in the tracker: {link}", ""]
    lines += [f"The meeting is attached as a calendar event ({event}).", ""]
    lines.append("Sent automatically by the CJB recommendations tracker after the deadline.")
    return "\n".join(lines) + "\n"


def _unreachable_text(digest: Digest) -> list[str]:
    if not digest.unreachable:
        return []
    lines = ["Could not be reminded (no e-mail address)"]
    for u in digest.unreachable:
        lines.append(f"  {u.lead}: {', '.join(u.rec_ids)}")
    lines += [
        '  Set an address with: cjb-tracker lead set-email "LEAD NAME" ADDRESS, or add the '
        "lead as a user with --email.",
        "",
    ]
    return lines


def escalation_html(digest: Digest, links: Links, event: str) -> str:
    sections = []
    for lead, listed in by_lead(digest.items):
        rows = "".join(
            _item_row(i, links, why_listed(i, digest.meeting.previous_held_on)) for i in listed
        )
        sections.append(
            f"<h2>{_e(lead)}</h2><p>{_e(_first_upper(_reminded_words(digest, lead)))}.</p>"
            + _table(("Recommendation", "Why listed", "Status", "RAG", "Due", "Last update"), rows)
        )
    unreachable = ""
    if digest.unreachable:
        missed = "".join(
            f"<li>{_e(u.lead)}: {_e(', '.join(u.rec_ids))}</li>" for u in digest.unreachable
        )
        unreachable = (
            "<h2>Could not be reminded (no e-mail address)</h2>"
            f"<ul>{missed}</ul><p>Set an address with <code>cjb-tracker lead set-email "
            '"LEAD NAME" ADDRESS</code>, or add the lead as a user with --email.</p>'
        )
    link = links.meeting(digest.meeting.meeting_id)
    meeting_link = f'<p><a href="{_e(link)}">The meeting in the tracker</a></p>' if link else ""
    body = (
        f"<p>Dear {_e(mail.header_text(digest.name))},</p>"
        f"<p>{_e(_escalation_summary(digest))}</p>"
        + "".join(sections)
        + unreachable
        + meeting_link
        + f"<p>The meeting is attached as a calendar event ({_e(event)}).</p>"
    )
    footer = "Sent automatically by the CJB recommendations tracker after the deadline."
    return _page(escalation_subject(digest), body, footer)


# --- HTML ----------------------------------------------------------------------------


def _e(text: object) -> str:
    """User text as HTML text: every <, >, &, and quote escaped."""
    return html.escape(str(text), quote=True)


def _rag(rag: str | None) -> str:
    """The RAG word, with a coloured square beside it (the word carries the meaning)."""
    colour = vocab.rag_colour(rag)
    swatch = (
        f'<span aria-hidden="true" style="display:inline-block;width:0.8em;height:0.8em;'
        f'background:{colour};margin-right:0.3em"></span>'
    )
    return swatch + _e(vocab.rag_label(rag))


def _table(headings: tuple[str, ...], rows: str) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headings)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 15px; color: #1a1a1a;
  line-height: 1.45; max-width: 50em; margin: 1em; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.4em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; }
th, td { border: 1px solid #767676; padding: 0.35em 0.5em; text-align: left;
  vertical-align: top; }
th { background: #f0f0f0; }
a { color: #0b4f8a; }
.footer { color: #4a4a4a; font-size: 0.9em; margin-top: 2em; }
"""


def _page(title: str, body: str, footer: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(mail.header_text(title))}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{_e(mail.header_text(title))}</h1>{body}"
        f'<p class="footer">{_e(footer)}</p></body></html>\n'
    )

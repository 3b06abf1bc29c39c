"""Reminders (chair): each digest of a meeting previewed exactly as it will be sent, Send
now, the history of what was sent, and where leads' reminders go."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import mail, presenting, reminders, web
from cjb_tracker.auth import User
from cjb_tracker.reminder_settings import HOW_TO_SET, ReminderSettings


def plain(text: str) -> str:
    """A sentence shown as text: names and addresses in it are never read as Markdown."""
    return presenting.escape_markdown(text)


def where_mail_goes(settings: ReminderSettings) -> None:
    if settings.smtp is None:
        st.warning(
            plain(
                HOW_TO_SET.replace(" Nothing was sent.", " Until then, digests can be previewed.")
            )
        )
    else:
        st.caption(plain(f"Mail goes through {settings.smtp.describe()}."))
    if settings.send_at is None:
        st.caption(
            "The dashboard does not send reminders on its own: no daily time is set "
            '([reminders] send_at, e.g. "07:30"). Send them here, or from cron.'
        )
    else:
        st.caption(f"Each day from {settings.send_at:%H:%M} (London time), the dashboard "
                   "sends what is due itself.")  # fmt: skip
    if settings.base_url is None:
        st.caption(
            "The dashboard's address is not set ([reminders] base_url): digests carry no links."
        )


def preview(settings: ReminderSettings, plan: reminders.Plan) -> None:
    """One digest, chosen, as the message that would be sent: headers, the HTML part as a
    mail reader shows it, the plain-text part, and the attachments to download."""
    labels = [f"{d.name} <{d.address}>" for d in plan.digests]
    chosen = st.selectbox("Preview the digest to", range(len(labels)),
                          format_func=labels.__getitem__, key="preview_digest")  # fmt: skip
    if chosen is None:
        return
    message = web.reminder_preview(settings, plan.digests[chosen])
    text, html = mail.parts(message)
    st.text("\n".join(f"{h}: {message[h]}" for h in ("From", "To", "Subject")))
    st.caption("The date and the Message-ID are set when it is sent.")
    as_html, as_text = st.tabs(["As HTML", "As plain text"])
    with as_html:
        st.iframe(html, height="content", alt="The digest's HTML part, as it will be sent")
    with as_text:
        st.text(text)
    for column, (name, media_type, data) in zip(
        st.columns(3), mail.attachments(message), strict=False
    ):
        column.download_button(f"Attachment: {name}", data, file_name=name, mime=media_type,
                               key=f"attachment_{name}", on_click="ignore")  # fmt: skip


def send_now(settings: ReminderSettings, plan: reminders.Plan, user: User) -> None:
    waiting = len(plan.to_send)
    why_not = reminders.why_not_send(plan, settings)
    st.button(
        f"Send now ({waiting})",
        type="primary",
        key="send_reminders",
        on_click=web.send_reminders,
        args=(settings, plan.meeting.meeting_id, plan.kind, user),
        disabled=why_not is not None,
    )
    if why_not:
        st.caption(plain(why_not))
    outcome = web.reminder_outcome()
    if outcome:
        shown = {"success": st.success, "error": st.error, "info": st.info}[outcome[0]]
        shown("\n\n".join(plain(line) for line in outcome[1]))


def lead_addresses(user: User) -> None:
    st.header("Where leads' reminders go")
    st.caption(
        "A lead who is a user with an e-mail address is reminded there. For a lead who is not, "
        "set an address here, or upload a file with the columns lead and email."
    )
    known = web.lead_address_table()
    web.table(known, key="lead_addresses", times=("recorded_at",))
    with st.form("lead_address", enter_to_submit=False):
        st.selectbox("Lead", list(known["lead"]), index=None, key="address_lead",
                     accept_new_options=True, placeholder="Choose or type a lead name")  # fmt: skip
        st.text_input("E-mail address", key="address_email")
        set_it, remove = st.columns(2)
        set_it.form_submit_button("Set the address", on_click=web.set_lead_address,
                                  args=(user, False))  # fmt: skip
        remove.form_submit_button("Remove the address", on_click=web.set_lead_address,
                                  args=(user, True))  # fmt: skip
    outcome = web.address_outcome()
    if outcome:
        (st.success if outcome[0] == "success" else st.error)(plain(outcome[1]))
    upload = st.file_uploader("A file of addresses", type=["csv", "xlsx"], key="address_file")
    if upload is not None:
        address_file(upload.name, upload.getvalue(), user)


def address_file(name: str, data: bytes, user: User) -> None:
    """A file of addresses checked (nothing written), its problems, and Save."""
    checked = web.import_lead_addresses(name, data, user, dry_run=True)
    if checked.errors:
        st.error(f"{len(checked.errors)} problem(s): fix the file and upload it again.")
        web.table(presenting.problems_table(checked.errors), key="address_errors")
    if checked.warnings:
        web.table(presenting.problems_table(checked.warnings), key="address_warnings")
    if not checked.errors:
        st.caption(f"{checked.changed} of {checked.rows} address(es) would change.")
    st.button(
        "Save the addresses",
        key="save_addresses",
        on_click=web.save_lead_addresses,
        args=(name, data, user),
        disabled=bool(checked.errors) or not checked.changed,
    )


web.require_dashboard()
user = web.require_permission("send-reminders")
st.title("Reminders")
settings, problem = web.reminder_settings()
if settings is None:
    st.error(plain(problem or ""))
    st.stop()
where_mail_goes(settings)

meetings = web.query("meetings_ahead", today=presenting.london_today())
if meetings.empty:
    st.info("No meeting is planned. Upload a meetings file on the Upload page.")
else:
    labels = presenting.meeting_labels(meetings)
    meeting_id = st.selectbox("Meeting", list(labels), format_func=labels.__getitem__,
                              key="remind_meeting")  # fmt: skip
    kind = st.radio("Digest", reminders.KINDS, format_func=reminders.KIND_LABELS.__getitem__,
                    horizontal=True, key="remind_kind")  # fmt: skip
    plan = web.reminder_plan(settings, str(meeting_id), str(kind))
    st.info(plain(plan.note))
    if plan.unreachable:
        st.warning(plain(reminders.unreachable_sentence(plan)))
    st.header(f"Digests ({len(plan.digests)})")
    web.table(reminders.digest_table(plan), key="digests", times=("sent_at",))
    if plan.digests:
        preview(settings, plan)
    send_now(settings, plan, user)

st.header("Sent")
sent = web.paged_query("reminder_history", "reminder_history", meeting_id=None)
web.table(sent, key="reminder_history", times=("sent_at",), paged=True)
lead_addresses(user)

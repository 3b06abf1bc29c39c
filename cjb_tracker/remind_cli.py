"""The command line's reminder commands (cjb_tracker.cli adds them):

    cjb-tracker remind [--meeting ID] [--kind due|escalation] [--dry-run] [--json] [--db] [--by]
    cjb-tracker lead set-email NAME (ADDRESS | --remove) [--db] [--by]
    cjb-tracker lead list [--db]
    cjb-tracker lead import FILE [--dry-run] [--json] [--db] [--by]

`remind` is made for cron or a systemd timer: it sends what the schedule has in force today
and nothing twice; exit 0 when every message due went (or nothing was due), 1 when one
failed or sending is not set up (the output says which and why).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

COMMANDS = ("remind", "lead")
EXIT_DONE, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_commands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    add_db: Callable[[argparse.ArgumentParser], None],
    add_by: Callable[[argparse.ArgumentParser], None],
) -> None:
    remind = commands.add_parser(
        "remind", help="send the reminder digests due today (run it from cron or a timer)"
    )
    remind.add_argument(
        "--meeting",
        help="only this meeting, e.g. CJB:2027-01-13; its due reminders go now, even before "
        "the schedule (as its first round)",
    )
    remind.add_argument("--kind", choices=("due", "escalation"), help="only this kind")
    remind.add_argument("--dry-run", action="store_true", help="show each digest; send nothing")
    remind.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    add_db(remind)
    add_by(remind)

    lead = commands.add_parser("lead", help="leads' e-mail addresses, for reminders")
    leads = lead.add_subparsers(dest="lead_command", required=True)
    set_email = leads.add_parser("set-email", help="set (or remove) the address of a lead name")
    set_email.add_argument("name", help="the lead as the recommendations give it")
    address = set_email.add_mutually_exclusive_group(required=True)
    address.add_argument("email", nargs="?", help="e.g. hvs@example.gov.uk")
    address.add_argument("--remove", action="store_true", help="remove the address")
    listing = leads.add_parser("list", help="every lead name and how it is reached")
    load = leads.add_parser("import", help="read a file of lead addresses (columns lead, email)")
    load.add_argument("file", type=Path)
    load.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    load.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    for sub in (set_email, listing, load):
        add_db(sub)
        add_by(sub)


def run(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, who: str) -> int:
    if args.command == "remind":
        return _remind(con, args, who)
    return _lead(con, args, who)


# --- remind ------------------------------------------------------------------------------


def _remind(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, who: str) -> int:
    from cjb_tracker import presenting, reminder_settings, reminders

    settings = reminder_settings.load()
    today = presenting.london_today()
    meeting_id = _meeting_id(args.meeting) if args.meeting else None
    report = reminders.run(
        con, settings, who, meeting_id=meeting_id, kind=args.kind, dry_run=args.dry_run,
        today=today,
    )  # fmt: skip
    if args.json:
        print(json.dumps(_as_json(report), ensure_ascii=False, default=str))
    else:
        _print_report(con, settings, report, today)
    return EXIT_FAILED if report.failed else EXIT_DONE


def _meeting_id(text: str) -> str:
    from cjb_tracker import packs

    return str(packs.meeting_id_of(text))


def _as_json(report: Any) -> dict[str, Any]:
    status = "dry-run" if report.dry_run else "failed" if report.failed else (
        "sent" if report.sent else "nothing"
    )  # fmt: skip
    return {
        "status": status,
        "runs": [
            {
                "meeting_id": plan.meeting.meeting_id,
                "kind": plan.kind,
                "round": plan.round,
                "ready": plan.ready,
                "note": plan.note,
                "unreachable": [
                    {"lead": u.lead, "rec_ids": list(u.rec_ids)} for u in plan.unreachable
                ],
                "messages": [
                    {
                        "to": o.digest.address,
                        "name": o.digest.name,
                        "rec_ids": o.digest.rec_ids,
                        "status": o.status,
                        "message_id": o.message_id,
                        "problem": o.problem,
                    }
                    for o in outcomes
                ],
            }
            for plan, outcomes in report.runs
        ],
    }


def _print_report(con: duckdb.DuckDBPyConnection, settings: Any, report: Any, today: Any) -> None:
    from cjb_tracker import digests, mail

    if not report.runs:
        print("No reminder is due today.")
    for plan, outcomes in report.runs:
        m = plan.meeting
        when = f"{plan.round} days before"
        print(f"{m.meeting_id} ({m.title}), {plan.kind} reminders, {when}: {plan.note}")
        if plan.unreachable:
            missed = "; ".join(f"{u.lead} ({', '.join(u.rec_ids)})" for u in plan.unreachable)
            print(f"  Could not be reminded (no e-mail address): {missed}")
        if not outcomes:
            print("  Nothing to send.")
        for number, outcome in enumerate(outcomes, start=1):
            d = outcome.digest
            to = f"{d.name} <{d.address}>"
            if outcome.status == "would send":
                message = digests.message(con, settings, d, today)
                _print_preview(number, len(outcomes), message, mail)
            elif outcome.status == "already sent":
                print(f"  Already sent to {to} on {_when(d.sent_at)}; not sent again.")
            elif outcome.status == "sent":
                print(f"  Sent to {to}: {outcome.message_id}")
            else:
                print(f"  NOT SENT to {to}: {outcome.problem} It will be tried again next run.")
    if settings.smtp is None:
        print(f"(No SMTP server is set: {reminder_settings_how()})")


def reminder_settings_how() -> str:
    from cjb_tracker.reminder_settings import HOW_TO_SET

    return HOW_TO_SET.replace(" Nothing was sent.", "")


def _print_preview(number: int, total: int, message: Any, mail: Any) -> None:
    text, _ = mail.parts(message)
    print(f"\n=== Digest {number} of {total} (would send) ===")
    for header in ("From", "To", "Subject"):
        print(f"{header}: {message[header]}")
    print()
    print(text.rstrip())
    print()
    attached = ", ".join(f"{n} ({len(b):,} bytes)" for n, _, b in mail.attachments(message))
    print(f"Attachments: {attached or 'none'}")
    print("=== end ===")


# --- lead ------------------------------------------------------------------------------


def _lead(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, who: str) -> int:
    from cjb_tracker import lead_addresses

    if args.lead_command == "set-email":
        print(lead_addresses.set_email(con, who, args.name, None if args.remove else args.email))
        return EXIT_DONE
    if args.lead_command == "list":
        found = lead_addresses.addresses(con)
        for row in found.itertuples(index=False):
            address = row.address if isinstance(row.address, str) else "-"
            users = row.users if isinstance(row.users, str) else "-"
            print(f"{row.lead}\t{address}\tusers: {users}\topen: {row.open_recommendations}")
        return EXIT_DONE
    if not args.file.is_file():
        print(f"cjb-tracker: no such file: {args.file}")
        return EXIT_USAGE
    result = lead_addresses.import_addresses(
        con, who, args.file.name, args.file.read_bytes(), dry_run=args.dry_run
    )
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        headline = {
            "committed": f"Committed: {result.changed} of {result.rows} address(es) changed.",
            "valid": f"Valid: {result.changed} of {result.rows} address(es) would change "
            "(dry run; nothing written).",
            "rejected": f"Rejected: {len(result.errors)} problem(s); nothing was written.",
        }[result.status]
        print(headline)
        for label, problems in (("Error", result.errors), ("Warning", result.warnings)):
            for p in problems:
                where = ", ".join(x for x in (f"row {p.row}" if p.row else "", p.column or "") if x)
                print(f"  {label} [{p.code}] {where}: {p.message}")
    return EXIT_FAILED if result.status == "rejected" else EXIT_DONE


def _when(moment: Any) -> str:
    """'2 Dec 2026, 04:36' (London time, as the dashboard shows times)."""
    import pandas as pd

    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_convert("Europe/London") if stamp.tzinfo else stamp
    return f"{stamp.day} {stamp:%b %Y, %H:%M}"

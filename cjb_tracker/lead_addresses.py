"""Where a lead's reminders go when the lead is not a user with an e-mail address: an
address per lead name, set by the chair (`cjb-tracker lead set-email NAME ADDRESS`) or read
from a small file with the columns `lead` and `email` (CSV or XLSX, read like every upload).

Append-only: each change is a new record (lead_address_records), so the history stays; a
removed address is a record with no address. Every change is audited ('lead-address').
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from cjb_tracker import audit, auth, store
from cjb_tracker.auth import User
from cjb_tracker.errors import NotAllowed, TrackerError
from cjb_tracker.formats import Column, FileFormat
from cjb_tracker.problems import Problem, sort_key
from cjb_tracker.reminder_settings import valid_address

FORMAT = FileFormat(
    kind="lead addresses",
    sheet_names=("addresses", "lead addresses", "leads"),
    columns=(
        Column("lead", True, aliases=("lead_name", "name", "owner", "lead_officer")),
        Column("email", True, aliases=("e-mail", "address", "email_address", "mail")),
    ),
)
MAX_ROWS = 5_000  # a Board has tens of leads; a bigger file is not a file of lead names


@dataclass
class AddressResult:
    """The outcome of a file of lead addresses: 'committed', 'valid' (a dry run) or
    'rejected' (nothing written), with every problem by row and column."""

    status: str
    rows: int = 0
    changed: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "rows": self.rows,
            "changed": self.changed,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }


def lead_name(text: str) -> str:
    """A lead name as kept and compared: spaces trimmed and runs of spaces made one."""
    return " ".join(text.split())


def set_email(
    con: duckdb.DuckDBPyConnection, actor: User | str, lead: str, email: str | None
) -> str:
    """Set (or, given None, remove) the address of a lead name; a sentence says what was
    done. A name no recommendation has yet is kept, and the sentence says so."""
    chair = auth.acting(actor)
    name = lead_name(lead or "")
    if not name:
        raise TrackerError("Give the lead's name as the recommendations give it.")
    address = None if email is None else email.strip().lower()
    if address is not None and not valid_address(address):
        raise TrackerError(
            f"'{email[:80] if email else ''}' is not an e-mail address: give one like "
            "hvs@example.gov.uk."
        )
    _require(con, chair, name)
    with store.transaction(con) as cur:
        cur.execute(
            store.load_query("insert_lead_address"),
            {"lead": name, "email": address, "source": "set-email",
             "recorded_by": chair.username},
        )  # fmt: skip
        known = _has_recommendations(cur, name)
        done = f"set to {address}" if address else "removed"
        audit.record(cur, chair.username, "lead-address", name, "success", done)
    said = f"The address of {name} is {done}."
    if not known:
        said += " No recommendation has this lead yet; the address is kept for when one does."
    return said


def _require(con: duckdb.DuckDBPyConnection, chair: User, target: str) -> None:
    """Only the chair (and secretariat) set addresses; a refusal is audited."""
    try:
        auth.require(chair, "send-reminders")
    except NotAllowed as refused:
        audit.record_alone(con, chair.username, "lead-address", target, "refused", str(refused))
        raise


def _has_recommendations(cur: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        cur.execute(store.load_query("lead_has_recommendations"), {"lead": name}).fetchall()
    )


def addresses(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every lead name and how it is reached (lead_address_list.sql)."""
    return store.run_query(con, "lead_address_list")


def import_addresses(
    con: duckdb.DuckDBPyConnection,
    actor: User | str,
    file_name: str,
    data: bytes,
    dry_run: bool = False,
) -> AddressResult:
    """Read a file of lead addresses (columns lead and email) and, unless it is a dry run
    or has a problem, record every address it changes, in one transaction."""
    from cjb_tracker.staging import Rejected, stage_file  # (the upload reader: slow import)

    chair = auth.acting(actor)
    _require(con, chair, file_name)
    cur = con.cursor()
    try:
        try:
            staged = stage_file(cur, FORMAT, file_name, data)
        except Rejected as rejected:
            return _rejected(
                con, chair, file_name, AddressResult("rejected", errors=rejected.problems), dry_run
            )
        try:
            with store.begun(cur):
                result = _check_in(cur, staged, dry_run)
                store.run_script(
                    cur, "insert_lead_addresses", source=file_name, recorded_by=chair.username
                )
                detail = f"{result.changed} of {result.rows} address(es) changed"
                audit.record(cur, chair.username, "lead-address", file_name, "committed", detail)
                result.status = "committed"
        except _RolledBack as rolled_back:
            return _rejected(con, chair, file_name, rolled_back.result, dry_run)
        return result
    finally:
        cur.close()


class _RolledBack(Exception):
    """Leaves the file's transaction with nothing written, carrying the outcome."""

    def __init__(self, result: AddressResult) -> None:
        super().__init__(result.status)
        self.result = result


def _rejected(
    con: duckdb.DuckDBPyConnection,
    chair: User,
    file_name: str,
    result: AddressResult,
    dry_run: bool,
) -> AddressResult:
    """A file that wrote nothing: a real upload's rejection is in the audit trail."""
    if result.status == "rejected" and not dry_run:
        detail = f"{len(result.errors)} problem(s); nothing written"
        audit.record_alone(con, chair.username, "lead-address", file_name, "rejected", detail)
    return result


def _check_in(cur: duckdb.DuckDBPyConnection, staged: Any, dry_run: bool) -> AddressResult:
    """Check the staged file inside the transaction; raise _RolledBack when nothing may be
    written (a problem, or a dry run)."""
    store.run_script(cur, "check_lead_addresses")
    rows = cur.execute(store.load_query("checked_lead_addresses")).df()
    result = _checked(rows, staged.missing)
    result.errors = sorted(staged.errors + result.errors, key=sort_key)
    result.warnings = sorted(staged.warnings + result.warnings, key=sort_key)
    if len(rows) > MAX_ROWS:
        result.errors.insert(0, Problem(None, None, "format-error",
            f"The file has {len(rows):,} rows; a file of lead addresses holds at most "
            f"{MAX_ROWS:,}."))  # fmt: skip
    if result.errors or dry_run:
        result.status = "rejected" if result.errors else "valid"
        raise _RolledBack(result)
    return result


def _checked(rows: pd.DataFrame, missing: list[str]) -> AddressResult:
    """The problems of a checked file of addresses, by row and column."""
    result = AddressResult("valid", rows=len(rows))
    if missing:
        return result  # the staging said which columns are missing
    seen: dict[str, int] = {}
    for row in rows.itertuples(index=False):
        line = int(row.row_number)
        lead = row.lead if isinstance(row.lead, str) else None
        email = row.email if isinstance(row.email, str) else None
        if not lead:
            result.errors.append(Problem(line, "lead", "constraint-error",
                "lead is empty. Give the lead's name as the recommendations give it."))  # fmt: skip
        elif lead in seen:
            result.errors.append(Problem(line, "lead", "duplicate-row",
                f"{lead} is also on row {seen[lead]}. Keep one row per lead."))  # fmt: skip
        else:
            seen[lead] = line
        if not email:
            result.errors.append(Problem(line, "email", "constraint-error",
                "email is empty. Give the address; to remove one, use "
                "'cjb-tracker lead set-email NAME --remove'."))  # fmt: skip
        elif not valid_address(email):
            result.errors.append(Problem(line, "email", "type-error",
                f"'{str(row.raw_email)[:40]}' is not an e-mail address: write it like "
                "hvs@example.gov.uk."))  # fmt: skip
        if lead and not bool(row.lead_known):
            result.warnings.append(Problem(line, "lead", "foreign-key",
                f"No recommendation has the lead '{lead[:40]}' yet; the address is kept "
                "for when one does."))  # fmt: skip
    result.changed = int(rows["changes"].sum()) if len(rows) else 0
    return result

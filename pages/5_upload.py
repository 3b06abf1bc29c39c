"""Upload: download a template, upload a file, see its problems and a preview, commit once,
and undo a committed upload."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from cjb_tracker import packs, presenting, upload_templates, web
from cjb_tracker.auth import User
from cjb_tracker.errors import TrackerError
from cjb_tracker.formats import KINDS
from cjb_tracker.ingest import ImportResult


def template_downloads(kind: str, lead: str | None) -> None:
    """One download button per template format. (The files are built in the page run, not
    when the button is clicked: Streamlit deletes a file built on the click once two other
    script runs have ended, so with many people on the dashboard such a download fails.)
    A template of more than upload_templates.EAGER_ROWS rows (the chair's, at national
    scale) is built when asked for."""
    today = presenting.london_today()
    if kind == "updates":
        summary = web.query("upload_template_summary", lead=lead, today=today).iloc[0]
        held, asked = int(summary["recommendations"]), f"prepared {lead} {today}"
        if held > upload_templates.EAGER_ROWS and not st.session_state.get(asked):
            st.caption(f"The template holds {held:,} open recommendations.")
            web.asked_for(asked, "Prepare the templates", "prepare_templates", st)
            return
    files = web.template_files(kind, lead, today)
    for column, (name, data) in zip(st.columns(len(files)), files.items(), strict=True):
        column.download_button(
            f"Download {name}",
            data,
            file_name=name,
            mime="text/csv" if name.endswith(".csv") else packs.MEDIA_TYPES["xlsx"],
            key=f"template_{name.rsplit('.', 1)[-1]}",
            on_click="ignore",
        )


def show_check(kind: str, result: ImportResult) -> None:
    """The outcome of a dry run: errors, warnings apart, and the preview of what would be
    written, marking the rows that change a status."""
    if result.errors:
        st.error(
            f"{len(result.errors)} problem(s): nothing can be written until they are "
            "fixed. Fix the file and upload it again."
        )
        web.table(presenting.problems_table(result.errors), key="upload_errors")
    else:
        st.success(f"The file is valid: {result.rows} row(s) ready to commit.")
    if result.warnings:
        st.warning(f"{len(result.warnings)} warning(s): these do not stop the import.")
        web.table(presenting.problems_table(result.warnings), key="upload_warnings")
    shown = result.preview
    rec_ids = [] if shown is None or "rec_id" not in shown else shown["rec_id"].dropna().tolist()
    preview = presenting.upload_preview(
        kind, shown, web.query("current_positions", rec_ids=rec_ids)
    )
    if len(preview):
        changing = presenting.status_changes_count(preview)
        st.subheader(f"Preview of what would be written ({changing} status change(s))")
        web.table(preview, key="upload_preview", dates=("revised_due", "due_date", "held_on"))


def commit_button(
    kind: str, file_name: str, data: bytes, user: User, result: ImportResult | None
) -> None:
    """One button that writes the file once: it is disabled while the file has errors,
    and after the file was committed."""
    sha = hashlib.sha256(data).hexdigest()
    done = st.session_state.get("committed_sha") == sha
    st.button(
        "Commit",
        type="primary",
        key="commit",
        on_click=commit,
        args=(kind, file_name, data, user, sha),
        disabled=done or result is None or bool(result.errors),
    )
    outcome = st.session_state.get("commit_outcome")
    if outcome:
        (st.success if outcome[0] == "committed" else st.warning)(outcome[1])


def commit(kind: str, file_name: str, data: bytes, user: User, sha: str) -> None:
    if st.session_state.get("committed_sha") == sha:  # a second click on the same file
        return
    st.session_state["committed_sha"] = sha
    try:
        result = web.commit_upload(kind, file_name, data, user)
    except TrackerError as error:
        st.session_state["committed_sha"] = None
        st.session_state["commit_outcome"] = ("error", str(error))
        return
    st.session_state["commit_outcome"] = (
        result.status,
        presenting.commit_message(result.status, result.batch_id, result.rows, result.inserted),
    )


def undo_controls(history: pd.DataFrame, user: User) -> None:
    """Choose a committed upload and undo it (recorded; nothing is deleted)."""
    batches = presenting.undoable_batches(history)
    if not batches:
        st.text("No committed uploads to undo.")
        return
    chosen = st.selectbox(
        "Upload to undo",
        list(batches),
        format_func=lambda batch: batches.get(batch, str(batch)),
        index=None,
        key="undo_batch",
        placeholder="Choose a batch",
    )
    st.button(
        "Undo this upload",
        key="undo",
        on_click=undo,
        args=(chosen, user),
        disabled=chosen is None,
    )
    outcome = st.session_state.pop("undo_outcome", None)
    if outcome:
        (st.success if outcome[0] == "ok" else st.error)(outcome[1])


def undo(batch_id: int | None, user: User) -> None:
    if batch_id is None:
        return
    try:
        web.undo_batch(batch_id, user)
    except TrackerError as error:
        st.session_state["undo_outcome"] = ("error", str(error))
        return
    st.session_state["undo_batch"] = None
    st.session_state["undo_outcome"] = (
        "ok",
        f"Batch {batch_id} is undone; every page now shows the data without it.",
    )


web.require_dashboard()
user = web.require_permission("import-updates")

st.title("Upload")
kinds = [k for k in KINDS if user.may(f"import-{k}")]
kind = st.radio(
    "What are you uploading?", kinds, key="kind", horizontal=True, format_func=str.capitalize
)
if user.role == "lead":
    st.caption(
        "As a lead you upload updates for the recommendations you lead. To close one, set "
        "its status to 'Closure proposed' with the evidence: the Board decides."
    )

st.header("1. Download a template")
lead = None
if kind == "updates":
    leads = list(user.lead_names) if user.role == "lead" else web.filter_choices()["lead"]
    lead = st.selectbox(
        "Only one lead's recommendations",
        leads,
        index=0 if user.role == "lead" and leads else None,
        key="template_lead",
        placeholder="All open recommendations",
    )
template_downloads(kind, lead)

st.header("2. Upload and check")
st.caption(f"Recorded as uploaded by {user.label}.")
upload = st.file_uploader("CSV or Excel file", type=["csv", "xlsx"], key="upload_file")
if upload is not None:
    data = upload.getvalue()
    # Once committed, the file is not checked again against the data it has just changed.
    committed = st.session_state.get("committed_sha") == hashlib.sha256(data).hexdigest()
    result = None if committed else web.check_upload(kind, upload.name, data, user)
    if result is not None:
        show_check(kind, result)
    st.header("3. Commit")
    commit_button(kind, upload.name, data, user, result)

st.header("Upload history")
history = web.query("import_history")
web.table(history, key="import_history", times=("imported_at", "reverted_at"))
if user.may("undo"):
    undo_controls(history, user)

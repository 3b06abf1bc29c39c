"""Upload: download a template, upload a file, see its problems and a preview, commit once,
and undo a committed upload."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import packs, presenting, upload_templates, web
from cjb_tracker.auth import User
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
    notice = web.template_notice(lead, today) if kind == "updates" else None
    if not files:
        st.info(notice or "There is no template to fill in.")
        return
    if notice:
        st.caption(notice)
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
        web.text_table(presenting.problems_table(result.errors), "upload_errors", "Problems")
    else:
        st.success(f"The file is valid: {result.rows} row(s) ready to commit.")
    if result.warnings:
        st.warning(f"{len(result.warnings)} warning(s): these do not stop the import.")
        web.text_table(presenting.problems_table(result.warnings), "upload_warnings", "Warnings")
    shown = result.preview
    rec_ids = [] if shown is None or "rec_id" not in shown else shown["rec_id"].dropna().tolist()
    preview = presenting.upload_preview(
        kind, shown, web.query("current_positions", rec_ids=rec_ids)
    )
    if len(preview):
        st.subheader(presenting.preview_heading(kind, preview))
        dates = ("revised_due", "due_date", "held_on", "period_start", "period_end")
        web.table(preview, key="upload_preview", dates=dates)


def commit_button(data: bytes, user: User, result: ImportResult | None) -> None:
    """One button that writes the file once (web.commit_upload, on its click): it is
    disabled while the file has errors, and after the file was committed."""
    st.button(
        "Commit",
        type="primary",
        key="commit",
        on_click=web.commit_upload,
        args=(user, FORM),
        disabled=web.is_committed(data) or result is None or bool(result.errors),
    )


def undo_controls(user: User) -> None:
    """Choose a committed upload and undo it (recorded; nothing is deleted)."""
    batches = presenting.undo_choices(web.query("undoable_batches"))
    if not batches:
        st.text("No committed uploads to undo.")
        return
    chosen = st.selectbox(
        "Upload to undo",
        list(batches),
        format_func=lambda batch: batches.get(batch, str(batch)),
        index=None,
        key=FORM.undo,
        placeholder="Choose a batch",
    )
    st.button(
        "Undo this upload",
        key="undo",
        on_click=web.undo_upload,
        args=(user, FORM),
        disabled=chosen is None,
    )


FORM = web.UploadForm()

web.require_dashboard()
user = web.require_permission("import-updates")
committed, undone = web.commit_outcome(), web.undo_outcome()  # each said once, this run

st.title("Upload")
kinds = [k for k in KINDS if user.may(f"import-{k}")]
kind = st.radio(
    "What are you uploading?",
    kinds,
    key=FORM.kind,
    horizontal=True,
    format_func=lambda k: presenting.KIND_LABELS.get(k, k),
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
only_held = kind == "measures" and st.checkbox(
    "Read only the measures and areas the tracker holds",
    key=FORM.only_held,
    help="A file downloaded from the CJS Delivery Data Dashboard covers every area and many "
    "measures: with this, their rows are skipped (each name once, as a warning) rather than "
    "refused.",
)
upload = st.file_uploader("CSV or Excel file", type=["csv", "xlsx"], key=FORM.file)
if upload is not None:
    data = upload.getvalue()
    # Once committed, the file is not checked again against the data it has just changed.
    done = web.is_committed(data)
    result = None if done else web.check_upload(kind, upload.name, data, user, only_held)
    if result is not None:
        show_check(kind, result)
    st.header("3. Commit")
    commit_button(data, user, result)
    web.say(committed)

st.header("Upload history")
history = web.paged_query("import_history", "import_history")
web.table(
    history,
    key="import_history",
    times=("imported_at", "reverted_at"),
    paged=True,
    narrowed_by=None,
)
if user.may("undo"):
    undo_controls(user)
    web.say(undone)

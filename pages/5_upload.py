"""Upload: download a template, upload a file, see its problems and a preview, commit once,
and undo a committed upload."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import web
from cjb_tracker.formats import KINDS

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
web.template_downloads(kind, lead)

st.header("2. Upload and check")
st.caption(f"Recorded as uploaded by {user.label}.")
upload = st.file_uploader("CSV or Excel file", type=["csv", "xlsx"], key="upload_file")
if upload is not None:
    web.upload_flow(kind, upload.name, upload.getvalue(), user)

st.header("Upload history")
history = web.query("import_history")
web.table(history, key="import_history", times=("imported_at", "reverted_at"))
if user.may("undo"):
    web.undo_controls(history, user)

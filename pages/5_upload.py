"""Upload: download a template, upload a file, see its problems and a preview, commit once,
and undo a committed upload."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import upload_templates, views, web
from cjb_tracker.formats import KINDS

web.require_dashboard()

st.title("Upload")
kind = st.radio(
    "What are you uploading?", KINDS, key="kind", horizontal=True, format_func=str.capitalize
)

st.header("1. Download a template")
lead = None
if kind == "updates":
    leads = views.choices(web.query("filter_choices"), "lead")
    lead = st.selectbox(
        "Only one lead's recommendations",
        leads,
        index=None,
        key="template_lead",
        placeholder="All open recommendations",
    )
rows = (
    web.query("upload_template_rows", lead=lead, today=views.london_today())
    if kind == "updates"
    else None
)
web.template_downloads(upload_templates.template_files(kind, rows, lead))

st.header("2. Upload and check")
name = st.text_input("Your name", key="uploader_name", help="Recorded with the upload.")
upload = st.file_uploader("CSV or Excel file", type=["csv", "xlsx"], key="upload_file")
if upload is not None:
    web.upload_flow(kind, upload.name, upload.getvalue(), name or "")

st.header("Upload history")
history = web.query("import_history")
web.table(history, key="import_history", times=("imported_at", "reverted_at"))
web.undo_controls(history, name or "")

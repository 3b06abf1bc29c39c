"""Accessibility statement for the tracker (WCAG 2.2 AA)."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import web

web.require_dashboard()

st.title("Accessibility")

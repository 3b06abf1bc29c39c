"""User-written text made inert where it enters the pack's HTML and SVG."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd


def esc(value: Any) -> str:
    """User text made inert in HTML; a missing value is an empty string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)

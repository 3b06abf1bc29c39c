"""cjb-tracker: follow inspection recommendations to completion for a Criminal Justice Board."""

from __future__ import annotations

__version__ = "0.2.0"

"""The project's own exception types: each carries a sentence a user can act on."""

from __future__ import annotations


class TrackerError(Exception):
    """A domain error whose message is fit to show to a user as it is."""


class DatabaseInUse(TrackerError):
    """Another process holds the database file."""


class NotFound(TrackerError):
    """A named batch, meeting or recommendation does not exist."""


class NotAllowed(TrackerError):
    """The action is refused: the data or the user's role does not allow it."""

"""Who may do what. Three roles: a member reads every view; a lead also uploads updates for
the recommendations they lead and proposes closure; the chair (and the secretariat) may do
everything. The write functions take the acting user and call `require`, so a role is
enforced where the data changes, not only by which pages are shown."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from cjb_tracker.errors import NotAllowed

ROLES = ("member", "lead", "chair")

# What each role may do; reading every view needs no permission.
PERMISSIONS: dict[str, frozenset[str]] = {
    "member": frozenset({"export"}),
    "lead": frozenset({"export", "import-updates"}),
    "chair": frozenset(
        {
            "export",
            "import-updates",
            "import-recommendations",
            "import-meetings",
            "import-measures",
            "import-links",
            "link-measures",
            "undo",
            "decide-closure",
            "manage-users",
            "read-audit",
            "send-reminders",
        }
    ),
}
_REFUSALS = {
    "import-updates": "upload updates",
    "import-recommendations": "upload recommendations (the chair or secretariat does)",
    "import-meetings": "upload meetings (the chair or secretariat does)",
    "import-measures": "upload outcome measures (the chair or secretariat does)",
    "import-links": "upload links to outcome measures (the chair or secretariat does)",
    "link-measures": "link a recommendation to outcome measures (the chair does)",
    "undo": "undo an upload (ask the chair or secretariat)",
    "decide-closure": "record the Board's decision on a closure (the chair does)",
    "manage-users": "manage users (the chair does)",
    "read-audit": "read the audit trail (the chair does)",
    "send-reminders": "send reminders or set leads' addresses (the chair or secretariat does)",
    "export": "export",
}


@dataclass(frozen=True)
class User:
    """The acting user. Leads answer for the recommendations whose lead is one of their
    lead names, and for the recommendations assigned to them by id."""

    username: str
    display_name: str
    role: str
    email: str | None = None
    lead_names: tuple[str, ...] = ()
    rec_ids: tuple[str, ...] = ()
    enabled: bool = True
    illustrative: bool = False

    def may(self, permission: str) -> bool:
        return self.enabled and permission in PERMISSIONS[self.role]

    @property
    def label(self) -> str:
        return f"{self.display_name} ({self.role})"


def operator(name: str | None = None) -> User:
    """Whoever runs the command line on the server. They already hold the database file,
    so they act with chair rights; `name` (--by) is what is recorded."""
    recorded = name or _login_name()
    return User(username=recorded, display_name=recorded, role="chair")


def acting(user: User | str) -> User:
    """The acting user of a write: a User as signed in, or a name given on the command
    line (see `operator`)."""
    return user if isinstance(user, User) else operator(user)


def require(user: User, permission: str) -> None:
    """Refuse, with a sentence, what the user's role does not allow."""
    if not user.may(permission):
        what = _REFUSALS.get(permission, permission)
        who = "A disabled account" if not user.enabled else f"A {user.role}"
        raise NotAllowed(f"{who} cannot {what}. You are signed in as {user.label}.")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "command line"

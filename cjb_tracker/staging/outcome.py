"""What staging a file leads to: a staged file with its problems, or a rejection."""

from __future__ import annotations

from dataclasses import dataclass, field

from cjb_tracker.problems import Problem


class Rejected(Exception):
    """The file cannot be staged at all; the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "rejected")
        self.problems = problems

    @classmethod
    def because(
        cls, message: str, *, row: int | None = None, code: str = "format-error"
    ) -> Rejected:
        """The rejection of a whole file for one reason: a sentence saying what to do, and
        the row it is about when there is one (`raise Rejected.because(...)`)."""
        return cls([Problem(row, None, code, message)])


@dataclass
class Staged:
    rows: int = 0
    missing: list[str] = field(default_factory=list)
    unheaded: list[int] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def format_error(message: str) -> Problem:
    return Problem(None, None, "format-error", message)

"""A problem found in an uploaded file, addressed by row and column (Frictionless codes)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sort_key(problem: Problem) -> tuple[int, str]:
    return (problem.row or 0, problem.column or "")

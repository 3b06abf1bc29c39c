"""The files people upload: their columns, the other names a column may go by, and how a
header cell is matched to a column.

Updates, recommendations and meetings are the tracker's own; measures (outcome figures,
with the rows that define measures and areas) and links (which recommendation is meant to
move which measure) are issue 18's. The measures format's aliases are the column names of
the CJS Delivery Data Dashboard's long CSV (`metric_name`, `geographic_area_name`,
`time_period`, `offence_type`, `date_granularity`, `stage`, `value`), so a file downloaded
from it is read as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KINDS: tuple[str, ...] = ("updates", "recommendations", "meetings", "measures", "links")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    is_date: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class FileFormat:
    kind: str
    columns: tuple[Column, ...]
    sheet_names: tuple[str, ...] = field(default=())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def date_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.is_date)

    def column_for(self, header: str) -> str | None:
        """The column a header cell names, matched without regard to case, spaces,
        hyphens or underscores, or through the alias list."""
        key = header_key(header)
        for column in self.columns:
            if key == header_key(column.name) or key in map(header_key, column.aliases):
                return column.name
        return None


UPDATES = FileFormat(
    kind="updates",
    sheet_names=("updates", "update", "tracker"),
    columns=(
        Column("recommendation_id", True, aliases=("rec_id", "recommendation", "rec", "ref")),
        Column("meeting_date", True, is_date=True, aliases=("meeting", "date")),
        Column("body", aliases=("board", "group", "meeting_body")),
        Column("status", True, aliases=("current_status",)),
        Column("rag", aliases=("rag_status", "red_amber_green", "confidence")),
        Column("update", aliases=("narrative", "progress", "progress_update", "update_text")),
        Column("next_steps", aliases=("next_step", "actions", "next_actions")),
        Column(
            "revised_due_date",
            is_date=True,
            aliases=("revised_due", "new_due_date", "revised_date"),
        ),
        Column("revision_reason", aliases=("reason", "reason_for_revision", "slippage_reason")),
        Column("evidence", aliases=("closure_evidence",)),
        Column("reported_by", aliases=("reporter", "author", "updated_by")),
    ),
)

RECOMMENDATIONS = FileFormat(
    kind="recommendations",
    sheet_names=("recommendations", "recommendation"),
    columns=(
        Column("report_code", True, aliases=("report", "report_id")),
        Column("report_title", aliases=("report_name",)),
        Column("number", True, aliases=("recommendation_number", "no", "rec_number")),
        Column("title", aliases=("short_title",)),
        Column("text", aliases=("recommendation_text", "recommendation", "full_text")),
        Column("addressees", aliases=("addressee", "addressed_to")),
        Column("timescale", aliases=("timeframe",)),
        Column("due_date", is_date=True, aliases=("due", "original_due_date", "original_due")),
        Column("lead", aliases=("owner", "lead_officer")),
        Column("body", aliases=("board", "group", "owning_body")),
        Column("initial_response", aliases=("response", "force_response")),
        Column("report_publisher", aliases=("publisher",)),
        Column("report_published", is_date=True, aliases=("published", "published_on")),
        Column("report_link", aliases=("link", "url")),
    ),
)

MEETINGS = FileFormat(
    kind="meetings",
    sheet_names=("meetings", "meeting"),
    columns=(
        Column("body", True, aliases=("board", "group")),
        Column("date", True, is_date=True, aliases=("meeting_date", "held_on")),
        Column("title", aliases=("meeting", "name")),
        # The date of the meeting of the same body that this one replaces (a moved meeting).
        Column("replaces", is_date=True, aliases=("moved_from", "replaces_date", "was_on")),
    ),
)

MEASURES = FileFormat(
    kind="measures",
    sheet_names=("measures", "measure", "figures", "data"),
    columns=(
        Column("measure", True, aliases=("metric_name", "metric", "measure_name", "indicator")),
        Column("area", True, aliases=("geographic_area_name", "area_name", "geography")),
        Column("period", True, aliases=("time_period", "quarter", "month")),
        Column("value", True, aliases=("figure",)),
        Column("unit", aliases=("units", "unit_of_measure")),
        Column("better", aliases=("better_when", "polarity", "good_direction")),
        Column("description", aliases=("definition", "measure_description")),
        Column("source", aliases=("data_source", "publication")),
        Column("breakdown", aliases=("offence_type", "offence", "category")),
        Column("stage", aliases=("cjs_stage",)),
        Column("granularity", aliases=("date_granularity", "frequency", "period_type")),
        Column("area_type", aliases=("area_role", "comparator", "area_kind")),
    ),
)

LINKS = FileFormat(
    kind="links",
    sheet_names=("links", "link", "measure_links"),
    columns=(
        Column("recommendation_id", True, aliases=("rec_id", "recommendation", "rec", "ref")),
        Column("measure", True, aliases=("metric_name", "metric", "measure_name")),
        Column("breakdown", aliases=("offence_type", "offence", "category")),
        Column("expected", aliases=("expected_direction", "should", "direction")),
        Column("note", aliases=("notes", "why", "reason")),
    ),
)

FORMATS: dict[str, FileFormat] = {
    f.kind: f for f in (UPDATES, RECOMMENDATIONS, MEETINGS, MEASURES, LINKS)
}

_INVISIBLE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff_\-]+")


def header_key(text: str) -> str:
    """A header cell as compared: lower case with spaces, hyphens, underscores removed."""
    return _INVISIBLE.sub("", text).lower()

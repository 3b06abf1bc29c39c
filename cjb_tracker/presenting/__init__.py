"""What the dashboard pages show, worked out without Streamlit: the shared filters, date
wording, and the reshaping of query results into the tables and choices a page renders.

Pages call these so that they hold no pandas of their own; every function here is a pure
function of its arguments and is tested directly. shared.py and paging.py serve every
page; each other module serves the page it is named for. Callers use the names
re-exported here (presenting.uk_date, presenting.PAGE_ROWS).

Named for what it does, presenting query results, and not `views`: a view here is a SQL
view (current_status, effective_updates and the others in queries/schema.sql), and this
package defines none.
"""

from __future__ import annotations

from cjb_tracker.presenting.decisions import (
    chosen_index,
    decision_message,
    proposal_of,
    proposals_table,
    verdict_label,
)
from cjb_tracker.presenting.meetings import (
    CHANGE_KINDS,
    changes_by_kind,
    default_meeting,
    meeting_labels,
    owed_by_lead,
    previous_meeting_text,
)
from cjb_tracker.presenting.overdue import (
    GROUPINGS,
    overdue_groups_table,
)
from cjb_tracker.presenting.overview import (
    HEADLINES,
    headline_metrics,
    rag_table,
    status_by_addressee_table,
    status_by_meeting_table,
)
from cjb_tracker.presenting.paging import (
    PAGE_ROWS,
    SIDEBAR_FILTERS,
    page_caption,
    total_rows,
    without_counts,
)
from cjb_tracker.presenting.present import (
    AGENDA_SECTIONS,
    JUMP_LIST_LIMIT,
    MEASURES_QUERY,
    Fact,
    agenda_labels,
    agenda_position,
    meeting_choices,
    position_text,
    presenting_meeting,
    screen_facts,
    update_meta,
    written,
)
from cjb_tracker.presenting.progress import (
    STALLED_MEETINGS,
    STALLED_NAMED,
    STATUS_SHORT,
    Cell,
    empty_cell,
    grid_cells,
    grid_meetings,
    grid_recommendations,
    progress_table,
    stalled_summary,
    state,
)
from cjb_tracker.presenting.recommendations import (
    UPDATE_CARDS,
    detail_facts,
    detail_link,
    due_history_table,
    recommendation_choices,
    recommendation_labels,
    recommendation_table,
    timeline_table,
    total_days_slipped,
    update_heading,
    update_sections,
    with_detail_links,
)
from cjb_tracker.presenting.shared import (
    LONDON,
    NOT_SET,
    Filters,
    choices,
    escape_markdown,
    london_today,
    meeting_label,
    slug,
    uk_date,
)
from cjb_tracker.presenting.upload import (
    PREVIEW_COLUMNS,
    commit_message,
    problems_table,
    status_changes_count,
    undo_choices,
    undo_message,
    upload_preview,
)

__all__ = [
    "AGENDA_SECTIONS",
    "Cell",
    "CHANGE_KINDS",
    "Fact",
    "Filters",
    "GROUPINGS",
    "HEADLINES",
    "JUMP_LIST_LIMIT",
    "LONDON",
    "MEASURES_QUERY",
    "NOT_SET",
    "PAGE_ROWS",
    "PREVIEW_COLUMNS",
    "SIDEBAR_FILTERS",
    "STALLED_MEETINGS",
    "STALLED_NAMED",
    "STATUS_SHORT",
    "UPDATE_CARDS",
    "agenda_labels",
    "agenda_position",
    "changes_by_kind",
    "choices",
    "chosen_index",
    "commit_message",
    "decision_message",
    "default_meeting",
    "detail_facts",
    "detail_link",
    "due_history_table",
    "empty_cell",
    "grid_cells",
    "escape_markdown",
    "grid_meetings",
    "grid_recommendations",
    "headline_metrics",
    "london_today",
    "meeting_choices",
    "meeting_label",
    "meeting_labels",
    "overdue_groups_table",
    "owed_by_lead",
    "page_caption",
    "position_text",
    "presenting_meeting",
    "previous_meeting_text",
    "problems_table",
    "progress_table",
    "proposal_of",
    "proposals_table",
    "rag_table",
    "recommendation_choices",
    "recommendation_labels",
    "recommendation_table",
    "screen_facts",
    "slug",
    "stalled_summary",
    "state",
    "status_by_addressee_table",
    "status_by_meeting_table",
    "status_changes_count",
    "timeline_table",
    "total_days_slipped",
    "total_rows",
    "uk_date",
    "undo_choices",
    "undo_message",
    "update_heading",
    "update_meta",
    "update_sections",
    "upload_preview",
    "verdict_label",
    "with_detail_links",
    "without_counts",
    "written",
]

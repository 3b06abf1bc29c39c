"""The one Streamlit adapter in the library: what more than one page needs from Streamlit.

- data.py: the cached connection and query results, and what is built from them (dry runs,
  board packs, upload templates, drawn charts), cleared when a write changes the data;
- frame.py: the pages and who may open them, the user and the filters a page runs for,
  the frame dashboard.py runs it in;
- forms.py: the writes a page asks for (commit, undo, the Board's decision, a link to an
  outcome measure), each on its button's click;
- outcomes.py: outcome measures' charts with their sentences and numbers, and the measures
  a recommendation is linked to, with the chair's link controls;
- paging.py and widgets.py: the tables, pagers, charts and cards the pages draw; grids.py:
  the tables drawn as HTML so that no text is cut off, and the Overview's progress grid;
- present.py: presenting mode's controls, keys and screen;
- downloads.py: a slow file made when asked for, the board pack's link, each export audited;
- users.py: the chair's Users page (every change through cjb_tracker.auth);
- reminders.py: the chair's Reminders page (preview, Send now, leads' addresses).

Signing in, the sidebar and the filters' widgets are dashboard.py's; the widgets only one
page draws (the upload steps, the board-pack downloads) are that page's. Pages use the
names re-exported here (web.query, web.table, ...). Only this package (plus dashboard.py
and pages/) may import streamlit; import-linter checks it.
"""

from __future__ import annotations

from cjb_tracker.web.data import (
    board_pack,
    check_upload,
    clear_caches,
    connection,
    current_connection,
    filter_choices,
    fresh_query,
    keep_up,
    meeting_calendar,
    query,
    template_files,
    template_notice,
)
from cjb_tracker.web.downloads import asked_for, audit_events_csv, pack_link, record_export
from cjb_tracker.web.forms import (
    DecisionForm,
    LinkForm,
    Outcome,
    ReopenForm,
    UploadForm,
    commit_outcome,
    commit_upload,
    decision_outcome,
    is_committed,
    record_decision,
    record_reopening,
    undo_outcome,
    undo_upload,
)
from cjb_tracker.web.frame import (
    FILTER_KEYS,
    PAGES,
    current_filters,
    current_user,
    pages,
    require_dashboard,
    require_permission,
    run_framed,
    visible_pages,
)
from cjb_tracker.web.grids import progress_grid, text_table
from cjb_tracker.web.outcomes import linked_measures, outcome_chart, outcome_sections
from cjb_tracker.web.paging import (
    change_table_key,
    meeting_changes,
    owed_by_lead,
    page_offset,
    paged_query,
    pager,
)
from cjb_tracker.web.present import (
    present_controls,
    present_screen,
    presented_position,
    room_style,
)
from cjb_tracker.web.reminders import (
    address_outcome,
    import_lead_addresses,
    lead_address_table,
    reminder_outcome,
    reminder_plan,
    reminder_preview,
    reminder_settings,
    save_lead_addresses,
    send_reminders,
    set_lead_address,
)
from cjb_tracker.web.users import UsersForm, manage_user, user_chosen, user_list, users_outcome
from cjb_tracker.web.widgets import (
    DATE_FORMAT,
    TIME_FORMAT,
    chart_with_numbers,
    date_columns,
    fact_grid,
    labelled_text,
    link_column,
    say,
    table,
    table_height,
    update_cards,
    url_choice,
)

__all__ = [
    "DATE_FORMAT",
    "DecisionForm",
    "FILTER_KEYS",
    "LinkForm",
    "Outcome",
    "ReopenForm",
    "PAGES",
    "TIME_FORMAT",
    "UploadForm",
    "UsersForm",
    "address_outcome",
    "asked_for",
    "audit_events_csv",
    "board_pack",
    "change_table_key",
    "chart_with_numbers",
    "check_upload",
    "clear_caches",
    "keep_up",
    "commit_outcome",
    "commit_upload",
    "connection",
    "current_connection",
    "current_filters",
    "current_user",
    "date_columns",
    "decision_outcome",
    "fact_grid",
    "filter_choices",
    "fresh_query",
    "import_lead_addresses",
    "is_committed",
    "labelled_text",
    "lead_address_table",
    "link_column",
    "linked_measures",
    "manage_user",
    "meeting_calendar",
    "meeting_changes",
    "outcome_chart",
    "outcome_sections",
    "owed_by_lead",
    "pack_link",
    "page_offset",
    "paged_query",
    "pager",
    "pages",
    "present_controls",
    "present_screen",
    "presented_position",
    "progress_grid",
    "query",
    "record_decision",
    "record_reopening",
    "record_export",
    "reminder_outcome",
    "reminder_plan",
    "reminder_preview",
    "reminder_settings",
    "require_dashboard",
    "require_permission",
    "room_style",
    "run_framed",
    "save_lead_addresses",
    "say",
    "send_reminders",
    "set_lead_address",
    "table",
    "table_height",
    "template_files",
    "template_notice",
    "text_table",
    "undo_outcome",
    "undo_upload",
    "update_cards",
    "url_choice",
    "user_chosen",
    "user_list",
    "users_outcome",
    "visible_pages",
]

"""Presenting mode's widgets: which meeting and which screen (kept in the URL as ?meeting=
and ?rec=, and remembered for the session), Previous and Next with '4 of 13' and a jump
list, the → and ← keys, the type sized for a room's screen, and the screen itself.

Presenting reads and never writes: the buttons and keys change only the URL and this
session's place in the agenda."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cjb_tracker import markup, presenting
from cjb_tracker.auth import User
from cjb_tracker.web.data import query

CONTAINER = "presenting"  # the keyed container every screen is drawn in (.st-key-presenting)
_PLACE = "present_place"  # {meeting_id: rec_id}: where this session last stood in each agenda
_JUMP, _JUMP_NUMBER = "present_jump", "present_jump_number"

# The room's type: at least 24 px for everything in the screen, the controls too; headings
# larger. The page's top padding is trimmed so more of a screen fits at 1366 x 768.
ROOM_STYLE = f"""<style>
.st-key-{CONTAINER}, .st-key-{CONTAINER} * {{ font-size: 26px !important; }}
.st-key-{CONTAINER} .cjb-present h1 {{ font-size: 44px !important; }}
.st-key-{CONTAINER} .cjb-present h2 {{ font-size: 32px !important; }}
.st-key-{CONTAINER} button {{ min-height: 3rem; }}
[data-testid="stMainBlockContainer"]:has(.st-key-{CONTAINER}) {{ padding-top: 3.5rem; }}
</style>"""

# → and ← press the Next and Previous buttons, unless the keyboard is in a field or a
# widget that uses the arrows itself, or a modifier is held (Alt+← is the browser's Back).
# One listener per browser tab (the flag), doing nothing on pages without the buttons.
ARROW_KEYS = """<script>
(() => {
  if (window.cjbPresentingKeys) return;
  window.cjbPresentingKeys = true;
  const fields = ['INPUT', 'TEXTAREA', 'SELECT'];
  const arrowed = '[role=listbox], [role=combobox], [role=slider], [role=radiogroup], '
    + '[role=menu], [role=grid], [role=tablist]';
  const busy = (el) => !!el
    && (el.isContentEditable || fields.includes(el.tagName) || !!el.closest(arrowed));
  document.addEventListener('keydown', (event) => {
    const which = {ArrowRight: 'next', ArrowLeft: 'previous'}[event.key];
    if (!which || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.defaultPrevented || busy(document.activeElement)) return;
    const button = document.querySelector(`.st-key-present_${which} button`);
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
})();
</script>"""


def room_style() -> None:
    """The type sized for the room's screen, and the → and ← keys."""
    st.html(ROOM_STYLE + ARROW_KEYS, unsafe_allow_javascript=True)


def presented_position(meeting_id: str, agenda: pd.DataFrame) -> int:
    """The position in the agenda to show: the URL's ?rec= when it is on the agenda, else
    where this session last stood in it, else the first. Kept in the URL and remembered."""
    places: dict[str, str] = st.session_state.setdefault(_PLACE, {})
    position = presenting.agenda_position(
        agenda, st.query_params.get("rec"), places.get(meeting_id)
    )
    rec_id = str(agenda["rec_id"].iloc[position])
    places[meeting_id] = rec_id
    if st.query_params.get("rec") != rec_id:
        st.query_params["rec"] = rec_id
    return position


def _go(meeting_id: str, rec_id: str) -> None:
    st.query_params["rec"] = rec_id
    st.session_state.setdefault(_PLACE, {})[meeting_id] = rec_id


def _jumped(meeting_id: str) -> None:
    chosen = st.session_state.get(_JUMP)
    if chosen is not None:
        _go(meeting_id, str(chosen))


def _jumped_to_number(meeting_id: str, agenda_ids: list[str]) -> None:
    number = st.session_state.get(_JUMP_NUMBER)
    if number is not None and 1 <= int(number) <= len(agenda_ids):
        _go(meeting_id, agenda_ids[int(number) - 1])


def present_controls(meeting_id: str, agenda: pd.DataFrame, position: int) -> None:
    """Previous, '4 of 13', Next, and the jump list (a number box for a very long agenda)."""
    ids = [str(r) for r in agenda["rec_id"]]
    back, where, forward, jump = st.columns([2, 1.4, 2, 5], vertical_alignment="center")
    back.button(
        "← Previous",
        key="present_previous",
        on_click=_go,
        args=(meeting_id, ids[max(position - 1, 0)]),
        disabled=position == 0,
        width="stretch",
        help="Or press ← (the left arrow key)",
    )
    where.markdown(f"**{presenting.position_text(position, len(ids))}**")
    forward.button(
        "Next →",
        key="present_next",
        on_click=_go,
        args=(meeting_id, ids[min(position + 1, len(ids) - 1)]),
        disabled=position == len(ids) - 1,
        width="stretch",
        help="Or press → (the right arrow key)",
    )
    if len(ids) <= presenting.JUMP_LIST_LIMIT:
        labels = presenting.agenda_labels(agenda)
        st.session_state[_JUMP] = ids[position]  # the list shows where the screen is
        jump.selectbox(
            "Go to",
            ids,
            key=_JUMP,
            format_func=labels.__getitem__,
            on_change=_jumped,
            args=(meeting_id,),
            label_visibility="collapsed",
        )
    else:
        st.session_state[_JUMP_NUMBER] = position + 1
        jump.number_input(
            f"Go to (1 to {len(ids):,})",
            min_value=1,
            max_value=len(ids),
            key=_JUMP_NUMBER,
            on_change=_jumped_to_number,
            args=(meeting_id, ids),
        )


def present_screen(meeting_id: str, meeting: str, agenda_row: pd.Series, user: User) -> None:
    """One recommendation as the room sees it at the meeting (markup.present_head and
    present_body); for a proposed closure, the link to the chair's decision form on it
    (others are told who records it), where it shows without scrolling."""
    rec_id = str(agenda_row["rec_id"])
    item = query("presented_recommendation", rec_id=rec_id, meeting_id=meeting_id).iloc[0]
    section = presenting.AGENDA_SECTIONS[int(agenda_row["section"])]
    history = query("due_date_history", rec_id=rec_id)
    st.html(
        markup.present_head(
            item, f"{meeting} · {section}", presenting.screen_facts(item, agenda_row, history)
        )
    )
    proposed = item["status"] == "Closure proposed"
    if proposed and user.may("decide-closure"):
        st.page_link(
            "pages/6_decisions.py",
            label=f"Record the Board's decision on {rec_id}",
            icon=":material/gavel:",
            query_params={"rec": rec_id},
        )
    elif proposed:
        st.text("The chair records the Board's decision on the Closure decisions page.")
    texts = [
        ("Latest update", presenting.written(item["narrative"])),
        ("Next steps", presenting.written(item["next_steps"])),
    ]
    if proposed:
        texts.append(("Evidence for closure", presenting.written(item["evidence"])))
    linked = query(
        "outcome_measures", report=None, body=None, lead=None, addressee=None,
        rec_ids=[rec_id], as_at=item["meeting_held_on"].date(),
    )  # fmt: skip
    measures = presenting.measures_on_screen(linked)
    st.html(markup.present_body(rec_id, presenting.update_meta(item), texts, measures))

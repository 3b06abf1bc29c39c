"""The HTML the dashboard draws itself (cjb_tracker.markup): every value escaped, so what
people wrote reads as the text they wrote; dates, counts and missing values as the other
tables show them."""

from __future__ import annotations

import html
import re

import pandas as pd
from helpers import read_html_table

from cjb_tracker import markup, presenting

HOSTILE = '<script>alert(1)</script> "quoted" [x](javascript:alert(1)) & more'


def test_a_text_table_shows_every_value_as_text_and_links_the_ids() -> None:
    frame = pd.DataFrame(
        {
            "link": ["recommendations?rec=RAPE1-R4"],
            "rec_id": ["RAPE1-R4"],
            "detail": [HOSTILE],
            "due": [pd.Timestamp("2021-09-13")],
            "days_overdue": [1797],
            "batch_id": [1234],
            "lead": [None],
        }
    )
    drawn = markup.text_table(frame, "Status changed", dates=("due",), links=True)
    assert "<script>" not in drawn and "&lt;script&gt;alert(1)&lt;/script&gt;" in drawn
    table, links = read_html_table(drawn)
    assert table.to_dict("records") == [
        {
            "rec id": "RAPE1-R4",  # the 'link' column is the id's link, not a column
            "detail": HOSTILE,
            "due": "13 Sep 2021",
            "days overdue": "1,797",
            "batch id": "1234",
            "lead": "—",
        }
    ]
    assert links == ["recommendations?rec=RAPE1-R4"]
    assert 'aria-label="Status changed" tabindex="0"' in drawn  # a region the keyboard scrolls


def test_the_grid_puts_a_narrative_in_its_cells_title_escaped() -> None:
    grid = pd.DataFrame(
        {
            "rec_id": ["RAPE1-R4"],
            "title": ["<b>Title</b>"],
            "meeting_id": ["CJB:2021-10-13"],
            "held_on": [pd.Timestamp("2021-10-13")],
            "meeting_title": ["Board"],
            "status": ["In progress"],
            "rag": ["Amber"],
            "reported": [True],
            "narrative": [HOSTILE],
            "report_code": ["RAPE1"],
            "report_title": ["Report"],
            "published_on": [pd.Timestamp("2021-07-16")],
            "number": [4],
            "total_rows": [1],
        }
    )
    drawn = markup.progress_grid(grid)
    assert "<script>" not in drawn and "<b>Title</b>" not in drawn
    title = drawn.split('<td class="cjb-s1" title="', 1)[1].split('"', 1)[0]  # In progress
    # Escaped, and with an invisible word joiner in '</': Streamlit's sanitiser drops an
    # attribute that holds '</script' (or '-->'), which would leave the cell no hover text.
    assert html.unescape(title) == (
        '13 Oct 2021: In progress (Amber). <script>alert(1)<\u2060/script> "quoted" '
        "[x](javascript:alert(1)) & more"
    )
    assert not re.search(r"((--!?|])>)|</(script|style|title)", html.unescape(title))
    assert "&lt;b&gt;Title&lt;/b&gt;" in drawn


def test_a_screen_escapes_what_was_written_and_says_what_was_not() -> None:
    item = pd.Series({"rec_id": "RAPE1-R4", "title": "<i>t</i>"})
    facts = [presenting.Fact("Status", "In progress", status="In progress")]
    head = markup.present_head(item, "Overdue", facts)
    body = markup.present_body(
        "RAPE1-R4", HOSTILE, [("Latest update", HOSTILE), ("Next steps", None)], None
    )
    assert "<i>t</i>" not in head and "&lt;i&gt;t&lt;/i&gt;" in head
    assert "<script>" not in body
    assert body.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # meta line and update
    assert '<h2>Next steps</h2><p class="written">None given.</p>' in body
    assert "Outcome measures" not in body  # no measures query: no section

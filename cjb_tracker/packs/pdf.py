"""The pack's HTML printed to an A4 PDF by headless Chromium."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cjb_tracker.errors import TrackerError
from cjb_tracker.packs.escape import esc

CHROMIUM = os.environ.get("CJB_TRACKER_CHROMIUM", "/usr/bin/chromium")


def render_pdf(page_html: str, footer: str) -> bytes:
    """Print the HTML to an A4 PDF with headless Chromium (through Playwright, whose footer
    template can number the pages), with every network request refused."""
    from playwright.sync_api import Error  # only printing needs it

    try:
        return _print(page_html, footer)
    except Error as error:
        raise TrackerError(
            f"The PDF could not be printed with {CHROMIUM}: {str(error).splitlines()[0]} "
            "Install Debian's chromium (apt-get install chromium), or export HTML and print it."
        ) from error


def _print(page_html: str, footer: str) -> bytes:
    from playwright.sync_api import sync_playwright

    footer_html = (
        '<div style="font-size:8pt;width:100%;margin:0 14mm;display:flex;'
        f'justify-content:space-between;"><span>{esc(footer)}</span>'
        '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span>'
        "</span></div>"
    )
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        source = Path(folder) / "pack.html"
        source.write_text(page_html, encoding="utf-8")
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            page = browser.new_page()
            page.route("http*://**", lambda route: route.abort())
            page.goto(source.as_uri(), wait_until="load")
            return page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer_html,
                prefer_css_page_size=True,
                margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
            )
        finally:
            browser.close()

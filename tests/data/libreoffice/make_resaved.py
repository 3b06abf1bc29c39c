"""Make updates-demo-lead-libreoffice.xlsx: the demo lead's template as the reminder digest
for the Board meeting of 13 Jan 2027 attaches it, filled in, then opened and saved again by
LibreOffice Calc (headless), as a lead using LibreOffice would send it back.

Run from the project root, with LibreOffice installed (Debian: libreoffice-calc-nogui):

    .venv/bin/python tests/data/libreoffice/make_resaved.py

The test (tests/test_reminders.py) imports the committed file; this script only remakes it.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl

from cjb_tracker import digests, mail, reminders, seed, store
from cjb_tracker.reminder_settings import ReminderSettings

HERE = Path(__file__).parent
OUT = HERE / "updates-demo-lead-libreoffice.xlsx"
TODAY = dt.date(2026, 12, 2)


def demo_template(folder: Path) -> bytes:
    con = store.connect(folder / "demo.duckdb")
    seed.init_database(con, demo=True)
    plan = reminders.plan(con, ReminderSettings(), "CJB:2027-01-13", "due", TODAY)
    digest = next(d for d in plan.digests if d.address == "demo-lead@cjb-demo.example")
    message = digests.message(con, ReminderSettings(), digest, TODAY)
    con.close()
    return mail.attachments(message)[0][2]


def fill(data: bytes) -> bytes:
    """What the lead writes: the row's status, RAG, update, next steps, and a revised due
    date typed as a date (a date cell, as a spreadsheet makes one)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Updates"]
    header = [c.value for c in sheet[1]]
    row = {name: sheet.cell(row=2, column=i + 1) for i, name in enumerate(header)}
    row["status"].value = "In progress"
    row["rag"].value = "Amber"
    row["update"].value = (
        "The joint file-quality audit with CPS East of England was completed on 27 Nov; "
        "82% of files met the standard – the action plan is agreed."
    )
    row["next_steps"].value = "Re-audit in March; propose closure to the April Board."
    row["revised_due_date"].value = dt.date(2027, 4, 30)
    row["revised_due_date"].number_format = "DD/MM/YYYY"
    row["revision_reason"].value = "Joint audit slipped to November; re-audit needed in March."
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice is not installed (apt-get install libreoffice-calc-nogui).")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        filled = folder / "in" / "updates.xlsx"
        filled.parent.mkdir()
        filled.write_bytes(fill(demo_template(folder)))
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder / "out"),
             str(filled)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        shutil.copyfile(folder / "out" / "updates.xlsx", OUT)
    print(f"Wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

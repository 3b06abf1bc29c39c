"""An XLSX upload's zip and XML, scanned before openpyxl opens it: the unpacked size, entity
declarations and sheet rows too wide, refused without holding any part in memory."""

from __future__ import annotations

import io
import xml.parsers.expat
import zipfile
import zlib
from typing import Any

from cjb_tracker.staging.limits import MAX_COLUMNS, MAX_XLSX_UNPACKED_BYTES
from cjb_tracker.staging.outcome import Rejected


def refuse_zip_bomb(data: bytes) -> None:
    """Read every XML part of the workbook once, streaming, before openpyxl does: refuse
    more than MAX_XLSX_UNPACKED_BYTES unpacked (whatever sizes the zip declares), any
    DTD or entity declaration (Excel writes none; they are how XML entity bombs work),
    and a sheet row wider than MAX_COLUMNS, without holding any of it in memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(info.file_size for info in members)
            if declared > MAX_XLSX_UNPACKED_BYTES:
                raise _unpacked(declared)
            budget = MAX_XLSX_UNPACKED_BYTES
            for info in members:
                if info.filename.lower().endswith((".xml", ".rels")):
                    budget -= _scan_xml_part(archive, info, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as error:
        raise Rejected.because(
            "The file is a damaged zip/Excel file. Save it again from Excel, or as CSV."
        ) from error
    except NotImplementedError as error:  # a compression method Excel does not use
        raise Rejected.because(
            "The workbook is packed in a way Excel does not use. Save it again."
        ) from error


def _unpacked(size: int) -> Rejected:
    return Rejected.because(
        f"The workbook unpacks to {size / 2**20:,.0f} MB or more, over the limit of "
        f"{MAX_XLSX_UNPACKED_BYTES // 2**20} MB. Copy the rows into a new workbook or CSV."
    )


def _scan_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """Stream one XML part through expat; return its unpacked size."""
    parser = xml.parsers.expat.ParserCreate()
    is_sheet = info.filename.lower().startswith("xl/worksheets/")
    state = {"row": 0, "cells": 0}

    def refuse_dtd(*_: Any) -> None:
        raise Rejected.because(
            f"The workbook cannot be read: its part {info.filename} declares XML "
            "entities, which Excel never writes. Save it again from Excel, or as CSV."
        )

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            row = attributes.get("r", "")
            state["row"] = int(row) if row.isdigit() else state["row"] + 1
            state["cells"] = 0
        elif local == "c":
            state["cells"] += 1
            if state["cells"] > MAX_COLUMNS:
                raise Rejected.because(
                    f"Row {state['row']} of the sheet has more than {MAX_COLUMNS} cells; the "
                    f"limit is {MAX_COLUMNS} columns. Check that this is the right file.",
                    row=state["row"],
                )

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    if is_sheet:
        parser.StartElementHandler = start
    size = 0
    try:
        with archive.open(info) as part:
            while chunk := part.read(1 << 20):
                size += len(chunk)
                if size > budget:
                    raise _unpacked(MAX_XLSX_UNPACKED_BYTES)
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as error:
        raise Rejected.because(
            f"The workbook cannot be read: its part {info.filename} is not well-formed "
            f"XML ({xml.parsers.expat.errors.messages[error.code]}, line "
            f"{error.lineno}). Save it again from Excel, or as CSV."
        ) from error
    return size

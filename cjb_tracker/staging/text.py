"""Reading an uploaded file's bytes as text: the encoding, and what no text file holds
(binary data, NUL characters)."""

from __future__ import annotations

import codecs

import charset_normalizer

from cjb_tracker.problems import Problem
from cjb_tracker.staging.outcome import Rejected


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read as: UTF-8 (BOM or not), UTF-16 with a
    BOM, or, failing UTF-8, what the charset detector finds (Windows-1252 from Excel)."""
    refuse_binary(data)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_as(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(data, "utf-16"), "utf-16"
    for encoding in ("utf-8", "cp1252"):  # cp1252: what Excel on Windows writes as "CSV"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    # Neither: let the detector name the encoding (it may be another legacy code page).
    guess = charset_normalizer.from_bytes(data[: 1 << 20]).best()
    return _decode_as(data, guess.encoding if guess else "utf-8"), "detected"


# Bytes no text file holds (all but tab, line feed, form feed and carriage return below 32).
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])


MAX_LISTED_ROWS = 20


def refuse_binary(data: bytes) -> None:
    """A file whose start is more than 5% control bytes other than NUL, or more than 30%
    NULs (UTF-16 saved without a BOM), is not text; a few NULs in text are named by row
    instead (refuse_nul_characters). UTF-16 with a BOM is text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    sample = data[:8192]
    nuls = sample.count(b"\x00")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES)) - nuls
    if controls * 20 > len(sample) or nuls * 10 > len(sample) * 3:
        raise Rejected.because(
            "This is not a text file (it holds binary data). Upload the file saved as "
            "'CSV UTF-8 (comma delimited)' or as an Excel workbook (.xlsx)."
        )


def refuse_nul_characters(text: str | bytes) -> None:
    """A text file with NUL characters in it (a damaged export, a paste from another
    program): each row that holds one is named; nothing is read."""
    nul = "\x00" if isinstance(text, str) else b"\x00"
    newline = "\n" if isinstance(text, str) else b"\n"
    rows: list[int] = []
    line, position, found = 1, 0, text.find(nul)  # type: ignore[arg-type]
    while found != -1 and len(rows) < MAX_LISTED_ROWS:
        line += text.count(newline, position, found)  # type: ignore[arg-type]
        if not rows or rows[-1] != line:
            rows.append(line)
        position = found
        found = text.find(nul, found + 1)  # type: ignore[arg-type]
    if rows:
        raise Rejected(
            [
                Problem(
                    row,
                    None,
                    "encoding-error",
                    f"Row {row} holds a NUL character (an invisible control code, usually "
                    "left by a damaged export or a paste from another program). Retype the "
                    "row's text, or save the file again as 'CSV UTF-8 (comma delimited)'.",
                )
                for row in rows
            ]
        )


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        raise Rejected.because(
            f"Row {row} holds bytes that are not readable text. Save the file as "
            "'CSV UTF-8 (comma delimited)' and upload it again.",
            row=row,
            code="encoding-error",
        ) from error

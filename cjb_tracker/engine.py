"""Moving a database across DuckDB versions whose file formats differ.

DuckDB reads the files of some earlier versions but never those of a later one, so a release
that changes the pinned DuckDB (requirements.lock) may meet a file the new DuckDB cannot
open: an old file after an upgrade, or a new file after a move back. The way across is an
export and an import. `make` runs `python -m cjb_tracker.engine export-if-changing` before it
installs the pinned set: when the installed DuckDB is not the pinned one, it exports the
database with the DuckDB still installed (EXPORT DATABASE to Parquet, next to the file).
`cjb-tracker migrate` (which `make run` calls) then finds a file it cannot open, builds a new
one from that export with the new DuckDB, keeps the old file, and says so.

This module needs only the standard library and duckdb, and any DuckDB version: it runs
with the new release's code and the old release's DuckDB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

# What DuckDB says when a file's format is not one it reads (checked with 1.5.6 and 2.0.1).
UNREADABLE_FORMAT = re.compile(
    r"version number|can only read|newer version|older version|storage version|"
    r"incompatible|serializ",
    re.IGNORECASE,
)
_PINNED = re.compile(r"^duckdb==([\w.]+)", re.MULTILINE)
# A DuckDB file names the version that created it in its header (seen: b"v2.0.1" at 52).
_HEADER_VERSION = re.compile(rb"v(\d+\.\d+\.\d+)")


def pinned(lock: Path) -> str | None:
    """The DuckDB version requirements.lock pins."""
    found = _PINNED.search(lock.read_text(encoding="utf-8")) if lock.is_file() else None
    return found.group(1) if found else None


def installed() -> str | None:
    """The DuckDB version installed here, if any."""
    try:
        return metadata.version("duckdb")
    except metadata.PackageNotFoundError:
        return None


def written_by(path: Path) -> str | None:
    """The DuckDB version that created a database file, from its header."""
    with path.open("rb") as handle:
        header = handle.read(4096)
    if header[8:12] != b"DUCK":
        return None
    found = _HEADER_VERSION.search(header, 12)
    return found.group(1).decode() if found else None


def sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def export_dir(db: Path, version: str) -> Path:
    return db.with_name(f"{db.name}.duckdb-{version}-export")


def export_if_changing(db: Path, lock: Path) -> str:
    """Export the database with the installed DuckDB when the lock pins another one; says
    what it did (nothing, when the versions agree or there is no database)."""
    have, want = installed(), pinned(lock)
    if have is None or want is None or have == want or not db.is_file():
        return ""
    target = export_dir(db, have)
    digest = sha256(db)
    if _source(target).get("sha256") == digest:
        return f"{db} was already exported for the DuckDB upgrade to {target}."
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        target.mkdir(exist_ok=True)
        quoted = str(target.resolve()).replace("'", "''")
        con.execute(f"export database '{quoted}' (format parquet)")
    finally:
        con.close()
    source = {"duckdb": have, "file": db.name, "sha256": digest, "size": db.stat().st_size}
    (target / "SOURCE.json").write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")
    return (
        f"DuckDB changes from {have} to {want} in this version, so {db} was exported to "
        f"{target} with DuckDB {have}; 'cjb-tracker migrate' (make run) rebuilds the file "
        "from it if the new DuckDB cannot read the old file."
    )


def export_for(db: Path) -> Path | None:
    """The export made of exactly this file (by its SHA-256) before a DuckDB change."""
    digest = sha256(db)
    for candidate in sorted(db.parent.glob(f"{db.name}.duckdb-*-export")):
        if _source(candidate).get("sha256") == digest:
            return candidate
    return None


def _source(folder: Path) -> dict[str, object]:
    try:
        found = json.loads((folder / "SOURCE.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cjb_tracker.engine")
    parser.add_argument("command", choices=["export-if-changing"])
    parser.add_argument("--lock", type=Path, default=Path("requirements.lock"))
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        said = export_if_changing(args.db, args.lock)
    except Exception as error:  # any DuckDB version's own error types
        print(
            f"cjb-tracker: {args.db} could not be exported before the DuckDB upgrade "
            f"({str(error).splitlines()[0]}). Nothing was changed; stop whatever holds the "
            "file (the dashboard) and run make again.",
            file=sys.stderr,
        )
        return 1
    if said:
        print(said)
    return 0


if __name__ == "__main__":
    sys.exit(main())

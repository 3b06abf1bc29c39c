"""Build a release's fixture database: what a Board's file looks like after using that release.

Run it with the release's own code, just before a schema change lands, and commit what it
writes (tests/test_migrations.py upgrades every fixture here):

    .venv/bin/python tests/data/releases/build_fixture.py

Everything goes through the command line, as a secretariat would: the demo database, the
example files, a rejected and a duplicate upload, an undo, a closure decision, an export,
sign-ins, and users of every role (with passwords written to the manifest beside the fixture, so a
test can sign in with them after the upgrade). The fixture is stored gzipped: a DuckDB file
is mostly empty blocks, and this keeps the repository small. It is the file byte for byte.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
EXAMPLES = ROOT / "data" / "examples"

# Users added by this script; each role, and one single-sign-on only user (no password).
USERS = [
    ("fx.chair", "Fixture Chair", "chair", "fixture-chair-password", None),
    ("fx.lead", "Fixture Lead", "lead", "fixture-lead-password", None),
    (
        "fx.member",
        "Fixture Member",
        "member",
        "fixture-member-password",
        "fx.member@example.gov.uk",
    ),
    ("fx.sso", "Fixture SSO", "member", None, "fx.sso@example.gov.uk"),
]
BAD_UPDATES = (
    "recommendation_id,meeting_date,status\n"
    "RAPE1-R99,13/01/2027,In progress\n"
    "RAPE1-R4,04/13/2027,Sideways\n"
)


def cli(db: Path, *args: str, stdin: str | None = None, ok: tuple[int, ...] = (0,)) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cjb_tracker", *args, "--db", str(db)],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def build(db: Path, work: Path) -> None:
    cli_init = [sys.executable, "-m", "cjb_tracker", "init", "--demo", "--db", str(db)]
    subprocess.run(cli_init, cwd=ROOT, check=True, capture_output=True)
    by = ["--by", "fixture secretariat"]
    cli(db, "decide", "RAPE1-R6", "--meeting", "CJB:2026-10-14", "--accept", "CJB/2026/10/7", *by)
    cli(db, "import", "meetings", str(EXAMPLES / "meetings.csv"), *by)
    cli(db, "import", "recommendations", str(EXAMPLES / "recommendations.csv"), *by)
    cli(db, "import", "meetings", str(EXAMPLES / "meetings.csv"), *by)  # a duplicate
    bad = work / "updates_with_problems.csv"
    bad.write_text(BAD_UPDATES, encoding="utf-8")
    cli(db, "import", "updates", str(bad), *by, ok=(1,))  # rejected, recorded
    committed = json.loads(
        cli(db, "import", "updates", str(EXAMPLES / "updates.csv"), "--json", *by)
    )
    cli(db, "undo", str(committed["batch_id"]), *by)
    # The same file again after its undo: a new batch in force.
    cli(db, "import", "updates", str(EXAMPLES / "updates.csv"), *by)
    for username, name, role, password, email in USERS:
        extra = ["--email", email] if email else []
        extra += ["--password-stdin"] if password else []
        stdin = f"{password}\n" if password else None
        cli(db, "user", "add", username, "--name", name, "--role", role, *extra, *by, stdin=stdin)
    cli(db, "user", "assign", "fx.lead", "--lead", "ISVA Service Manager", "--rec", "RAPE1-R3", *by)
    cli(db, "user", "disable", "fx.sso", *by)
    cli(db, "user", "set-password", "fx.chair", "--password-stdin", *by,
        stdin="fixture-chair-password-2\n")  # fmt: skip
    sign_ins(db)
    cli(db, "export", "pack", "--meeting", "CJB:2027-01-13", "--format", "csv",
        "--out", str(work / "pack.csv"), *by)  # fmt: skip


def sign_ins(db: Path) -> None:
    """Sign-ins as the dashboard makes them (the command line has none): a success, a wrong
    password, an unknown name; each is an audit event."""
    script = (
        "import sys; from cjb_tracker import auth, store\n"
        "con = store.open_tracker(sys.argv[1])\n"
        "auth.sign_in(con, 'fx.lead', 'fixture-lead-password')\n"
        "for name, word in (('fx.lead', 'wrong password!'), ('nobody', 'wrong password!')):\n"
        "    try:\n"
        "        auth.sign_in(con, name, word)\n"
        "    except Exception:\n"
        "        pass\n"
        "con.close()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], cwd=ROOT, check=True)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import duckdb

    import cjb_tracker
    from cjb_tracker import store

    version = cjb_tracker.__version__
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "tracker.duckdb"
        build(db, work)
        con = duckdb.connect(str(db), read_only=True)
        schema = int(con.execute("select max(version) from schema_version").fetchall()[0][0])
        con.close()
        name = f"v{version}-schema{schema}"
        with db.open("rb") as raw, gzip.open(HERE / f"{name}.duckdb.gz", "wb", 9) as packed:
            shutil.copyfileobj(raw, packed)
    passwords = {u: p for u, _, _, p, _ in USERS if p}
    passwords["fx.chair"] = "fixture-chair-password-2"
    passwords.update({f"demo-{r}": f"demo-{r}-password" for r in ("chair", "lead", "member")})
    manifest = {
        "release": version,
        "schema": schema,
        "duckdb": duckdb.__version__,
        "built_by": "tests/data/releases/build_fixture.py",
        # The release's code (benchmarks/migrate.py builds a national-scale file with it).
        "commit": subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip(),
        "passwords": passwords,
        "code_schema": store.SCHEMA_VERSION,
    }
    (HERE / f"{name}.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {name}.duckdb.gz and {name}.json in {HERE}")


if __name__ == "__main__":
    main()

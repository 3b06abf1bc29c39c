"""The command line's user commands (cjb_tracker.cli adds them):

    cjb-tracker user add|list|disable|enable|set-password|set-role|end-sessions|assign ...

Each change goes through cjb_tracker.auth, audited, by the chair named with --by. A password
is asked for twice at the terminal, or read from standard input with --password-stdin.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

import duckdb

from cjb_tracker import auth
from cjb_tracker.errors import TrackerError


def add_commands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    add_db: Callable[[argparse.ArgumentParser], None],
    add_by: Callable[[argparse.ArgumentParser], None],
) -> None:
    user = commands.add_parser("user", help="manage who may sign in to the dashboard")
    users = user.add_subparsers(dest="user_command", required=True)
    add = users.add_parser("add", help="add a user (asks for the password)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the name shown, e.g. 'DS Patel'")
    add.add_argument("--role", required=True, choices=auth.ROLES)
    add.add_argument("--email", help="for single sign-on; without --password-stdin, no password")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    listing = users.add_parser("list", help="list the users")
    disable = users.add_parser("disable", help="stop a user signing in")
    disable.add_argument("username")
    enable = users.add_parser("enable", help="let a disabled user sign in again")
    enable.add_argument("username")
    password = users.add_parser(
        "set-password", help="set a user's password (asks for it); ends their sessions"
    )
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    password.add_argument(
        "--one-time", action="store_true", help="the user must choose their own at next sign-in"
    )
    role = users.add_parser("set-role", help="give a user another role; ends their sessions")
    role.add_argument("username")
    role.add_argument("role", choices=auth.ROLES)
    end = users.add_parser("end-sessions", help="end every session of a user at once")
    end.add_argument("username")
    assign = users.add_parser("assign", help="set what a lead answers for")
    assign.add_argument("username")
    assign.add_argument(
        "--lead", action="append", default=None, help="a lead name as in the recommendations"
    )
    assign.add_argument("--rec", action="append", default=None, help="a recommendation id")
    for sub in (add, listing, disable, enable, password, role, end, assign):
        add_db(sub)
        add_by(sub)


def run(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, who: str) -> None:
    chair = auth.operator(who)
    command = args.user_command
    if command == "list":
        for u in auth.list_users(con):
            leads = "; ".join(u.lead_names + u.rec_ids)
            state = "enabled" if u.enabled else "disabled"
            print(f"{u.username}\t{u.display_name}\t{u.role}\t{u.email or '-'}\t{state}\t{leads}")
        return
    if command == "add":
        password = _password(args.password_stdin) if args.password_stdin or not args.email else None
        added = auth.add_user(
            con, chair, args.username, args.name, args.role, password=password, email=args.email
        )
        print(f"Added {added.username} ({added.display_name}) as {added.role}.")
    elif command in {"disable", "enable"}:
        auth.set_enabled(con, chair, args.username, command == "enable")
        print(f"{args.username} is {command}d.")
    elif command == "set-password":
        password = _password(args.password_stdin)
        auth.set_password(con, chair, args.username, password, one_time=args.one_time)
        print(f"The password of {args.username} is changed; their sessions have ended.")
    elif command == "set-role":
        auth.set_role(con, chair, args.username, args.role)
        print(f"{args.username} is now a {args.role}; their sessions have ended.")
    elif command == "end-sessions":
        ended = auth.end_sessions(con, chair, args.username)
        print(f"Ended {ended} session(s) of {args.username}.")
    elif command == "assign":
        lead_names = None if args.lead is None else tuple(args.lead)
        rec_ids = None if args.rec is None else tuple(args.rec)
        auth.assign(con, chair, args.username, lead_names=lead_names, rec_ids=rec_ids)
        print(f"{args.username} now answers for what was assigned.")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise TrackerError("The two passwords differ; nothing was changed.")
    return first

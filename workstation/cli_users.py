"""``workstation user``: the workstation's accounts without the GUI.

``user init-admin`` creates the first administrator (first start on a server or a fresh
install; no sign-in, refused once one exists). Every other action is an administrator's: the
acting user signs in as for every verb (``--user`` / ``WORKSTATION_USER`` and
``WORKSTATION_PASSWORD``). New passwords come from ``WORKSTATION_NEW_PASSWORD`` or are asked
twice on a terminal; never from the command line, where other users of the machine see them.

``user unlock NAME`` lifts a lock-out (an administrator, ``--user ADMIN``); with
``--machine-owner`` it needs no sign-in but must run as the operating-system account that owns
the SQLite data folder (the recovery when every administrator is locked out).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Any

from workstation.cli_common import CliError, cli_translator, open_signed_in, open_store, shown_time
from workstation.config import Settings
from workstation.domain.enums import Role

if TYPE_CHECKING:
    from workstation.app import App
    from workstation.domain.clock import Clock
    from workstation.security.model import UserView

#: The new password of ``user add``, ``user passwd`` and ``user init-admin``.
ENV_NEW_PASSWORD = "WORKSTATION_NEW_PASSWORD"


def parse_role(text: str) -> Role:
    """``hr_officer``, ``hr-officer`` or ``HR_OFFICER``."""
    try:
        return Role(text.strip().lower().replace("-", "_"))
    except ValueError:
        names = ", ".join(r.value.replace("_", "-") for r in Role)
        raise argparse.ArgumentTypeError(f"unknown role {text!r}; choose one of {names}") from None


def add_user_commands(sub: Any) -> None:
    user = sub.add_parser("user", help="workstation users: list, add, passwords, roles")
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every user with role, employee and state")
    listing.add_argument("--json", action="store_true", help="print the users as JSON")
    add = actions.add_parser(
        "add", help=f"create a user (initial password from ${ENV_NEW_PASSWORD} or a prompt)"
    )
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the name shown for the user")
    add.add_argument(
        "--role",
        required=True,
        type=parse_role,
        help="hr-officer, sales-manager, legal, administrator or auditor",
    )
    add.add_argument("--employee", metavar="EMPLOYEE_NO", help="the user's own employee record")
    passwd = actions.add_parser(
        "passwd", help=f"set a new password (from ${ENV_NEW_PASSWORD} or a prompt)"
    )
    passwd.add_argument("username")
    role = actions.add_parser("role", help="give a user another role")
    role.add_argument("username")
    role.add_argument("role", type=parse_role)
    for name, text in (("disable", "deactivate a user"), ("enable", "reactivate a user")):
        actions.add_parser(name, help=text).add_argument("username")
    unlock = actions.add_parser(
        "unlock",
        help="lift a user's lock-out (an administrator; or, with --machine-owner, the OS "
        "account that owns the SQLite data folder, without signing in)",
    )
    unlock.add_argument("username")
    unlock.add_argument(
        "--user", dest="unlock_by", metavar="ADMIN", help="the administrator who unlocks"
    )
    unlock.add_argument(
        "--machine-owner",
        action="store_true",
        help="the recovery when no administrator can sign in: run as the OS account that "
        "owns the SQLite data folder (audited with that account)",
    )
    init = actions.add_parser(
        "init-admin", help="create the first administrator (no sign-in; once only)"
    )
    init.add_argument("username")
    init.add_argument("--name", required=True, help="the name shown for the administrator")


def run_user_command(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.security.model import UnknownUser, UserError
    from workstation.security.passwords import WeakPassword

    try:
        if args.user_command == "init-admin":
            return _init_admin(settings, args)
        if args.user_command == "unlock" and args.machine_owner:
            return _unlock_at_machine(settings, args)
        app = open_signed_in(settings, getattr(args, "unlock_by", None) or args.acting_user)
        try:
            return _administer(app, args)
        finally:
            app.close()
    except (UserError, WeakPassword, UnknownUser) as exc:
        raise CliError(str(exc)) from exc


def _init_admin(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.security.model import valid_username

    app = open_store(settings)
    try:
        if not app.users.needs_first_admin():
            raise CliError("an administrator exists already; they create the other users")
        name = valid_username(args.username)
        password = new_password(name)
        admin = app.users.create_first_admin(name, args.name, password)
    finally:
        app.close()
    print(f"administrator {admin.username} created; sign in with --user {admin.username}")
    return 0


def _unlock_at_machine(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.security.machine_owner import NotMachineOwner, check_machine_owner
    from workstation.security.model import UserError, normalise_username

    if getattr(args, "unlock_by", None):
        raise CliError("--machine-owner unlocks without signing in; leave out --user")
    app = open_store(settings)
    try:
        try:
            owner = check_machine_owner(app.engine, settings.data_dir)
        except NotMachineOwner as exc:
            if exc.path is None:
                raise CliError(
                    "not unlocked: the database is not a SQLite file on this machine; on "
                    "PostgreSQL another administrator unlocks the account"
                ) from exc
            raise CliError(
                "not unlocked: {path} does not belong to the operating-system account "
                "{account}; run this as the account that owns the data folder",
                path=str(exc.path),
                account=exc.account,
            ) from exc
        name = normalise_username(args.username)
        try:
            view = app.users.unlock_at_machine(owner, name)
        except UserError as exc:
            if exc.code != "unknown_user":
                raise
            raise CliError("no user {name}; see `workstation user list`", name=repr(name)) from exc
    finally:
        app.close()
    tr = cli_translator(args)
    print(
        tr(
            "{name} unlocked by {actor} (recorded in the audit log)",
            name=view.username,
            actor=owner.actor,
        )
    )
    return 0


def _administer(app: App, args: argparse.Namespace) -> int:
    from workstation.security.model import valid_username

    users, who = app.users, app.session.current()
    action = args.user_command
    if action == "list":
        return _list(users.list_users(who), app.clock, args)
    if action == "add":
        name = valid_username(args.username)
        employee_id = _employee_id(app, args.employee) if args.employee else None
        password = new_password(name)
        view = users.create_user(who, name, args.name, args.role, password, employee_id)
        print(f"created {view.username} ({view.role.value})")
        return 0
    user = _find(app, args.username)
    if action == "passwd":
        users.set_password(who, user.id, new_password(user.username))
        print(f"password of {user.username} set")
    elif action == "unlock":
        view = users.unlock(who, user.id)
        tr = cli_translator(args)
        print(tr("{name} unlocked; the count of failed sign-ins starts again", name=view.username))
    elif action == "role":
        view = users.set_role(who, user.id, args.role)
        print(f"{view.username} is now {view.role.value}")
    else:
        view = users.set_active(who, user.id, action == "enable")
        print(f"{view.username} {'enabled' if view.active else 'disabled'}")
    return 0


def new_password(username: str) -> str:
    """``$WORKSTATION_NEW_PASSWORD``, else asked twice on a terminal; checked against the
    policy before anything is written."""
    from workstation.security.passwords import check_password

    password = os.environ.get(ENV_NEW_PASSWORD)
    if password is None:
        if not sys.stdin.isatty():
            raise CliError(
                "give the new password in {env} or run on a terminal", env=ENV_NEW_PASSWORD
            )
        password = getpass.getpass(f"new password for {username}: ")
        if getpass.getpass("repeat it: ") != password:
            raise CliError("the two passwords differ; nothing changed")
    check_password(password, username)
    return password


def _find(app: App, username: str) -> UserView:
    from workstation.security.model import normalise_username

    name = normalise_username(username)
    for view in app.users.list_users(app.session.current()):
        if view.username == name:
            return view
    raise CliError("no user {name}; see `workstation user list`", name=repr(name))


def _employee_id(app: App, number: str) -> int:
    wanted = number.strip()
    for row in app.employees.list_employees(wanted):
        if row.employee_no == wanted:
            return row.id
    raise CliError("no employee with number {number}", number=repr(wanted))


def _list(views: list[UserView], clock: Clock, args: argparse.Namespace) -> int:
    now = clock.now()
    if args.json:
        print(json.dumps([_as_json(v, now) for v in views], ensure_ascii=False))
        return 0
    rows = [
        (
            v.username,
            v.display_name,
            v.role.value.replace("_", "-"),
            v.employee_name or "",
            "active" if v.active else "disabled",
            f"locked until {shown_time(clock, v.locked_until, args)}" if _locked(v, now) else "",
            shown_time(clock, v.last_sign_in_at, args) or "never",
        )
        for v in views
    ]
    header = ("USERNAME", "NAME", "ROLE", "EMPLOYEE", "STATE", "LOCK", "LAST SIGN-IN")
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = (cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    return 0


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _locked(view: UserView, now: datetime) -> bool:
    return view.locked_until is not None and view.locked_until > now


def _as_json(view: UserView, now: datetime) -> dict[str, Any]:
    return {
        "id": view.id,
        "username": view.username,
        "display_name": view.display_name,
        "role": view.role.value,
        "employee_id": view.employee_id,
        "employee_name": view.employee_name,
        "active": view.active,
        "has_password": view.has_password,
        "locked_until": _iso(view.locked_until) if _locked(view, now) else None,
        "failed_sign_ins": view.failed_sign_ins,
        "last_sign_in_at": _iso(view.last_sign_in_at),
        "created_at": view.created_at.isoformat(),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None

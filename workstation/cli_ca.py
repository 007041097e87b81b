"""``workstation ca``: the installation's signing authority, an administrator's.

``ca init`` creates the CA under its own passphrase (random in the administrator's keyring,
else typed twice on a terminal or given in ``WORKSTATION_CA_PASSPHRASE``); ``ca pending`` lists
the users' keys awaiting a certificate; ``ca certify USERNAME…|--all`` issues them. Each user's
own key is made at their first signature (or ``ca enrol``), under their own passphrase.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from workstation.cli_common import (
    ENV_CA_PASSPHRASE,
    ENV_KEY_PASSPHRASE,
    CliError,
    open_signed_in,
    shown_time,
)
from workstation.config import Settings

if TYPE_CHECKING:
    from workstation.app import App


def add_ca_commands(sub: Any) -> None:
    ca = sub.add_parser("ca", help="the signing authority: create it, certify users' keys")
    actions = ca.add_subparsers(dest="ca_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help=f"create the signing authority (administrators; passphrase from the keyring, "
        f"${ENV_CA_PASSPHRASE} or a prompt)",
    )
    pending = actions.add_parser("pending", help="users' signing keys awaiting certification")
    pending.add_argument("--json", action="store_true", help="print them as JSON")
    certify = actions.add_parser("certify", help="certify users' keys with the authority")
    certify.add_argument("usernames", nargs="*", metavar="USERNAME")
    certify.add_argument("--all", action="store_true", help="every key awaiting certification")
    enrol = actions.add_parser(
        "enrol",
        help=f"make your own signing key now (passphrase from the keyring, "
        f"${ENV_KEY_PASSPHRASE} or a prompt)",
    )
    for parser in (init, pending, certify, enrol):
        parser.add_argument("--user", metavar="NAME", help="who is acting")


def run_ca_command(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.security.ca import WrongPassphrase
    from workstation.security.secrets import SecretUnavailable
    from workstation.security.signatures import SigningError

    if args.ca_command == "certify" and bool(args.usernames) == bool(args.all):
        raise CliError("name the users to certify, or --all")
    app = open_signed_in(settings, args.user or args.acting_user)
    try:
        return _run(app, args)
    except (SecretUnavailable, WrongPassphrase) as exc:
        env = ENV_KEY_PASSPHRASE if args.ca_command == "enrol" else ENV_CA_PASSPHRASE
        raise CliError(
            "{reason}; give the passphrase in {env} or run on a terminal", reason=str(exc), env=env
        ) from exc
    except SigningError as exc:
        raise CliError(str(exc)) from exc
    finally:
        app.close()


def _run(app: App, args: argparse.Namespace) -> int:
    who = app.session.current()
    assert who is not None
    signing = app.signing
    if args.ca_command == "init":
        view = signing.create_ca(who)
        kept = "the keyring" if app.secrets.keyring_available else "the passphrase you chose"
        print(f"signing authority created (serial {view.serial}); it opens with {kept}")
        return 0
    if args.ca_command == "enrol":
        state = signing.enrol(who)
        if state.certificate is not None:
            print(
                f"the signing key of {state.username} is certified (serial "
                f"{state.certificate.serial})"
            )
        else:
            print(
                f"the signing key of {state.username} is ready; an administrator certifies it: "
                f"workstation ca certify {state.username}"
            )
        return 0
    if args.ca_command == "pending":
        keys = signing.pending_keys(who)
        if args.json:
            rows = [
                {
                    "username": k.username,
                    "name": k.display_name,
                    "role": k.role,
                    "created_at": k.created_at.isoformat(),
                }
                for k in keys
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not keys:
            print("no signing key awaits certification")
        else:
            for k in keys:
                made = shown_time(app.clock, k.created_at, args)
                print(f"{k.username}\t{k.display_name}\t{k.role}\t{made}")
        return 0
    issued = signing.certify(who, None if args.all else list(args.usernames))
    for view in issued:
        print(f"certified {view.username} (serial {view.serial})")
    if not issued:
        print("no signing key awaits certification")
    return 0

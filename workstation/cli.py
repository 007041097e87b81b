"""Command line: thin verbs over the services built by ``app.open_app``.

``workstation`` opens the GUI; ``workstation demo``, ``workstation db ...`` work headless.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from workstation import __version__
from workstation.cli_audit import add_audit_command, run_audit
from workstation.cli_ca import add_ca_commands, run_ca_command
from workstation.cli_cases import CASE_COMMANDS, add_case_commands, run_case_command
from workstation.cli_common import (
    ENV_PASSWORD,
    ENV_USER,
    CliError,
    open_signed_in,
    open_store,
    text_progress,
)
from workstation.cli_company import add_company_command, run_company
from workstation.cli_data import add_data_command, run_data
from workstation.cli_db import add_db_command, run_db
from workstation.cli_evidence import add_evidence_command, run_evidence
from workstation.cli_import import add_import_command, run_import
from workstation.cli_places import add_places_command, run_places
from workstation.cli_refusals import REFUSED, cli_locale, run_guarded, say
from workstation.cli_risk import RISK_COMMANDS, add_risk_commands, run_risk_command
from workstation.cli_users import add_user_commands, run_user_command
from workstation.config import ENV_HOME, SUPPORTED_LOCALES, Settings, load_settings
from workstation.i18n import Translator
from workstation.logging_setup import configure_logging
from workstation.private_files import private_umask
from workstation.security.permissions import Permission

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workstation",
        description="Casework: prevent, detect and prove order diversion (跑单).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help=f"data folder (default: ${ENV_HOME}, else the per-user data folder)",
    )
    parser.add_argument(
        "--db", metavar="URL", help="database URL (default: SQLite in the data dir)"
    )
    parser.add_argument(
        "--lang",
        choices=SUPPORTED_LOCALES,
        help="language of the interface (the command line's default: the language saved in "
        "the settings, else the environment's LANG)",
    )
    parser.add_argument(
        "--user",
        dest="acting_user",
        metavar="NAME",
        help=f"who is acting (default: ${ENV_USER}); the password comes from ${ENV_PASSWORD} "
        "or a prompt",
    )
    parser.add_argument(
        "--open",
        metavar="TARGET",
        help="the window opens on map:EMPLOYEE_NO[@DATE], alert:ID or case:NUMBER "
        "(without a command)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the workstation (the default)")

    demo = sub.add_parser("demo", help="build the demo company, then open it")
    demo.add_argument("--headless", action="store_true", help="print a summary instead of the GUI")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument("--end-date", type=date.fromisoformat, help="last day of demo life")
    demo.add_argument("--rebuild", action="store_true", help="rebuild even if the demo is there")
    demo.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    add_import_command(sub)
    add_data_command(sub)
    add_risk_commands(sub)
    add_case_commands(sub)
    add_places_command(sub)
    add_user_commands(sub)
    add_ca_commands(sub)

    add_db_command(sub)
    add_audit_command(sub)
    add_evidence_command(sub)
    add_company_command(sub)

    retention = sub.add_parser(
        "retention", help="purge old track points and communications (never held evidence)"
    )
    retention.add_argument("--set-months", type=int, metavar="N", help="keep N months from now on")
    retention.add_argument("--purge", action="store_true", help="purge what is older now")
    retention.add_argument("--dry-run", action="store_true", help="count, change nothing")
    retention.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. A refusal is one line on stderr (exit status 1), a bug one line
    naming the log file that holds its traceback (2); never a traceback on the terminal."""
    private_umask()  # before anything is written: files owner-only (the data folder's, --out)
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.data_dir, args.db)
        if args.lang:
            settings = settings.with_preferences(locale=args.lang)
        log_file = configure_logging(settings.log_dir)
    except Exception as exc:  # a damaged settings.json, a data folder that cannot be made
        tr = Translator(cli_locale(args.lang, None))
        say(tr("cannot start: {error}", error=f"{type(exc).__name__}: {exc}"))
        return REFUSED
    # The command line speaks its own language (``cli_refusals.cli_locale``); the GUI the
    # saved preference.
    args.cli_locale = cli_locale(args.lang, settings)
    return run_guarded(lambda: _dispatch(settings, args), Translator(args.cli_locale), log_file)


#: The commands that open the window ``--open`` opens on a view (None: no command).
WINDOW_COMMANDS = (None, "gui")


def _dispatch(settings: Settings, args: argparse.Namespace) -> int:
    if args.open is not None and args.command not in WINDOW_COMMANDS:
        raise CliError(
            "--open {target} opens the window on a view and does not go with `{command}`; "
            "run `workstation --open {target}` alone",
            target=args.open,
            command=args.command,
        )
    if args.command in WINDOW_COMMANDS:
        return _gui(settings, args)
    if args.command == "demo" and not args.headless:
        return _demo(settings, args)
    settings = settings.with_preferences(locale=args.cli_locale)
    if args.command == "demo":
        return _demo(settings, args)
    if args.command == "db":
        return run_db(settings, args)
    if args.command == "audit":
        return run_audit(settings, args)
    if args.command == "evidence":
        return run_evidence(settings, args)
    if args.command == "retention":
        return _retention(settings, args)
    if args.command == "import":
        return run_import(settings, args)
    if args.command == "data":
        return run_data(settings, args)
    if args.command in RISK_COMMANDS:
        return _risk(settings, args)
    if args.command in CASE_COMMANDS:
        return _cases(settings, args)
    if args.command == "user":
        return run_user_command(settings, args)
    if args.command == "ca":
        return run_ca_command(settings, args)
    if args.command == "places":
        return _places(settings, args)
    if args.command == "company":
        return run_company(settings, args)
    return _gui(settings, args)


def _places(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.risk.allowed_places import PlaceRefused

    app = open_signed_in(settings, args.acting_user)
    try:
        print(run_places(app, args))
    except PlaceRefused as exc:
        raise CliError(str(exc)) from exc
    finally:
        app.close()
    return 0


def _cases(settings: Settings, args: argparse.Namespace) -> int:
    app = open_signed_in(settings, getattr(args, "user", None) or args.acting_user)
    try:
        args.identity = app.session.current()
        return run_case_command(args, app)
    finally:
        app.close()


def _risk(settings: Settings, args: argparse.Namespace) -> int:
    app = open_signed_in(settings, args.acting_user)
    try:
        return run_risk_command(args, app)
    finally:
        app.close()


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _gui(settings: Settings, args: argparse.Namespace) -> int:
    if not _has_display():
        raise CliError(
            "no display found (DISPLAY is not set). Run `workstation demo --headless` for a "
            "text summary, or start the GUI from a desktop session."
        )
    from workstation.gui.application import run

    # Who signs in, as for the other commands: --user (else $WORKSTATION_USER) with the
    # password in $WORKSTATION_PASSWORD, else the sign-in dialog asks (the store opens behind it).
    user = args.acting_user or os.environ.get(ENV_USER)
    password = os.environ.get(ENV_PASSWORD) if user else None
    return run(
        settings, lambda: _open_app(settings), user=user, password=password, open_target=args.open
    )


def _open_app(settings: Settings) -> Any:
    from workstation.app import open_app

    return open_app(settings)


#: Days of the demo's end the demo build evaluates (so the inbox and its trends have data).
DEMO_EVALUATED_DAYS = 30


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.demo.service import DemoRefused

    if not args.headless and not _has_display():
        raise CliError("no display found; add --headless to build the demo and print a summary")
    app = open_store(settings)
    try:
        existing = app.demo.is_demo_database() and not args.rebuild
        if existing and app.demo.summary().seed == args.seed and args.end_date is None:
            _sign_in_demo_hr(app)  # first: the summary's counts include its audit entry
            summary = app.demo.summary()
        else:
            try:
                summary = app.demo.build(
                    seed=args.seed, end_date=args.end_date, progress=text_progress(args.json)
                )
            except DemoRefused as exc:
                raise CliError(str(exc)) from exc
            _sign_in_demo_hr(app)
            # The daily evaluation of the demo's last weeks, as if it had run every night.
            last = summary.end_date
            app.evaluation.evaluate(
                last - timedelta(days=DEMO_EVALUATED_DAYS - 1),
                last,
                progress=text_progress(args.json),
            )
            _walk_demo_case(app)
        if args.headless:
            _sign_in_demo_hr(app)
            report = summary.to_json_dict()
            report.setdefault("demo_files_dir", str(settings.demo_files_dir))
            report["alerts"] = [a.to_json_dict() for a in app.alerts.list_alerts(None)]
            hr = app.session.require(Permission.CASE_VIEW)
            report["cases"] = [c.to_json_dict() for c in app.cases.list_cases(hr)]
            _print_summary(report, as_json=args.json)
            return 0
        from workstation.gui.application import run_gui

        app.session.sign_out()  # whoever opens the window signs in there
        return run_gui(app)
    finally:
        app.close()


def _sign_in_demo_hr(app: Any) -> None:
    """The demo's HR officer (demo password) runs the demo's evaluation and reads its results."""
    from workstation.demo.case_walkthrough import HR
    from workstation.demo.people import DEMO_PASSWORD

    if app.session.current() is None:
        app.session.sign_in(app.users.sign_in(HR, DEMO_PASSWORD))


def _walk_demo_case(app: Any) -> None:
    """The diverter's case from his alert to the served notice, by the demo users."""
    from workstation.demo.case_walkthrough import walk_diverter_case

    diverter = next((s for s in app.demo.scenarios() if s.get("kind") == "diverter"), None)
    if diverter is not None:
        walk_diverter_case(app, diverter["employee_no"])


def _print_summary(summary: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, default=str))
        return
    print(f"Demo company (seed {summary['seed']}, last day {summary['end_date']})")
    counts: dict[str, int] = summary["counts"]
    width = max(len(name) for name in counts)
    for name, count in counts.items():
        print(f"  {name:<{width}}  {count:>10,}")
    print("Planted scenarios:")
    for item in summary["scenarios"]:
        who = f"{item.get('employee_no') or ''} {item.get('employee_name') or ''}".strip()
        where = item.get("office") or item.get("city") or ""
        print(f"  - {item['kind']}: {who or where}")
    imports = summary.get("imports", [])
    accepted = sum(i["accepted"] for i in imports)
    refused = sum(i["refused"] for i in imports)
    print(
        f"Built by importing {len(imports)} of its files ({accepted:,} rows accepted, "
        f"{refused:,} refused); the files and manifest.json (how each is imported) are in "
        f"{summary['demo_files_dir']}"
    )
    print("Cases (the diverter's, walked by the demo users; password: casework-demo):")
    for case in summary.get("cases", []):
        print(f"  {case['number']} {case['state']}: {case['title']}")
    from workstation.demo.signing_keys import DEMO_CA_PASSPHRASE, DEMO_KEY_PASSPHRASES

    keys = ", ".join(f"{user} {phrase}" for user, phrase in DEMO_KEY_PASSPHRASES.items())
    print(
        "Signing passphrases where no keyring keeps them (each opens one key only): "
        f"{keys}; the signing authority (admin) {DEMO_CA_PASSPHRASE}"
    )
    print("Alerts raised by the evaluation of the last days:")
    for alert in summary.get("alerts", []):
        print(
            f"  #{alert['alert_id']} {alert['severity']:<6} {alert['employee_no']} "
            f"{alert['employee_name']}: " + ", ".join(r["rule"] for r in alert["rules"])
        )


def _retention(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.cases.retention import RetentionRefused

    app = open_signed_in(settings, args.acting_user)
    try:
        if args.set_months is not None:
            app.retention.set_months(args.set_months)
        if not (args.purge or args.dry_run):
            months = app.retention.months()
            print(f"retention: {f'{months} months' if months else 'keep everything'}")
            return 0
        report = app.retention.purge(dry_run=args.dry_run)
    except RetentionRefused as exc:
        raise CliError(str(exc)) from exc
    finally:
        app.close()
    if args.json:
        print(json.dumps(vars(report), default=str))
        return 0
    verb = "would purge" if report.dry_run else "purged"
    print(
        f"{verb} {report.track_points_purged:,} track points and "
        f"{report.communications_purged:,} communications from before {report.cutoff}; kept "
        f"{report.track_points_kept:,} and {report.communications_kept:,} that open or held "
        "cases need"
    )
    return 0

"""``workstation audit verify|list|anchor``: the hash-chained audit log on the command line.

``verify`` walks the chain and exits 1 naming the first broken entry; ``--anchor ID:HASH``
(printed earlier by ``audit anchor``, kept outside the database) also catches entries cut from
the end. ``list`` shows who did what, newest first (auditors and administrators; the read is
itself logged).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from workstation.cli_common import CliError, open_signed_in, shown_time
from workstation.config import Settings


def add_audit_command(sub: Any) -> None:
    audit = sub.add_parser("audit", help="the hash-chained audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify", help="walk the chain; exit 1 naming the first broken entry"
    )
    verify.add_argument(
        "--anchor", metavar="ID:HASH", help="also check this entry (from `audit anchor`) is intact"
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    anchor = audit_sub.add_parser(
        "anchor", help="print the newest entry's ID:HASH, to keep outside the database"
    )
    anchor.add_argument("--json", action="store_true", help="print the result as JSON")
    listing = audit_sub.add_parser("list", help="who did what, newest first")
    listing.add_argument("--since", type=date.fromisoformat, metavar="DAY", help="from this day")
    listing.add_argument("--until", type=date.fromisoformat, metavar="DAY", help="to this day")
    listing.add_argument("--actor", metavar="USER", help="only this user's entries")
    listing.add_argument("--action", metavar="PREFIX", help="e.g. case. or track.read")
    listing.add_argument("--limit", type=int, default=100, help="at most N entries (100)")
    listing.add_argument("--json", action="store_true", help="one JSON array")


def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.store.audit_log_service import Anchor, BadAnchor

    anchor = None
    if getattr(args, "anchor", None):
        try:
            anchor = Anchor.parse(args.anchor)
        except BadAnchor as exc:
            raise CliError(str(exc)) from exc
    app = open_signed_in(settings, args.acting_user)
    try:
        if args.audit_command == "list":
            return _list(app, args)
        if args.audit_command == "anchor":
            head = app.audit.anchor()
            if args.json:
                print(json.dumps(None if head is None else {**vars(head), "anchor": head.text}))
            elif head is None:
                print("the audit log is empty")
            else:
                print(head.text)
            return 0
        report = app.audit.verify(anchor)
    finally:
        app.close()
    if args.json:
        print(
            json.dumps(
                {
                    "intact": report.intact,
                    "entries": report.entries,
                    "first_broken_id": report.first_broken_id,
                    "reason": report.reason,
                }
            )
        )
    elif report.intact:
        checked = f"; anchor #{anchor.entry_id} holds" if anchor is not None else ""
        print(f"audit log intact: {report.entries:,} entries, every link and hash holds{checked}")
    else:
        print(
            f"audit log BROKEN at entry #{report.first_broken_id}: {report.reason} "
            f"({report.entries:,} entries walked)",
            file=sys.stderr,
        )
    return 0 if report.intact else 1


def _list(app: Any, args: argparse.Namespace) -> int:
    until = None if args.until is None else date.fromordinal(args.until.toordinal() + 1)
    start = app.clock.start_of_day
    entries = app.audit.entries(
        since=None if args.since is None else start(args.since),
        until=None if until is None else start(until),
        actor=args.actor,
        action=args.action,
        limit=args.limit,
    )
    if args.json:
        print(json.dumps([e.to_json_dict() for e in entries], ensure_ascii=False))
        return 0
    for e in entries:
        at = shown_time(app.clock, e.at, args, seconds=True)
        what = f"{e.entity}#{e.entity_id}" if e.entity else ""
        print(f"#{e.id:<7} {at}  {e.actor:<16} {e.action:<28} {what}")
    return 0

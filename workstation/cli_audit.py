"""``workstation audit verify|checkpoint|list|anchor``: the hash-chained audit log on the
command line.

``verify`` walks the chain and checks it against every checkpoint this workstation's
installation seal signed and against the seal's high-water mark (``store.audit_verification``);
it exits 1 naming the first broken entry or checkpoint, and says how many entries are not yet
anchored. ``checkpoint`` seals the newest entry now. ``--anchor ID:HASH`` (printed earlier by
``audit anchor``, kept outside the database) also checks that entry. ``list`` shows who did
what, newest first (auditors and administrators; the read is itself logged).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from workstation.cli_common import (
    CliError,
    cli_translator,
    open_signed_in,
    shown_time,
    translated_reason,
)
from workstation.config import Settings
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.store.audit_log_service import Anchor
    from workstation.store.audit_verification import AuditVerification, CheckpointFailure


def add_audit_command(sub: Any) -> None:
    audit = sub.add_parser("audit", help="the hash-chained audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify",
        help="walk the chain and check it against every checkpoint; exit 1 naming the first "
        "broken entry or checkpoint",
    )
    verify.add_argument(
        "--anchor", metavar="ID:HASH", help="also check this entry (from `audit anchor`) is intact"
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    checkpoint = audit_sub.add_parser(
        "checkpoint", help="seal the newest entry now with this workstation's installation seal"
    )
    checkpoint.add_argument("--json", action="store_true", help="print the checkpoint as JSON")
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
        if args.audit_command == "checkpoint":
            return _checkpoint(app, args)
        report = app.audit.verify(anchor)
    finally:
        app.close()
    tr = cli_translator(args)
    if args.json:
        print(json.dumps(report.to_json_dict(), ensure_ascii=False))
    else:
        for line in _verify_lines(tr, report, anchor):
            print(line, file=sys.stdout if report.intact else sys.stderr)
    return 0 if report.intact else 1


def _verify_lines(tr: Translator, report: AuditVerification, anchor: Anchor | None) -> list[str]:
    lines: list[str] = []
    if not report.chain.intact:
        reason = _chain_reason(tr, report.chain.reason or "")
        lines.append(
            tr(
                "audit log BROKEN at entry #{id}: {reason} ({entries} entries walked)",
                id=report.chain.first_broken_id,
                reason=reason,
                entries=f"{report.entries:,}",
            )
        )
    for failure in report.failures:
        lines.append(
            tr(
                "audit log BROKEN at checkpoint #{checkpoint}: {reason}",
                checkpoint=failure.checkpoint_id,
                reason=_problem(tr, failure),
            )
        )
    if report.intact:
        lines.append(
            tr(
                "audit log intact: {entries} entries, every link and hash holds",
                entries=f"{report.entries:,}",
            )
        )
        if anchor is not None:
            lines.append(tr("anchor #{id} holds", id=anchor.entry_id))
    if report.checked:
        lines.append(
            tr(
                "{count} checkpoint(s) sealed by this workstation hold (seal {seal})",
                count=report.checked,
                seal=(report.seal or "")[:16],
            )
        )
    elif report.seal is None:
        lines.append(tr("this workstation holds no installation seal yet: no checkpoint checked"))
    for other in report.foreign:
        lines.append(
            tr(
                "{count} checkpoint(s) sealed by another workstation ({host}, seal {seal}), "
                "not checked here",
                count=other.checkpoints,
                host=other.host or tr("a key found nowhere but in these checkpoints"),
                seal=other.fingerprint[:16],
            )
        )
    if report.unanchored and report.anchored_through is not None:
        lines.append(
            tr(
                "not yet anchored: {count} entries after #{id}",
                count=f"{report.unanchored:,}",
                id=report.anchored_through,
            )
        )
    elif report.unanchored:
        lines.append(
            tr(
                "not yet anchored: {count} entries (no checkpoint of this workstation holds)",
                count=f"{report.unanchored:,}",
            )
        )
    return lines


def _chain_reason(tr: Translator, reason: str) -> str:
    """Why the chain itself broke (``store.audit``, the anchor check), in ``tr``'s language."""
    texts = {
        "previous-hash link broken (entry missing or inserted)": lambda: tr(
            "previous-hash link broken (entry missing or inserted)"
        ),
        "content does not match its hash (entry edited)": lambda: tr(
            "content does not match its hash (entry edited)"
        ),
        "the anchored entry is gone (entries removed from the end of the log)": lambda: tr(
            "the anchored entry is gone (entries removed from the end of the log)"
        ),
        "the anchored entry differs (entries were removed or rewritten)": lambda: tr(
            "the anchored entry differs (entries were removed or rewritten)"
        ),
    }
    known = texts.get(reason)
    return known() if known is not None else translated_reason(tr, reason)


def _problem(tr: Translator, failure: CheckpointFailure) -> str:
    """A checkpoint's failure in ``tr``'s language (the sentences of ``PROBLEMS``)."""
    f = failure.fields
    texts = {
        "signature": lambda: tr(
            "checkpoint #{checkpoint} does not verify with this workstation's seal "
            "(the checkpoint was altered or forged)",
            **f,
        ),
        "entry_missing": lambda: tr(
            "entry #{entry} sealed by checkpoint #{checkpoint} is gone "
            "(entries were cut or deleted)",
            **f,
        ),
        "hash_differs": lambda: tr(
            "entry #{entry} differs from what checkpoint #{checkpoint} sealed "
            "(the chain was rewritten after entry #{since}, at or before #{entry})",
            **f,
        ),
        "hash_differs_start": lambda: tr(
            "entry #{entry} differs from what checkpoint #{checkpoint} sealed "
            "(the chain was rewritten at or before #{entry})",
            **f,
        ),
        "count_differs": lambda: tr(
            "{found} entries up to #{entry}, checkpoint #{checkpoint} sealed "
            "{sealed} (entries were removed or inserted)",
            **f,
        ),
        "high_water_missing": lambda: tr(
            "checkpoint #{checkpoint} (entry #{entry}, {sealed} entries), the "
            "newest this workstation sealed, is missing from the database (the log and its "
            "checkpoints were cut or wiped)",
            **f,
        ),
    }
    return texts[failure.text]()


def _checkpoint(app: Any, args: argparse.Namespace) -> int:
    sealed = app.audit.checkpoint()
    tr = cli_translator(args)
    if args.json:
        print(json.dumps(None if sealed is None else sealed.to_json_dict(), ensure_ascii=False))
    elif sealed is None:
        print(tr("the audit log is empty: nothing to seal"))
    else:
        print(
            tr(
                "checkpoint #{checkpoint}: entry #{entry}, {count} entries, sealed {at} "
                "(seal {seal})",
                checkpoint=sealed.checkpoint_id,
                entry=sealed.entry_id,
                count=f"{sealed.entry_count:,}",
                at=shown_time(app.clock, sealed.at, args, seconds=True),
                seal=sealed.seal_fingerprint[:16],
            )
        )
    return 0


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

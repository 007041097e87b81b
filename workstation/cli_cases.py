"""Command line verbs of the case workflow: ``workstation case ACTION ...``.

::

    workstation case list [--state S] [--json] --user NAME
    workstation case show NUMBER [--json] --user NAME
    workstation case open (--subject EMPLOYEE_NO | --alert ID [--alert-revision N])
                          --title TEXT [--json] --user NAME
    workstation case allege NUMBER TEXT [--customer ID] [--competitor ID] --user NAME
    workstation case note NUMBER TEXT --user NAME
    workstation case finding NUMBER ALLEGATION_ID substantiated|unsubstantiated|inconclusive
                             [--note TEXT] --user NAME
    workstation case link NUMBER (KIND KEY | --file PATH) [--title TEXT] [--json] --user NAME
    workstation case transition NUMBER TARGET [--reason TEXT] [--disposition D] --user NAME
    workstation case approve NUMBER investigation|disposition approve|reject [--note TEXT]
                             --user NAME
    workstation case union NUMBER --reference REF --user NAME
    workstation case verify NUMBER [--json]
    workstation case document NUMBER KIND [--lang zh_CN|en] [--out FILE] [--json] --user NAME
    workstation case documents NUMBER [--json] [--save ID --out FILE] --user NAME

(``document`` and ``documents``: see ``workstation.cli_case_documents``.)

Every change takes ``--revision N`` (the revision you saw, from ``show``); without it the
verb acts on the case's current revision. ``--user NAME`` names the acting user, who signs in
with their password (``WORKSTATION_PASSWORD``, else a prompt on the terminal).

Hooking into ``workstation.cli`` (two lines)::

    add_case_commands(sub)                                      # in build_parser()
    if args.command in CASE_COMMANDS: return _cases(settings, args)   # in main()

where ``_cases`` opens the app like the other verbs and returns ``run_case_command(args,
app)`` (closing the app afterwards).

What ``app`` must provide (``CaseApp`` below), wired in ``app.py``::

    cases=CaseService(uow, evidence, authorizer, signer)   # workstation.cases.service
    # authorizer: security.permissions.PermissionAuthorizer() (the permission matrix)
    # signer: the signing service (sign(user_id, payload), verify(payload_json, sig, cert_id))

Exit status: 0 done, 1 a failure the user can act on (one line on stderr; for ``verify``, a
signature that does not hold), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from workstation.cli_case_documents import (
    DOCUMENT_ACTIONS,
    DocumentsApp,
    add_document_commands,
    run_document_command,
)
from workstation.cli_common import (
    CliError,
    cli_translator,
    print_verdict,
    shown_time,
    translated_reason,
)
from workstation.cli_refusals import refusal_text, refuse, say
from workstation.domain.cases import CaseState, Disposition, Finding
from workstation.domain.clock import Clock
from workstation.domain.enums import EvidenceKind
from workstation.domain.identity import Identity

if TYPE_CHECKING:  # the services load when a verb runs, not for ``--help`` or ``--version``
    from workstation.cases.service import CaseService
    from workstation.cases.views import CaseDetail, CaseView


class CaseApp(Protocol):
    @property
    def cases(self) -> CaseService: ...
    @property
    def clock(self) -> Clock: ...


CASE_COMMANDS = ("case",)
#: Exit status of a verb given the wrong arguments (argparse's own).
USAGE = 2


def _user(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", metavar="NAME", help="the acting user (default: $WORKSTATION_USER)")


def _revision(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--revision",
        type=int,
        metavar="N",
        help="the revision you saw (default: the current one)",
    )


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def add_case_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    case = subparsers.add_parser("case", help="cases: open, evidence, approvals, decisions")
    sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    ls = sub.add_parser("list", help="the cases you may see")
    ls.add_argument("--state", choices=[s.value for s in CaseState])
    _json_flag(ls)
    _user(ls)

    show = sub.add_parser("show", help="one case: evidence, approvals, timeline, next steps")
    show.add_argument("number")
    _json_flag(show)
    _user(show)

    op = sub.add_parser("open", help="open a case by hand or from a confirmed alert")
    who = op.add_mutually_exclusive_group(required=True)
    who.add_argument("--subject", metavar="EMPLOYEE_NO", help="the employee's number")
    who.add_argument("--alert", type=int, metavar="ID", help="a confirmed alert")
    op.add_argument("--alert-revision", type=int, metavar="N", help="the alert's revision")
    op.add_argument("--title", required=True)
    _json_flag(op)
    _user(op)

    allege = sub.add_parser("allege", help="add an allegation")
    allege.add_argument("number")
    allege.add_argument("text")
    allege.add_argument("--customer", type=int, metavar="ID")
    allege.add_argument("--competitor", type=int, metavar="ID")
    _revision(allege)
    _user(allege)

    note = sub.add_parser("note", help="append a note")
    note.add_argument("number")
    note.add_argument("text")
    _revision(note)
    _user(note)

    finding = sub.add_parser("finding", help="record the finding on an allegation")
    finding.add_argument("number")
    finding.add_argument("allegation", type=int)
    finding.add_argument("finding", choices=[f.value for f in Finding])
    finding.add_argument("--note")
    _revision(finding)
    _user(finding)

    link = sub.add_parser("link", help="link a record (frozen) or a new file as evidence")
    link.add_argument("number")
    link.add_argument("kind", nargs="?", choices=[k.value for k in EvidenceKind if k != "file"])
    link.add_argument("key", nargs="?", help="record id (track_segment: EMP:START_MS-END_MS)")
    link.add_argument("--file", type=Path, metavar="PATH", help="a new file")
    link.add_argument("--title")
    _revision(link)
    _json_flag(link)
    _user(link)

    tr = sub.add_parser("transition", help="move the case to another state")
    tr.add_argument("number")
    tr.add_argument("target", choices=[s.value for s in CaseState])
    tr.add_argument("--reason")
    tr.add_argument("--disposition", choices=[d.value for d in Disposition])
    _revision(tr)
    _user(tr)

    ap = sub.add_parser("approve", help="approve or reject the pending step (signed)")
    ap.add_argument("number")
    ap.add_argument("step", choices=["investigation", "disposition"])
    ap.add_argument("decision", choices=["approve", "reject"])
    ap.add_argument("--note")
    _revision(ap)
    _user(ap)

    union = sub.add_parser("union", help="record the labour union's notification")
    union.add_argument("number")
    union.add_argument("--reference", required=True)
    _revision(union)
    _user(union)

    verify = sub.add_parser(
        "verify",
        help="compare every signature with the case as it is now and re-hash its files; "
        "exit 1 if anything differs",
    )
    verify.add_argument("number")
    _user(verify)
    _json_flag(verify)

    add_document_commands(sub, _user, _revision, _json_flag)


def run_case_command(args: argparse.Namespace, app: CaseApp) -> int:
    try:
        if args.case_command in DOCUMENT_ACTIONS:
            from workstation.cases.documents import CaseDocuments

            if not isinstance(getattr(app, "documents", None), CaseDocuments):
                raise CliError("this program was built without case documents")
            documents_app = cast(DocumentsApp, app)
            return run_document_command(args, documents_app, _me(args, app.cases))
        if args.case_command == "show":
            return _show(args, app.cases, app.clock)
        return _ACTIONS[args.case_command](args, app.cases)
    except Exception as exc:
        tr = cli_translator(args)
        line = refusal_text(tr, exc)
        if line is None and isinstance(exc, LookupError | ValueError):
            line = translated_reason(tr, str(exc))
        if line is None:
            raise
        refuse(line, exc)
        return 1


def _me(args: argparse.Namespace, cases: CaseService) -> Identity:
    """The acting user: signed in with a password by ``workstation.cli`` (``args.identity``);
    handlers driven directly (tests) name the user only."""
    identity = getattr(args, "identity", None)
    if isinstance(identity, Identity):
        return identity
    if not getattr(args, "user", None):
        raise CliError("say who is acting: --user NAME")
    return cases.identity_of(args.user)


def _rev(args: argparse.Namespace, cases: CaseService, me: Identity) -> int:
    return int(args.revision) if args.revision is not None else cases.view(me, args.number).revision


def _case_line(c: CaseView) -> str:
    hold = "  [legal hold]" if c.legal_hold else ""
    disposition = f" ({c.disposition.value})" if c.disposition else ""
    return (
        f"{c.number}  {c.state.value}{disposition}  {c.subject_employee_no} {c.subject_name}  "
        f"{c.title}  rev {c.revision}{hold}"
    )


def _print_case(args: argparse.Namespace, view: CaseView) -> int:
    if getattr(args, "json", False):
        print(json.dumps(view.to_json_dict(), ensure_ascii=False))
    else:
        print(_case_line(view))
    return 0


def _list(args: argparse.Namespace, cases: CaseService) -> int:
    found = cases.list_cases(_me(args, cases), state=args.state)
    if args.json:
        print(json.dumps([c.to_json_dict() for c in found], ensure_ascii=False))
    elif not found:
        print("no cases")
    for c in [] if args.json else found:
        print(_case_line(c))
    return 0


def _show(args: argparse.Namespace, cases: CaseService, clock: Clock) -> int:
    from workstation.cases.integrity_text import failure_lines

    me = _me(args, cases)
    detail = cases.get(me, args.number)
    integrity = cases.integrity(me, args.number)
    if args.json:
        body = detail.to_json_dict()
        body["integrity"] = {
            "valid": integrity.valid,
            "failures": [d.to_json_dict() for d in integrity.failures],
        }
        print(json.dumps(body, ensure_ascii=False))
        return 0
    for line in _detail_lines(detail, clock, args):
        print(line)
    tr = cli_translator(args)
    for line in failure_lines(integrity, tr):
        print("✗ " + line)
    if not integrity.valid:
        print(
            tr(
                "the case does NOT verify: see `workstation case verify {number}`",
                number=detail.case.number,
            )
        )
    return 0


def _detail_lines(d: CaseDetail, clock: Clock, args: argparse.Namespace) -> list[str]:
    """``case show``: every time on the company's clock, saying which."""
    opened = shown_time(clock, d.case.created_at, args)
    lines = [
        _case_line(d.case),
        f"opened {opened} by {d.case.opened_by}",
        f"manager approval: {d.manager_approver}",
    ]
    if d.pending:
        p = d.pending
        lines.append(
            f"waiting for {p.step} approvals: manager {'given' if p.manager_given else 'pending'}"
            f", legal {'given' if p.legal_given else 'pending'}"
        )
    lines += [f"party: {p.role} {p.name}" for p in d.parties]
    lines += [f"allegation #{a.id}: {a.text} [{a.finding or 'no finding'}]" for a in d.allegations]
    lines += [f"evidence #{e.id}: {e.kind} {e.key} {e.title}" for e in d.evidence]
    lines += [
        f"{a.step} {a.decision} by {a.username} ({a.acting_role}): "
        f"{'valid' if a.check.valid else 'INVALID: ' + a.check.reason}"
        for a in d.approvals
    ]
    for e in d.timeline:
        move = f" {e.from_state or ''} -> {e.to_state}" if e.to_state else ""
        lines.append(f"{shown_time(clock, e.at, args)} {e.actor} {e.kind}{move}")
    lines += [
        f"next: {t.target}" + ("" if t.allowed else f" (not now: {t.reason})")
        for t in d.transitions
        if not t.by_rejection
    ]
    return lines


def _open(args: argparse.Namespace, cases: CaseService) -> int:
    me = _me(args, cases)
    subject = cases.employee_id_of(args.subject) if args.subject else None
    view = cases.open_case(
        me, subject, args.title, alert_id=args.alert, alert_revision=args.alert_revision
    )
    return _print_case(args, view)


def _allege(args: argparse.Namespace, cases: CaseService) -> int:
    me = _me(args, cases)
    added = cases.add_allegation(
        me,
        args.number,
        args.text,
        _rev(args, cases, me),
        customer_id=args.customer,
        competitor_id=args.competitor,
    )
    print(f"allegation #{added.id} added; {_case_line(added.case)}")
    return 0


def _note(args: argparse.Namespace, cases: CaseService) -> int:
    me = _me(args, cases)
    added = cases.add_note(me, args.number, args.text, _rev(args, cases, me))
    print(f"note #{added.id} added; {_case_line(added.case)}")
    return 0


def _finding(args: argparse.Namespace, cases: CaseService) -> int:
    me = _me(args, cases)
    view = cases.record_finding(
        me, args.number, args.allegation, args.finding, _rev(args, cases, me), args.note
    )
    return _print_case(args, view)


def _link(args: argparse.Namespace, cases: CaseService) -> int:
    tr = cli_translator(args)
    if bool(args.file) == bool(args.kind):
        say(tr("give either KIND KEY or --file PATH"))
        return USAGE
    if args.kind and not args.key:
        say(tr("give the record's KEY after its KIND"))
        return USAGE
    me = _me(args, cases)
    rev = _rev(args, cases, me)
    if args.file:
        added = cases.link_file(me, args.number, args.file, rev, title=args.title)
    else:
        added = cases.link_record(me, args.number, args.kind, args.key, rev, title=args.title)
    if args.json:
        print(json.dumps({"evidence_id": added.id, "case": added.case.to_json_dict()}))
    else:
        print(f"evidence #{added.id} linked; {_case_line(added.case)}")
    return 0


def _transition(args: argparse.Namespace, cases: CaseService) -> int:
    me = _me(args, cases)
    view = cases.transition(
        me,
        args.number,
        args.target,
        _rev(args, cases, me),
        reason=args.reason,
        disposition=args.disposition,
    )
    return _print_case(args, view)


def _approve(args: argparse.Namespace, cases: CaseService) -> int:
    me = _me(args, cases)
    decision = "approved" if args.decision == "approve" else "rejected"
    view = cases.approve(me, args.number, args.step, decision, _rev(args, cases, me), args.note)
    return _print_case(args, view)


def _union(args: argparse.Namespace, cases: CaseService) -> int:
    me = _me(args, cases)
    view = cases.record_union_notification(
        me, args.number, _rev(args, cases, me), reference=args.reference
    )
    return _print_case(args, view)


def _verify(args: argparse.Namespace, cases: CaseService) -> int:
    """Every signature compared with the case as stored now, and its files re-hashed; exit 1
    when anything differs (``cases.integrity``)."""
    from workstation.cases.integrity_text import report_lines

    integrity = cases.integrity(_me(args, cases), args.number)
    return print_verdict(
        args, integrity.to_json_dict(), lambda tr: report_lines(integrity, tr), integrity.valid
    )


_ACTIONS: dict[str, Callable[[argparse.Namespace, CaseService], int]] = {
    "list": _list,
    "open": _open,
    "allege": _allege,
    "note": _note,
    "finding": _finding,
    "link": _link,
    "transition": _transition,
    "approve": _approve,
    "union": _union,
    "verify": _verify,
}

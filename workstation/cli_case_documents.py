"""Command line verbs for a case's documents (part of ``workstation case``)::

    workstation case document NUMBER KIND [--lang zh_CN|en] [--out FILE] [--json]
                              [--facts TEXT] [--effective-date YYYY-MM-DD]
                              [--rule "DOCUMENT|ARTICLE|TEXT" ...] [--revision N] --user NAME
    workstation case documents NUMBER [--json] [--save ID --out FILE] --user NAME

``document`` generates KIND (investigation_request, approval_sheet, union_notification,
termination_notice or dossier) from the case, signs it with the acting user's certificate
(PAdES), keeps it with the case and, with ``--out``, writes a copy. ``documents`` lists the
documents kept with the case, each with its signature checked; ``--save ID --out FILE`` writes a
copy of one of them.

The employer's particulars (and the rules a termination cites by default) come from
``company.json`` in the data folder (see ``workstation.reports.company_file``).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from workstation.cli_common import ENV_KEY_PASSPHRASE, CliError, shown_time
from workstation.domain.clock import Clock
from workstation.domain.identity import Identity
from workstation.reports.document_data import DOCUMENT_KINDS, LOCALES, DocumentDataError, RuleInfo
from workstation.security.permissions import PermissionDenied

if TYPE_CHECKING:  # the services load when a verb runs, not for ``--help`` or ``--version``
    from workstation.cases.document_views import GeneratedDocument, StoredDocument
    from workstation.cases.documents import CaseDocuments
    from workstation.cases.service import CaseService

DOCUMENT_ACTIONS = ("document", "documents")

#: What to give on the command line for what a document lacks (``missing_for``'s words).
_HINTS = {
    "the statement of facts": "--facts TEXT",
    "the company rule breached": '--rule "DOCUMENT|ARTICLE|TEXT", or rules in company.json',
    "the effective date of the termination": "--effective-date YYYY-MM-DD",
}


class DocumentsApp(Protocol):
    @property
    def cases(self) -> CaseService: ...
    @property
    def documents(self) -> CaseDocuments: ...
    @property
    def clock(self) -> Clock: ...


def add_document_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    user: Any,
    revision: Any,
    json_flag: Any,
) -> None:
    """Add ``document`` and ``documents`` to ``workstation case``'s actions (``user``,
    ``revision``, ``json_flag`` add the options every case verb shares)."""
    doc = sub.add_parser(
        "document", help="generate a document of the case, signed, and keep it with the case"
    )
    doc.add_argument("number")
    doc.add_argument("kind", choices=DOCUMENT_KINDS)
    doc.add_argument(
        "--lang",
        dest="document_locale",
        choices=LOCALES,
        default=LOCALES[0],
        help="language of the document (default zh_CN)",
    )
    doc.add_argument("--out", type=Path, metavar="FILE", help="also write a copy here")
    doc.add_argument("--facts", metavar="TEXT", help="the statement of facts (the notices)")
    doc.add_argument(
        "--effective-date",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the day the termination takes effect (termination notice)",
    )
    doc.add_argument(
        "--rule",
        action="append",
        metavar="DOCUMENT|ARTICLE|TEXT",
        help="a company rule breached (repeat for more; default: those in company.json)",
    )
    revision(doc)
    json_flag(doc)
    user(doc)

    docs = sub.add_parser("documents", help="the documents kept with the case, signatures checked")
    docs.add_argument("number")
    docs.add_argument("--save", type=int, metavar="ID", help="write a copy of document ID")
    docs.add_argument(
        "--out", type=Path, metavar="FILE", help="where --save writes (a file or a folder)"
    )
    json_flag(docs)
    user(docs)


def run_document_command(args: argparse.Namespace, app: DocumentsApp, me: Identity) -> int:
    """Run ``document`` or ``documents`` as ``me``; a failure the user can act on is a
    ``CliError`` (one line)."""
    from workstation.reports.company_file import CompanyFileError
    from workstation.security.secrets import SecretUnavailable
    from workstation.security.signatures import SigningError

    try:
        if args.case_command == "document":
            return _generate(args, app.documents, me)
        return _list(args, app.documents, me, app.clock)
    except DocumentDataError as exc:
        wanted = "; ".join(f"{m} (give {_HINTS[m]})" if m in _HINTS else m for m in exc.missing)
        raise CliError(
            "the {kind} of case {number} cannot be generated yet: it lacks {wanted}",
            kind=exc.kind,
            number=exc.case_number,
            wanted=wanted,
        ) from exc
    except PermissionDenied as exc:
        raise CliError("not allowed: {reason}", reason=str(exc)) from exc
    except (SecretUnavailable, SigningError) as exc:
        raise CliError(
            "cannot sign the document as {user}: {reason}; give the passphrase in {env} or run "
            "on a terminal",
            user=me.username,
            reason=str(exc),
            env=ENV_KEY_PASSPHRASE,
        ) from exc
    except CompanyFileError as exc:
        raise CliError(
            "the employer's particulars cannot be read: {reason}", reason=str(exc)
        ) from exc


def _rules(raw: list[str] | None) -> list[RuleInfo] | None:
    if not raw:
        return None
    rules = []
    for text in raw:
        parts = [p.strip() for p in text.split("|")]
        if len(parts) != 3 or not all(parts):
            raise CliError('--rule wants "DOCUMENT|ARTICLE|TEXT", not {given}', given=repr(text))
        rules.append(RuleInfo(document=parts[0], article=parts[1], text=parts[2]))
    return rules


def _generate(args: argparse.Namespace, documents: CaseDocuments, me: Identity) -> int:
    done = documents.generate(
        me,
        args.number,
        args.kind,
        args.document_locale,
        args.revision,
        rules=_rules(args.rule),
        facts=args.facts,
        effective_date=args.effective_date,
    )
    out = _write(args.out, done) if args.out else None
    if args.json:
        print(
            json.dumps(done.to_json_dict() | {"out": str(out) if out else None}, ensure_ascii=False)
        )
        return 0
    validity = "valid" if done.signature_valid else "NOT VALID"
    print(
        f"document #{done.document_id} {done.kind} ({done.locale}) kept with case "
        f"{done.case.number}: {done.title}, {done.size_bytes:,} bytes, signed by "
        f"{done.signer} ({validity}); sha256 {done.sha256}; case now rev {done.case.revision}"
    )
    if out:
        print(f"copy written to {out}")
    return 0


def _write(path: Path, done: GeneratedDocument) -> Path:
    target = path / done.file_name if path.is_dir() else path
    try:
        target.write_bytes(done.pdf)
    except OSError as exc:
        raise CliError(
            "document #{id} is kept with the case, but no copy could be written to {path}: "
            "{reason}",
            id=done.document_id,
            path=target,
            reason=exc.strerror or str(exc),
        ) from exc
    return target


def _list(args: argparse.Namespace, documents: CaseDocuments, me: Identity, clock: Clock) -> int:
    if args.save is not None:
        if args.out is None:
            raise CliError("--save ID needs --out FILE (or a folder)")
        written = documents.save_copy(me, args.number, args.save, args.out)
        print(f"document #{args.save} written to {written}")
        return 0
    if args.out is not None:
        raise CliError("--out goes with --save ID")
    found = documents.stored(me, args.number)
    if args.json:
        print(json.dumps([d.to_json_dict() for d in found], ensure_ascii=False))
        return 0
    if not found:
        print(f"no documents kept with case {args.number.strip().upper()}")
    for d in found:
        print(_line(d, clock, args))
    return 0


def _line(d: StoredDocument, clock: Clock, args: argparse.Namespace) -> str:
    if d.signature_valid:
        signature = f"signed by {d.signer}: valid"
    elif d.signed:
        signature = f"signature NOT VALID: {d.problem}"
    else:
        signature = f"NOT SIGNED{': ' + d.problem if d.problem else ''}"
    made = shown_time(clock, d.created_at, args)
    return (
        f"#{d.id} {d.kind} {d.locale}  {d.title}  {made} "
        f"{d.created_by}  {d.size_bytes:,} bytes  sha256 {d.sha256[:16]}…  {signature}"
    )

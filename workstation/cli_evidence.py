"""``workstation evidence verify``: every stored evidence file checked where it lies.

Each recorded file is re-hashed; a changed, missing or extra file is named (SHA-256, original
name, size, the cases linking it) and the command exits 1. Progress goes to stderr; the run is
audited once. Auditors and administrators (``audit.verify``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from workstation.cli_common import open_signed_in, print_verdict, text_progress
from workstation.config import Settings
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.store.evidence_check import EvidenceProblem, EvidenceStoreReport


def add_evidence_command(sub: Any) -> None:
    evidence = sub.add_parser("evidence", help="the stored evidence files")
    actions = evidence.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="re-hash every stored file; name changed, missing and extra files (exit 1)",
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")


def run_evidence(settings: Settings, args: argparse.Namespace) -> int:
    app = open_signed_in(settings, args.acting_user)
    try:
        report = app.evidence_check.verify_store(progress=text_progress(args.json))
    finally:
        app.close()
    return print_verdict(
        args, report.to_json_dict(), lambda tr: report_lines(report, tr), report.intact
    )


def report_lines(report: EvidenceStoreReport, tr: Translator) -> list[str]:
    """The problems one per line, then the summary."""
    lines = [_problem_line(p, tr) for p in report.problems]
    megabytes = f"{report.bytes_checked / 1_000_000:,.1f}"
    if report.intact:
        lines.append(
            tr(
                "evidence intact: {files} files ({mb} MB) re-hashed, none missing, no extra files",
                files=f"{report.checked:,}",
                mb=megabytes,
            )
        )
    else:
        lines.append(
            tr(
                "evidence NOT intact: {changed} changed, {missing} missing, {extra} extra "
                "(of {files} recorded files)",
                changed=report.count("changed"),
                missing=report.count("missing"),
                extra=report.count("extra"),
                files=f"{report.recorded:,}",
            )
        )
    return lines


def _problem_line(p: EvidenceProblem, tr: Translator) -> str:
    cases = ", ".join(p.cases) if p.cases else tr("no case")
    if p.kind == "changed":
        return tr(
            "CHANGED {name} ({sha256}, {size} bytes recorded, {found_size} now): its bytes "
            "no longer match its SHA-256; cases: {cases}",
            name=p.original_name,
            sha256=p.sha256,
            size=f"{p.size_bytes:,}",
            found_size=f"{p.found_size or 0:,}",
            cases=cases,
        )
    if p.kind == "missing":
        return tr(
            "MISSING {name} ({sha256}, {size} bytes): recorded but not in the evidence "
            "folder ({path}); cases: {cases}",
            name=p.original_name,
            sha256=p.sha256,
            size=f"{p.size_bytes:,}",
            path=p.path,
            cases=cases,
        )
    return tr(
        "EXTRA {path} ({size} bytes, SHA-256 {sha256}): in the evidence folder but not "
        "recorded by the store",
        path=p.path,
        size=f"{p.size_bytes:,}",
        sha256=p.sha256 or "?",
    )

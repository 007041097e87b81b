"""``workstation import``: one file of one kind, past batches, and saved column mappings."""

from __future__ import annotations

import argparse
import json
import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.cli_common import CliError, cli_translator, open_signed_in, text_progress
from workstation.config import Settings

if TYPE_CHECKING:
    from workstation.risk.readiness_model import ReadinessReport

log = logging.getLogger(__name__)


def add_import_command(sub: Any) -> None:
    imp = sub.add_parser("import", help="import a file (CSV, XLSX, JSON, GPX) of one kind")
    imp.add_argument("path", nargs="?", type=Path, help="the file to import")
    imp.add_argument("--kind", help="what the file holds, e.g. employees, orders, customer-events")
    imp.add_argument(
        "--crs",
        choices=["wgs84", "gcj02", "bd09"],
        help="coordinate system of the file's positions (default: the mapping's, else wgs84)",
    )
    imp.add_argument(
        "--tz",
        help="time zone of times written without an offset (default: the mapping's, "
        "else the company's: `workstation company timezone`)",
    )
    imp.add_argument(
        "--source",
        default="auto",
        metavar="NAME",
        help="layout of the file: auto (detect, default), csv (generic), gpx, or another "
        "registered source",
    )
    imp.add_argument(
        "--employee",
        metavar="NO",
        help="whose file it is, for sources that do not say (a GPX track)",
    )
    imp.add_argument(
        "--attachments-dir",
        type=Path,
        metavar="DIR",
        help="folder of the photos/recordings the rows name (default: the file's folder)",
    )
    imp.add_argument(
        "--mapping", metavar="NAME", help="read the columns as the saved mapping NAME says"
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="read FIELD from the file's COLUMN (repeatable; overrides --mapping)",
    )
    imp.add_argument(
        "--save-mapping",
        metavar="NAME",
        help="save the columns chosen with --map (and --mapping, --crs, --tz) as NAME, once "
        "the import succeeds",
    )
    imp.add_argument(
        "--confirm-changes",
        action="store_true",
        help="apply the file even when it renames more than a tenth of the stored employees "
        "or customers (without it, such an import stops and lists the changes)",
    )
    imp.add_argument(
        "--as-of",
        metavar="DATE",
        help="the day a customer list shows (YYYY-MM-DD): its owners and statuses are read "
        "as of that day (default: the import day, which the report then says)",
    )
    imp.add_argument("--list", action="store_true", help="list past imports instead")
    imp.add_argument("--list-mappings", action="store_true", help="list saved column mappings")
    imp.add_argument("--json", action="store_true", help="print the result as JSON")


def run_import(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.ingest.service import ImportService

    kind = (args.kind or "").replace("-", "_")
    if not (args.list or args.list_mappings):
        if args.path is None or not args.kind:
            raise CliError("give the file and --kind (or --list to see past imports)")
        if kind not in ImportService.kinds():
            names = ", ".join(k.replace("_", "-") for k in ImportService.kinds())
            raise CliError(
                "unknown kind {kind}; this version imports: {names}",
                kind=repr(args.kind),
                names=names,
            )
    as_of = _as_of(args.as_of, kind) if not (args.list or args.list_mappings) else None
    app = open_signed_in(settings, args.acting_user)
    try:
        if args.list:
            return _list_batches(app, args.json)
        if args.list_mappings:
            return _list_mappings(app, args.json)
        return _import_file(app, kind, args, as_of)
    finally:
        app.close()


def _import_file(app: Any, kind: str, args: argparse.Namespace, as_of: date | None) -> int:
    from workstation.domain.enums import CoordSystem
    from workstation.ingest.errors import FileRejected
    from workstation.ingest.mapping_profiles import UnknownMapping
    from workstation.ingest.model import ImportOptions
    from workstation.ingest.profiles import KINDS, MappingError, check_chosen_columns

    columns: dict[str, str] = {}
    crs = CoordSystem(args.crs.upper()) if args.crs else None
    tz = args.tz
    if args.mapping:
        try:
            profile = app.import_mappings.get(args.mapping)
        except UnknownMapping as exc:
            raise CliError(
                "{reason}; see `workstation import --list-mappings`", reason=str(exc)
            ) from exc
        if profile.kind != kind:
            raise CliError(
                "the mapping {name} is for {its}, not {wanted}",
                name=repr(profile.name),
                its=profile.kind.replace("_", "-"),
                wanted=kind.replace("_", "-"),
            )
        columns.update(profile.columns)
        crs = crs or profile.crs
        tz = tz or profile.tz
    for item in args.map:
        field, sep, column = item.partition("=")
        if not sep or not field.strip():
            raise CliError("--map wants FIELD=COLUMN, not {given}", given=repr(item))
        columns[field.strip()] = column.strip()
    if args.save_mapping:
        try:  # refuse a bad mapping before importing; it is saved once the import succeeds
            check_chosen_columns(KINDS[kind], columns)
        except MappingError as exc:
            raise CliError("mapping not saved: {reason}", reason=str(exc)) from exc
    options = ImportOptions(
        crs=crs or CoordSystem.WGS84,
        tz=tz or None,
        source=args.source,
        employee_no=args.employee,
        attachments_dir=str(args.attachments_dir) if args.attachments_dir else None,
        columns=tuple(sorted(columns.items())),
        mapping_name=args.mapping or args.save_mapping,
        confirm_changes=args.confirm_changes,
        as_of=as_of,
    )
    try:
        report = app.imports.run(args.path, kind, options, progress=text_progress(args.json))
    except FileRejected as exc:
        raise CliError("nothing imported: {reason}", reason=str(exc)) from exc
    if report.needs_confirmation:
        return _ask_confirmation(report, args.json)
    if args.save_mapping:
        try:
            saved = app.import_mappings.save(
                args.save_mapping, kind, columns, crs=crs, tz=tz, replace=True
            )
        except MappingError as exc:
            raise CliError(
                "imported, but the mapping was not saved: {reason}", reason=str(exc)
            ) from exc
        if not args.json:
            print(f"saved the column mapping {saved.name!r} for {kind.replace('_', '-')}")
    readiness = _readiness(app)
    if args.json:
        shown = report.to_json_dict()
        if readiness is not None:
            shown["readiness"] = readiness.to_json_dict()
        print(json.dumps(shown, ensure_ascii=False, default=str))
        return 0
    if report.already_imported:
        print(f"{report.file} was imported before as batch #{report.batch_id}; nothing new")
        return 0
    print(
        f"batch #{report.batch_id}: {report.file} ({report.kind}) read {report.rows_read:,}, "
        f"accepted {report.accepted:,}, rejected {report.rejected:,}, "
        f"duplicates {report.duplicates:,}"
    )
    if report.as_of is not None:
        print(f"read as of {report.as_of.isoformat()}")
    for problem in report.problems[:20]:
        print(f"  {problem.text()}")
    if len(report.problems) > 20:
        print(f"  ... and {len(report.problems) - 20} more rejected rows")
    if report.warnings:
        print(f"{len(report.warnings):,} warnings (rows kept):")
    for warning in report.warnings[:20]:
        print(f"  {warning.text()}")
    if len(report.warnings) > 20:
        print(f"  ... and {len(report.warnings) - 20} more warnings")
    if report.changes:
        print(f"changed {len(report.changes):,} stored values (kept as history)")
    from workstation.ingest.report_counts import count_lines, count_text

    for line in count_lines(report.counts):
        print(count_text(line))
    if readiness is not None:
        from workstation.risk.readiness_text import report_text

        print()
        print(report_text(readiness, cli_translator(args)))
    return 0


def _readiness(app: Any) -> ReadinessReport | None:
    """The whole store's readiness after the import (``workstation data check``). The import
    is committed by now: a failure here is logged and leaves its report out, never turns the
    import into a failure."""
    try:
        report: ReadinessReport = app.readiness.check()
    except Exception:
        log.exception("readiness after the import could not be computed")
        return None
    return report


def _as_of(text: str | None, kind: str) -> date | None:
    if text is None:
        return None
    if kind != "customers":
        raise CliError("--as-of is for customer lists (--kind customers), not {kind}", kind=kind)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(
            "--as-of wants a date as YYYY-MM-DD, not {given}", given=repr(text)
        ) from None


def _ask_confirmation(report: Any, as_json: bool) -> int:
    """Nothing was imported: say why and what would change; exit status 1."""
    if as_json:
        print(json.dumps(report.to_json_dict(), ensure_ascii=False, default=str))
        return 1
    for change in report.changes[:20]:
        print(f"  {change.text()}")
    if len(report.changes) > 20:
        print(f"  ... and {len(report.changes) - 20} more changes")
    raise CliError(
        "nothing imported: {file}: {reason}; check the changes above and import again with "
        "--confirm-changes to apply them",
        file=str(report.file),
        reason=report.confirmation.text(),
    )


def _list_batches(app: Any, as_json: bool) -> int:
    batches = app.imports.list_batches()
    if as_json:
        print(json.dumps([vars(b) for b in batches], ensure_ascii=False, default=str))
        return 0
    for b in batches:
        print(
            f"#{b.id:<5} {b.started_at:%Y-%m-%d %H:%M}  {b.kind:<16} {b.status:<9} "
            f"read {b.rows_total:>7,}  accepted {b.accepted:>7,}  rejected "
            f"{b.rejected:>5,}  duplicates {b.duplicates:>7,}  {b.file_name}"
        )
    return 0


def _list_mappings(app: Any, as_json: bool) -> int:
    profiles = app.import_mappings.saved()
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "columns": p.columns,
                        "crs": p.crs.value if p.crs else None,
                        "tz": p.tz,
                        "updated_at": p.updated_at,
                    }
                    for p in profiles
                ],
                ensure_ascii=False,
                default=str,
            )
        )
        return 0
    if not profiles:
        print("no saved column mappings; save one with --map FIELD=COLUMN --save-mapping NAME")
    for p in profiles:
        chosen = ", ".join(f"{f}={c or '(none)'}" for f, c in sorted(p.columns.items()))
        print(f"{p.name}  ({p.kind.replace('_', '-')})  {chosen}")
    return 0

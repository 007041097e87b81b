"""Import use case: one file, one kind, one batch, all or nothing.

The file is stored as evidence (by SHA-256); the same file imported again as the same kind
writes nothing. Rows are typed, checked against the store by the kind's writer, and the good
ones committed together with the batch and its rejected rows. Any failure, cancellation or a
killed process leaves the store as it was: everything happens in one transaction.

What an import kept but wants the user to know (references to records not yet in the store,
customers without coordinates, an assumed as-of date) comes back as the report's
``warnings`` and is kept with the batch.

Changes to master data are kept as history (field, old, new, batch). A file that would rename
more than a tenth of the stored employees or customers writes nothing: its report says so
(``needs_confirmation``) and lists the changes, and the same import with
``ImportOptions(confirm_changes=True)`` applies them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from workstation.domain.clock import Clock
from workstation.domain.enums import ImportStatus
from workstation.domain.progress import CancelToken, ProgressCallback, no_progress
from workstation.ingest.errors import FileRejected
from workstation.ingest.limits import kept_cells
from workstation.ingest.mapping_profiles import MappingProfileService
from workstation.ingest.model import BatchRow, ImportOptions, ImportReport, RowProblem
from workstation.ingest.profiles import KINDS, MappingError, map_headers
from workstation.ingest.values import ValueProblem, zone
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.evidence import EvidenceStore
from workstation.store.models import EvidenceFile, ImportBatch, RejectedRow
from workstation.store.uow import UnitOfWorkFactory

if TYPE_CHECKING:  # pandas and the readers load with the first import or preview
    from workstation.ingest.preview import ImportPreview
    from workstation.ingest.sources import SourceData
    from workstation.ingest.table import RawTable


class ImportService:
    def __init__(
        self, uow: UnitOfWorkFactory, evidence: EvidenceStore, acting: Acting, clock: Clock
    ) -> None:
        self._uow = uow
        self._evidence = evidence
        self._acting = acting
        self._actor = acting.actor
        #: Stamps the batches; its zone is that of times a file writes without one.
        self._clock = clock
        #: Column mappings saved under a name (see :mod:`workstation.ingest.mapping_profiles`).
        self.mappings = MappingProfileService(uow, acting, clock)

    @property
    def default_time_zone(self) -> str:
        """The zone of times a file writes without one, unless the import says: the
        company's."""
        return self._clock.zone_name

    @staticmethod
    def kinds() -> list[str]:
        from workstation.ingest.writers import BULK_WRITERS, WRITERS

        return [k for k in KINDS if k in WRITERS or k in BULK_WRITERS]

    def run(
        self,
        path: Path,
        kind: str,
        options: ImportOptions | None = None,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        """Import ``path`` as ``kind``. Raises FileRejected when the file cannot be used."""
        import workstation.ingest.adapters  # noqa: F401  (registers the source adapters)
        from workstation.ingest.rows import parse_rows
        from workstation.ingest.sources import open_source
        from workstation.ingest.writers import BULK_WRITERS, WRITERS
        from workstation.ingest.writers.base import BulkInput, WriteContext
        from workstation.ingest.writers.history import ChangesNeedConfirmation

        self._acting.require(Permission.IMPORT_RUN)
        options = options or ImportOptions()
        path = Path(path)
        if kind not in self.kinds():
            raise ValueError(f"unknown import kind {kind!r}; choose one of {self.kinds()}")
        spec = KINDS[kind]
        try:
            tz = zone(options.tz, self._clock.zone)
        except ValueProblem as exc:
            raise FileRejected(path, str(exc)) from None
        progress(0, 4, f"Reading {path.name}")
        source = open_source(path, spec, options)
        if source.crs is not None:
            options = replace(options, crs=source.crs)
        try:
            mapping = map_headers(spec, source.columns, dict(options.columns))
        except MappingError as exc:
            raise FileRejected(path, str(exc)) from None
        if not mapping.usable:
            missing = ", ".join(mapping.missing_required + mapping.duplicated)
            where = source.header_guess or f"header row {source.header_row}"
            raise FileRejected(
                path, f"columns missing or given twice for {kind}: {missing} ({where})"
            )
        actor = self._actor()
        with self._uow() as uow:
            session = uow.session
            stored = self._evidence.add_file(session, path, actor)
            earlier = session.scalars(
                select(ImportBatch).where(
                    ImportBatch.file_id == stored.id,
                    ImportBatch.kind == kind,
                    ImportBatch.status == ImportStatus.COMMITTED.value,
                )
            ).first()
            if earlier is not None:
                return ImportReport(
                    earlier.id,
                    kind,
                    path.name,
                    stored.sha256,
                    earlier.rows_total,
                    0,
                    0,
                    earlier.rows_total,
                    already_imported=True,
                )
            _check(cancel)
            batch = ImportBatch(
                kind=kind,
                source_profile=source.profile,
                file_id=stored.id,
                file_name=path.name,
                started_at=self._clock.now(),
                imported_by=actor,
                status=ImportStatus.PENDING.value,
                options_json=json.dumps(
                    {
                        "crs": options.crs.value,
                        "tz": options.tz or self._clock.zone_name,
                        "source": source.profile,
                        "mapping": options.mapping_name,
                        "columns": dict(mapping.columns),
                        "confirm_changes": options.confirm_changes,
                        "as_of": options.as_of.isoformat() if options.as_of else None,
                    },
                    ensure_ascii=False,
                ),
            )
            session.add(batch)
            session.flush()
            _check(cancel)
            ctx = WriteContext(
                session,
                batch.id,
                options,
                actor,
                self._clock.today(),
                self._clock.now(),
                company_zone=self._clock.zone,
                evidence=self._evidence,
                attachments_dir=Path(options.attachments_dir or path.parent),
            )
            if kind in BULK_WRITERS:
                progress(1, 4, "Writing records")
                outcome = BULK_WRITERS[kind](
                    ctx,
                    BulkInput(
                        source.chunks, mapping, tz, progress, cancel, _data_lines(path, source)
                    ),
                )
                problems = sorted(outcome.problems, key=lambda p: p.row)
                rows_read = outcome.rows_read
            else:
                progress(1, 4, "Checking rows")
                table = _whole(source.chunks)
                rows, parse_problems, _blank = parse_rows(
                    table, spec, mapping, tz, self._clock.now()
                )
                _check(cancel)
                progress(2, 4, "Writing records")
                try:
                    outcome = WRITERS[kind](ctx, rows)
                except ChangesNeedConfirmation as stop:
                    # nothing is committed: leaving the unit of work rolls everything back
                    return ImportReport(
                        None,
                        kind,
                        path.name,
                        stored.sha256,
                        len(rows) + len(parse_problems),
                        0,
                        0,
                        0,
                        changes=stop.changes,
                        confirmation=stop.needed,
                    )
                problems = sorted(parse_problems + outcome.problems, key=lambda p: p.row)
                rows_read = len(rows) + len(parse_problems)
            warnings = sorted(outcome.warnings, key=lambda w: (w.row is not None, w.row or 0))
            session.add_all(
                RejectedRow(
                    batch_id=batch.id,
                    row_number=p.row,
                    field=p.field,
                    message=p.message,
                    raw_json=json.dumps(kept_cells(p.raw), ensure_ascii=False),
                )
                for p in problems
            )
            batch.rows_total = rows_read
            batch.rows_accepted = outcome.accepted
            batch.rows_rejected = len(problems)
            batch.rows_duplicate = outcome.duplicates
            batch.warnings_json = (
                json.dumps(
                    [{"row": w.row, "field": w.field, "message": w.message} for w in warnings],
                    ensure_ascii=False,
                )
                if warnings
                else None
            )
            batch.status = ImportStatus.COMMITTED.value
            batch.finished_at = self._clock.now()
            append_audit(
                session,
                actor,
                "import.committed",
                "import_batch",
                batch.id,
                {
                    "kind": kind,
                    "file": path.name,
                    "sha256": stored.sha256,
                    "accepted": outcome.accepted,
                    "rejected": len(problems),
                    "duplicates": outcome.duplicates,
                    "changed_values": len(outcome.changes),
                    "changes_confirmed": options.confirm_changes,
                    "warnings": len(warnings),
                    "counts": dict(outcome.counts),
                },
            )
            _check(cancel)
            progress(3, 4, "Saving")
            uow.commit()
            progress(4, 4, "Done")
            return ImportReport(
                batch.id,
                kind,
                path.name,
                stored.sha256,
                batch.rows_total,
                outcome.accepted,
                len(problems),
                outcome.duplicates,
                problems=problems,
                changes=outcome.changes,
                warnings=warnings,
                as_of=outcome.as_of,
                counts=dict(outcome.counts),
            )

    def preview(self, path: Path, kind: str, options: ImportOptions | None = None) -> ImportPreview:
        """The source, column mapping and first rows of ``path``; writes nothing."""
        self._acting.require(Permission.IMPORT_RUN)
        import workstation.ingest.adapters  # noqa: F401  (registers the source adapters)
        from workstation.ingest.preview import preview_import

        return preview_import(Path(path), kind, options, clock=self._clock)

    def export_report(self, batch_id: int, destination: Path, locale: str = "zh_CN") -> Path:
        """The batch's summary and rejected rows as an XLSX workbook."""
        self._acting.require(Permission.IMPORT_VIEW)
        from workstation.ingest.report_export import export_batch_xlsx

        return export_batch_xlsx(self._uow, batch_id, Path(destination), locale)

    def list_batches(self, limit: int = 500) -> list[BatchRow]:
        self._acting.require(Permission.IMPORT_VIEW)
        with self._uow() as uow:
            query = (
                select(ImportBatch, EvidenceFile.sha256)
                .outerjoin(EvidenceFile, ImportBatch.file_id == EvidenceFile.id)
                .order_by(ImportBatch.id.desc())
                .limit(limit)
            )
            return [
                BatchRow(
                    b.id,
                    b.kind,
                    b.file_name,
                    sha,
                    b.started_at,
                    b.status,
                    b.rows_total,
                    b.rows_accepted,
                    b.rows_rejected,
                    b.rows_duplicate,
                    b.imported_by,
                )
                for b, sha in uow.session.execute(query)
            ]

    def rejected_rows(self, batch_id: int) -> list[RowProblem]:
        self._acting.require(Permission.IMPORT_VIEW)
        with self._uow() as uow:
            return [
                RowProblem(r.row_number, r.field, r.message, json.loads(r.raw_json))
                for r in uow.session.scalars(
                    select(RejectedRow)
                    .where(RejectedRow.batch_id == batch_id)
                    .order_by(RejectedRow.row_number)
                )
            ]


def _whole(chunks: Iterator[RawTable]) -> RawTable:
    """One table of all chunks (kinds small enough to hold: employees, orders...)."""
    parts = list(chunks)
    if len(parts) == 1:
        return parts[0]
    import pandas as pd

    first = parts[0]
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    return replace(first, frame=frame, problems=tuple(q for p in parts for q in p.problems))


def _data_lines(path: Path, source: SourceData) -> int:
    """Lines after the header of a text file (an upper bound of its rows), else 0."""
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return 0
    lines = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
    return max(lines - source.header_row, 0)


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()

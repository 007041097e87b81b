"""What an import would read, before anything is written: the source detected, how columns
map to fields, and the first rows as they will be read (with the problems found in them)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workstation.domain.clock import Clock
from workstation.ingest.errors import FileRejected
from workstation.ingest.model import ImportOptions, RowProblem
from workstation.ingest.profiles import KINDS, MappingError, map_headers
from workstation.ingest.rows import parse_rows
from workstation.ingest.sources import GENERIC, open_source
from workstation.ingest.values import ValueProblem, zone

PREVIEW_ROWS = 20


@dataclass(frozen=True)
class PreviewRow:
    row: int
    values: dict[str, Any]
    problem: RowProblem | None = None
    #: The row's cells as text, by the file's column.
    raw: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportPreview:
    kind: str
    source: str
    header_row: int
    #: field name → the file's column feeding it
    columns: dict[str, str]
    unknown_headers: tuple[str, ...]
    missing_required: tuple[str, ...]
    rows: list[PreviewRow] = field(default_factory=list)
    #: Every column of the file, in order (what a field can be mapped to).
    file_columns: tuple[str, ...] = ()
    #: The columns can be chosen by the user (generic files; fixed layouts such as WeCom or
    #: DingTalk exports are read by their own rules).
    mapping_editable: bool = False

    @property
    def usable(self) -> bool:
        return not self.missing_required


def preview_import(
    path: Path,
    kind: str,
    options: ImportOptions | None = None,
    limit: int = PREVIEW_ROWS,
    *,
    clock: Clock,
) -> ImportPreview:
    """Read only the start of ``path``; raises FileRejected for a file that cannot be used.
    ``clock`` gives the company's zone (for times without one) and now (for implausible ones).

    Row checks that need the store (unknown employee, duplicates) happen at import time only.
    """
    options = options or ImportOptions()
    spec = KINDS[kind]
    try:
        tz = zone(options.tz, clock.zone)
    except ValueProblem as exc:
        raise FileRejected(Path(path), str(exc)) from None
    source = open_source(Path(path), spec, options)
    try:
        mapping = map_headers(spec, source.columns, dict(options.columns))
    except MappingError as exc:
        raise FileRejected(Path(path), str(exc)) from None
    first = next(source.chunks)
    head = first.frame.head(limit)
    rows: list[PreviewRow] = []
    if not mapping.missing_required:
        last_row = first.first_data_row + len(head) - 1
        shown = tuple(p for p in first.problems if p.row <= last_row)
        table = replace(first, frame=head, problems=shown)
        parsed, problems, _ = parse_rows(table, spec, mapping, tz, clock.now())
        rows = sorted(
            [PreviewRow(p.row, p.values, raw=p.raw) for p in parsed]
            + [PreviewRow(p.row, {}, p, raw=p.raw) for p in problems],
            key=lambda r: r.row,
        )
    else:
        # Nothing can be typed yet: show the cells as they are, to choose columns by.
        columns = [str(c) for c in head.columns]
        rows = [
            PreviewRow(
                head_row,
                {},
                raw={c: str(v) for c, v in zip(columns, cells, strict=True)},
            )
            for head_row, cells in enumerate(
                head.itertuples(index=False, name=None), start=first.first_data_row
            )
        ]
    return ImportPreview(
        kind=kind,
        source=source.profile,
        header_row=source.header_row,
        columns=dict(mapping.columns),
        unknown_headers=mapping.unknown_headers,
        missing_required=mapping.missing_required,
        rows=rows,
        file_columns=tuple(source.columns),
        mapping_editable=source.profile == GENERIC,
    )

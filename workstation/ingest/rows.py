"""From a raw table to typed rows: each cell parsed by its field's type, problems per row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from workstation.ingest.limits import max_chars, text_problem
from workstation.ingest.model import ParsedRow, RowProblem
from workstation.ingest.profiles import HeaderMapping, ImportKind, ValueType
from workstation.ingest.table import RawTable
from workstation.ingest.values import (
    ValueProblem,
    implausible_reason,
    parse_date,
    parse_datetime,
    parse_number,
    parse_text,
)


def _parser(value_type: ValueType, zone: tzinfo) -> Callable[[str], Any]:
    if value_type is ValueType.NUMBER:
        return parse_number
    if value_type is ValueType.DATE:
        return parse_date
    if value_type is ValueType.DATETIME:
        return lambda text: parse_datetime(text, zone)
    return parse_text


def parse_rows(
    table: RawTable, kind: ImportKind, mapping: HeaderMapping, zone: tzinfo, now: datetime
) -> tuple[list[ParsedRow], list[RowProblem], int]:
    """Typed rows, rejected rows (with those the reader refused), and the number of blank rows
    skipped (times without an offset are in ``zone``; times after ``now`` and a day are
    implausible)."""
    fields = [(kind.field(name), header) for name, header in mapping.columns.items()]
    parsers = {spec.name: _parser(spec.type, zone) for spec, _ in fields}
    limits = {spec.name: max_chars(kind.name, spec.name) for spec, _ in fields}
    headers = list(table.frame.columns)
    parsed: list[ParsedRow] = []
    problems: list[RowProblem] = list(table.problems)
    refused = {p.row for p in table.problems}
    blank = 0
    for offset, cells in enumerate(table.frame.itertuples(index=False, name=None)):
        raw = {h: str(c) for h, c in zip(headers, cells, strict=True)}
        row = table.first_data_row + offset
        if row in refused:
            continue
        if not any(v.strip() for v in raw.values()):
            blank += 1
            continue
        values: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        for spec, header in fields:
            try:
                values[spec.name] = parsers[spec.name](raw[header])
            except ValueProblem as exc:
                errors.append((spec.name, str(exc)))
                continue
            if spec.required and values[spec.name] is None:
                errors.append((spec.name, "required value is empty"))
            elif spec.type is ValueType.TEXT and values[spec.name] is not None:
                reason = text_problem(values[spec.name], limits[spec.name])
                if reason:
                    errors.append((spec.name, reason))
            elif spec.type is ValueType.DATETIME and values[spec.name] is not None:
                reason = implausible_reason(values[spec.name], now)
                if reason:
                    errors.append((spec.name, reason))
        if errors:
            message = "; ".join(f"{name}: {text}" for name, text in errors)
            problems.append(RowProblem(row, errors[0][0], message, raw))
        else:
            parsed.append(ParsedRow(row, values, raw))
    return parsed, problems, blank

"""Check-ins from generic files: one per employee, time and kind; the claimed customer kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from workstation.ingest.model import ParsedRow
from workstation.ingest.profiles import CHECKIN_KIND_WORDS, lookup_word
from workstation.ingest.writers.base import WriteContext, WriteOutcome, check_position, check_range
from workstation.store.models import Checkin

KIND_WORDS_SHOWN = "on_duty / off_duty / field, 上班 / 下班 / 外勤"


def write_checkins(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    checked: list[tuple[ParsedRow, int, str, int | None]] = []
    for row in rows:
        number = str(row.values["employee_no"])
        employee_id = ctx.employee_id(number)
        kind = lookup_word(CHECKIN_KIND_WORDS, str(row.values["kind"]))
        code = row.values.get("customer_code")
        customer_id = ctx.customer_id(str(code)) if code else None
        problem = (
            (
                row.problem("employee_no", f"unknown employee {number}")
                if employee_id is None
                else None
            )
            or (
                row.problem("kind", f"unknown kind {row.values['kind']!r}; use {KIND_WORDS_SHOWN}")
                if kind is None
                else None
            )
            or (
                row.problem("customer_code", f"unknown customer {code}")
                if code and customer_id is None
                else None
            )
            or check_position(row)
            or check_range(row, "accuracy_m", 0, 100_000)
        )
        if problem:
            outcome.problems.append(problem)
            continue
        assert employee_id is not None and kind is not None
        checked.append((row, employee_id, kind, customer_id))

    seen = _existing_keys(ctx, checked)
    for row, employee_id, kind, customer_id in checked:
        moment: datetime = row.values["time"]
        key = (employee_id, _instant_ms(moment), kind)
        if key in seen:
            outcome.duplicates += 1
            continue
        seen.add(key)
        ctx.session.add(
            Checkin(
                employee_id=employee_id,
                checked_at=moment,
                kind=kind,
                accuracy_m=row.values.get("accuracy_m"),
                customer_id=customer_id,
                address=row.values.get("address"),
                note=row.values.get("note"),
                batch_id=ctx.batch_id,
                source_row=row.row,
                **ctx.position(row.values.get("lat"), row.values.get("lon")),
            )
        )
        outcome.accepted += 1
    ctx.session.flush()
    return outcome


def _instant_ms(moment: datetime) -> int:
    """The instant in epoch milliseconds: equal for the same moment written in any zone."""
    return round(moment.timestamp() * 1000)


def _existing_keys(
    ctx: WriteContext, checked: list[tuple[ParsedRow, int, str, int | None]]
) -> set[tuple[int, int, str]]:
    """Keys already stored for the employees and time span of this file."""
    if not checked:
        return set()
    times = [row.values["time"] for row, *_ in checked]
    employees = {employee_id for _, employee_id, _, _ in checked}
    query = select(Checkin.employee_id, Checkin.checked_at, Checkin.kind).where(
        Checkin.employee_id.in_(employees),
        Checkin.checked_at >= min(times),
        Checkin.checked_at <= max(times),
    )
    return {(e, _instant_ms(t), k) for e, t, k in ctx.session.execute(query)}

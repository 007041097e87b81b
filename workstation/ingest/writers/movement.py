"""Check-ins from generic files and attendance sources: one per employee, time and kind; the
claimed customer kept.

The person is found by WeCom account, then DingTalk UserId, then 工号, never by name: the first
identifier the row gives that names a known employee wins, and a row whose identifiers name two
different employees is refused. A punch without coordinates but with an address (the DingTalk
原始记录 export) is placed at the WGS-84 position of the customer, competitor site or office its
address matches (:mod:`workstation.ingest.address_match`); the address is kept unchanged and
``accuracy_m`` left empty, and ``customer_id`` still comes only from ``customer_code``. An
address that matches nothing is imported with an empty position (and logged).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workstation.domain.enums import CoordSystem
from workstation.ingest.address_match import AddressMatcher, KnownPlace
from workstation.ingest.limits import max_chars, text_problem
from workstation.ingest.model import ParsedRow, RowProblem
from workstation.ingest.profiles import CHECKIN_KIND_WORDS, lookup_word, normalise_header
from workstation.ingest.writers.base import WriteContext, WriteOutcome, check_position, check_range
from workstation.store.models import Checkin, CompetitorSite, Customer, Employee, Office

log = logging.getLogger(__name__)

KIND_WORDS_SHOWN = "on_duty / off_duty / field, 上班 / 下班 / 外勤"
#: Values of ``mock_location`` that mean the source saw a faked position.
MOCK_WORDS = {"1", "true", "yes", "y", "是", "模拟定位", "虚拟定位"}
MOCK_MARK = "模拟定位"


@dataclass
class _Accounts:
    wecom: dict[str, int]
    dingtalk: dict[str, int]

    @classmethod
    def load(cls, ctx: WriteContext) -> _Accounts:
        wecom: dict[str, int] = {}
        dingtalk: dict[str, int] = {}
        query = select(Employee.id, Employee.wecom_userid, Employee.dingtalk_userid)
        for employee_id, wecom_userid, dingtalk_userid in ctx.session.execute(query):
            if wecom_userid:
                wecom[wecom_userid] = employee_id
            if dingtalk_userid:
                dingtalk[dingtalk_userid] = employee_id
        return cls(wecom, dingtalk)


def _resolve_employee(
    ctx: WriteContext, accounts: _Accounts, row: ParsedRow
) -> tuple[int | None, RowProblem | None]:
    """The employee a row names (WeCom account, DingTalk UserId, 工号), or why not."""
    wecom = row.values.get("wecom_userid")
    dingtalk = row.values.get("dingtalk_userid")
    number = row.values.get("employee_no")
    found = [
        (name, value, employee_id)
        for name, value, employee_id in (
            ("wecom_userid", wecom, accounts.wecom.get(str(wecom)) if wecom else None),
            (
                "dingtalk_userid",
                dingtalk,
                accounts.dingtalk.get(str(dingtalk)) if dingtalk else None,
            ),
            ("employee_no", number, ctx.employee_id(str(number)) if number else None),
        )
        if value is not None
    ]
    matched = {employee_id for _, _, employee_id in found if employee_id is not None}
    if len(matched) > 1:
        shown = ", ".join(f"{name} {value}" for name, value, _ in found)
        return None, row.problem(found[0][0], f"{shown} name different employees")
    if matched:
        return matched.pop(), None
    if wecom:
        return None, row.problem(
            "wecom_userid",
            f"no employee with WeCom account {wecom} "
            "(import employees with their wecom_userid first)",
        )
    if dingtalk:
        return None, row.problem(
            "dingtalk_userid",
            f"no employee with DingTalk UserId {dingtalk} "
            "(import employees with their dingtalk_userid first)",
        )
    if number:
        return None, row.problem("employee_no", f"unknown employee {number}")
    return None, row.problem(
        "employee_no", "no employee_no, wecom_userid or dingtalk_userid to say whose punch it is"
    )


def _source_result(row: ParsedRow) -> str | None:
    result = row.values.get("source_result")
    mock = row.values.get("mock_location")
    if mock and normalise_header(str(mock)) in MOCK_WORDS:
        return "; ".join(p for p in (result, MOCK_MARK) if p)
    return result


def _result_too_long(row: ParsedRow) -> RowProblem | None:
    """The source result with the mock-location mark added must still fit its column."""
    text = _source_result(row)
    reason = text_problem(text, max_chars("checkins", "source_result")) if text else None
    return row.problem("source_result", reason) if reason else None


def write_checkins(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    accounts = _Accounts.load(ctx)
    checked: list[tuple[ParsedRow, int, str, int | None]] = []
    for row in rows:
        employee_id, employee_problem = _resolve_employee(ctx, accounts, row)
        kind = lookup_word(CHECKIN_KIND_WORDS, str(row.values["kind"]))
        code = row.values.get("customer_code")
        customer_id = ctx.customer_id(str(code)) if code else None
        problem = (
            employee_problem
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
            or _result_too_long(row)
        )
        if problem:
            outcome.problems.append(problem)
            continue
        assert employee_id is not None and kind is not None
        checked.append((row, employee_id, kind, customer_id))

    placed = _place_by_address(ctx, [row for row, *_ in checked])
    seen = _existing_keys(ctx, checked)
    for row, employee_id, kind, customer_id in checked:
        moment: datetime = row.values["time"]
        key = (employee_id, _instant_ms(moment), kind)
        if key in seen:
            outcome.duplicates += 1
            continue
        seen.add(key)
        place = placed.get(row.row)
        position = (
            {
                "lat": place.lat,
                "lon": place.lon,
                "coord_system": CoordSystem.WGS84.value,
                "orig_lat": None,
                "orig_lon": None,
            }
            if place is not None
            else ctx.position(row.values.get("lat"), row.values.get("lon"))
        )
        ctx.session.add(
            Checkin(
                employee_id=employee_id,
                checked_at=moment,
                kind=kind,
                accuracy_m=None if place is not None else row.values.get("accuracy_m"),
                customer_id=customer_id,
                address=row.values.get("address"),
                note=row.values.get("note"),
                photo_ref=row.values.get("photo_ref"),
                photo_evidence_id=ctx.attach(row.values.get("photo_ref")),
                source_result=_source_result(row),
                batch_id=ctx.batch_id,
                source_row=row.row,
                **position,
            )
        )
        outcome.accepted += 1
    ctx.session.flush()
    return outcome


def _known_places(ctx: WriteContext) -> list[KnownPlace]:
    """Customers, competitor sites and offices with an address and a position."""
    places: list[KnownPlace] = []
    for kind, model in (
        ("customer", Customer),
        ("competitor_site", CompetitorSite),
        ("office", Office),
    ):
        query = select(model.id, model.name, model.address, model.lat, model.lon).where(
            model.address.is_not(None), model.lat.is_not(None), model.lon.is_not(None)
        )
        places.extend(
            KnownPlace(kind, id_, name, address or "", lat, lon)
            for id_, name, address, lat, lon in ctx.session.execute(query)
        )
    return places


def _place_by_address(ctx: WriteContext, rows: list[ParsedRow]) -> dict[int, KnownPlace]:
    """Rows without coordinates but with an address → the known place the address matches."""
    wanted = [
        row
        for row in rows
        if row.values.get("lat") is None
        and row.values.get("lon") is None
        and row.values.get("address")
    ]
    if not wanted:
        return {}
    matcher = AddressMatcher(_known_places(ctx))
    matches = matcher.match_many([str(row.values["address"]) for row in wanted])
    placed = {
        row.row: match.place
        for row, match in zip(wanted, matches, strict=True)
        if match is not None and match.place.lat is not None and match.place.lon is not None
    }
    unplaced = len(wanted) - len(placed)
    if wanted:
        log.info(
            "check-ins placed by address: %d of %d (%d left without a position)",
            len(placed),
            len(wanted),
            unplaced,
        )
    return placed


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

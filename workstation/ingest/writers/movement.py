"""Check-ins from generic files and attendance sources: one per employee, time and kind; the
customer found and how; missed punches kept as such.

* **Whose punch**: :mod:`workstation.ingest.writers.identities` (account column, account equal
  to the employee number, the row's 工号, a unique name in the department), counted per way.
* **Missed punches**: a row whose result says 缺卡 (DingTalk) or 未打卡 (WeCom) is a punch that
  was due and not made: kept as a :class:`MissedPunch` at its scheduled time, never a check-in
  with a position (WeCom writes 0,0 for those). It counts as accepted (and as
  ``missed_punches``).
* **Approvals**: a result saying 补卡 (DingTalk 补卡审批通过) marks the check-in
  ``makeup_approved``: made up afterwards, its time is the scheduled one.
* **Position**: the source's own coordinates (``device``); without them, the employee's track
  within a few minutes, else the place the address names
  (:mod:`workstation.ingest.writers.checkin_places`); else none. Never invented.
* **Customer**: the file's customer code (an unknown code refuses the row), else
  :mod:`workstation.ingest.writers.checkin_links` (name column, remark, title, task, fence),
  with the method and the matched text kept on the check-in.

The report counts each way (``identity.*``, ``position.*``, ``link.*``, ``missed_punches``,
``makeup_approved``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select

from workstation.domain.enums import CheckinKind, CheckinLink, CoordSystem, PositionSource
from workstation.geo.coords import convert_np
from workstation.ingest.address_match import KnownPlace
from workstation.ingest.limits import max_chars, text_problem
from workstation.ingest.model import ParsedRow, RowProblem
from workstation.ingest.profiles import CHECKIN_KIND_WORDS, lookup_word, normalise_header
from workstation.ingest.writers.base import WriteContext, WriteOutcome, check_position, check_range
from workstation.ingest.writers.checkin_links import CheckinLinker, Link, LinkInput
from workstation.ingest.writers.checkin_places import (
    TrackFix,
    address_position,
    places_by_address,
    track_fixes,
    track_position,
)
from workstation.ingest.writers.identities import Identities
from workstation.store.models import Checkin, MissedPunch

log = logging.getLogger(__name__)

KIND_WORDS_SHOWN = "on_duty / off_duty / field, 上班 / 下班 / 外勤"
#: Values of ``mock_location`` that mean the source saw a faked position.
MOCK_WORDS = {"1", "true", "yes", "y", "是", "模拟定位", "虚拟定位"}
MOCK_MARK = "模拟定位"
#: Results of a punch that was due and not made (DingTalk 缺卡, WeCom 未打卡).
MISSED_MARKS = ("缺卡", "未打卡")
MISSED_WORDS = {"missed", "missed punch"}
#: A result saying the punch was made up through an approval (DingTalk 补卡审批通过).
MAKEUP_MARK = "补卡"


@dataclass
class _Checked:
    row: ParsedRow
    employee_id: int
    kind: str
    customer_id: int | None


def is_missed(result: str | None) -> bool:
    """Whether a punch's result says it was not made."""
    if not result:
        return False
    return any(m in result for m in MISSED_MARKS) or normalise_header(result) in {
        normalise_header(w) for w in MISSED_WORDS
    }


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
    identities = Identities.load(ctx)
    checked: list[_Checked] = []
    for row in rows:
        employee_id, way, employee_problem = identities.resolve(ctx, row)
        kind = lookup_word(CHECKIN_KIND_WORDS, str(row.values["kind"]))
        code = row.values.get("customer_code")
        customer_id = ctx.customer_id(str(code)) if code else None
        missed = is_missed(row.values.get("source_result"))
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
            or (None if missed else check_position(row))
            or (None if missed else check_range(row, "accuracy_m", 0, 100_000))
            or _result_too_long(row)
        )
        if problem:
            outcome.problems.append(problem)
            continue
        assert employee_id is not None and kind is not None and way is not None
        outcome.count(f"identity.{way}")
        checked.append(_Checked(row, employee_id, kind, customer_id))

    punches = [c for c in checked if not is_missed(c.row.values.get("source_result"))]
    _write_missed(
        ctx, [c for c in checked if is_missed(c.row.values.get("source_result"))], outcome
    )
    positions = _positions(ctx, punches)
    seen = _existing_keys(ctx, punches)
    fresh: list[tuple[_Checked, dict[str, object]]] = []
    for c, position in zip(punches, positions, strict=True):
        key = (c.employee_id, _instant_ms(c.row.values["time"]), c.kind)
        if key in seen:
            outcome.duplicates += 1
            continue
        seen.add(key)
        fresh.append((c, position))
    linker = _linker(ctx, [c for c, _ in fresh])
    for c, position in fresh:
        row = c.row
        moment: datetime = row.values["time"]
        link: Link | None
        if c.customer_id is not None:
            link = Link(c.customer_id, CheckinLink.CODE.value, str(row.values["customer_code"]))
        else:
            link = (
                linker.link(_link_input(c, position, ctx.company_zone))
                if linker is not None
                else None
            )
        if link is not None:
            outcome.count(f"link.{link.method}")
        elif c.kind == CheckinKind.FIELD.value:
            outcome.count("link.none")
        outcome.count(f"position.{position.get('position_source') or 'none'}")
        makeup = MAKEUP_MARK in (row.values.get("source_result") or "")
        if makeup:
            outcome.count("makeup_approved")
        ctx.session.add(
            Checkin(
                employee_id=c.employee_id,
                checked_at=moment,
                kind=c.kind,
                address=row.values.get("address"),
                note=row.values.get("note"),
                photo_ref=row.values.get("photo_ref"),
                photo_evidence_id=ctx.attach(row.values.get("photo_ref")),
                source_result=_source_result(row),
                makeup_approved=makeup,
                customer_id=link.customer_id if link else None,
                task_id=link.task_id if link else None,
                link_method=link.method if link else None,
                link_text=link.text if link else None,
                batch_id=ctx.batch_id,
                source_row=row.row,
                **position,
            )
        )
        outcome.accepted += 1
    ctx.session.flush()
    return outcome


def _link_input(c: _Checked, position: dict[str, object], zone: tzinfo) -> LinkInput:
    values = c.row.values
    moment: datetime = values["time"]

    def number(name: str) -> float | None:
        value = position.get(name)
        return float(value) if isinstance(value, int | float) else None

    return LinkInput(
        c.employee_id,
        moment.astimezone(zone).date(),
        c.kind,
        values.get("customer_name"),
        values.get("note"),
        values.get("address"),
        number("lat"),
        number("lon"),
        number("accuracy_m"),
    )


def _linker(ctx: WriteContext, punches: Sequence[_Checked]) -> CheckinLinker | None:
    """A linker for the punches that no customer code links (None when there are none)."""
    wanted = [c for c in punches if c.customer_id is None]
    if not wanted:
        return None
    days = [c.row.values["time"].astimezone(ctx.company_zone).date() for c in wanted]
    return CheckinLinker.load(ctx.session, {c.employee_id for c in wanted}, min(days), max(days))


def _positions(ctx: WriteContext, punches: Sequence[_Checked]) -> list[dict[str, object]]:
    """The position columns of each punch: its own fix, else the track's, else the address's
    place (see the module rules)."""
    result: list[dict[str, object]] = []
    blind: list[int] = []
    fixed: list[int] = []
    for i, c in enumerate(punches):
        lat, lon = c.row.values.get("lat"), c.row.values.get("lon")
        position = ctx.position(None, None)  # the file's system, no position yet
        position["accuracy_m"] = c.row.values.get("accuracy_m")
        position["position_source"] = None
        if lat is not None and lon is not None:
            fixed.append(i)
        else:
            blind.append(i)
        result.append(position)
    if fixed:
        # one vectorised conversion for the whole file (per row it costs milliseconds)
        lats = [punches[i].row.values["lat"] for i in fixed]
        lons = [punches[i].row.values["lon"] for i in fixed]
        crs = ctx.options.crs.value
        wlat, wlon = convert_np(lats, lons, crs, CoordSystem.WGS84.value)
        for k, i in enumerate(fixed):
            result[i] |= {
                "lat": float(wlat[k]),
                "lon": float(wlon[k]),
                "orig_lat": lats[k],
                "orig_lon": lons[k],
                "position_source": PositionSource.DEVICE.value,
            }
    if not blind:
        return result
    addresses = [str(punches[i].row.values.get("address") or "") for i in blind]
    places: list[KnownPlace | None] = places_by_address(ctx.session, addresses)
    trackable = [
        i for i in blind if MAKEUP_MARK not in (punches[i].row.values.get("source_result") or "")
    ]
    fixes: dict[int, TrackFix | None] = dict(
        zip(
            trackable,
            track_fixes(
                ctx.session,
                [
                    (punches[i].employee_id, _instant_ms(punches[i].row.values["time"]))
                    for i in trackable
                ],
            ),
            strict=True,
        )
    )
    for i, place in zip(blind, places, strict=True):
        fix = fixes.get(i)
        if place is not None:
            result[i] |= {
                "address_place": place.name,
                "address_lat": place.lat,
                "address_lon": place.lon,
            }
        if fix is not None:
            result[i] |= track_position(fix)
        elif place is not None:
            result[i] |= address_position(place)
    log.info(
        "punches without coordinates: %d; placed by the track %d, by the address %d",
        len(blind),
        sum(1 for i in blind if fixes.get(i) is not None),
        sum(1 for i in blind if result[i]["position_source"] == PositionSource.ADDRESS.value),
    )
    return result


def _write_missed(ctx: WriteContext, missed: list[_Checked], outcome: WriteOutcome) -> None:
    """Missed punches, each once per (employee, scheduled time, kind)."""
    if not missed:
        return
    times = [c.row.values["time"] for c in missed]
    seen = {
        (e, _instant_ms(t), k)
        for e, t, k in ctx.session.execute(
            select(MissedPunch.employee_id, MissedPunch.scheduled_at, MissedPunch.kind).where(
                MissedPunch.employee_id.in_({c.employee_id for c in missed}),
                MissedPunch.scheduled_at >= min(times),
                MissedPunch.scheduled_at <= max(times),
            )
        )
    }
    for c in missed:
        key = (c.employee_id, _instant_ms(c.row.values["time"]), c.kind)
        if key in seen:
            outcome.duplicates += 1
            continue
        seen.add(key)
        ctx.session.add(
            MissedPunch(
                employee_id=c.employee_id,
                scheduled_at=c.row.values["time"],
                kind=c.kind,
                source_result=c.row.values.get("source_result"),
                note=c.row.values.get("note"),
                batch_id=ctx.batch_id,
                source_row=c.row.row,
            )
        )
        outcome.accepted += 1
        outcome.count("missed_punches")


def _instant_ms(moment: datetime) -> int:
    """The instant in epoch milliseconds: equal for the same moment written in any zone."""
    return round(moment.timestamp() * 1000)


def _existing_keys(ctx: WriteContext, punches: list[_Checked]) -> set[tuple[int, int, str]]:
    """Keys already stored for the employees and time span of this file."""
    if not punches:
        return set()
    times = [c.row.values["time"] for c in punches]
    employees = {c.employee_id for c in punches}
    query = select(Checkin.employee_id, Checkin.checked_at, Checkin.kind).where(
        Checkin.employee_id.in_(employees),
        Checkin.checked_at >= min(times),
        Checkin.checked_at <= max(times),
    )
    return {(e, _instant_ms(t), k) for e, t, k in ctx.session.execute(query)}

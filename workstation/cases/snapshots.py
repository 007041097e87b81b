"""Freeze a record as case evidence: canonical JSON and its SHA-256.

A snapshot holds the record's own columns (times in UTC ISO-8601, amounts as strings) and
what a reader needs beside them (the customer's code and name, the competitor's name, the
source file's SHA-256). It does not hold when or by whom it was linked (the evidence row
does), so the same record frozen twice, unchanged, gives the same hash.

Record keys: the record's id, except for a track segment — ``employee_id:start_ms-end_ms``
(milliseconds since the Unix epoch, UTC, end inclusive) — and a file (its SHA-256).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from workstation.domain.clock import format_moment
from workstation.domain.enums import EvidenceKind
from workstation.risk.alert_service import parse_rules, rule_json
from workstation.store.audit import canonical_json
from workstation.store.evidence import StoredEvidence
from workstation.store.models import (
    Alert,
    Checkin,
    Communication,
    Competitor,
    CompetitorSite,
    Customer,
    CustomerEvent,
    Employee,
    EvidenceFile,
    ImportBatch,
    Lead,
    Order,
    Stop,
    TrackPoint,
)

#: A track segment longer than this many points is refused (link shorter segments).
MAX_TRACK_POINTS = 100_000
SNAPSHOT_VERSION = 1
#: The columns of each point of a frozen track segment, in order.
TRACK_FIELDS = (
    *("id", "t_ms", "lat", "lon", "accuracy_m", "speed_mps", "coord_code"),
    *("orig_lat", "orig_lon", "batch_id", "source_row"),
)


#: Record kinds of an alert's explanation (``records``) → evidence kinds.
ALERT_RECORD_KINDS = {
    "checkins": EvidenceKind.CHECKIN,
    "stops": EvidenceKind.STOP,
    "orders": EvidenceKind.ORDER,
    "customer_events": EvidenceKind.CUSTOMER_EVENT,
    "leads": EvidenceKind.LEAD,
    "communications": EvidenceKind.COMMUNICATION,
}


class RecordNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Snapshot:
    kind: EvidenceKind
    key: str
    title: str
    data: dict[str, Any]
    json: str
    sha256: str
    evidence_file_id: int | None = None


def make_snapshot(
    kind: EvidenceKind,
    key: str,
    title: str,
    record: dict[str, Any],
    evidence_file_id: int | None = None,
    **related: Any,
) -> Snapshot:
    data = {"kind": kind.value, "key": key, "version": SNAPSHOT_VERSION, "record": record}
    if related:
        data["related"] = related
    text = canonical_json(data)
    return Snapshot(kind, key, title, data, text, sha256_hex(text), evidence_file_id)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plain(value: Any) -> Any:
    """A column value as stable JSON: UTC ISO times, ISO dates, decimals as strings."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def columns(row: Any) -> dict[str, Any]:
    """Every mapped column of ``row``, by attribute name."""
    return {attr.key: plain(getattr(row, attr.key)) for attr in inspect(type(row)).column_attrs}


def _local(at: datetime, zone: tzinfo) -> str:
    return format_moment(at, zone, "en")


def _int_key(kind: EvidenceKind, key: str) -> int:
    try:
        return int(key)
    except ValueError:
        raise RecordNotFound(f"{kind.value} key must be a record id, not {key!r}") from None


def _get(session: Session, model: type[Any], kind: EvidenceKind, key: str) -> Any:
    row = session.get(model, _int_key(kind, key))
    if row is None:
        raise RecordNotFound(f"no {kind.value} #{key}")
    return row


def _customer(session: Session, customer_id: int | None) -> dict[str, Any] | None:
    customer = session.get(Customer, customer_id) if customer_id is not None else None
    return {"id": customer.id, "code": customer.code, "name": customer.name} if customer else None


def _competitor(session: Session, competitor_id: int | None) -> dict[str, Any] | None:
    competitor = session.get(Competitor, competitor_id) if competitor_id is not None else None
    return {"id": competitor.id, "name": competitor.name} if competitor else None


def _employee(session: Session, employee_id: int | None) -> dict[str, Any] | None:
    emp = session.get(Employee, employee_id) if employee_id is not None else None
    return {"id": emp.id, "employee_no": emp.employee_no, "name": emp.name} if emp else None


def _source(session: Session, batch_id: int | None) -> dict[str, Any] | None:
    """The import a record came from: the batch and its file's SHA-256."""
    batch = session.get(ImportBatch, batch_id) if batch_id is not None else None
    if batch is None:
        return None
    file = session.get(EvidenceFile, batch.file_id) if batch.file_id is not None else None
    return {
        "batch_id": batch.id,
        "file_name": batch.file_name,
        "file_sha256": file.sha256 if file else None,
    }


def freeze_record(session: Session, kind: EvidenceKind | str, key: str, zone: tzinfo) -> Snapshot:
    """Snapshot the record ``kind``/``key`` as it is now in ``session`` (its label gives
    times on ``zone``'s wall clock, saying which)."""
    kind = EvidenceKind(kind)
    key = str(key).strip()
    if kind is EvidenceKind.FILE:
        raise RecordNotFound("a new file is linked with link_file, not as a record")
    return _FREEZERS[kind](session, kind, key, zone)


#: What a check-in's title says of where its position and its customer come from (the
#: app's own fix and the file's customer code are the plain case, not mentioned).
CHECKIN_POSITION_NOTES = {
    "address": "position from the address (not a GPS fix)",
    "track": "position from the GPS track",
}
CHECKIN_LINK_NOTES = {
    "name": "customer named in the file",
    "remark": "customer named in the remark",
    "title": "customer named in the location",
    "task": "customer of the planned visit",
    "fence": "customer by the nearest fence",
}
CHECKIN_MAKEUP_NOTE = "made up with approval"


def checkin_title(c: Checkin, customer_name: str | None, zone: tzinfo) -> str:
    """``Check-in 2024-04-10 10:12 at X (field; position from the address; …)``."""
    place = f" at {customer_name}" if customer_name else ""
    notes = [
        note
        for note in (
            CHECKIN_POSITION_NOTES.get(c.position_source or ""),
            CHECKIN_LINK_NOTES.get(c.link_method or "") if customer_name else None,
            CHECKIN_MAKEUP_NOTE if c.makeup_approved else None,
        )
        if note
    ]
    return f"Check-in {_local(c.checked_at, zone)}{place} ({'; '.join([c.kind, *notes])})"


def _checkin(session: Session, kind: EvidenceKind, key: str, zone: tzinfo) -> Snapshot:
    c: Checkin = _get(session, Checkin, kind, key)
    customer = _customer(session, c.customer_id)
    return make_snapshot(
        kind,
        key,
        checkin_title(c, customer["name"] if customer else None, zone),
        columns(c),
        c.photo_evidence_id,
        employee=_employee(session, c.employee_id),
        customer=customer,
        source=_source(session, c.batch_id),
    )


def _stop(session: Session, kind: EvidenceKind, key: str, zone: tzinfo) -> Snapshot:
    s: Stop = _get(session, Stop, kind, key)
    site = session.get(CompetitorSite, s.competitor_site_id) if s.competitor_site_id else None
    site_data = None
    if site is not None:
        site_data = {
            "id": site.id,
            "name": site.name,
            "lat": site.lat,
            "lon": site.lon,
            "radius_m": site.radius_m,
            "competitor": _competitor(session, site.competitor_id),
        }
    minutes = round((s.ended_at - s.started_at).total_seconds() / 60)
    where = f" near {site.name}" if site else f" ({s.place_kind})"
    return make_snapshot(
        kind,
        key,
        f"Stop {_local(s.started_at, zone)}, {minutes} min{where}",
        columns(s),
        employee=_employee(session, s.employee_id),
        competitor_site=site_data,
    )


def track_segment_key(employee_id: int, start: datetime, end: datetime) -> str:
    """The record key of ``employee_id``'s track from ``start`` to ``end`` (inclusive)."""
    return f"{employee_id}:{int(start.timestamp() * 1000)}-{int(end.timestamp() * 1000)}"


def parse_track_segment_key(key: str) -> tuple[int, int, int]:
    try:
        employee, span = key.split(":", 1)
        start, end = span.split("-", 1)
        parsed = int(employee), int(start), int(end)
    except ValueError:
        raise RecordNotFound(
            f"a track segment key is employee_id:start_ms-end_ms, not {key!r}"
        ) from None
    if parsed[2] < parsed[1]:
        raise RecordNotFound(f"track segment {key!r} ends before it starts")
    return parsed


def _track_segment(session: Session, kind: EvidenceKind, key: str, zone: tzinfo) -> Snapshot:
    employee_id, start_ms, end_ms = parse_track_segment_key(key)
    employee = _employee(session, employee_id)
    if employee is None:
        raise RecordNotFound(f"no employee #{employee_id}")
    tp = TrackPoint
    rows = session.execute(
        select(*(getattr(tp, name) for name in TRACK_FIELDS))
        .where(tp.employee_id == employee_id, tp.t_ms >= start_ms, tp.t_ms <= end_ms)
        .order_by(tp.t_ms, tp.id)
        .limit(MAX_TRACK_POINTS + 1)
    ).all()
    if not rows:
        raise RecordNotFound(f"employee #{employee_id} has no track points in {key}")
    if len(rows) > MAX_TRACK_POINTS:
        raise RecordNotFound(
            f"the segment has more than {MAX_TRACK_POINTS} points: link a shorter one"
        )
    start = datetime.fromtimestamp(start_ms / 1000, UTC)
    end = datetime.fromtimestamp(end_ms / 1000, UTC)
    record = {
        "employee_id": employee_id,
        "start": plain(start),
        "end": plain(end),
        "fields": list(TRACK_FIELDS),
        "points": [list(r) for r in rows],
    }
    return make_snapshot(
        kind,
        key,
        f"Track of {employee['name']} {_local(start, zone)} – {_local(end, zone)} "
        f"({len(rows)} points)",
        record,
        employee=employee,
    )


def _order(session: Session, kind: EvidenceKind, key: str, zone: tzinfo) -> Snapshot:
    o: Order = _get(session, Order, kind, key)
    customer = _customer(session, o.customer_id)
    return make_snapshot(
        kind,
        key,
        f"Order {o.order_no} {o.order_date.isoformat()} {o.amount} ({o.status})",
        columns(o),
        employee=_employee(session, o.employee_id),
        customer=customer,
        competitor=_competitor(session, o.competitor_id),
        source=_source(session, o.batch_id),
    )


def _customer_event(session: Session, kind: EvidenceKind, key: str, zone: tzinfo) -> Snapshot:
    e: CustomerEvent = _get(session, CustomerEvent, kind, key)
    customer = _customer(session, e.customer_id)
    competitor = _competitor(session, e.competitor_id)
    to = f" to {competitor['name']}" if competitor else ""
    return make_snapshot(
        kind,
        key,
        f"{customer['name'] if customer else 'Customer'} {e.kind}{to} on {e.event_date}",
        columns(e),
        employee=_employee(session, e.employee_id),
        customer=customer,
        competitor=competitor,
        new_owner=_employee(session, e.new_owner_id),
        source=_source(session, e.batch_id),
    )


def _communication(session: Session, kind: EvidenceKind, key: str, zone: tzinfo) -> Snapshot:
    c: Communication = _get(session, Communication, kind, key)
    return make_snapshot(
        kind,
        key,
        f"{c.channel} {c.direction} {c.counterpart} {_local(c.sent_at, zone)}",
        columns(c),
        c.attachment_evidence_id,
        employee=_employee(session, c.employee_id),
        customer=_customer(session, c.customer_id),
        source=_source(session, c.batch_id),
    )


def _lead(session: Session, kind: EvidenceKind, key: str, zone: tzinfo) -> Snapshot:
    lead: Lead = _get(session, Lead, kind, key)
    return make_snapshot(
        kind,
        key,
        f"Lead {lead.lead_no} {lead.created_on}",
        columns(lead),
        employee=_employee(session, lead.employee_id),
        customer=_customer(session, lead.customer_id),
        source=_source(session, lead.batch_id),
    )


def _import_file(session: Session, kind: EvidenceKind, key: str, zone: tzinfo) -> Snapshot:
    batch: ImportBatch = _get(session, ImportBatch, kind, key)
    file = session.get(EvidenceFile, batch.file_id) if batch.file_id is not None else None
    return make_snapshot(
        kind,
        key,
        f"Imported file {batch.file_name} ({batch.kind}, {batch.rows_accepted} rows)",
        columns(batch),
        batch.file_id,
        file=columns(file) if file else None,
    )


def _alert(session: Session, kind: EvidenceKind, key: str, zone: tzinfo) -> Snapshot:
    alert: Alert = _get(session, Alert, kind, key)
    record = columns(alert)
    record.pop("revision", None)  # triage bookkeeping, not evidence
    record.pop("updated_at", None)
    record.pop("status", None)
    record.pop("case_id", None)
    rules = parse_rules(alert.rules_json)
    return make_snapshot(
        kind,
        key,
        f"Alert #{alert.id} ({alert.severity}, raised {alert.raised_on})",
        record,
        employee=_employee(session, alert.employee_id),
        rules=[rule_json(f) for f in rules],
    )


def freeze_file(stored: StoredEvidence) -> Snapshot:
    """Snapshot of a file just stored in the evidence store (its key is its SHA-256)."""
    record = {
        "sha256": stored.sha256,
        "size_bytes": stored.size_bytes,
        "original_name": stored.original_name,
        "media_type": stored.media_type,
    }
    return make_snapshot(
        EvidenceKind.FILE, stored.sha256, f"File {stored.original_name}", record, stored.id
    )


_FREEZERS = {
    EvidenceKind.CHECKIN: _checkin,
    EvidenceKind.STOP: _stop,
    EvidenceKind.TRACK_SEGMENT: _track_segment,
    EvidenceKind.ORDER: _order,
    EvidenceKind.CUSTOMER_EVENT: _customer_event,
    EvidenceKind.COMMUNICATION: _communication,
    EvidenceKind.LEAD: _lead,
    EvidenceKind.IMPORT_FILE: _import_file,
    EvidenceKind.ALERT: _alert,
}

"""How much text a field may hold, taken from the store's own columns.

SQLite stores any length in a ``VARCHAR(100)`` (it kept a 31-million-character name) while
PostgreSQL refuses the whole batch (``value too long``); PostgreSQL also refuses NUL
characters, which SQLite keeps. Checking each text value against its column before anything
is written makes both refuse the same rows, each with its reason.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.elements import KeyedColumnElement

from workstation.store.models import (
    Checkin,
    Communication,
    Competitor,
    CompetitorSite,
    Customer,
    CustomerEvent,
    Employee,
    Lead,
    Office,
    Order,
)

#: Characters of a text field stored in an unbounded (TEXT) column, or only looked up.
TEXT_MAX_CHARS = 100_000
#: Characters of a cell kept in a rejected row's copy of the file's cells (an XLSX cell's
#: limit, so the report can show it); the file itself is kept whole as evidence.
RAW_CELL_MAX_CHARS = 32_767
_E, _C = Employee.__table__.c, Customer.__table__.c
#: The column each text field of a kind is stored in (or, for references, looked up by).
STORED_IN: dict[str, dict[str, KeyedColumnElement[Any]]] = {
    "employees": {
        "employee_no": _E.employee_no,
        "name": _E.name,
        "department": _E.department,
        "title": _E.title,
        "manager_no": _E.employee_no,
        "wecom_userid": _E.wecom_userid,
        "dingtalk_userid": _E.dingtalk_userid,
        "phone": _E.phone,
        "office": Office.__table__.c.name,
    },
    "customers": {
        "customer_code": _C.code,
        "name": _C.name,
        "city": _C.city,
        "industry": _C.industry,
        "address": _C.address,
        "owner_no": _E.employee_no,
    },
    "ownership": {"customer_code": _C.code, "owner_no": _E.employee_no},
    "competitors": {
        "competitor": Competitor.__table__.c.name,
        "site": CompetitorSite.__table__.c.name,
        "address": CompetitorSite.__table__.c.address,
        "city": CompetitorSite.__table__.c.city,
    },
    "offices": {
        "office": Office.__table__.c.name,
        "address": Office.__table__.c.address,
        "city": Office.__table__.c.city,
    },
    "checkins": {
        "employee_no": _E.employee_no,
        "wecom_userid": _E.wecom_userid,
        "dingtalk_userid": _E.dingtalk_userid,
        "customer_code": _C.code,
        "customer_name": _C.name,
        "name": _E.name,
        "department": _E.department,
        "address": Checkin.__table__.c.address,
        "photo_ref": Checkin.__table__.c.photo_ref,
        "source_result": Checkin.__table__.c.source_result,
    },
    "orders": {
        "order_no": Order.__table__.c.order_no,
        "customer_code": _C.code,
        "employee_no": _E.employee_no,
        "competitor": Competitor.__table__.c.name,
    },
    "leads": {
        "lead_id": Lead.__table__.c.lead_no,
        "customer_code": _C.code,
        "employee_no": _E.employee_no,
        "converted_order_no": Order.__table__.c.order_no,
    },
    "customer_events": {
        "customer_code": _C.code,
        "competitor": Competitor.__table__.c.name,
        "new_owner_no": _E.employee_no,
        "previous_owner_no": _E.employee_no,
        "reason": CustomerEvent.__table__.c.reason,
    },
    "communications": {
        "employee_no": _E.employee_no,
        "counterpart": Communication.__table__.c.counterpart,
        "content": Communication.__table__.c.content,
    },
}


def max_chars(kind: str, field: str) -> int:
    """The most characters ``field`` of ``kind`` may have."""
    column = STORED_IN.get(kind, {}).get(field)
    length = getattr(column.type, "length", None) if column is not None else None
    return int(length) if length else TEXT_MAX_CHARS


def text_problem(value: str, limit: int) -> str | None:
    """Why ``value`` cannot be stored in a field of ``limit`` characters, or None."""
    if len(value) > limit:
        return f"text of {len(value):,} characters is longer than the {limit:,} this field holds"
    if "\x00" in value:
        return "text contains a NUL character"
    return None


def kept_cells(raw: dict[str, str]) -> dict[str, str]:
    """A rejected row's cells to keep beside it, each cut to ``RAW_CELL_MAX_CHARS``."""
    return {key: _cut(value) for key, value in raw.items()}


def _cut(value: str) -> str:
    if len(value) <= RAW_CELL_MAX_CHARS:
        return value
    tail = f"… ({len(value):,} characters)"
    return value[: RAW_CELL_MAX_CHARS - len(tail)] + tail

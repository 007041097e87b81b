"""Places with a position and a geofence: customers (with their owner), competitor sites and
the company's offices.

Empty optional cells leave what is stored alone (as for employees): a file without an
address column never clears one. A row whose values all match the stored record is a
duplicate; one that differs updates it. A customer's changed name or address is kept as
history, and a file renaming more than a tenth of the customers asks for confirmation first.

A customer list is a snapshot as of a day (``ImportOptions.as_of``; default the import day,
which the report then says). Each row's owner, owner since (负责人开始日期 / 分配日期) and
status (客户状态) become an ownership statement of that day; the customer's periods are then
derived again (:mod:`workstation.ingest.writers.periods`): an owner without a since-date
holds the customer from an unknown start, never from the import day, and a lost or
transferred status ends the holding. An empty owner cell says nothing about ownership (the
stored periods stay), unless the status says the customer is gone. An owner who is not a
known employee is kept (with a warning) and counted once the employee is imported. A customer
left without coordinates gets no geofence: the report names each one.

A row counts as accepted when it changed the customer's values or its ownership periods,
otherwise as a duplicate.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import Table, insert, select

from workstation.domain.enums import CustomerStatus
from workstation.domain.ownership import CLOSED_STATUSES
from workstation.ingest.model import FieldChange, ImportWarning, ParsedRow, RowProblem
from workstation.ingest.profiles import CUSTOMER_STATUS_WORDS, lookup_word
from workstation.ingest.writers.base import WriteContext, WriteOutcome, check_position
from workstation.ingest.writers.history import check_name_changes, record_changes
from workstation.ingest.writers.periods import SNAPSHOT, rederive
from workstation.ingest.writers.references import resolve_competitors, resolve_customers
from workstation.store.models import (
    Competitor,
    CompetitorSite,
    Customer,
    Office,
    OwnershipStatement,
)

CUSTOMER = "customer"
#: Customer values whose changes are kept as history (ownership has its own periods).
CUSTOMER_HISTORY = ("name", "address")
CUSTOMER_RADIUS_M = 500.0
ACTIVE = CustomerStatus.ACTIVE.value
SITE_RADIUS_M = 200.0
#: No customer, site or office is bigger: a larger radius is a typing or unit mistake.
MAX_RADIUS_M = 50_000.0


def check_radius(row: ParsedRow) -> RowProblem | None:
    radius = row.values.get("radius_m")
    if radius is not None and radius <= 0:
        return row.problem("radius_m", f"radius must be greater than 0, not {radius:g}")
    if radius is not None and radius > MAX_RADIUS_M:
        return row.problem(
            "radius_m",
            f"radius {radius:g} m is beyond the {MAX_RADIUS_M / 1000:g} km a fence may have",
        )
    return None


def word(row: ParsedRow, field: str, words: dict[str, str], what: str) -> str | RowProblem:
    text = str(row.values[field])
    value = lookup_word(words, text)
    if value is None:
        accepted = ", ".join(sorted(set(words.values())))
        return row.problem(field, f"unknown {what} {text!r}; use one of: {accepted}")
    return value


def repeated(
    row: ParsedRow, key: object, first_row: dict[Any, int], field: str, label: str
) -> RowProblem | None:
    """A problem when ``key`` was already given on an earlier row of the same file; call it
    after the row's other checks so only rows that will be written claim their key."""
    if key in first_row:
        return row.problem(field, f"{label} already given on row {first_row[key]}")
    first_row[key] = row.row
    return None


def place_values(
    row: ParsedRow, position: dict[str, object], *, default_radius: float | None
) -> dict[str, Any]:
    """Columns a place row gives: address, radius (default when new) and its position
    (``position``: the row's entry of :meth:`WriteContext.positions`)."""
    given: dict[str, Any] = {}
    if row.values.get("address") is not None:
        given["address"] = row.values["address"]
    for name in ("city", "industry"):  # a place's city; a customer's industry
        if row.values.get(name) is not None:
            given[name] = row.values[name]
    radius = row.values.get("radius_m")
    if radius is not None:
        given["radius_m"] = float(radius)
    elif default_radius is not None:
        given["radius_m"] = default_radius
    if row.values.get("lat") is not None and row.values.get("lon") is not None:
        given.update(position)
    return given


def row_positions(ctx: WriteContext, rows: list[ParsedRow]) -> list[dict[str, object]]:
    """Each row's position, the file's column converted at once."""
    pairs: list[tuple[float | None, float | None]] = []
    for row in rows:
        lat, lon = row.values.get("lat"), row.values.get("lon")
        pairs.append(
            (float(lat), float(lon)) if lat is not None and lon is not None else (None, None)
        )
    return ctx.positions(pairs)


def same(record: object, given: dict[str, Any]) -> bool:
    return all(getattr(record, key) == value for key, value in given.items())


def update(ctx: WriteContext, record: Any, given: dict[str, Any], row: ParsedRow) -> None:
    for key, value in given.items():
        setattr(record, key, value)
    record.batch_id, record.source_row = ctx.batch_id, row.row


def write_customers(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    """Customers by code, and what the list says about their owners as of its day."""
    outcome = WriteOutcome()
    session = ctx.session
    as_of = ctx.options.as_of or ctx.today
    outcome.as_of = as_of
    if ctx.options.as_of is None:
        outcome.warnings.append(
            ImportWarning(
                None,
                "as_of",
                f"no as-of date given: the list's owners and statuses are read as of "
                f"{as_of.isoformat()}, the import day",
            )
        )
    existing = {c.code: c for c in session.scalars(select(Customer))}
    # what lists of the same day said already (a statement is only stored once)
    known = {
        (customer_id, day, owner, since, status)
        for customer_id, day, owner, since, status in session.execute(
            select(
                OwnershipStatement.customer_id,
                OwnershipStatement.as_of,
                OwnershipStatement.owner_no,
                OwnershipStatement.start_date,
                OwnershipStatement.status,
            ).where(OwnershipStatement.kind == SNAPSHOT, OwnershipStatement.as_of == as_of)
        )
    }
    first_row: dict[str, int] = {}
    stored = len(existing)
    changes: list[FieldChange] = []
    positions = row_positions(ctx, rows)
    #: per written row: the customer, whether its values changed, its new statement
    written: list[tuple[ParsedRow, Customer, bool, dict[str, Any] | None]] = []
    for row, position in zip(rows, positions, strict=True):
        code = str(row.values["customer_code"])
        owner_no = row.values.get("owner_no")
        status = (
            word(row, "status", CUSTOMER_STATUS_WORDS, "customer status")
            if row.values.get("status") is not None
            else None
        )
        problem = (
            check_position(row)
            or check_radius(row)
            or (status if isinstance(status, RowProblem) else None)
            or repeated(row, code, first_row, "customer_code", f"customer {code}")
        )
        if problem:
            outcome.problems.append(problem)
            continue
        assert not isinstance(status, RowProblem)
        since: date | None = row.values.get("owner_since")
        if since is not None and since > as_of:
            outcome.warnings.append(
                row.warning(
                    "owner_since",
                    f"owner since {since.isoformat()} is after the list's date "
                    f"{as_of.isoformat()}; read as an unknown start",
                )
            )
            since = None
        if owner_no and ctx.employee_id(str(owner_no)) is None:
            outcome.warnings.append(
                row.warning(
                    "owner_no",
                    f"owner {owner_no} is not a known employee yet; kept, and counted once "
                    "the employee is imported",
                )
            )
        customer = existing.get(code)
        given = {"name": row.values["name"]} | place_values(
            row, position, default_radius=CUSTOMER_RADIUS_M if customer is None else None
        )
        values_changed = True
        if customer is None:
            customer = Customer(code=code, batch_id=ctx.batch_id, source_row=row.row, **given)
            session.add(customer)
            existing[code] = customer
        elif same(customer, given):
            values_changed = False
        else:
            changes += record_changes(
                ctx, CUSTOMER, customer, code, given, row.row, CUSTOMER_HISTORY
            )
            update(ctx, customer, given, row)
        if customer.lat is None or customer.lon is None:
            outcome.warnings.append(row.warning("lat", _no_fence(code, customer.address)))
        statement: dict[str, Any] | None = None
        if owner_no or status in CLOSED_STATUSES:
            key = (customer.id, as_of, owner_no, since, status or ACTIVE)
            if customer.id is None or key not in known:
                known.add(key)
                statement = {
                    "kind": SNAPSHOT,
                    "owner_no": str(owner_no) if owner_no else None,
                    "as_of": as_of,
                    "start_date": since,
                    "status": status or ACTIVE,
                    "batch_id": ctx.batch_id,
                    "source_row": row.row,
                }
        written.append((row, customer, values_changed, statement))
    check_name_changes(ctx, CUSTOMER, changes, stored)
    outcome.changes = changes
    session.flush()
    for code, customer in existing.items():
        ctx.remember_customer(code, customer.id)
    statements = [s | {"customer_id": c.id} for _, c, _, s in written if s is not None]
    if statements:
        session.execute(insert(cast(Table, OwnershipStatement.__table__)), statements)
    derived = rederive(ctx, {s["customer_id"] for s in statements})
    for _row, customer, values_changed, statement in written:
        if values_changed or (statement is not None and customer.id in derived.changed):
            outcome.accepted += 1
        else:
            outcome.duplicates += 1
    outcome.warnings += resolve_customers(ctx)
    return outcome


def _no_fence(code: str, address: str | None) -> str:
    if address:
        return (
            f"customer {code} has an address but no coordinates: no geofence until its "
            "latitude and longitude are imported"
        )
    return f"customer {code} has no coordinates: no geofence until they are imported"


def write_competitors(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    """Competitor sites by competitor and site name; a new competitor is created with its
    first site."""
    outcome = WriteOutcome()
    session = ctx.session
    competitors = {c.name: c for c in session.scalars(select(Competitor))}
    sites = {
        (owner, site.name): site
        for site, owner in session.execute(select(CompetitorSite, Competitor.name).join(Competitor))
    }
    first_row: dict[tuple[str, str], int] = {}
    for row, position in zip(rows, row_positions(ctx, rows), strict=True):
        key = (str(row.values["competitor"]), str(row.values["site"]))
        problem = (
            check_position(row)
            or check_radius(row)
            or repeated(row, key, first_row, "site", f"site {key[1]} of {key[0]}")
        )
        if problem:
            outcome.problems.append(problem)
            continue
        site = sites.get(key)
        given = place_values(row, position, default_radius=SITE_RADIUS_M if site is None else None)
        if site is not None:
            if same(site, given):
                outcome.duplicates += 1
            else:
                update(ctx, site, given, row)
                outcome.accepted += 1
            continue
        competitor = competitors.get(key[0])
        if competitor is None:
            competitor = Competitor(name=key[0], batch_id=ctx.batch_id, source_row=row.row)
            session.add(competitor)
            competitors[key[0]] = competitor
        site = CompetitorSite(
            competitor=competitor,
            name=key[1],
            batch_id=ctx.batch_id,
            source_row=row.row,
            **given,
        )
        session.add(site)
        sites[key] = site
        outcome.accepted += 1
    session.flush()
    for name, competitor in competitors.items():
        ctx.remember_competitor(name, competitor.id)
    outcome.warnings += resolve_competitors(ctx)
    return outcome


def write_offices(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    session = ctx.session
    offices = {o.name: o for o in session.scalars(select(Office))}
    first_row: dict[str, int] = {}
    for row, position in zip(rows, row_positions(ctx, rows), strict=True):
        name = str(row.values["office"])
        problem = (
            check_position(row)
            or check_radius(row)
            or repeated(row, name, first_row, "office", f"office {name}")
        )
        if problem:
            outcome.problems.append(problem)
            continue
        office = offices.get(name)
        given = place_values(
            row, position, default_radius=SITE_RADIUS_M if office is None else None
        )
        if office is None:
            office = Office(name=name, batch_id=ctx.batch_id, source_row=row.row, **given)
            session.add(office)
            offices[name] = office
        elif same(office, given):
            outcome.duplicates += 1
            continue
        else:
            update(ctx, office, given, row)
        outcome.accepted += 1
    session.flush()
    return outcome

"""Places with a position and a geofence: customers (with their owner), competitor sites and
the company's offices.

Empty optional cells leave what is stored alone (as for employees): a file without an
address or an owner column never clears one. A row whose values all match the stored record
is a duplicate; one that differs updates it. A customer's changed name or address is kept as
history, and a file renaming more than a tenth of the customers asks for confirmation first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from workstation.ingest.model import FieldChange, ParsedRow, RowProblem
from workstation.ingest.writers.base import WriteContext, WriteOutcome, check_position
from workstation.ingest.writers.history import check_name_changes, record_changes
from workstation.store.models import (
    Competitor,
    CompetitorSite,
    Customer,
    CustomerOwnership,
    Office,
)

CUSTOMER = "customer"
#: Customer values whose changes are kept as history (ownership has its own periods).
CUSTOMER_HISTORY = ("name", "address")
CUSTOMER_RADIUS_M = 500.0
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
    ctx: WriteContext, row: ParsedRow, *, default_radius: float | None
) -> dict[str, Any]:
    """Columns a place row gives: address, radius (default when new) and its position."""
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
    lat, lon = row.values.get("lat"), row.values.get("lon")
    if lat is not None and lon is not None:
        given.update(ctx.position(float(lat), float(lon)))
    return given


def same(record: object, given: dict[str, Any]) -> bool:
    return all(getattr(record, key) == value for key, value in given.items())


def update(ctx: WriteContext, record: Any, given: dict[str, Any], row: ParsedRow) -> None:
    for key, value in given.items():
        setattr(record, key, value)
    record.batch_id, record.source_row = ctx.batch_id, row.row


def write_customers(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    session = ctx.session
    existing = {c.code: c for c in session.scalars(select(Customer))}
    open_owner = {
        o.customer_id: o
        for o in session.scalars(
            select(CustomerOwnership).where(CustomerOwnership.end_date.is_(None))
        )
    }
    first_row: dict[str, int] = {}
    stored = len(existing)
    changes: list[FieldChange] = []
    for row in rows:
        code = str(row.values["customer_code"])
        owner_no = row.values.get("owner_no")
        owner_id = ctx.employee_id(str(owner_no)) if owner_no else None
        problem = (
            check_position(row)
            or check_radius(row)
            or (
                row.problem("owner_no", f"unknown employee {owner_no}")
                if owner_no and owner_id is None
                else None
            )
            or repeated(row, code, first_row, "customer_code", f"customer {code}")
        )
        if problem:
            outcome.problems.append(problem)
            continue
        customer = existing.get(code)
        given = {"name": row.values["name"]} | place_values(
            ctx, row, default_radius=CUSTOMER_RADIUS_M if customer is None else None
        )
        current = open_owner.get(customer.id) if customer is not None else None
        owner_changes = owner_id is not None and (
            current is None or current.employee_id != owner_id
        )
        if customer is None:
            customer = Customer(code=code, batch_id=ctx.batch_id, source_row=row.row, **given)
            session.add(customer)
            existing[code] = customer
        elif same(customer, given) and not owner_changes:
            outcome.duplicates += 1
            continue
        else:
            changes += record_changes(
                ctx, CUSTOMER, customer, code, given, row.row, CUSTOMER_HISTORY
            )
            update(ctx, customer, given, row)
        if owner_changes and owner_id is not None:
            if current is not None:
                current.end_date = ctx.today
            ownership = CustomerOwnership(
                customer=customer,
                employee_id=owner_id,
                start_date=ctx.today,
                batch_id=ctx.batch_id,
                source_row=row.row,
            )
            session.add(ownership)
        outcome.accepted += 1
    check_name_changes(ctx, CUSTOMER, changes, stored)
    outcome.changes = changes
    session.flush()
    for code, customer in existing.items():
        ctx.remember_customer(code, customer.id)
    return outcome


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
    for row in rows:
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
        given = place_values(ctx, row, default_radius=SITE_RADIUS_M if site is None else None)
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
    return outcome


def write_offices(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    session = ctx.session
    offices = {o.name: o for o in session.scalars(select(Office))}
    first_row: dict[str, int] = {}
    for row in rows:
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
        given = place_values(ctx, row, default_radius=SITE_RADIUS_M if office is None else None)
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

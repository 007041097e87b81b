"""Which customer a check-in is about, and how that was found (issue 11 §3).

In order, the first that answers wins:

1. ``code`` — the file's customer code column (resolved by the check-in writer itself);
2. ``name`` — the file's customer name column;
3. ``remark`` — a customer named in the remark / note (DingTalk 打卡备注, WeCom ``notes``);
4. ``title`` — a customer named in the location title or address (WeCom ``location_title`` /
   ``location_detail``, DingTalk 打卡地址);
5. ``task`` — the sales task (a planned visit) of the employee on that day: the one customer
   of the day's tasks, or, with several, the nearest of them whose fence holds the position;
6. ``fence`` — the nearest of the employee's own customers whose geofence holds the position
   (``distance − accuracy ≤ radius``: the same rule that calls a check-in outside).

Names (2-4) are matched by :class:`workstation.ingest.customer_names.CustomerNames`: the
employee's own customers first, then every customer. Steps 3-6 apply to field check-ins only;
an on-duty punch at the office names no customer.

The employee's own customers on a day are those an ownership period gives them on that day;
when the store knows no holding of theirs on that day at all (an ownership history that starts
later than the check-ins), every customer they are known to have held.

Each link keeps its method and the text that matched: the code, the name column, the remark or
title as written, the task, or the distance to the fence (``38 m / 300 m``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, tzinfo

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.domain.enums import CheckinKind, CheckinLink, TaskStatus
from workstation.geo.distance import haversine_m_np
from workstation.ingest.customer_names import CustomerNames, NamedCustomer, city_of_address
from workstation.store.models import Checkin, Customer, CustomerOwnership, Office, SalesTask

#: Fence radius of a customer whose own radius is missing or not positive.
DEFAULT_FENCE_M = 500.0
#: Characters of the matched text kept on the check-in.
LINK_TEXT_CHARS = 200
FIELD = CheckinKind.FIELD.value


@dataclass(frozen=True)
class LinkInput:
    """What a check-in offers to find its customer."""

    employee_id: int
    #: The company's local day of the check-in.
    day: date
    kind: str
    customer_name: str | None = None
    note: str | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None

    @classmethod
    def of_checkin(cls, c: Checkin, zone: tzinfo) -> LinkInput:
        return cls(
            c.employee_id,
            c.checked_at.astimezone(zone).date(),
            c.kind,
            None,
            c.note,
            c.address,
            c.lat,
            c.lon,
            c.accuracy_m,
        )


@dataclass(frozen=True)
class Link:
    customer_id: int
    #: A ``CheckinLink`` value.
    method: str
    text: str
    #: The employee's sales task of that day for that customer, when there is one.
    task_id: int | None = None


@dataclass(frozen=True)
class _Task:
    id: int
    customer_id: int
    purpose: str | None


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LINK_TEXT_CHARS else text[: LINK_TEXT_CHARS - 1] + "…"


class CheckinLinker:
    """Customers, holdings and tasks of some employees and days, ready to link check-ins."""

    def __init__(
        self,
        names: CustomerNames,
        positions: dict[int, tuple[float, float, float]],
        holdings: dict[int, list[tuple[int, date | None, date | None]]],
        tasks: dict[tuple[int, date], list[_Task]],
    ) -> None:
        self.names = names
        self.positions = positions
        self.holdings = holdings
        self.tasks = tasks

    @classmethod
    def for_checkins(
        cls, session: Session, checkins: Collection[Checkin], zone: tzinfo
    ) -> CheckinLinker:
        """Everything needed to link stored ``checkins`` (not empty); days are ``zone``'s."""
        days = [c.checked_at.astimezone(zone).date() for c in checkins]
        return cls.load(session, {c.employee_id for c in checkins}, min(days), max(days))

    @classmethod
    def load(
        cls, session: Session, employee_ids: Collection[int], first_day: date, last_day: date
    ) -> CheckinLinker:
        """Every customer (names, fences), and the holdings and the tasks on
        ``first_day..last_day`` of ``employee_ids``."""
        customers: list[NamedCustomer] = []
        places: set[str] = set()
        positions: dict[int, tuple[float, float, float]] = {}
        for cid, name, city, address, lat, lon, radius in session.execute(
            select(
                Customer.id,
                Customer.name,
                Customer.city,
                Customer.address,
                Customer.lat,
                Customer.lon,
                Customer.radius_m,
            )
        ):
            customers.append(NamedCustomer(cid, name))
            places.update(p for p in (city, city_of_address(address)) if p)
            if lat is not None and lon is not None:
                fence = radius if radius is not None and radius > 0 else DEFAULT_FENCE_M
                positions[cid] = (lat, lon, fence)
        for city, address in session.execute(select(Office.city, Office.address)):
            places.update(p for p in (city, city_of_address(address)) if p)
        holdings: dict[int, list[tuple[int, date | None, date | None]]] = defaultdict(list)
        ids = sorted(employee_ids)
        for emp, customer, start, end in session.execute(
            select(
                CustomerOwnership.employee_id,
                CustomerOwnership.customer_id,
                CustomerOwnership.start_date,
                CustomerOwnership.end_date,
            ).where(CustomerOwnership.employee_id.in_(ids))
        ):
            holdings[emp].append((customer, start, end))
        tasks: dict[tuple[int, date], list[_Task]] = defaultdict(list)
        for tid, emp, planned_for, day, purpose in session.execute(
            select(
                SalesTask.id,
                SalesTask.employee_id,
                SalesTask.customer_id,
                SalesTask.planned_date,
                SalesTask.purpose,
            )
            .where(
                SalesTask.employee_id.in_(ids),
                SalesTask.customer_id.is_not(None),
                SalesTask.planned_date >= first_day,
                SalesTask.planned_date <= last_day,
                SalesTask.status != TaskStatus.CANCELLED.value,
            )
            .order_by(SalesTask.id)
        ):
            if planned_for is not None:
                tasks[(emp, day)].append(_Task(tid, planned_for, purpose))
        return cls(CustomerNames(customers, places), positions, dict(holdings), dict(tasks))

    def own(self, employee_id: int, day: date) -> set[int]:
        """The employee's customers on ``day`` (see the module rules)."""
        periods = self.holdings.get(employee_id, [])
        held = {
            c
            for c, start, end in periods
            if (start is None or start <= day) and (end is None or day < end)
        }
        return held or {c for c, _, _ in periods}

    def link(self, inp: LinkInput) -> Link | None:
        """The customer of one check-in, or None (see the module rules; the code column is
        the writer's)."""
        own = self.own(inp.employee_id, inp.day)
        if inp.customer_name:
            found = self.names.find(inp.customer_name, own)
            if found is not None:
                return self._with_task(inp, found.customer_id, CheckinLink.NAME, inp.customer_name)
        if inp.kind != FIELD:
            return None
        for method, text in ((CheckinLink.REMARK, inp.note), (CheckinLink.TITLE, inp.address)):
            found = self.names.find(text, own) if text else None
            if found is not None:
                return self._with_task(inp, found.customer_id, method, str(text))
        tasks = self.tasks.get((inp.employee_id, inp.day), [])
        if tasks:
            link = self._by_task(inp, tasks)
            if link is not None:
                return link
        near = self._nearest_fence(inp, own)
        if near is None:
            return None
        customer_id, distance, radius = near
        return self._with_task(
            inp, customer_id, CheckinLink.FENCE, f"{distance:.0f} m / {radius:.0f} m"
        )

    def _with_task(self, inp: LinkInput, customer_id: int, method: str, text: str) -> Link:
        task = next(
            (
                t
                for t in self.tasks.get((inp.employee_id, inp.day), [])
                if t.customer_id == customer_id
            ),
            None,
        )
        return Link(customer_id, str(method), _clip(text), task.id if task else None)

    def _by_task(self, inp: LinkInput, tasks: list[_Task]) -> Link | None:
        customers = {t.customer_id for t in tasks}
        if len(customers) > 1:
            near = self._nearest_fence(inp, customers)
            if near is None:
                return None
            customers = {near[0]}
        (customer_id,) = customers
        task = next(t for t in tasks if t.customer_id == customer_id)
        text = f"#{task.id} {task.purpose or ''}".strip()
        return Link(customer_id, CheckinLink.TASK.value, _clip(text), task.id)

    def _nearest_fence(
        self, inp: LinkInput, candidates: Collection[int]
    ) -> tuple[int, float, float] | None:
        """The nearest of ``candidates`` whose fence holds the check-in's position, with the
        distance and the radius; None without a position or such a customer."""
        if inp.lat is None or inp.lon is None:
            return None
        placed = [c for c in sorted(candidates) if c in self.positions]
        if not placed:
            return None
        lat = np.array([self.positions[c][0] for c in placed])
        lon = np.array([self.positions[c][1] for c in placed])
        radius = np.array([self.positions[c][2] for c in placed])
        distance = haversine_m_np(np.full(lat.size, inp.lat), np.full(lon.size, inp.lon), lat, lon)
        accuracy = inp.accuracy_m if inp.accuracy_m is not None and inp.accuracy_m > 0 else 0.0
        inside = distance - accuracy <= radius
        if not inside.any():
            return None
        best = int(np.flatnonzero(inside)[np.argmin(distance[inside])])
        return placed[best], float(distance[best]), float(radius[best])

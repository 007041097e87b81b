"""Who held a customer when: ownership periods derived from everything the files said.

A customer's owners are never typed in; they follow from three kinds of facts, whatever
order they were imported in (the same facts always give the same periods):

- a **snapshot**: a customer list as of a day (``as_of``) naming the owner, optionally since
  when (``since``, 负责人开始日期 / 分配日期) and the customer's status (客户状态). An owner
  without ``since`` holds the customer from an unknown start (an *open* period), never "from
  the import day". A lost or transferred status says nobody holds it on ``as_of``; the owner
  it still names is the one who lost it.
- an **assignment**: a row of an assignment history (owner, from, to; an empty from is an
  open start, an empty to an open end).
- a **change**: a customer event. Lost and transferred end the holder's period on the event
  day; reassigned ends it and starts the new owner's; won starts the new owner's. A change may
  name the previous owner (原负责人工号): the only record of who lost a customer in CRMs that
  clear the owner of lost customers.

Periods are ``[start, end)``: held on ``start`` (``None``: since an unknown day) up to, not
including, ``end`` (``None``: still held).

How the facts combine: each fact *claims* who holds the customer just before a day
(``before``) or from a day on (``after``). Between two consecutive claimed days the
stronger of the two neighbouring claims decides (the earlier day's ``after`` against the later
day's ``before``; a tie goes to the earlier one, so a later snapshot naming someone else
closes and opens periods at its own as-of date). Strengths, strongest first:

1. a change (its previous owner before, its new owner or nobody after) and an assignment's
   own span;
2. a snapshot's owner on its day and from its ``since``;
3. a snapshot's owner before its day, back to an unknown start. When the snapshot's day comes
   after a loss (lost/transferred, with no reassignment or win after it), that claim is made
   before the loss instead: a list that keeps a lost customer's last owner says who lost it;
4. nobody, after an assignment's end.

A change's owner (the employee a loss counts for) is the previous owner it names, else the
holder on the day before it, else, when the change comes before the first known period, the
owner of that first period (unless that is the change's own new owner).
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from workstation.domain.enums import CustomerEventKind, CustomerStatus

CLOSING = frozenset({CustomerEventKind.LOST.value, CustomerEventKind.TRANSFERRED.value})
OPENING = frozenset({CustomerEventKind.REASSIGNED.value, CustomerEventKind.WON.value})
#: Changes of one day are applied in this order (a customer lost and won back the same day
#: ends up held).
KIND_ORDER = {
    CustomerEventKind.LOST.value: 0,
    CustomerEventKind.TRANSFERRED.value: 1,
    CustomerEventKind.REASSIGNED.value: 2,
    CustomerEventKind.WON.value: 3,
}
CLOSED_STATUSES = frozenset({CustomerStatus.LOST.value, CustomerStatus.TRANSFERRED.value})

CHANGE = 5
SNAPSHOT = 4
SNAPSHOT_BEFORE = 3
ASSIGNMENT_END = 2


@dataclass(frozen=True)
class Snapshot:
    as_of: date
    #: Employee number of the owner the list names (None: the list names none).
    owner: str | None
    since: date | None = None
    status: str = CustomerStatus.ACTIVE.value
    source: Hashable = None


@dataclass(frozen=True)
class Assignment:
    owner: str
    start: date | None
    end: date | None
    source: Hashable = None


@dataclass(frozen=True)
class Change:
    key: Hashable
    day: date
    kind: str
    previous: str | None = None
    new: str | None = None
    source: Hashable = None


@dataclass(frozen=True)
class Period:
    owner: str
    start: date | None
    end: date | None
    #: The source of the fact that opened the period.
    source: Hashable = None

    def holds(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Derived:
    periods: list[Period]
    #: Each change's owner (by the change's key): who held the customer when it happened.
    owners: dict[Hashable, str | None]
    #: Keys of changes whose named previous owner is not who the other facts say held the
    #: customer the day before (the change still counts for the owner it names).
    disagreements: list[Hashable] = field(default_factory=list)


@dataclass(frozen=True)
class _Claim:
    owner: str | None
    strength: int
    order: int
    source: Hashable


class _Anchors:
    """The strongest claim before and after each day (a tie goes to the later fact)."""

    def __init__(self) -> None:
        self.before: dict[date, _Claim] = {}
        self.after: dict[date, _Claim] = {}
        self._order = 0

    def claim(
        self, side: dict[date, _Claim], day: date, owner: str | None, strength: int, src: Hashable
    ) -> None:
        self._order += 1
        current = side.get(day)
        if current is None or strength >= current.strength:
            side[day] = _Claim(owner, strength, self._order, src)


def derive(
    snapshots: Sequence[Snapshot], assignments: Sequence[Assignment], changes: Sequence[Change]
) -> Derived:
    """One customer's ownership periods and the owner of each change (see the module doc)."""
    ordered = sorted(
        enumerate(changes), key=lambda c: (c[1].day, KIND_ORDER.get(c[1].kind, 9), c[0])
    )
    anchors = _Anchors()
    for a in assignments:
        if a.start is not None:
            anchors.claim(anchors.after, a.start, a.owner, CHANGE, a.source)
        elif a.end is None:
            anchors.claim(anchors.after, date.min, a.owner, CHANGE, a.source)
        if a.end is not None:
            anchors.claim(anchors.before, a.end, a.owner, CHANGE, a.source)
            anchors.claim(anchors.after, a.end, None, ASSIGNMENT_END, a.source)
    for s in sorted(snapshots, key=lambda s: s.as_of):
        _snapshot_claims(anchors, s, [c for _, c in ordered])
    for _, c in ordered:
        if c.previous is not None:
            anchors.claim(anchors.before, c.day, c.previous, CHANGE, c.source)
        if c.kind in CLOSING:
            anchors.claim(anchors.after, c.day, None, CHANGE, c.source)
        elif c.new is not None:
            anchors.claim(anchors.after, c.day, c.new, CHANGE, c.source)
    timeline = _timeline(anchors)
    periods = _periods(timeline)
    owners: dict[Hashable, str | None] = {}
    disagreements: list[Hashable] = []
    for _, c in ordered:
        held = timeline.owner_on(c.day - timedelta(days=1)) if c.day > date.min else None
        if c.previous is not None:
            owners[c.key] = c.previous
            if held != c.previous:
                disagreements.append(c.key)
        elif held is not None:
            owners[c.key] = held
        else:
            owners[c.key] = _first_owner_after(periods, c)
    return Derived(periods, owners, disagreements)


def _snapshot_claims(anchors: _Anchors, s: Snapshot, changes: list[Change]) -> None:
    closed = s.status in CLOSED_STATUSES
    since = s.since if s.since is not None and s.since <= s.as_of else None
    if s.owner is None:
        if closed or s.status == CustomerStatus.ACTIVE.value:
            anchors.claim(anchors.after, s.as_of, None, SNAPSHOT, s.source)
        return
    anchors.claim(anchors.after, s.as_of, None if closed else s.owner, SNAPSHOT, s.source)
    if since is not None:
        anchors.claim(anchors.after, since, s.owner, SNAPSHOT, s.source)
        if not closed:
            anchors.claim(anchors.before, s.as_of, s.owner, SNAPSHOT, s.source)
            return
    # the owner held it before: before the day, or before the loss the day comes after
    day = s.as_of
    for c in reversed([c for c in changes if c.day <= s.as_of]):
        if c.kind in CLOSING:
            day = c.day
            break
        if c.kind in OPENING:
            break
    if since is None or since < day:
        anchors.claim(anchors.before, day, s.owner, SNAPSHOT_BEFORE, s.source)


@dataclass(frozen=True)
class _Timeline:
    """Who holds the customer from each day on: ``owners[i]`` from ``days[i]`` (the first
    entry, from ``date.min``, covers everything before the first claimed day)."""

    days: list[date]
    owners: list[str | None]
    sources: list[Hashable]

    def owner_on(self, day: date) -> str | None:
        i = bisect.bisect_right(self.days, day) - 1
        return self.owners[i] if i >= 0 else None


def _timeline(anchors: _Anchors) -> _Timeline:
    days = sorted(set(anchors.before) | set(anchors.after))
    if not days:
        return _Timeline([], [], [])
    first = anchors.before.get(days[0])
    out_days: list[date] = [date.min] if days[0] > date.min else []
    owners: list[str | None] = [first.owner if first else None] if out_days else []
    sources: list[Hashable] = [first.source if first else None] if out_days else []
    for i, day in enumerate(days):
        forward = anchors.after.get(day)
        backward = anchors.before.get(days[i + 1]) if i + 1 < len(days) else None
        chosen = forward
        if backward is not None and (forward is None or backward.strength > forward.strength):
            chosen = backward
        out_days.append(day)
        owners.append(chosen.owner if chosen else None)
        sources.append(chosen.source if chosen else None)
    return _Timeline(out_days, owners, sources)


def _periods(timeline: _Timeline) -> list[Period]:
    periods: list[Period] = []
    n = len(timeline.days)
    i = 0
    while i < n:
        owner = timeline.owners[i]
        j = i + 1
        while j < n and timeline.owners[j] == owner:
            j += 1
        if owner is not None:
            start = timeline.days[i]
            periods.append(
                Period(
                    owner,
                    None if start == date.min else start,
                    timeline.days[j] if j < n else None,
                    timeline.sources[i],
                )
            )
        i = j
    return periods


def _first_owner_after(periods: list[Period], change: Change) -> str | None:
    """The owner of the first period when ``change`` comes before every known period."""
    if not periods or any(p.start is None or p.start < change.day for p in periods):
        return None
    first = min(periods, key=lambda p: p.start or date.min)
    return None if first.owner == change.new else first.owner

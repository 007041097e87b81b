"""Where each salesperson was during each working day, and what the attendance app recorded.

A day is a chain of dwells (home, office, customers, lunch, a competitor's site, a café) with
straight drives between them; the GPS track (for those who carry a tracker) is sampled from
it. Punches are what DingTalk (成都) or WeCom (重庆) saw: on-duty and off-duty at the office,
a field punch at most customer visits; now and then a missed punch.

Planted here:

* the **diverter** (成都, from ``DIVERTING_FROM``) spends most days at the rival's head office
  (over lunch) and often its warehouse in the afternoon, visiting only one or two customers;
* the **fake field worker** (重庆, from ``FAKING_FROM``) claims customer visits in his WeCom
  notes while sitting at a mall, his flat or a tea house, kilometres from the customer;
* the **commuter** (成都) drives past a competitor's site twice a day without stopping;
* the **new hire** (重庆) has four field punches in his first week.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from companies.second.book import Book, Customer
from companies.second.cast import (
    ATTENDANCE_APP,
    CHENGDU_OFFICE,
    CHONGQING_OFFICE,
    OFFICES,
    RIVAL,
    Office,
    Person,
    Site,
)
from companies.second.geo import LatLon, distance_m, offset
from companies.second.names import CHONGQING_SPOTS, PROVINCE
from companies.second.workdays import WORKDAYS, minutes

DIVERTING_FROM = date(2024, 3, 25)
FAKING_FROM = date(2024, 4, 8)
#: One 成都 on-duty punch was made up through an approval (补卡).
MAKEUP_DAY = date(2024, 4, 8)
SPEED_M_PER_MIN = 450.0
#: Positions of the fake field worker's hiding places (WGS-84), by name.
SPOT_POS: dict[str, LatLon] = {
    "观音桥大融城": (29.5790, 106.5300),
    "龙湖春森彼岸三期": (29.5800, 106.5560),
    "解放碑得意世界茶楼": (29.5590, 106.5770),
}

HOME, OFFICE, CUSTOMER, LUNCH, COMPETITOR, SPOT = (
    "home", "office", "customer", "lunch", "competitor", "spot",
)  # fmt: skip
ON_DUTY, OFF_DUTY, FIELD = "on_duty", "off_duty", "field"


@dataclass(frozen=True)
class Dwell:
    start: datetime
    end: datetime
    pos: LatLon
    kind: str
    ref: str = ""


@dataclass(frozen=True)
class Punch:
    """One attendance record. ``pos`` is where the phone truly was (WGS-84); ``at`` is None
    for a missed punch. A field punch claims ``customer``; ``named`` says whether its remark,
    note or location title names it (else only the position can link it)."""

    person: str
    kind: str
    at: datetime | None
    scheduled: datetime | None
    pos: LatLon | None
    result: str
    customer: str | None = None
    named: bool = False
    fake: bool = False
    title: str = ""
    detail: str = ""
    note: str = ""


@dataclass
class Day:
    person: str
    day: date
    dwells: list[Dwell] = field(default_factory=list)
    punches: list[Punch] = field(default_factory=list)


def office_of(p: Person) -> Office:
    return CHENGDU_OFFICE if p.city == "成都" else CHONGQING_OFFICE


class _Timeline:
    def __init__(self, day: date, start_min: float, here: LatLon) -> None:
        self.day, self.t, self.here = day, start_min, here
        self.dwells: list[Dwell] = []

    def go(self, pos: LatLon) -> None:
        self.t += distance_m(self.here, pos) / SPEED_M_PER_MIN + 2.0
        self.here = pos

    def stay(self, pos: LatLon, length_min: float, kind: str, ref: str = "") -> Dwell:
        if distance_m(self.here, pos) > 1.0:
            self.go(pos)
        d = Dwell(minutes(self.day, self.t), minutes(self.day, self.t + length_min), pos, kind, ref)
        self.dwells.append(d)
        self.t += length_min
        return d

    def stay_until(self, pos: LatLon, until_min: float, at_least_min: float, kind: str) -> Dwell:
        """Go to ``pos`` and stay until ``until_min`` (minutes after midnight), or at least
        ``at_least_min`` when arriving late."""
        self.go(pos)
        return self.stay(pos, max(at_least_min, until_min - self.t), kind)


class FieldPlanner:
    def __init__(self, rng: random.Random, book: Book, sites: list[Site]) -> None:
        self.rng = rng
        self.book = book
        self.sites = sites
        self.avoid = [s.pos for s in sites] + [o.pos for o in OFFICES]

    def plan(self, p: Person) -> list[Day]:
        days = [d for d in WORKDAYS if d >= p.hire]
        return [self._day(p, d) for d in days]

    # --- one day -----------------------------------------------------------------------

    def _day(self, p: Person, day: date) -> Day:
        rng = self.rng
        office = office_of(p)
        leave_home = 470 + rng.uniform(0, 12) + (45 if rng.random() < 0.04 else 0)
        tl = _Timeline(day, leave_home - 12, p.home)
        tl.stay(p.home, 12, HOME)
        morning_office = tl.stay_until(
            _near(rng, office.pos, 15), 570 + rng.uniform(0, 25), 20.0, OFFICE
        )
        visits = self._visits(p, day)
        customers: list[tuple[Dwell, Customer]] = []
        if p.part == "diverter" and day >= DIVERTING_FROM and rng.random() < 0.8:
            self._diverting(tl, visits, customers)
        elif visits:
            self._ordinary(tl, visits, customers)
        evening_office = tl.stay_until(
            _near(rng, office.pos, 15), 1080 + rng.uniform(2, 25), 15.0, OFFICE
        )
        tl.stay(p.home, 12, HOME)
        result = Day(p.no, day, tl.dwells)
        result.punches = self._punches(p, day, morning_office, evening_office, customers)
        return result

    def _visits(self, p: Person, day: date) -> list[Customer]:
        rng = self.rng
        held = [self.book.customers[c] for c in self.book.held_by(p.no, day)]
        if p.part == "new_hire":
            return [] if day == p.hire or not held else [rng.choice(held)]
        if not held or rng.random() < 0.1:
            return []
        k = rng.choices((1, 2, 3), weights=(20, 45, 35))[0]
        chain = [rng.choice(held)]
        while len(chain) < k:
            rest = [c for c in held if c not in chain and distance_m(c.pos, chain[-1].pos) > 300]
            if not rest:
                break
            chain.append(min(rest, key=lambda c: distance_m(c.pos, chain[-1].pos)))
        return chain

    def _visit(self, tl: _Timeline, c: Customer, customers: list[tuple[Dwell, Customer]]) -> None:
        spot = offset(c.pos, self.rng.uniform(10, 60), self.rng.uniform(0, 360))
        customers.append((tl.stay(spot, self.rng.uniform(35, 70), CUSTOMER, c.code), c))

    def _lunch(self, tl: _Timeline, visits: list[Customer]) -> None:
        """Lunch 450-700 m from the last visit, well apart from every visit of the day (so a
        track shows it as a stop of its own) and from offices and competitors' sites."""
        for _ in range(500):
            spot = offset(tl.here, self.rng.uniform(450, 700), self.rng.uniform(0, 360))
            if all(distance_m(spot, a) > 600 for a in self.avoid) and all(
                distance_m(spot, c.pos) > 400 for c in visits
            ):
                tl.stay(spot, self.rng.uniform(40, 55), LUNCH)
                return
        raise RuntimeError("no lunch place")

    def _ordinary(
        self, tl: _Timeline, visits: list[Customer], customers: list[tuple[Dwell, Customer]]
    ) -> None:
        morning = math.ceil(len(visits) / 2)
        for c in visits[:morning]:
            self._visit(tl, c, customers)
        self._lunch(tl, visits)
        for c in visits[morning:]:
            if tl.t > 16 * 60 + 30:
                break
            self._visit(tl, c, customers)

    def _diverting(
        self, tl: _Timeline, visits: list[Customer], customers: list[tuple[Dwell, Customer]]
    ) -> None:
        rng = self.rng
        rival = [s for s in self.sites if s.competitor == RIVAL and s.city == "成都"]
        head, warehouse = rival[0], rival[1]
        if visits:
            self._visit(tl, visits[0], customers)
        there = offset(head.pos, rng.uniform(10, 50), rng.uniform(0, 360))
        tl.go(there)
        tl.stay(there, max(100.0, 13 * 60 + 40 - tl.t), COMPETITOR, head.name)
        if rng.random() < 0.5:
            spot = offset(warehouse.pos, rng.uniform(10, 50), rng.uniform(0, 360))
            tl.stay(spot, rng.uniform(60, 80), COMPETITOR, warehouse.name)
        elif len(visits) > 1:
            self._visit(tl, visits[1], customers)

    # --- what the attendance app recorded ------------------------------------------------

    def _punches(
        self,
        p: Person,
        day: date,
        morning: Dwell,
        evening: Dwell,
        customers: list[tuple[Dwell, Customer]],
    ) -> list[Punch]:
        rng = self.rng
        app = ATTENDANCE_APP[p.city]
        office = office_of(p)
        nine, six = minutes(day, 9 * 60), minutes(day, 18 * 60)
        punches: list[Punch] = []
        on_at = morning.start + timedelta(minutes=rng.uniform(1, 6))
        late = on_at > nine
        on_result = (
            ("迟到" if late else "正常") if app == "dingtalk" else ("时间异常" if late else "")
        )
        punches.append(
            Punch(p.no, ON_DUTY, on_at, nine, _near(rng, morning.pos, 10), on_result,
                  title=office_title(office), detail=office.address)
        )  # fmt: skip
        faking = p.part == "fake_fieldwork" and day >= FAKING_FROM
        for dwell, c in customers:
            if p.part != "new_hire" and rng.random() < 0.1:
                continue  # no punch at this visit
            at = dwell.start + timedelta(minutes=rng.uniform(2, 10))
            if faking and rng.random() < 0.6:
                punches.append(self._fake(p, at, c))
            else:
                punches.append(self._field(p, app, at, dwell, c))
        off_at = evening.end - timedelta(minutes=rng.uniform(1, 4))
        if rng.random() < 0.02:
            missed = "缺卡" if app == "dingtalk" else "未打卡"
            punches.append(Punch(p.no, OFF_DUTY, None, six, None, missed))
        else:
            result = "正常" if app == "dingtalk" else ""
            punches.append(
                Punch(p.no, OFF_DUTY, max(off_at, six), six, _near(rng, evening.pos, 10), result,
                      title=office_title(office), detail=office.address)
            )  # fmt: skip
        return punches

    def _field(self, p: Person, app: str, at: datetime, dwell: Dwell, c: Customer) -> Punch:
        rng = self.rng
        said = c.name.full if rng.random() < 0.7 else c.name.short()
        pos = _near(rng, dwell.pos, 10)
        if app == "dingtalk":
            return Punch(
                p.no, FIELD, at, None, pos, "外勤", c.code, True,
                detail=PROVINCE[p.city] + c.address, note=f"拜访客户：{said}",
            )  # fmt: skip
        roll = rng.random()
        if p.part == "fake_fieldwork" or roll < 0.75:
            title, named = said, True
        else:
            title, named = c.address.removeprefix("重庆市"), False
        note_roll = rng.random()
        if note_roll < 0.5:
            note = ""
        elif note_roll < 0.8:
            note, named = f"拜访客户：{said}", True
        else:
            note, named = f"{said} {rng.choice(('送样', '回款', '技术交流', '设备调试'))}", True
        return Punch(
            p.no, FIELD, at, None, pos, "", c.code, named, title=title, detail=c.address, note=note
        )

    def _fake(self, p: Person, at: datetime, c: Customer) -> Punch:
        rng = self.rng
        name, address = rng.choice(CHONGQING_SPOTS)
        pos = _near(rng, SPOT_POS[name], 40)
        said = c.name.full if rng.random() < 0.7 else c.name.short()
        return Punch(
            p.no, FIELD, at, None, pos, "", c.code, True, True,
            title=name, detail=address, note=f"拜访客户：{said}",
        )  # fmt: skip


def office_title(office: Office) -> str:
    return office.address.split("号", 1)[1].rstrip("0123456789楼") or office.name


def _near(rng: random.Random, pos: LatLon, metres: float) -> LatLon:
    return offset(pos, abs(rng.gauss(0, metres)), rng.uniform(0, 360))


def apply_makeup(days: list[Day], person: str) -> None:
    """The on-duty punch of ``person`` on ``MAKEUP_DAY`` was forgotten and approved later."""
    for d in days:
        if d.person == person and d.day == MAKEUP_DAY:
            first = d.punches[0]
            assert first.kind == ON_DUTY and first.scheduled is not None
            d.punches[0] = Punch(
                person, ON_DUTY, first.scheduled, first.scheduled, None, "补卡审批通过"
            )
            return
    raise LookupError(f"{person} did not work on {MAKEUP_DAY}")
